"""Login-form detection and anatomy on built snapshots (the corpus test covers real captures)."""

import pytest

from preflight.checks.portal.formfields import classify_field
from preflight.checks.portal.loginform import find_login_form
from preflight.checks.portal.vocabulary import load_vocabulary
from preflight.model.snapshot import FrameFacts, InputFacts

from .portal_pages import (
    PORTAL,
    box,
    button,
    form,
    frame,
    link,
    login_page,
    page,
    password,
)

VOCAB = load_vocabulary()


def detect(snapshot):
    return find_login_form(snapshot, VOCAB)


# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize("control, kind, takes_email", [
    (InputFacts(label="User ID"), "username", False),
    (InputFacts(label="Username or email"), "username", True),
    (InputFacts(type="email", label="Email address"), "email", True),
    (InputFacts(label="Member ID or username"), "member-id", False),
    (InputFacts(label="NPI", inputmode="numeric"), "npi", False),
    (InputFacts(label="Tax ID (TIN)"), "tin", False),
    (InputFacts(name="j_username"), "username", False),
    (InputFacts(name="loginfmt", autocomplete="username"), "username", False),
    (InputFacts(label="Número de miembro"), "member-id", False),
    (InputFacts(label="Correo electrónico"), "email", True),
    (InputFacts(label="Date of birth", type="date"), "date-of-birth", False),
    (InputFacts(label="Verification code", autocomplete="one-time-code"), "one-time-code", False),
    (InputFacts(label="Search", type="search"), "search", False),
    (InputFacts(label="Card number", autocomplete="cc-number"), "card", False),
    (InputFacts(label="Library card number", inputmode="numeric"), "username", False),
    (InputFacts(label="Member ID card number"), "member-id", False),
    (InputFacts(label="First name", autocomplete="given-name"), "name", False),
    (InputFacts(type="tel", label="Phone number"), "phone", False),
    (InputFacts(type="checkbox", label="Keep me signed in"), "remember-me", False),
    (InputFacts(type="checkbox", label="Recordarme"), "remember-me", False),
    (InputFacts(type="checkbox", label="Save my agent ID"), "remember-me", False),
    (InputFacts(type="checkbox", label="Angemeldet bleiben"), "remember-me", False),
    (InputFacts(label="CPF ou CNPJ", inputmode="numeric"), "tin", False),
    (InputFacts(label="Provider ID"), "username", False),
    (InputFacts(type="password", label="Confirm password"), "password", False),
])
def test_what_a_control_asks_for(control, kind, takes_email):
    described = classify_field(control, VOCAB)
    assert (described.kind, described.takes_email) == (kind, takes_email)


def test_hidden_and_button_inputs_are_not_fields():
    assert classify_field(InputFacts(type="hidden", name="csrf"), VOCAB) is None
    assert classify_field(InputFacts(type="submit", name="go"), VOCAB) is None


def test_password_roles():
    assert classify_field(InputFacts(type="password", autocomplete="new-password"), VOCAB).password_role == "new"
    assert classify_field(InputFacts(type="password", label="Current password"), VOCAB).password_role == "current"
    assert classify_field(InputFacts(type="password", label="Re-enter password"), VOCAB).password_role == "confirm"


# --------------------------------------------------------------------------- kinds


def test_user_name_and_password_form():
    found = detect(login_page(links=[link("Forgot user ID?", "https://portal.example-health.com/forgot-id"),
                                     link("Forgot password?", "https://reset.example-id.net/pw")],
                              extra=[box("Remember me", "checkbox")]))
    assert found.kind == "password"
    assert (found.username_kind, found.takes_email, found.remember_me) == ("username", False, True)
    assert [(r.text, r.host, r.offsite) for r in found.recovery_links] == [
        ("Forgot user ID?", "portal.example-health.com", False), ("Forgot password?", "reset.example-id.net", True)]
    assert [f.kind for f in found.fields] == ["username", "password", "remember-me"]


def test_other_fields_and_one_time_code_are_anatomy():
    found = detect(login_page(extra=[box("Tax ID"), box("Verification code", autocomplete="one-time-code")]))
    assert found.kind == "password"
    assert {"tin", "one-time-code"} <= {f.kind for f in found.fields}
    assert found.mfa is True


def test_email_login_takes_an_email():
    found = detect(login_page(user_label="Email", user_type="email"))
    assert (found.kind, found.username_kind, found.takes_email) == ("password", "email", True)


