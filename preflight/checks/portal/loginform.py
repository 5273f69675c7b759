"""Which login form a page shows, and what it asks for, from a snapshot alone (pure).

Why structure first and words second: every login form in every language has the same bones
(one visible password field next to an identifier field, or one identifier field alone on a
sign-in card), while the words around it vary. Words (``data/vocabulary.toml``) are used to tell
apart the forms that share those bones: a sign-up form (two password fields, name fields, "Create
account"), a password reset ("Forgot password"), a newsletter box ("Subscribe"), a search box.

Controls are grouped by their ``<form>``; formless controls (React and friends) are grouped by
the landmark they stand in, so a login card is not mixed with a footer newsletter box. Every frame
of the snapshot is searched (same- and cross-origin iframes, open shadow roots). Controls that are
not visible (honeypots, collapsed steps of a multi-step flow) are ignored.

Kinds, as reported in ``results[].portal.login_form``:

``password``          identifier and password on one page
``identifier-first``  an identifier alone with Next/Continue; the password comes on a later page
``password-only``     the second step: a password, the identifier already known
``sso``               no credential fields, only a hand-off to a sign-in service
``none``              no login form
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from preflight.checks.portal.formfields import (
    IDENTIFIERS,
    NOT_TYPED,
    PROFILE,
    Field,
    classify_field,
)
from preflight.checks.portal.vocabulary import Vocabulary, normalize, url_tokens
from preflight.model.sections import RecoveryLinkEntry
from preflight.model.snapshot import (
    ButtonFacts,
    FrameFacts,
    InputFacts,
    LinkFacts,
    PageSnapshot,
)
from preflight.rules.hosts import host_of, registrable_domain

LOGIN_KINDS = ("password", "identifier-first", "password-only", "sso", "none")

USERNAME_KINDS = ("username", "email", "member-id", "npi", "tin")

_ACCOUNT_INTENTS = (("signup", "sign-up"), ("reset", "password reset"), ("change_password", "password change"))

"""Forms about an account that are not its login: a page with one is no SSO sign-in page."""

_NOT_LOGIN_INTENTS = (*_ACCOUNT_INTENTS, ("newsletter", "newsletter"), ("search", "search"))

_LANDMARKS = ("nav", "header", "footer")

# Points for and against "this group is a login form". Structure weighs most; see _judge.
_SUBMIT_BUTTON = 3.0

_OTHER_BUTTON = 1.5

_HEADING_LOGIN = 3.0

_HEADING_OTHER = 4.0

_TITLE = 1.5

_PATH = 1.0

_MIN_IDENTIFIER_FIRST = 4.0

_BOX_LOGIN = 2.0
"""A lone box whose own label says sign-in."""

_ACCOUNT_NUMBERS = frozenset({"npi", "tin", "member-id", "group-id", "agent-id"})
"""Identifier boxes that only an account holder fills in (an e-mail or phone box may be anyone's)."""
_ACCOUNT_NEXT = 2.0

_PORTAL_NEXT = 2.0
"""A lone identifier box whose form goes on with Next/Continue, on a page that names itself a
portal ("Agent Portal", "Portal do Credenciado"): the first step of that portal's sign-in."""

@dataclass(frozen=True)
class RecoveryLink:
    """A "Forgot user ID / password" link and where it points."""

    text: str
    href: str
    host: str
    offsite: bool
    """Points to another organization (registrable domain) than the page it is on."""

    def to_entry(self) -> RecoveryLinkEntry:
        """This link as ``results[].portal.recovery_links[]``."""
        return RecoveryLinkEntry(text=self.text, href=self.href, host=self.host, offsite=self.offsite)

@dataclass(frozen=True)
class LoginForm:
    """The login form of a page (``kind == "none"`` when there is none) and its anatomy."""

    kind: str
    frame_index: int = 0
    frame_url: str = ""
    cross_origin: bool = False
    in_shadow: bool = False
    form_index: int | None = None
    heading: str = ""
    fields: tuple[Field, ...] = ()
    username: Field | None = None
    username_kind: str | None = None
    """One of ``USERNAME_KINDS``; ``None`` without an identifier field."""
    takes_email: bool = False
    remember_me: bool = False
    mfa: bool = False
    """A one-time-code box is part of the login form."""
    buttons: tuple[str, ...] = ()
    recovery_links: tuple[RecoveryLink, ...] = ()
    reasons: tuple[str, ...] = ()
    """Why this was judged a login form, in plain words."""
    rejected: tuple[str, ...] = ()
    """Other forms seen and why they are not logins ("sign-up form 'Create your account'")."""
    score: float = 0.0

    @property
    def found(self) -> bool:
        return self.kind != "none"

@dataclass
class _Group:
    """Controls that belong together: one ``<form>``, or the formless controls of one landmark."""

    frame_index: int
    frame: FrameFacts
    form_index: int | None
    region: str
    controls: list[InputFacts] = field(default_factory=list)
    buttons: list[ButtonFacts] = field(default_factory=list)

    @property
    def heading(self) -> str:
        if self.form_index is not None and self.form_index < len(self.frame.forms):
            own = self.frame.forms[self.form_index].heading
            if own:
                return own
        headings = Counter(c.heading for c in self.controls if c.visible and c.heading)
        return headings.most_common(1)[0][0] if headings else ""

def _groups(frame_index: int, frame: FrameFacts) -> list[_Group]:
    groups: dict[tuple[int | None, str], _Group] = {}
    for control in frame.inputs:
        if control.form_index is not None:
            key: tuple[int | None, str] = (control.form_index, "form")
            region = frame.forms[control.form_index].region if control.form_index < len(frame.forms) else "main"
        else:
            region = control.region if control.region in _LANDMARKS else "main"
            key = (None, region)
        group = groups.setdefault(key, _Group(frame_index, frame, key[0], region))
        group.controls.append(control)
    for button in frame.buttons:
        if not button.visible:
            continue
        if button.form_index is not None:
            target = groups.get((button.form_index, "form"))
        else:
            region = button.region if button.region in _LANDMARKS else "main"
            target = groups.get((None, region))
        if target is not None:
            target.buttons.append(button)
    return list(groups.values())

@dataclass
class _Verdict:
    kind: str | None
    score: float
    fields: list[Field]
    username: Field | None
    reasons: list[str]
    rejected: str | None = None
    account_form: bool = False
    """A password box, or a sign-up / reset / password-change form: the page is about accounts."""

def _intent(vocab: Vocabulary, name: str, text: str) -> bool:
    return bool(text) and vocab.intent(name, text) is not None

class _Tally:
    """Points for and against "this group is a login form", each with a reason."""

    def __init__(self) -> None:
        self.login = 0.0
        self.against = 0.0
        self.reasons: list[str] = []
        self.against_why: list[str] = []
        self.account_form = False

    def add(self, points: float, why: str) -> None:
        self.login += points
        self.reasons.append(why)

    def object(self, points: float, why: str, intent: str = "") -> None:
        self.against += points
        self.against_why.append(why)
        if intent in (name for name, _ in _ACCOUNT_INTENTS):
            self.account_form = True

    def rejection(self) -> str | None:
        return self.against_why[0] if self.against_why else None

def _judge(group: _Group, vocab: Vocabulary, title: str, path: str, page_headings: Sequence[str] = ()) -> _Verdict:
    """Is this group a login form, and of which kind?"""
    fields = [f for f in (classify_field(c, vocab) for c in group.controls if c.visible) if f is not None]
    # Drop-downs ("I am a: Provider", "Country") are choices, never what a person types in.
    entries = [f for f in fields if f.kind not in NOT_TYPED and f.type != "select"]
    passwords = [f for f in entries if f.kind == "password"]
    heading = group.heading
    label = f"'{heading[:60]}'" if heading else "(no heading)"
    verdict = _Verdict(None, 0.0, fields, None, [], account_form=bool(passwords))
    if not entries:
        return verdict
    cards = [f for f in entries if f.kind == "card"]
    if (len(cards) == 1 and len(passwords) == 1 and not cards[0].autocomplete.startswith("cc-")
            and "pin" not in normalize(passwords[0].label).split()):
        # "Card number" + "Password": a payment form never asks for a password, so the card is the
        # account's own (a union card, a library or loyalty card), the identifier of a login. A
        # card number with a PIN is a gift card's balance check or a payment, not an account.
        account_card = replace(cards[0], kind="username")
        fields = [account_card if f is cards[0] else f for f in fields]
        entries = [account_card if f is cards[0] else f for f in entries]
        verdict.fields = fields
    elif cards:
        verdict.rejected = f"payment form {label}"
        return verdict
    if _split_code(passwords):
        # "Digit 1" ... "Digit 6": one PIN or access code typed a character per box, not a sign-up.
        entries = [f for f in entries if f.kind != "password" or f is passwords[0]]
        passwords = passwords[:1]
    if len(passwords) >= 2:
        # New + confirm (sign-up, reset) or current + new (change): never a login.
        changing = any(p.password_role == "current" for p in passwords) or _intent(vocab, "change_password", heading)
        verdict.rejected = f"{'password-change' if changing else 'sign-up or new-password'} form {label} (two password boxes)"
        return verdict
    tally = _Tally()
    next_points = _context_points(tally, group, vocab, heading, label, title, path)
    _page_heading_points(tally, vocab, heading, page_headings)
    for f in fields:
        if f.kind == "remember-me":
            tally.add(2.0, "remember-me box")
            break
    if any(f.kind == "terms" for f in fields):
        tally.object(1.5, "terms-of-use box")
    profile = [f for f in entries if f.kind in PROFILE and f.type != "select"]
    if profile:
        tally.object(min(6.0, 2.0 * len(profile)), f"form {label} asks for " + ", ".join(sorted({f.kind for f in profile})))
    if any(f.kind == "textarea" for f in entries):
        tally.object(3.0, f"message form {label}")
    if group.region in _LANDMARKS:
        tally.object(2.0, f"form in the page {group.region}")
    verdict.account_form = verdict.account_form or tally.account_form
    if passwords:
        return _judge_password(verdict, tally, entries, passwords[0])
    portal = next((t for t in (heading, title, *page_headings) if _intent(vocab, "portal", t)), None)
    lone = entries[0] if len(entries) == 1 else None
    if lone is not None and _intent(vocab, "login", lone.label):
        # The box itself says what it is for: "Log in or sign up with your phone number".
        tally.add(_BOX_LOGIN, f"box label '{lone.label[:60]}'")
    return _judge_identifier(verdict, tally, entries, next_points, portal)


_SPLIT_CODE_BOXES = 4
"""At least this many password boxes named alike (but for a digit) are one code typed a
character per box ("Digit 1" ... "Digit 6"); two are a new and a confirmed password."""


def _split_code(passwords: Sequence[Field]) -> bool:
    if len(passwords) < _SPLIT_CODE_BOXES:
        return False
    return len({re.sub(r"[\d\s]+", "", f.label.lower()) for f in passwords}) == 1


def _context_points(tally: _Tally, group: _Group, vocab: Vocabulary, heading: str, label: str, title: str,
                    path: str) -> float:
    """Heading, buttons, page title and path; returns the points a Next/Continue button is worth."""
    heading_login = _intent(vocab, "login", heading)
    if heading_login:
        tally.add(_HEADING_LOGIN, f"heading {label}")
    for intent, why in _NOT_LOGIN_INTENTS:
        if _intent(vocab, intent, heading):
            tally.object(1.0 if heading_login else _HEADING_OTHER, f"{why} form {label}", intent)
    best_login, next_points = 0.0, 0.0
    for button in group.buttons:
        # Formless: every button of the landmark is gathered, not necessarily this form's own.
        weight = _SUBMIT_BUTTON if button.type in ("submit", "image") and group.form_index is not None else _OTHER_BUTTON
        text = button.text
        if _intent(vocab, "login", text) and not _intent(vocab, "sso", text):
            if weight > best_login:
                best_login = weight
                tally.reasons.append(f"button '{text[:40]}'")
            continue
        if _intent(vocab, "next", text):
            next_points = max(next_points, weight / 2)
            continue
        for intent, why in _NOT_LOGIN_INTENTS:
            if _intent(vocab, intent, text):
                tally.object(weight if weight == _SUBMIT_BUTTON else weight / 2, f"{why} button '{text[:40]}'", intent)
                break
    tally.login += best_login
    if _intent(vocab, "login", title):
        tally.add(_TITLE, f"page title '{title[:60]}'")
    elif any(_intent(vocab, intent, title) for intent, _ in _ACCOUNT_INTENTS):
        tally.object(_TITLE, f"page title '{title[:60]}'")
    if _intent(vocab, "login", path):
        tally.add(_PATH, f"path '{path[:40]}'")
    elif any(_intent(vocab, intent, path) for intent, _ in _ACCOUNT_INTENTS):
        tally.object(_PATH, f"path '{path[:40]}'")
    return next_points

def _page_heading_points(tally: _Tally, vocab: Vocabulary, heading: str, page_headings: Sequence[str]) -> None:
    """The page's own main headings, when the form's nearest heading is something else ("Welcome
    to Acme" under a "Log in or sign up" dialog title)."""
    if _intent(vocab, "login", heading):
        return
    others = [h for h in page_headings if h != heading]
    login = next((h for h in others if _intent(vocab, "login", h)), None)
    if login is not None:
        tally.add(2.0, f"page heading '{login[:60]}'")
        return
    for intent, why in (*_ACCOUNT_INTENTS, ("newsletter", "newsletter")):
        other = next((h for h in others if _intent(vocab, intent, h)), None)
        if other is not None and not _intent(vocab, intent, heading):
            tally.object(2.0, f"{why} page '{other[:60]}'", intent)
            return

def _judge_password(verdict: _Verdict, tally: _Tally, entries: Sequence[Field], password: Field) -> _Verdict:
    tally.add(2.0, "one password box")
    username = _username_for(entries, password)
    if username is not None:
        tally.login += 1.0
    if password.password_role == "current":
        tally.add(2.0, "password marked current-password")
    elif password.password_role == "new":
        tally.object(2.5, "password marked as a new password")
    extra = [f for f in entries if f is not password and f is not username
             and f.kind not in ("one-time-code", "search", "captcha")]
    if len(extra) > 1:
        tally.object(1.5 * (len(extra) - 1), f"{len(extra) + 2} boxes to fill in")
    verdict.username = username
    verdict.score = tally.login - tally.against
    verdict.reasons = tally.reasons
    if tally.against >= tally.login:
        verdict.rejected = tally.rejection() or "not a login form"
        return verdict
    verdict.kind = "password" if username is not None else "password-only"
    if username is None:
        verdict.reasons.append("password box without a user name box (second step)")
    return verdict

def _judge_identifier(verdict: _Verdict, tally: _Tally, entries: Sequence[Field], next_points: float,
                      portal: str | None = None) -> _Verdict:
    candidates = [f for f in entries if f.kind in IDENTIFIERS or f.kind == "text"]
    others = [f for f in entries if f not in candidates and f.kind not in ("one-time-code", "captcha")]
    if len(candidates) != 1 or others:
        return verdict
    username = candidates[0]
    marked = "username" in username.autocomplete.lower().split()
    # A box for an account number only an account holder has (NPI, tax ID, member or agent
    # number), with a next step, asks who is signing in whatever else the page says: unlike an
    # e-mail box it is never a newsletter's or a checkout's.
    account_number = username.kind in _ACCOUNT_NUMBERS
    if next_points and portal is not None and not tally.against:
        # The words of a portal's name, not of a sign-in ("Agent Portal" over a lone "Agent ID"
        # box and a Next button): the structure says sign-in, the page says whose front door.
        # Only for a form nothing else speaks against (a portal's newsletter box is no sign-in).
        tally.add(_PORTAL_NEXT, f"portal page '{portal[:60]}'")
    # A box that asks for a user name (not an e-mail or a phone number, which newsletters and
    # checkouts ask for too) names an account to sign in to.
    named_account = username.kind == "username"
    if next_points and (tally.login > 0 or marked or account_number or named_account):
        tally.add(next_points, "a Next/Continue button")
    if next_points and account_number and not tally.against:
        tally.add(_ACCOUNT_NEXT, f"an account-number box ('{username.label[:40]}') before a next step")
    elif next_points and named_account and not tally.against:
        tally.add(_ACCOUNT_NEXT, f"a user-name box ('{username.label[:40]}') before a next step")
    if marked:
        tally.add(2.0, "box marked autocomplete=username")
    if username.kind != "text":
        tally.login += 1.0
    elif tally.login < _HEADING_LOGIN:
        return verdict  # an unnamed text box is only a login box on a plainly sign-in card
    verdict.username = username
    verdict.score = tally.login - tally.against
    verdict.reasons = tally.reasons
    if tally.login < _MIN_IDENTIFIER_FIRST or tally.against >= tally.login:
        verdict.rejected = tally.rejection()
        return verdict
    verdict.kind = "identifier-first"
    verdict.reasons.append(f"one {username.kind} box ('{username.label}') and a next step")
    return verdict

def _username_for(entries: Sequence[Field], password: Field) -> Field | None:
    """The identifier box that goes with ``password``: the last one before it, else any, else the
    unnamed text box just before it."""
    before = entries[: entries.index(password)]
    named_before = [f for f in before if f.kind in IDENTIFIERS]
    if named_before:
        return named_before[-1]
    named = [f for f in entries if f.kind in IDENTIFIERS]
    if named:
        return named[0]
    unnamed = [f for f in before if f.kind == "text"]
    return unnamed[-1] if unnamed else None

def find_login_form(snapshot: PageSnapshot, vocab: Vocabulary) -> LoginForm:
    """The most convincing login form across every frame of ``snapshot`` (or an SSO hand-off)."""
    main = snapshot.main_frame
    title = main.title
    path = _path_words(snapshot.final_url or main.url)
    best: tuple[float, _Group, _Verdict] | None = None
    rejected: list[str] = []
    credential_seen = False  # a password box or an account form: then not an SSO page
    main_headings = _main_headings(main)
    for index, frame in enumerate(snapshot.frames):
        if frame.error:
            continue
        frame_title = frame.title or title
        headings = _main_headings(frame) if index == 0 else (*_main_headings(frame), *main_headings)
        for group in _groups(index, frame):
            verdict = _judge(group, vocab, frame_title, path if index == 0 else _path_words(frame.url), headings)
            if verdict.rejected:
                rejected.append(verdict.rejected)
            credential_seen = credential_seen or verdict.account_form
            if verdict.kind is None:
                continue
            rank = verdict.score + (0.5 if index == 0 else 0.0)
            if best is None or rank > best[0]:
                best = (rank, group, verdict)
    if best is not None:
        return _describe(snapshot, best[1], best[2], tuple(dict.fromkeys(rejected)), vocab)
    if not credential_seen and not _is_search_results(snapshot, vocab):
        sso = _find_sso(snapshot, vocab)
        if sso is not None:
            return sso
    return LoginForm(kind="none", frame_url=main.url, rejected=tuple(dict.fromkeys(rejected)))

def _main_headings(frame: FrameFacts, limit: int = 3) -> tuple[str, ...]:
    """The first headings of the frame that are not part of its menus, header or footer."""
    nav = normalize(frame.nav_text)
    return tuple(h for h in frame.headings if normalize(h) and not (nav and normalize(h) in nav))[:limit]

def _is_search_results(snapshot: PageSnapshot, vocab: Vocabulary) -> bool:
    """A search box holding a query: its result links ("Login | Acme") are no sign-in hand-off."""
    for frame in snapshot.frames:
        for control in frame.inputs:
            if control.visible and control.has_value:
                described = classify_field(control, vocab)
                if described is not None and described.kind == "search":
                    return True
    return False

def _describe(snapshot: PageSnapshot, group: _Group, verdict: _Verdict, rejected: tuple[str, ...],
              vocab: Vocabulary) -> LoginForm:
    assert verdict.kind is not None
    fields = tuple(verdict.fields)
    username = verdict.username
    frame = group.frame
    return LoginForm(
        kind=verdict.kind,
        frame_index=group.frame_index,
        frame_url=frame.url,
        cross_origin=frame.cross_origin,
        in_shadow=any(c.in_shadow for c in group.controls if c.visible),
        form_index=group.form_index,
        heading=group.heading,
        fields=fields,
        username=username,
        username_kind=_username_kind(username),
        takes_email=bool(username and username.takes_email),
        remember_me=any(f.kind == "remember-me" for f in fields),
        mfa=any(f.kind == "one-time-code" for f in fields),
        buttons=tuple(b.text for b in group.buttons if b.text)[:8],
        recovery_links=recovery_links(frame, snapshot.final_url or frame.url, vocab),
        reasons=tuple(dict.fromkeys(verdict.reasons)),
        rejected=rejected,
        score=round(verdict.score, 2),
    )

def _username_kind(field_: Field | None) -> str | None:
    if field_ is None:
        return None
    return field_.kind if field_.kind in USERNAME_KINDS else "username"

def _path_words(url: str) -> str:
    return " ".join(token for token, is_host in url_tokens(url) if not is_host)

def recovery_links(frame: FrameFacts, page_url: str, vocab: Vocabulary) -> tuple[RecoveryLink, ...]:
    """"Forgot user ID / password" links of the frame (not its menus or footer), deduplicated."""
    page_domain = registrable_domain(host_of(page_url)) if host_of(page_url) else ""
    found: dict[str, RecoveryLink] = {}
    for link in frame.links:
        if link.region in _LANDMARKS or not _is_recovery(link, vocab):
            continue
        host = host_of(link.href) if link.href.startswith(("http:", "https:")) else ""
        offsite = bool(host and page_domain and registrable_domain(host) != page_domain)
        found.setdefault(link.href, RecoveryLink(link.text[:80], link.href, host, offsite))
    return tuple(found.values())[:6]

def _is_recovery(link: LinkFacts, vocab: Vocabulary) -> bool:
    if vocab.intent("recovery", link.text):
        return True
    return not link.text.strip() and vocab.intent("recovery", _path_words(link.href)) is not None

def _find_sso(snapshot: PageSnapshot, vocab: Vocabulary) -> LoginForm | None:
    """A sign-in page without credential boxes: a hand-off button or link, on a page that says it
    is a sign-in page (title, main heading or path), or a button that says "Sign in with ..."."""
    main = snapshot.main_frame
    page_headings = _main_headings(main, 4)
    if any(_intent(vocab, "maintenance", t) for t in (main.title, *page_headings)):
        return None
    path = _path_words(snapshot.final_url or main.url)
    context = [text for text in (main.title, *page_headings, path) if _intent(vocab, "login", text)]
    if not context and vocab.endpoints.hits((token, False) for token in path.split()):
        context = [path]  # the page itself is a sign-in endpoint: /sso, /signin, /oauth2 ...
    triggers: list[tuple[int, str, str, bool]] = []
    for index, frame in enumerate(snapshot.frames):
        if frame.error:
            continue
        for button in frame.buttons:
            if button.visible and button.region not in _LANDMARKS and _hands_off(button.text, "", vocab):
                triggers.append((index, button.text, "", _intent(vocab, "sso", button.text)))
        for link in frame.links:
            if link.region not in _LANDMARKS and _hands_off(link.text, link.href, vocab):
                named = _intent(vocab, "sso", link.text) and bool(vocab.endpoints.hits(url_tokens(link.href)))
                triggers.append((index, link.text, link.href, named))
    # A "Sign in" button on a page that names itself a portal ("Acme Provider Portal") is the
    # portal's front door; a link alone is not (landing pages link to every login).
    portal = any(_intent(vocab, "portal", text) for text in (main.title, *page_headings))
    buttons = any(not href for _, _, href, _ in triggers)
    if not buttons and login_chooser(main, vocab):
        return None
    if not triggers or not (context or any(named for *_, named in triggers) or (portal and buttons)):
        return None
    index, text, href, _named = triggers[0]
    frame = snapshot.frames[index]
    reasons = [f"hand-off '{text[:40]}'" + (f" to {host_of(href)}" if href else "")]
    if context:
        reasons.insert(0, f"sign-in page ('{context[0][:60]}')")
    return LoginForm(
        kind="sso", frame_index=index, frame_url=frame.url, cross_origin=frame.cross_origin,
        heading=page_headings[0] if page_headings else "",
        buttons=tuple(dict.fromkeys(t for _, t, _, _ in triggers))[:8],
        recovery_links=recovery_links(frame, snapshot.final_url or frame.url, vocab),
        reasons=tuple(reasons),
    )

def login_chooser(frame: FrameFacts, vocab: Vocabulary) -> bool:
    """Links to three or more different logins or portals ("Members: sign in", "Providers:
    Provider Portal", "Employers: Employer portal"): a page that lets people pick their login
    (a home or landing page), not a hand-off to one sign-in. Named hand-offs ("Sign in with
    Google") are ways into one sign-in and do not count."""
    destinations = set()
    for link in frame.links:
        text = link.text
        if link.region in _LANDMARKS or not link.href or not text.strip() or len(text) > 80:
            continue
        if _intent(vocab, "sso", text) or any(_intent(vocab, i, text) for i in ("recovery", "signup", "reset")):
            continue
        if _intent(vocab, "login", text) or _intent(vocab, "portal", text):
            destinations.add(link.href.split("?")[0].split("#")[0].rstrip("/"))
    return len(destinations) >= 3

def _hands_off(text: str, href: str, vocab: Vocabulary) -> bool:
    """A button or link that starts a sign-in elsewhere ("Sign in with Acme ID", "Log in")."""
    if not text.strip() or len(text) > 80:
        return False
    if any(_intent(vocab, intent, text) for intent in ("recovery", "signup", "reset")):
        return False
    if _intent(vocab, "sso", text):
        return True
    if not _intent(vocab, "login", text):
        return False
    if not href:
        return True
    return bool(vocab.endpoints.hits(url_tokens(href)))

__all__ = ["LoginForm", "RecoveryLink", "find_login_form", "recovery_links", "login_chooser", "LOGIN_KINDS",
           "USERNAME_KINDS"]
