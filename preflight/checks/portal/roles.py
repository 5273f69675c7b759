"""Whose login is this: provider, member, employer, broker, or unknown (pure).

Why weighted positions rather than counting words: a payer's pages all share one site, so every
page names every audience somewhere: menus and footers list "Members | Providers | Employers",
provider pages talk about members' eligibility, member pages invite you to find a provider, and
both link to the other's login ("Are you a provider? Log in here"). What tells them apart is where
the words stand: the login form, its heading and the page title say what the page is, the body
text supports it, menus barely count, and a word in a cross-link sentence counts against its role.

Why a health-care gate: shops, banks, gyms and webmail have "members" and "providers" too. Unless
the page has health-care words, the answer is ``unknown`` however many role words it has. Employer
and broker pages speak of plan sponsors, groups, enrollment, premiums and commissions rather than
of care: health-benefits words open the gate, any insurer's words only add to it (a car insurer's
agents have commissions too), unless the site's own name says health care.

Every weight and word comes from ``data/vocabulary.toml``; the evidence is kept as plain sentences
("heading 'Health Care Professionals'", "field labelled 'Tax ID'", "path /hcp/") for a help desk.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from preflight.checks.portal.loginform import LoginForm, login_chooser
from preflight.checks.portal.vocabulary import (
    INSURANCE,
    NEUTRAL,
    NOT_HEALTH,
    ROLE_NAMES,
    Hit,
    Lexicon,
    UrlWords,
    Vocabulary,
    normalize,
    url_tokens,
)
from preflight.model.snapshot import FrameFacts, PageSnapshot
from preflight.rules.hosts import host_of, url_path

UNKNOWN = "unknown"

_CROSS_LINK_WINDOW = 40

"""Characters (about six words) after a cue such as "are you a" in which a role word is a cross-link."""

_EVIDENCE_SHOWN = 6

@dataclass(frozen=True)
class Clue:
    """One piece of evidence: a word at a place, worth some points for a role (or health care)."""

    role: str
    points: float
    where: str
    """Readable: "heading 'Health Care Professionals'", "page text mentions 'prior authorization'"."""
    term: str
    tier: float = 0.0
    """The word's own weight (its tier) before the position multiplier; 0 for host names and
    paths, and the weak tier for portal names ("MyChart"), so that neither anchors a role."""
    zone: str = "main"
    """``title``, ``heading``, ``form``, ``url``, ``main``, ``nav``, ``link`` or ``cross_link``."""

@dataclass(frozen=True)
class RoleVerdict:
    """The role of a page, how sure, and why."""

    role: str
    """``provider``, ``member``, ``employer``, ``broker`` or ``unknown``."""
    confidence: float
    """In [0, 1]: grows with the winner's evidence and its lead over the runner-up. For
    ``unknown``: how sure the page is none of the roles (1.0 for a page without health-care or
    role words; 0.5 when two roles are too close to call)."""
    scores: Mapping[str, float]
    """Evidence points per role, after weighing positions."""
    health_context: float
    """Health-care evidence points; below ``decision.min_health`` no role is assigned."""
    evidence: tuple[str, ...]
    """Strongest clues for the answer (for ``unknown``: why, then the best candidate's clues)."""
    counter_evidence: tuple[str, ...] = ()
    """Strongest clues for other roles, cross-links included."""

def classify_role(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary,
                  payer_names: Sequence[str] = ()) -> RoleVerdict:
    """Classify ``snapshot`` using the login form found on it (its words weigh most).

    ``payer_names``: allowlisted health payers the page names in its title, headings or logo;
    each is health-care context of the strong tier (the allowlist lists only health plans)."""
    role_clues = collect_clues(snapshot, login, vocab, vocab.roles, vocab.role_urls, vocab.zones, roles=True)
    health_clues = collect_clues(snapshot, login, vocab, vocab.health, vocab.health_urls,
                                 vocab.health_zones, roles=False)
    strong = vocab.tiers["strong"]
    health_clues += [Clue("health", strong, f"names the allowlisted payer '{name}'", name, strong, "title")
                     for name in payer_names]
    role_clues = resolve_senses(role_clues, vocab)
    label, purpose = _purpose(snapshot, login, vocab) or ("", None)
    if purpose:
        # "Physicians" on a careers login are applicants; only strong words keep their weight.
        # The purpose's own audience ("Member login" at a medical society) counts for nothing.
        factor = vocab.decision["off_purpose"]
        shared = vocab.purpose_audiences.get(label, ())
        role_clues = [replace(c, points=0.0) if c.role in shared
                      else c if c.tier >= vocab.tiers["strong"] else replace(c, points=c.points * factor)
                      for c in role_clues]
    verdict = _without_login(snapshot, login, decide(role_clues, health_clues, vocab), vocab)
    if purpose and label in vocab.foreign_purposes and verdict.role != UNKNOWN:
        # The page is for something else that is never a plan's (a vendor's demo page or sign-in,
        # a medical society's member login, a pharmacy's rewards): whoever it addresses, it is
        # nobody's portal.
        verdict = _unknown(verdict, f"{purpose}: not a health plan's portal")
    elif purpose and verdict.role == UNKNOWN:
        verdict = replace(verdict, evidence=(f"{purpose}: its role words weigh less", *verdict.evidence))
    return verdict

def resolve_senses(role_clues: list[Clue], vocab: Vocabulary) -> list[Clue]:
    """Bare words of two meanings take the role of the longer phrase the page uses: on a page for
    "home health agencies", "Agency sign in" is a provider's, not an insurance agency's. Only a
    phrase that counts for its role (not in a menu, a link or a cross-link) settles the sense,
    and only when the page's phrases agree on one role."""
    for sense in vocab.senses:
        meant = {c.role for c in role_clues
                 if c.term in sense.phrases and c.points > 0 and c.zone not in ("nav", "url")}
        if len(meant) != 1:
            continue
        role = meant.pop()
        role_clues = [replace(c, role=role) if c.term in sense.words and c.role != role else c
                      for c in role_clues]
    return role_clues

def _without_login(snapshot: PageSnapshot, login: LoginForm, verdict: RoleVerdict, vocab: Vocabulary) -> RoleVerdict:
    if login.found or verdict.role == UNKNOWN:
        return verdict
    # Without a login form only a clear answer is given: an article full of payer words leans
    # weakly, and a home page that links to several audiences' logins is everyone's.
    if login_chooser(snapshot.main_frame, vocab):
        return _unknown(verdict, "no login form, and the page links to the logins of several audiences")
    if verdict.confidence < vocab.decision["min_confident"]:
        return _unknown(verdict, f"no login form, and the page leans only weakly to {verdict.role} "
                                 f"(confidence {verdict.confidence:.2f})")
    if not _speaks_of_accounts(snapshot, login, vocab):
        # A consultant's or a magazine's page addresses employers too; a portal's landing,
        # sign-up, reset or maintenance page says how to get in (or that it is down).
        return _unknown(verdict, "no login form, and nothing on the page leads to a login, a sign-up "
                                 "or an account")
    # No login, but the page says whose site it is (a provider landing, sign-up or maintenance
    # page): that audience is its role, and the help desk learns where its login is from the
    # portal.login_elsewhere finding.
    return replace(verdict, evidence=("no login form: the page itself addresses "
                                      f"{verdict.role}s", *verdict.evidence))

_ACCOUNT_WORDS = ("login", "portal", "signup", "reset", "recovery", "sso", "maintenance")

def _speaks_of_accounts(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary) -> bool:
    """Is a page without a login form part of a portal at all: a link or button that signs in,
    opens a portal, signs up or recovers an account, a title or heading saying so (or that the
    portal is down), a sign-up, reset or recovery form, or an address naming an audience
    (provider.example.com, /employers/, /login)? A newsletter box is not an account: a consultant's
    marketing page addresses employers too."""
    frame = snapshot.main_frame
    controls = [link.text for link in frame.links] + [button.text for button in frame.buttons]
    if any(text.strip() and len(text) <= 80 and any(vocab.intent(i, text) for i in _ACCOUNT_WORDS)
           for text in controls):
        return True
    if any(text and vocab.intent(i, text) for text in (frame.title, *frame.headings) for i in _ACCOUNT_WORDS):
        return True
    if any(not why.startswith(("newsletter", "search", "message", "payment", "contact")) for why in login.rejected):
        return True
    # a portal's own address: provider.example.com/status, example.org/medical-providers/, /login
    tokens = url_tokens(snapshot.final_url or frame.url)
    return bool(vocab.role_urls.hits(tokens) or vocab.endpoints.hits(tokens))

def page_purpose(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary) -> str | None:
    """"a careers page (page title '... Careers')" when the page's title, first heading (outside
    menus), login form heading or address says it is for something other than a portal."""
    found = _purpose(snapshot, login, vocab)
    return found[1] if found else None

def page_purpose_label(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary,
                       address: bool = True) -> str | None:
    """The purpose's name (``careers``, ``vendor`` ...), or ``None`` for a page with none.
    ``address=False``: only what the page says, not its host and path (which whoever registered
    the host chose: "mycigna-rewards-claim.com")."""
    found = _purpose(snapshot, login, vocab, address)
    return found[0] if found else None

def _purpose(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary,
             address: bool = True) -> tuple[str, str] | None:
    """``(purpose, the sentence page_purpose gives)``: the purpose's name (``careers`` ...) as well."""
    frame = snapshot.main_frame
    nav = normalize(frame.nav_text)
    headings = [h for h in frame.headings if not (nav and normalize(h) in nav)][:1]
    places = [("page title", frame.title), *(("heading", h) for h in headings),
              ("login form heading", login.heading if login.found else "")]
    title = normalize(frame.title)
    for where, text in places:
        said = normalize(text)
        hit = next(iter(vocab.purposes.hits(said)), None)
        # "Student sign in" under the title "... Campus Health Plans" is a plan's login after all
        if hit is not None and not any(vocab.purpose_unless[hit.label].find(t) for t in (said, title)):
            return hit.label, f"a {hit.label} page ({where} '{_quote(text)}')"
    if not address:
        return None
    for token, _pattern, label, is_host in vocab.purpose_urls.hits(url_tokens(snapshot.final_url or frame.url)):
        return label, f"a {label} page ({'host' if is_host else 'path'} '{token}')"
    return None

def _unknown(verdict: RoleVerdict, why: str) -> RoleVerdict:
    return replace(verdict, role=UNKNOWN, confidence=0.5,
                   evidence=(why, *(f"{verdict.role}? {e}" for e in verdict.evidence[:4])))


def decide(role_clues: list[Clue], health_clues: list[Clue], vocab: Vocabulary) -> RoleVerdict:
    """Weigh the clues: no health-care context, too little evidence, or two roles too close to
    call all give ``unknown``; otherwise the best-scoring role, with a confidence."""
    decision = vocab.decision
    scores = {role: 0.0 for role in ROLE_NAMES}
    for clue in role_clues:
        if clue.role in scores:
            scores[clue.role] += clue.points
    scores = {role: round(max(0.0, score), 2) for role, score in scores.items()}
    care = sum(c.points for c in health_clues if c.role != NOT_HEALTH)
    elsewhere = [c for c in health_clues if c.role == NOT_HEALTH and c.points > 0]
    # Another business's words (a fitness club's title, a pet insurer's "vet") outweigh its
    # passing mentions of health care: "many health plans reimburse your dues".
    health = round(max(0.0, care - sum(c.points for c in elsewhere)), 2)
    specific = _specific_health_context([c for c in health_clues if c.role != NOT_HEALTH], vocab)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], ROLE_NAMES.index(item[0])))
    (best, top), (second, runner_up) = ranked[0], ranked[1]
    named_for_care = False
    if not specific and top > 0 and not elsewhere:
        specific = _plan_site([c for c in health_clues if c.role != NOT_HEALTH],
                              [c for c in role_clues if c.role == best], vocab)
        # "Practitioner sign in" on hollowayhealthfund.com.au: the site's name is all the
        # health-care context such a page has, and the strong role anchor says whose login it is.
        named_for_care = specific and _host_says_care(health_clues)
    candidate = 0.0
    if top > 0:
        candidate = (1 - runner_up / top) * (1 - math.exp(-top / decision["confidence_scale"]))
        candidate *= min(1.0, 0.5 + health / (4 * decision["min_health"]))
    why_not: str | None = None
    # For "unknown", confidence says how sure the page is none of the roles.
    unknown_confidence = 0.5
    titled = [c for c in elsewhere if c.zone == "title" and c.tier >= vocab.tiers["strong"]]
    if health == 0 and elsewhere and care > 0:
        why_not = f"the page reads as another kind of business ({_strongest(elsewhere, 1)[0]})"
    elif titled:
        # "Claims Center | Farwander Travel Insurance": the site names itself for another business,
        # whatever medical words its claims forms use.
        why_not = f"the page names itself as another kind of business ({_strongest(titled, 1)[0]})"
    elif health == 0:
        why_not = "no health-care words on the page"
    elif (health < decision["min_health"] and not named_for_care) or not specific:
        why_not = (f"no health-care context on the page (health-care evidence {health:g}"
                   + (f" < {decision['min_health']:g})" if specific else ", only generic words like 'health')"))
        unknown_confidence = 1 - 0.5 * min(1.0, health / decision["min_health"])
    elif top < decision["min_score"]:
        why_not = f"too little role evidence (best: {best} {top:g} < {decision['min_score']:g})"
        unknown_confidence = 1 - 0.5 * top / decision["min_score"]
    elif top < decision["margin"] * runner_up:
        why_not = f"{best} and {second} evidence are too close ({top:g} vs {runner_up:g})"
    elif not any(c.role == best and c.points > 0 and c.tier >= decision["anchor"] and c.zone not in ("nav", "url")
                 for c in role_clues):
        why_not = f"only weak or indirect {best} evidence (menus, host name, words such as 'refill')"
        unknown_confidence = 0.75
    chosen = UNKNOWN if why_not else best
    evidence = _strongest([c for c in role_clues if c.role == best and c.points > 0])
    counter = _strongest([c for c in role_clues if c.role != best and c.role in ROLE_NAMES and c.points > 0], 4)
    counter += _strongest([c for c in role_clues if c.points < 0], 3)
    if why_not:
        evidence = [why_not] + [f"{best}? {e}" for e in evidence[:4]]
        confidence = unknown_confidence
    else:
        confidence = candidate
    return RoleVerdict(chosen, round(min(1.0, max(0.0, confidence)), 2), scores, health, tuple(evidence),
                       tuple(counter))