def test_npi_login():
    assert detect(login_page(user_label="NPI")).username_kind == "npi"


def test_identifier_first_with_a_hidden_password_box():
    # Given an email box and Next; the password box of the next step is in the DOM but hidden
    snapshot = page(frame(title="Sign in", headings=["Sign in"], forms=[form("Sign in")],
                          inputs=[box("Email", "email", autocomplete="username"), password(visible=False)],
                          buttons=[button("Next")]))
    found = detect(snapshot)
    assert (found.kind, found.username_kind) == ("identifier-first", "email")


def test_formless_identifier_first_in_spanish():
    snapshot = page(frame(title="Acceso", headings=["Inicie sesión"], forms=[],
                          inputs=[box("Correo electrónico", "email", form=None, heading="Inicie sesión")],
                          buttons=[button("Continuar", form=None, type="button")]))
    assert detect(snapshot).kind == "identifier-first"


@pytest.mark.parametrize("heading, user_label, next_label", [
    ("Agent Portal", "Agent ID", "Next"),
    ("Portal do Prestador", "CPF/CNPJ", "Continuar"),
    ("Portail des professionnels", "Numéro SIRET", "Suivant"),
    ("Portal für Leistungserbringer", "Benutzerkennung", "Weiter"),
    ("Portale strutture sanitarie", "Codice fiscale", "Avanti"),
    ("Broker portal", "Provider ID", "Continue"),
])
def test_identifier_first_on_a_page_that_names_itself_a_portal(heading, user_label, next_label):
    # No sign-in word anywhere: a lone identifier box whose <input type=submit value=...> says
    # Next, on a page whose heading names a portal, is the first step of that portal's sign-in.
    snapshot = page(frame(url="https://portal.example-health.com/", title="Acme Health", headings=[heading],
                          forms=[form(heading)], inputs=[box(user_label), box(type="submit", has_value=True)],
                          buttons=[button(next_label, type="submit")]))
    found = detect(snapshot)
    assert found.kind == "identifier-first", found.reasons
    assert any("portal page" in reason for reason in found.reasons)


def test_a_remember_my_id_box_makes_a_lone_identifier_a_sign_in_step():
    snapshot = page(frame(url="https://acme.example-health.com/", title="Acme Health", headings=["Welcome"],
                          forms=[form("Welcome")],
                          inputs=[box("Provider ID"), box("Save my provider ID", "checkbox")],
                          buttons=[button("Continue")]))
    found = detect(snapshot)
    assert (found.kind, found.remember_me) == ("identifier-first", True)


@pytest.mark.parametrize("heading, label, type_, next_label", [
    ("Stay informed about the portal", "Email", "email", "Continue"),  # newsletter box on a portal page
    ("Find a doctor in the portal", "ZIP code", "text", "Next"),  # a lookup, not an identifier
    ("Checkout", "Email", "email", "Continue"),  # guest checkout on a shop: no portal, no remember box
])
def test_a_lone_box_with_next_is_not_a_sign_in_step_by_itself(heading, label, type_, next_label):
    snapshot = page(frame(url="https://shop.example.com/", title="Example", headings=[heading], forms=[form(heading)],
                          inputs=[box(label, type_)], buttons=[button(next_label)]))
    assert detect(snapshot).kind == "none"


def test_password_only_second_step():
    snapshot = page(frame(title="Enter your password", headings=["Enter your password"], forms=[form("Enter your password")],
                          inputs=[box("User ID", visible=False, has_value=True), password(autocomplete="current-password")],
                          buttons=[button("Sign in")]))
    assert detect(snapshot).kind == "password-only"


def test_formless_react_login_counts():
    snapshot = page(frame(title="Portal", headings=["Log in"], forms=[],
                          inputs=[box("User ID", form=None, heading="Log in"), password(form=None, heading="Log in")],
                          buttons=[button("Log in", form=None, type="button")]))
    found = detect(snapshot)
    assert (found.kind, found.form_index) == ("password", None)


def test_login_in_a_cross_origin_frame_and_in_shadow_dom():
    outer = frame(title="Provider sign in", headings=["Provider sign in"], text="Provider sign in")
    inner = frame(url="https://login.example-id.net/widget", cross_origin=True, forms=[form("Sign in")],
                  inputs=[box("Username", in_shadow=True), password(in_shadow=True)], buttons=[button("Sign in")])
    found = detect(page(outer, inner))
    assert (found.kind, found.frame_index, found.cross_origin, found.in_shadow) == ("password", 1, True, True)


