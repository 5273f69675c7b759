from preflight.checks import CheckConfig
from preflight.checks.domain import check
from preflight.model.report import Severity
from preflight.model.snapshot import (
    FormFacts,
    FrameFacts,
    InputFacts,
    LinkFacts,
    ResourceRequest,
)

from ..factories import default_allowlist, snapshot


def codes(result):
    return {f.code: f.severity for f in result.findings}


CONFIG = CheckConfig(allowlist=default_allowlist())


def test_official_provider_portal_passes():
    # Given a visit that landed on the official CignaforHCP host
    result = check(snapshot("https://cignaforhcp.cigna.com/"), CONFIG)
    # Then the domain check passes and names the portal
    assert codes(result) == {"domain.official": Severity.PASS}
    assert "CignaforHCP" in result.findings[0].message


def test_redirect_through_official_hosts_passes():
    result = check(snapshot("https://cignaforhcp.cigna.com/", hops=("https://cignaforhcp.com/",)), CONFIG)
    assert codes(result) == {"domain.official": Severity.PASS}
    assert [h["host"] for h in result.findings[0].evidence["hosts"]] == ["cignaforhcp.com", "cignaforhcp.cigna.com"]


def test_lookalike_final_host_fails_and_names_what_it_imitates():
    result = check(snapshot("https://cignaforhcp-cigna.com/login"), CONFIG)
    assert codes(result)["domain.lookalike"] is Severity.FAIL
    assert "domain.official" not in codes(result)
    finding = next(f for f in result.findings if f.code == "domain.lookalike")
    assert finding.evidence["lookalike_of"] in ("cignaforhcp.cigna.com", "cigna.com")


def test_unrelated_final_host_fails():
    result = check(snapshot("https://login.example.net/"), CONFIG)
    assert codes(result) == {"domain.not_allowlisted": Severity.FAIL}


def test_off_list_redirect_hop_fails_even_when_landing_on_official():
    result = check(snapshot("https://cignaforhcp.cigna.com/", hops=("https://track.example.net/r",)), CONFIG)
    finding = next(f for f in result.findings if f.code == "domain.not_allowlisted")
    assert finding.severity is Severity.FAIL
    assert finding.evidence["where"] == "redirect hop 1"


def test_script_navigation_to_off_list_host_fails():
    result = check(snapshot("https://cignaforhcp.cigna.com/", navigations=("https://evil.example/",)), CONFIG)
    assert codes(result)["domain.not_allowlisted"] is Severity.FAIL


def test_same_registrable_domain_is_a_warning():
    result = check(snapshot("https://www.cigna.com/"), CONFIG)
    assert codes(result) == {"domain.same_organization": Severity.WARN}


def test_plain_http_fails_except_on_loopback():
    assert codes(check(snapshot("http://cignaforhcp.cigna.com/"), CONFIG))["domain.not_https"] is Severity.FAIL
    loopback = codes(check(snapshot("http://127.0.0.1:8080/"), CONFIG))
    assert loopback["domain.insecure_loopback"] is Severity.WARN
    assert "domain.not_https" not in loopback


def login_frame(url, action, *, extra_inputs=(), scripts=()):
    return FrameFacts(url=url, forms=(FormFacts(action=action, method="post"),),
                      inputs=(InputFacts(type="text", name="user", autocomplete="username", form_index=0),
                              InputFacts(type="password", name="pw", form_index=0), *extra_inputs),
                      scripts=tuple(scripts))


def test_login_form_posting_off_list_fails():
    page = "https://cignaforhcp.cigna.com/"
    snap = snapshot(page, frames=(login_frame(page, "https://collect.example.org/login"),))
    finding = next(f for f in check(snap, CONFIG).findings if f.code == "domain.form_action_off_list")
    assert finding.severity is Severity.FAIL and finding.evidence["host"] == "collect.example.org"


def test_login_form_posting_over_http_fails():
    page = "https://cignaforhcp.cigna.com/"
    snap = snapshot(page, frames=(login_frame(page, "http://cignaforhcp.cigna.com/login"),))
    assert codes(check(snap, CONFIG))["domain.insecure_form_action"] is Severity.FAIL