def _specific_health_context(health_clues: list[Clue], vocab: Vocabulary) -> bool:
    """Is there more than "health" in passing? A health-care or health-benefits word of the strong
    or medium tier anywhere ("plan sponsor", "small group" count: employer and broker pages speak
    of plans, not of care), or a site that calls itself a health company in its host name and
    says so in its title, or speaks an insurer's language on it ("Pinnacle Ridge Health -
    Producer Center" on pinnacleridgehealth.com; quotes and commission statements on
    larkspurhealth.com). Any insurer's words alone are not enough: car insurers have agents too."""
    own = [c for c in health_clues if c.role != INSURANCE]
    if any(c.tier >= vocab.tiers["medium"] for c in own):
        return True
    return _host_says_care(own) and (_insurer_terms(health_clues) >= 2
                                     or any(c.zone == "title" and c.points > 0 for c in own))


def _host_says_care(health_clues: Iterable[Clue]) -> bool:
    """The site's host name holds a health-care word ("larkspurhealth.com")."""
    return any(c.role == "health" and c.zone == "url" and c.where.startswith("host ") for c in health_clues)


def _insurer_terms(health_clues: Iterable[Clue]) -> int:
    """How many different insurer's words ("premiums", "commissions") the page uses."""
    return len({c.term for c in health_clues if c.role == INSURANCE})