def test_sso_only_sign_in_page():
    snapshot = page(frame(title="Provider portal", headings=["Acme Provider Portal"],
                          buttons=[button("Sign in with Acme ID", form=None, type="button")],
                          links=[link("Privacy", "https://acme.example/privacy", "footer")]))
    found = detect(snapshot)
    assert found.kind == "sso" and found.buttons == ("Sign in with Acme ID",)


def test_sso_link_to_a_sign_in_endpoint_on_a_log_in_page():
    snapshot = page(frame(title="Log in | Acme Health", headings=["Welcome"],
                          links=[link("Log in", "https://id.acme.example/oauth2/authorize?client=x", "main")]))
    assert detect(snapshot).kind == "sso"


@pytest.mark.parametrize("heading, text", [
    ("Mon espace personnel", "Se connecter avec FranceConnect"),
    ("Mein Versichertenbereich", "Anmelden mit der BundID"),
    ("Minha área", "Entrar com gov.br"),
    ("Area personale", "Accedi con SPID"),
    ("Mi espacio", "Continuar con Google"),
])
def test_sign_in_service_links_in_other_languages(heading, text):
    # The page never says "sign in" in its title or headings: the named hand-off alone does.
    snapshot = page(frame(url="https://espace.example-sante.eu/", title=heading, headings=[heading],
                          links=[link(text, "https://id.example-sante.eu/oidc/authorize?client=web", "main")]))
    found = detect(snapshot)
    assert (found.kind, found.buttons) == ("sso", (text,))


def test_a_continue_with_link_to_an_article_is_no_hand_off():
    snapshot = page(frame(url="https://blog.example.fr/", title="Le blog", headings=["Nos conseils"],
                          links=[link("Continuer avec la lecture", "https://blog.example.fr/articles/2", "main")]))
    assert detect(snapshot).kind == "none"


def test_sso_page_keeps_its_footer_newsletter_box():
    snapshot = page(frame(title="Log in | Acme", headings=["Log in"], forms=[form("Stay informed", region="footer")],
                          inputs=[box("Email", "email", region="footer")], buttons=[button("Subscribe")],
                          links=[link("Log in", "https://id.acme.example/saml/login", "main")]))
    assert detect(snapshot).kind == "sso"


def test_a_library_card_and_pin_is_a_login():
    snapshot = login_page("Sign in to your account", user_label="Library card number", title="My Account")
    assert detect(snapshot).kind == "password"


def test_a_page_linking_to_several_logins_is_no_sso_hand_off():
    # A payer home page with a "Sign in or register" tile: one login per audience, no hand-off.
    tiles = [link("Members: sign in", "https://member.acme.example/signin", "main"),
             link("Providers: Provider Portal", "https://provider.acme.example/login", "main"),
             link("Employers: Employer portal", "https://employer.acme.example/login", "main")]
    snapshot = page(frame(title="Acme Health | Health plans", headings=["Coverage that works", "Sign in or register"],
                          links=tiles))
    assert detect(snapshot).kind == "none"
    # ... while a sign-in page with a hand-off and a cross-link to one other login still hands off.
    snapshot = page(frame(title="Provider sign in | Acme Health", headings=["Provider sign in"],
                          links=tiles[1:2] + [link("Log in", "https://id.acme.example/saml/login", "main")]))
    assert detect(snapshot).kind == "sso"


def test_a_header_sign_in_button_is_not_a_login():
    snapshot = page(frame(title="Acme Health | Home", headings=["Care that fits your life"],
                          buttons=[button("Sign in", form=None, type="button", region="header")]))
    assert detect(snapshot).kind == "none"


def test_search_result_links_are_not_a_hand_off():
    snapshot = page(frame(title="health plan login - Search", headings=["Results"],
                          inputs=[box("Search", "search", form=None, has_value=True)],
                          links=[link("Login | Acme", "https://acme.example/login", "main")]))
    assert detect(snapshot).kind == "none"


# --------------------------------------------------------------------------- not logins


def not_a_login(snapshot):
    found = detect(snapshot)
    assert found.kind == "none", found.reasons
    return found


def test_two_password_boxes_are_a_sign_up():
    found = not_a_login(login_page("Create your account", title="Register",
                                   extra=[password("Confirm password")]))
    assert "two password boxes" in found.rejected[0]