def test_login_fields_in_a_lookalike_frame_fail():
    page = "https://cignaforhcp.cigna.com/"
    frames = (FrameFacts(url=page), login_frame("https://cignaforhcp-cigna.com/embed", "https://cignaforhcp-cigna.com/x"))
    found = codes(check(snapshot(page, frames=frames), CONFIG))
    assert found["domain.lookalike"] is Severity.FAIL
    assert "domain.official" not in found


def test_scripts_from_unlisted_hosts_warn_and_are_listed():
    page = "https://cignaforhcp.cigna.com/"
    scripts = ("https://cignaforhcp.cigna.com/app.js", "https://cdn.tracker.example/t.js", "https://www.cigna.com/x.js")
    result = check(snapshot(page, frames=(login_frame(page, page + "login", scripts=scripts),)), CONFIG)
    finding = next(f for f in result.findings if f.code == "domain.third_party_scripts")
    assert finding.severity is Severity.WARN
    assert [h["host"] for h in finding.evidence["hosts"]] == ["cdn.tracker.example"]


def test_mixed_content_fails():
    page = "https://cignaforhcp.cigna.com/"
    requests = (ResourceRequest("http://static.example.com/logo.png", "image", page),)
    assert codes(check(snapshot(page, requests=requests), CONFIG))["domain.mixed_content"] is Severity.FAIL


def test_recovery_links_must_stay_on_official_hosts():
    page = "https://cignaforhcp.cigna.com/"
    links = (LinkFacts("https://cignaforhcp.cigna.com/recover/password/", "Forgot password?", "form"),
             LinkFacts("https://reset-help.example.net/cigna", "Forgot user ID?", "form"),
             LinkFacts("https://facebook.com/cigna", "Follow us", "footer"))
    frame = login_frame(page, page + "login")
    frame = FrameFacts(**{**frame.__dict__, "links": links})
    result = check(snapshot(page, frames=(frame,)), CONFIG)
    off = [f for f in result.findings if f.code == "domain.recovery_off_list"]
    assert [f.evidence["host"] for f in off] == ["reset-help.example.net"]
    assert off[0].severity is Severity.FAIL


# --------------------------------------------------------------------------- impersonation by content


def _login(url, *, title="Sign in", heading="Sign in", text="", alts=(), user_label="User ID"):
    from dataclasses import replace

    from ..portal_pages import login_page

    page = login_page(heading, title=title, text=text, url=url, user_label=user_label)
    return replace(page, frames=(replace(page.frames[0], image_alts=tuple(alts)), *page.frames[1:]))


def impersonation(result):
    return next((f for f in result.findings if f.code == "domain.impersonates"), None)


def test_a_login_off_the_list_presenting_a_payers_name_impersonates_it():
    # Given logins on an unrelated host that call themselves Cigna's portals where readers look
    pages = {
        "title": _login("https://secure-portal-login.net/hcp", title="Log In | CignaforHCP"),
        "heading": _login("https://secure-portal-login.net/hcp", heading="Log in to myCigna"),
        "logo": _login("https://secure-portal-login.net/hcp", title="Provider login", alts=["Cigna Healthcare"]),
        "login form": _login("https://secure-portal-login.net/hcp", user_label="Cigna for Employers user ID"),
    }
    for where, page in pages.items():
        finding = impersonation(check(page, CONFIG))
        # Then each fails, naming where the name stands and where to go instead
        assert finding is not None and finding.severity is Severity.FAIL, where
        assert finding.evidence["presented"][0]["where"] == where
        assert finding.evidence["payer"] == "Cigna" and finding.evidence["host"] == "secure-portal-login.net"
    finding = impersonation(check(pages["login form"], CONFIG))
    assert finding.evidence["portal"] == "Cigna for Employers"
    assert finding.evidence["official_host"] == "cignaforemployers.cigna.com"
    assert "do not sign in there" in finding.message


def test_an_alias_from_the_allowlist_is_a_name_too():
    # "Evernorth" is an alias of the packaged "Evernorth Behavioral Health (providers)" portal
    finding = impersonation(check(_login("https://login-evernorth.com/", title="Evernorth | Sign In"), CONFIG))
    assert finding is not None and finding.evidence["presented"][0]["name"] == "Evernorth"
    assert finding.evidence["official_host"] == "provider.evernorth.com"