def _plan_site(health_clues: list[Clue], best_clues: list[Clue], vocab: Vocabulary) -> bool:
    """The generic-words gate once more, with the role in view: a site that names itself for
    health care in its host ("fenwoodhealth.com") and addresses one role in the strongest terms
    on the page ("Manage your group's coverage"), or a page that says "health" in its own words
    and speaks an insurer's language throughout ("small-group health quotes, carrier appointments,
    commission statements"). A car insurer's agents never say "health". Members are left out:
    "Member login" on a host named for health is a health club's or a credit union's as often as a
    plan's (a plan's member pages name the card, the claims or a doctor, which open the gate)."""
    if not best_clues or best_clues[0].role == "member":
        return False
    own = [c for c in health_clues if c.role != INSURANCE]
    anchored = any(c.points > 0 and c.tier >= vocab.tiers["strong"] and c.zone not in ("nav", "url")
                   for c in best_clues)
    # in the page's own sentences: "Pinnacle Ridge Health" in a title is a company name
    said = any(c.points > 0 and c.zone in ("main", "form", "heading") for c in own)
    return anchored and (_host_says_care(own) or (said and _insurer_terms(health_clues) >= 3))


def _strongest(clues: Iterable[Clue], limit: int = _EVIDENCE_SHOWN) -> list[str]:
    totals: dict[str, float] = defaultdict(float)
    for clue in clues:
        totals[clue.where] += clue.points
    ranked = sorted(totals.items(), key=lambda item: -abs(item[1]))
    return [where for where, _points in ranked[:limit]]