def test_sign_up_with_one_new_password_and_names():
    snapshot = page(frame(title="Create account", headings=["Create your account"], forms=[form("Create your account")],
                          inputs=[box("Full name", autocomplete="name"), box("Email", "email"),
                                  password(autocomplete="new-password")],
                          buttons=[button("Create account")]))
    not_a_login(snapshot)


def test_password_change_form():
    snapshot = page(frame(title="Change password", headings=["Change password"], forms=[form("Change password")],
                          inputs=[password("Current password"), password("New password"), password("Confirm new password")],
                          buttons=[button("Update password")]))
    assert "password-change" in not_a_login(snapshot).rejected[0]


def test_password_reset_asking_for_the_email():
    snapshot = page(frame(title="Forgot password", headings=["Reset your password"], forms=[form("Reset your password")],
                          inputs=[box("Email", "email")], buttons=[button("Continue")]))
    not_a_login(snapshot)


def test_newsletter_box():
    snapshot = page(frame(title="News", headings=["Stay in touch"], forms=[form("Stay in touch")],
                          inputs=[box("Email address", "email")], buttons=[button("Subscribe")]))
    not_a_login(snapshot)


def test_search_box_and_payment_form():
    not_a_login(page(frame(title="Search", forms=[form()], inputs=[box("Search", "search")], buttons=[button("Search")])))
    payment = page(frame(title="Checkout", forms=[form("Payment")],
                         inputs=[box("Card number", autocomplete="cc-number"), box("CVV", autocomplete="cc-csc"),
                                 password("PIN")], buttons=[button("Pay now")]))
    assert "payment" in not_a_login(payment).rejected[0]


def test_contact_form():
    snapshot = page(frame(title="Contact us", headings=["Contact us"], forms=[form("Contact us")],
                          inputs=[box("Name"), box("Email", "email"), box("Message", tag="textarea", type="textarea")],
                          buttons=[button("Send message")]))
    not_a_login(snapshot)


def test_hidden_honeypot_does_not_turn_a_login_into_a_sign_up():
    found = detect(login_page(extra=[password("Password again", visible=False), box("Website", visible=False)]))
    assert found.kind == "password"


def test_footer_newsletter_is_not_mixed_into_a_formless_login():
    snapshot = page(frame(title="Log in", headings=["Log in"], forms=[],
                          inputs=[box("Email", "email", form=None, heading="Log in"), password(form=None, heading="Log in"),
                                  box("Your email", "email", form=None, region="footer", heading="Newsletter")],
                          buttons=[button("Log in", form=None, type="button"),
                                   button("Subscribe", form=None, region="footer")]))
    found = detect(snapshot)
    assert found.kind == "password" and [f.label for f in found.fields] == ["Email", "Password"]


def test_login_wins_over_a_sign_up_form_on_the_same_page():
    snapshot = page(frame(title="Sign in or register", headings=["Returning customers", "New customers"],
                          forms=[form("Returning customers"), form("New customers")],
                          inputs=[box("Email", "email", form=0), password(form=0),
                                  box("Email", "email", form=1), password("Create password", form=1, autocomplete="new-password"),
                                  password("Confirm password", form=1)],
                          buttons=[button("Sign in", form=0), button("Create account", form=1)]))
    found = detect(snapshot)
    assert (found.kind, found.form_index) == ("password", 0)
    assert any("sign-up" in why for why in found.rejected)


def test_an_empty_page_has_no_login():
    found = detect(page(frame(title="Maintenance", headings=["We'll be back soon"])))
    assert found.kind == "none" and not found.found


def test_frames_that_failed_to_read_are_skipped():
    snapshot = page(frame(url=PORTAL), FrameFacts(url="https://ads.example/", error="detached"))
    assert detect(snapshot).kind == "none"


@pytest.mark.parametrize("heading, user_label, next_label", [
    ("Welcome", "Enter your CPF", "Continuar"),           # no sign-in word, no portal word
    ("Empresas afiliadas", "NIT de la empresa", "Siguiente"),
    ("Commission statements", "Writing number or email", "Continue"),
    ("Bienvenue", "Numéro SIRET", "Suivant"),
])
def test_an_account_number_box_before_a_next_step_is_a_sign_in_step_on_a_thin_page(heading, user_label, next_label):
    # Only an account holder has such a number: with Next it is the first step of a sign-in,
    # although the page names neither a sign-in nor a portal.
    snapshot = page(frame(url="https://plan.example-health.com/", title="Example Health", headings=[heading],
                          forms=[form(heading)], inputs=[box(user_label)], buttons=[button(next_label)]))
    found = detect(snapshot)
    assert found.kind == "identifier-first", found.reasons
    assert any("account-number box" in reason for reason in found.reasons)