def test_mentioning_a_payer_is_not_presenting_it():
    pages = [
        # a clinic's patient portal that accepts Cigna
        _login("https://portal.brightwaterclinic.com/", title="Patient Portal | Brightwater Clinic",
               text="We accept Cigna, Aetna and Humana. Bring your Cigna ID card."),
        # a news story about Cigna with a subscriber sign-in, and a photo caption
        _login("https://www.healthbiznews.com/cigna", title="Cigna reports third-quarter earnings | HealthBiz News",
               heading="Subscriber sign in", alts=["Cigna headquarters in Bloomfield, Connecticut"]),
        # a comparison site's heading
        _login("https://www.planpicker.com/", heading="Compare Cigna vs Aetna dental plans"),
    ]
    assert [impersonation(check(p, CONFIG)) for p in pages] == [None, None, None]


def test_official_and_same_organization_hosts_and_pages_without_a_login_are_not_impersonating():
    official = _login("https://cignaforhcp.cigna.com/", title="Log In | CignaforHCP")
    same_org = _login("https://login.cigna.com/", title="Log In | CignaforHCP")
    no_login = snapshot("https://www.oakfamilyclinic.com/", frames=(FrameFacts(
        url="https://www.oakfamilyclinic.com/", title="Cigna", headings=("Cigna",)),))
    assert [impersonation(check(p, CONFIG)) for p in (official, same_org, no_login)] == [None, None, None]


def test_a_portal_name_followed_by_its_audience_presents_it_but_a_name_inside_a_sentence_does_not():
    # Given headings that open with the payer's name and say whom the portal serves
    for heading in ("Cigna for Health Care Professionals", "Cigna Broker Services"):
        finding = impersonation(check(_login("https://remit-center.example.net/", heading=heading), CONFIG))
        assert finding is not None and finding.evidence["presented"][0]["where"] == "heading", heading
    # But the name in the middle of a comparison heading with the same audience words names nobody
    compare = _login("https://www.planpicker.example/", heading="Compare Cigna plans for employers")
    assert impersonation(check(compare, CONFIG)) is None


def test_a_copyright_notice_naming_the_payer_claims_the_login_and_another_owner_does_not():
    from ..portal_pages import login_page

    # Given a copied login whose only brand is the footer's copyright line
    cloned = login_page("Health care professional login", title="Secure Login", url="https://verify-remit.example.org/",
                        text="Please confirm your banking details.\n(c) 2025-2026 Cigna. All rights reserved.")
    finding = impersonation(check(cloned, CONFIG))
    assert finding is not None and finding.evidence["presented"][0] == {
        "where": "copyright notice", "text": "Cigna", "name": "Cigna", "payer": "Cigna", "portal": "CignaforHCP"}
    # A news site's own notice, in a page that reports on the payer, claims the page for the news site
    news = login_page("Subscriber sign in", title="Insurers this week", url="https://healthbiz.example.com/",
                      text="Cigna and Aetna raised premiums.\n© 2026 HealthBiz News, covering Cigna since 1999.")
    assert impersonation(check(news, CONFIG)) is None


def test_a_masthead_line_without_a_heading_element_presents_the_name():
    from ..portal_pages import login_page

    # Given a banner rendered in a custom element: text, not a heading, opens the page
    page = login_page("Provider sign on", title="Provider Sign On", url="https://credentialing.example.com/",
                      text="Evernorth Behavioral Health\nProvider sign on\nUpload your license.")
    finding = impersonation(check(page, CONFIG))
    assert finding is not None and finding.evidence["presented"][0]["where"] == "masthead"
    # A first line that is a sentence about the network is a mention
    told = login_page("Patient sign in", title="Clinic", url="https://clinic.example.com/",
                      text="Evernorth Behavioral Health is one of the networks our therapists accept\nSign in")
    assert impersonation(check(told, CONFIG)) is None


def test_an_identifier_first_login_without_a_password_or_email_box_is_judged_too():
    from ..portal_pages import box, button, form, frame, page

    # Given an employer clone: a plain text box named "login" and a Next button in a same-origin frame
    top = frame(url="https://employer-access.example.net/", title="Employer Portal")
    inner = frame(url="https://employer-access.example.net/frame/login.html", title="Sign in",
                  headings=("Cigna for Employers",), forms=[form("Cigna for Employers")],
                  inputs=[box("Work email or username", name="login")], buttons=[button("Next")])
    snap = page(top, inner, url="https://employer-access.example.net/")
    assert not any(f.has_login_fields for f in snap.frames)
    finding = impersonation(check(snap, CONFIG))
    assert finding is not None and finding.evidence["portal"] == "Cigna for Employers"