def collect_clues(snapshot: PageSnapshot, login: LoginForm, vocab: Vocabulary, lexicon: Lexicon,
                  urls: UrlWords, zones: Mapping[str, float], roles: bool) -> list[Clue]:
    """Every weighted clue of the page for ``lexicon`` (role words, or health-care words).

    ``roles``: apply the role-only corrections (cross-link sentences, words inside links).
    """
    tiers = vocab.tiers
    clues: list[Clue] = []
    login_frame = login.frame_index if login.found else 0
    brands = vocab.brands if roles else ()
    brand_tier = tiers["medium"]
    for index, frame in enumerate(snapshot.frames):
        if frame.error:
            continue
        own = index in (0, login_frame)
        factor = 1.0 if own else zones["other_frame"]
        prefix = "" if index == 0 else f"frame {host_of(frame.url) or frame.url[:40]}: "
        nav = normalize(frame.nav_text)
        if frame.title and own:
            clues += _short(lexicon, frame.title, zones["title"] * factor, f"{prefix}page title '{_quote(frame.title)}'",
                            "title", brands, brand_tier)
        for heading in dict.fromkeys(frame.headings):
            zone = "nav" if nav and normalize(heading) in nav else "heading"
            clues += _short(lexicon, heading, zones[zone] * factor, f"{prefix}heading '{_quote(heading)}'", zone,
                            brands, brand_tier)
        if own:
            # Text drawn as images speaks through its alt text ("Complete AHIP certification").
            for alt in dict.fromkeys(frame.image_alts[:10]):
                clues += _short(lexicon, alt, zones["main"] * factor, f"{prefix}image '{_quote(alt)}'", "main")
        clues += _body(lexicon, vocab, frame, zones, factor, prefix, roles)
        if own:
            url = snapshot.final_url or frame.url if index == 0 else frame.url
            scale = 1.0 if index == 0 else 0.5
            clues += _url(urls, url, tiers["url"] * zones["url"] * factor * scale)
    if login.found:
        form = zones["form"]
        if login.heading:
            clues += _short(lexicon, login.heading, zones.get("form_heading", form),
                            f"login form heading '{_quote(login.heading)}'", "form", brands, brand_tier)
        for field in login.fields:
            if field.label:
                clues += _short(lexicon, field.label, form, f"field labelled '{_quote(field.label)}'", "form")
        for button in login.buttons:
            clues += _short(lexicon, button, form, f"button '{_quote(button)}'", "form")
    return clues