def test_an_account_number_box_is_no_sign_in_when_the_form_says_otherwise():
    # The same box under a newsletter or a quote request is what that form says it is
    for heading in ("Subscribe to our newsletter", "Create your account"):
        snapshot = page(frame(url="https://plan.example-health.com/", title="Example Health", headings=[heading],
                              forms=[form(heading)], inputs=[box("Tax ID")], buttons=[button("Continue")]))
        assert detect(snapshot).kind == "none", heading


def test_german_sign_in_hand_offs_with_the_verb_last_are_sso():
    snapshot = page(frame(url="https://partner.example-kasse.de/", title="Partnerportal – Anmelden", headings=["Partnerportal"],
                          links=[link("Mit Institutionskarte (SMC-B) anmelden", "https://id.example-kasse.de/smcb"),
                                 link("Mit Ihrer Partner-ID einloggen", "https://id.example-kasse.de/")]))
    assert detect(snapshot).kind == "sso"


def test_a_card_number_with_a_password_is_an_account_cards_login():
    union = page(frame(title="Member Login - Ironworkers Local 12", headings=["Member Login"], forms=[form("Member Login")],
                       inputs=[box("Card number"), password()], buttons=[button("Log in")]))
    login = find_login_form(union, VOCAB)
    assert login.kind == "password" and login.username is not None and login.username.label == "Card number"
    # A gift card's balance check (card number and PIN) and a checkout stay no login
    gift = page(frame(title="Check your balance", forms=[form("Gift card balance")],
                      inputs=[box("Card number"), password("PIN")], buttons=[button("Check balance")]))
    assert "payment" in not_a_login(gift).rejected[0]
    checkout = page(frame(title="Checkout", forms=[form("Payment")],
                          inputs=[box("Card number", autocomplete="cc-number"), password("Password")],
                          buttons=[button("Pay now")]))
    assert "payment" in not_a_login(checkout).rejected[0]


def test_a_pin_typed_a_digit_per_box_is_one_password():
    from tests.portal_pages import button, form, frame, page, password

    boxes = [password(f"Dígito {n}", inputmode="numeric") for n in range(1, 7)]
    pin = page(frame(title="Entrar", headings=("Olá, Marta",), forms=[form("Introduza o seu código de acesso")],
                     inputs=boxes, buttons=[button("Entrar")]))
    assert find_login_form(pin, VOCAB).kind == "password-only"
    # two boxes are still a new and a confirmed password
    signup = page(frame(title="Create account", headings=("Create account",), forms=[form("Create account")],
                        inputs=[password("Password"), password("Confirm password")], buttons=[button("Sign up")]))
    assert find_login_form(signup, VOCAB).kind == "none"


def test_a_phone_box_that_says_log_in_is_an_identifier_first_login():
    from tests.portal_pages import box, button, form, frame, page

    phone = page(frame(url="https://app.parkwhistle.example/login/", title="ParkWhistle", headings=("Park. Pay.",),
                       forms=[form("Park. Pay.")], buttons=[button("Continue")],
                       inputs=[box("Log in or sign up with your phone number", "tel", autocomplete="tel")]))
    assert find_login_form(phone, VOCAB).kind == "identifier-first"
    # a text-alerts box is not a login
    alerts = page(frame(url="https://shop.example/", title="Shop", headings=("Get text alerts",),
                        forms=[form("Get text alerts")], buttons=[button("Continue")],
                        inputs=[box("Mobile number", "tel", autocomplete="tel")]))
    assert find_login_form(alerts, VOCAB).kind == "none"


def test_a_lone_user_name_box_with_continue_is_an_identifier_first_login():
    from tests.portal_pages import box, button, form, frame, page

    step = page(frame(url="https://policyholders.anvilcrest.example/", title="Anvilcrest Stop-Loss",
                      headings=("Policyholder Center",), forms=[form("Policyholder Center")],
                      inputs=[box("Username", name="username")], buttons=[button("Continue")]))
    assert find_login_form(step, VOCAB).kind == "identifier-first"
    # an e-mail box with Continue is a newsletter's or a checkout's as often
    email = page(frame(url="https://shop.example/", title="Shop", headings=("Stay in touch",),
                       forms=[form("Stay in touch")], inputs=[box("Email", "email")], buttons=[button("Continue")]))
    assert find_login_form(email, VOCAB).kind == "none"