def test_brand_words_around_a_name_still_present_it_but_news_words_do_not():
    from ..portal_pages import login_page

    # Given mastheads, headings and banners built of the name, brand words and whom they serve
    shown = [
        login_page("Sign in to review your claim", title="Member Sign In", url="https://claims-review.example.net/",
                   text="CIGNA HEALTHCARE · MEMBER SERVICES · SECURE ACCESS\nSign in to review your claim"),
        login_page("Cigna® Broker Commission Center", title="Commission Statements",
                   url="https://commission-center.example.net/"),
        _login("https://eft-update.example.net/", title="Payment notice", heading="Provider sign in",
               alts=["Cigna Healthcare for health care professionals"]),
    ]
    for page in shown:
        assert impersonation(check(page, CONFIG)) is not None, page.frames[0].title
    # A blog's heading about the payer, with a reader login, presents nothing
    blog = login_page("Cigna member news and updates", title="Benefits Blog", url="https://benefitsblog.example.com/")
    assert impersonation(check(blog, CONFIG)) is None


def test_a_login_form_that_asks_for_a_portals_credentials_by_name_presents_the_portal():
    from ..portal_pages import box, button, form, frame, page

    def one_form(text):
        return page(frame(url="https://docs-review.example.net/", title="Secure Document Review",
                          headings=("A document has been shared with your office",),
                          forms=[form("A document has been shared with your office", text=text)],
                          inputs=[box("User ID", autocomplete="username")], buttons=[button("Next")]),
                    url="https://docs-review.example.net/")

    finding = impersonation(check(one_form("Enter the user ID you use for CignaforHCP. User ID Next"), CONFIG))
    assert finding is not None and finding.evidence["portal"] == "CignaforHCP"
    # A payer's name in a form's text is a mention: a clinic's patient login "for Cigna members too"
    assert impersonation(check(one_form("Patients with Cigna plans can sign in here too. User ID Next"), CONFIG)) is None


def test_a_login_heading_in_portuguese_or_french_that_names_the_portal_presents_it():
    for heading in ("Acesse sua conta myCigna", "Connectez-vous à votre espace myCigna"):
        finding = impersonation(check(_login("https://conta-segura.example.com/", heading=heading), CONFIG))
        assert finding is not None and finding.evidence["presented"][0]["where"] == "heading", heading


# --------------------------------------------------------------------------- names as a person reads them


def test_a_name_spelled_with_lookalike_letters_or_hidden_joiners_is_the_name():
    # "Cіgna" with a Cyrillic і, and "myCi\u200dgna" with a zero-width joiner, read as Cigna's names
    for heading in ("Willkommen bei C\u0456gna", "Log in to myCi\u200dgna"):
        finding = impersonation(check(_login("https://mitglieder-konto.example.de/", heading=heading), CONFIG))
        assert finding is not None, heading
    # while a plain word that only resembles it is no name at all
    assert impersonation(check(_login("https://portal.signalhealth.example/", heading="Welcome to Signa"),
                               CONFIG)) is None


def test_a_wordmark_split_into_letters_is_read_as_one_word():
    from dataclasses import replace

    page = _login("https://premium-autopay.example.com/billing", title="Payment unsuccessful",
                  heading="Sign in to update billing")
    split = replace(page, frames=(replace(page.frames[0], text="my\nCi\ngna\nIndividual & Family Plans\nSign in"),))
    assert impersonation(check(split, CONFIG)) is not None
    # a menu of short items is not a word: "My" / "Go" / "FAQ"
    menu = replace(page, frames=(replace(page.frames[0], text="My\nGo\nFAQ\nSign in to update billing"),))
    assert impersonation(check(menu, CONFIG)) is None


def test_the_site_name_in_the_head_presents_the_page():
    from dataclasses import replace

    page = _login("https://member-eob-statements.example.net/", title="Sign In")
    named = replace(page, frames=(replace(page.frames[0], site_names=("myCigna",)),))
    finding = impersonation(check(named, CONFIG))
    assert finding is not None and finding.evidence["presented"][0]["where"] == "site name"
    # a site name that tells a story is not a name
    story = replace(page, frames=(replace(page.frames[0], site_names=("Health News Daily on Cigna and Aetna",)),))
    assert impersonation(check(story, CONFIG)) is None