def _quote(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

def _repeat(count: int, cap: float) -> float:
    return 0.0 if count <= 0 else min(cap, 1 + math.log2(count))

def _short(lexicon: Lexicon, text: str, weight: float, where: str, zone: str,
           brands: Iterable[tuple[re.Pattern[str], str]] = (), brand_tier: float = 0.0) -> list[Clue]:
    """A title, heading, label or button: each word counts once. ``brands``: portal names such
    as "MyHumana" that speak for a role (role clues only)."""
    seen: dict[str, Hit] = {}
    for hit in lexicon.hits(normalize(text)):
        if hit.weight > 0:
            seen.setdefault(hit.term, hit)
    clues = [Clue(hit.label, hit.weight * weight, where, hit.term, hit.weight, zone) for hit in seen.values()]
    for pattern, role in brands:
        found = pattern.search(text)
        if found:
            clues.append(Clue(role, brand_tier * weight, where, found.group(0), 1.0, zone))
    return clues

def _body(lexicon: Lexicon, vocab: Vocabulary, frame: FrameFacts, zones: Mapping[str, float], factor: float,
          prefix: str, roles: bool) -> list[Clue]:
    """The visible text: main text (minus what menus and footers say), menus, corrections."""
    cap = vocab.zones["repeat_cap"]
    text = normalize(frame.text)
    cues = vocab.cross_link_cues.spans(text) if roles else []
    redirects = _redirect_sentences(text, vocab) if roles else []
    counts: Counter[Hit] = Counter()
    terms: dict[str, Hit] = {}
    clues: list[Clue] = []
    crossed = 0
    for hit in lexicon.hits(text):
        if hit.weight <= 0:
            continue
        cue = next((c for c in cues if 0 <= hit.start - c[1] <= _CROSS_LINK_WINDOW
                    and "." not in text[c[1]:hit.start]), None)
        cue = cue or next((r for r in redirects if r[0] <= hit.start < r[1]), None)
        if cue is not None:
            crossed += 1
            if crossed <= 4:
                snippet = text[cue[0]:hit.end]
                clues.append(Clue(hit.label, hit.weight * zones.get("cross_link", 0.0) * factor,
                                  f"{prefix}cross-link '{_quote(snippet, 50)}'", hit.term, hit.weight, "cross_link"))
            continue
        terms.setdefault(hit.term, hit)
        counts[terms[hit.term]] += 1
    nav_text = normalize(frame.nav_text)
    nav_hits = [hit for hit in lexicon.hits(nav_text) if hit.weight > 0]
    nav_terms = {hit.term: hit for hit in nav_hits}
    nav_counts = Counter(hit.term for hit in nav_hits)
    link_counts: Counter[str] = Counter()
    if roles:
        for link in frame.links:
            if link.region in ("main", "form"):
                link_counts.update(hit.term for hit in lexicon.hits(normalize(link.text)) if hit.weight > 0)
    for hit, count in counts.items():
        main_count = max(0, count - nav_counts.get(hit.term, 0))
        if main_count:
            clues.append(Clue(hit.label, hit.weight * zones["main"] * factor * _repeat(main_count, cap),
                              f"{prefix}page text mentions '{text[hit.start:hit.end]}'", hit.term, hit.weight, "main"))
            in_links = min(link_counts.get(hit.term, 0), main_count)
            if in_links:
                clues.append(Clue(hit.label, hit.weight * zones.get("link", 0.0) * factor * _repeat(in_links, cap),
                                  f"{prefix}link text '{text[hit.start:hit.end]}'", hit.term, hit.weight, "link"))
    for term, count in nav_counts.items():
        hit = nav_terms[term]
        clues.append(Clue(hit.label, hit.weight * zones["nav"] * factor * _repeat(count, cap),
                          f"{prefix}menu or footer mentions '{nav_text[hit.start:hit.end]}'", term, hit.weight, "nav"))
    return clues

def _redirect_sentences(text: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """``(start, end)`` of every sentence holding a redirect cue ("Members should log in at ...")."""
    found = []
    for start, end in vocab.redirect_cues.spans(text):
        left = text.rfind(" . ", 0, start)
        right = text.find(" . ", end)
        found.append((0 if left < 0 else left + 3, len(text) if right < 0 else right))
    return found

def _url(urls: UrlWords, url: str, weight: float) -> list[Clue]:
    host = host_of(url) if url.startswith(("http:", "https:")) else ""
    path = url_path(url).lstrip("/")
    seen: set[tuple[str, str]] = set()
    clues: list[Clue] = []
    for _token, pattern, label, is_host in urls.hits(url_tokens(url)):
        if label == NEUTRAL:
            continue
        where = f"host {host}" if is_host else f"path /{_quote(path, 50)}"
        if (label, where) in seen:
            continue
        seen.add((label, where))
        clues.append(Clue(label, weight, where, pattern, 0.0, "url"))  # tier 0: names are no evidence of kind
    return clues

__all__ = ["RoleVerdict", "Clue", "classify_role", "resolve_senses", "collect_clues", "decide", "page_purpose", "UNKNOWN"]