def test_a_careers_site_naming_the_payer_does_not_pose_as_its_portal():
    page = _login("https://thecignagroup.hireloop.example.com/", title="Careers at The Cigna Group | Candidate login",
                  heading="Candidate sign in", user_label="Email")
    assert impersonation(check(page, CONFIG)) is None
    # the same login calling itself the payer's portal does
    assert impersonation(check(_login("https://thecignagroup.hireloop.example.com/", title="myCigna | Sign in"),
                               CONFIG)) is not None


def test_a_row_of_accepted_plans_logos_names_partners_not_the_site():
    strip = ["Copperline Urgent Care", "Aetna", "Blue Cross Blue Shield", "Cigna Healthcare", "UnitedHealthcare"]
    page = _login("https://www.copperlineurgent.example.com/patient-portal", title="Patient Portal", alts=strip)
    assert impersonation(check(page, CONFIG)) is None
    # one logo is the site's own
    assert impersonation(check(_login("https://claims-review.example.net/", alts=["Cigna Healthcare"]), CONFIG))


def test_a_sign_in_hand_off_link_naming_the_portal_presents_it():
    from dataclasses import replace

    from ..portal_pages import frame, link, page

    chooser = page(frame(url="https://login.benefitpass-id.example.com/authorize", title="Choose how to sign in",
                         headings=("Claim your wellness reward",),
                         links=[link("Sign in with myCigna", "https://login.benefitpass-id.example.com/oauth/cigna"),
                                link("Sign in with Google", "https://accounts.google.com/o/oauth2/auth")]))
    assert impersonation(check(chooser, CONFIG)) is not None
    plain = replace(chooser, frames=(replace(chooser.frames[0], links=chooser.frames[0].links[1:]),))
    assert impersonation(check(plain, CONFIG)) is None


def test_a_heading_welcoming_to_your_account_at_the_payer_presents_it():
    page = _login("https://reembolso-asistencia.example.com/es", title="Área de asegurados – Iniciar sesión",
                  heading="Bienvenido a su cuenta de Cigna Global")
    assert impersonation(check(page, CONFIG)) is not None


def test_letters_a_reader_takes_for_others_still_spell_the_name():
    for title in ("ClgnaforHCP - Log In", "myC1gna | Sign in"):
        assert impersonation(check(_login("https://claimpay-hold.example.net/", title=title), CONFIG)), title


def test_a_page_about_the_payer_does_not_pose_as_it():
    for heading in ("Cigna Healthcare Reviews", "Cigna vs Aetna"):
        page = _login("https://www.insurerverdict.example.com/reviews/cigna", title="Reviewer sign in", heading=heading)
        assert impersonation(check(page, CONFIG)) is None, heading
    # a clone's heading is no topic
    assert impersonation(check(_login("https://claims-review.example.net/", heading="Cigna Healthcare Sign In"),
                               CONFIG)) is not None


def test_a_question_or_a_benefits_tile_naming_the_payer_is_a_mention():
    for heading in ("Cigna claim denied?", "Medical — Cigna", "EAP — Evernorth"):
        page = _login("https://mybenefits.ostrow.example.com/", title="Ostrow Benefits Hub", heading=heading)
        assert impersonation(check(page, CONFIG)) is None, heading
    # a clone's heading with a separator still presents the portal
    for heading in ("Cigna Healthcare | Employer Services", "Member sign in - myCigna"):
        assert impersonation(check(_login("https://group-renewal.example.com/", heading=heading), CONFIG)), heading


def test_a_lure_word_in_the_phishing_host_is_no_page_purpose():
    # "rewards" in the host would make a loyalty page of it; the host is the attacker's choice
    page = _login("https://mycigna-rewards-claim.example.com/login", title="Claim your wellness reward",
                  alts=["myCigna"])
    assert impersonation(check(page, CONFIG)) is not None
    # the page saying it is a rewards programme's is one (and names the payer only as a partner)
    shop = _login("https://rewards.hollisdrug.example.com/", title="Hollis Rewards | Sign in",
                  heading="Members earn more", text="Cigna members earn double points.")
    assert impersonation(check(shop, CONFIG)) is None
