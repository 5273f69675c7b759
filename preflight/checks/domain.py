"""Domain trust: is every host the login flow touches an official portal host?

Hosts come from the browser's own URLs (the redirect chain, the final page, later script
navigations, form targets, frames, scripts), so they are the hosts the browser really used.
Each is judged by ``lookalike.HostJudge``: official, same organization, lookalike, unrelated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from preflight.checks.base import CheckConfig, FindingList
from preflight.checks.portal.loginform import LoginForm, find_login_form, recovery_links
from preflight.checks.portal.vocabulary import ROLE_NAMES, Vocabulary, normalize
from preflight.config.allowlist import PACKAGED_SOURCE
from preflight.model.report import CheckResult, Severity
from preflight.model.snapshot import FrameFacts, PageSnapshot
from preflight.rules.hosts import host_of, is_loopback
from preflight.rules.lookalike.judge import (
    INVALID,
    LOOKALIKE,
    OFFICIAL,
    SAME_ORGANIZATION,
    HostJudge,
    HostJudgement,
)
from preflight.rules.lookalike.names import NameHit, find_name, presented_names

NAME = "domain"
_TRUSTED_SUBRESOURCE = (OFFICIAL, SAME_ORGANIZATION)


def flow_urls(snapshot: PageSnapshot) -> list[tuple[str, str]]:
    """``(url, where)`` for every page-level URL of the visit (``PageSnapshot.page_urls``)."""
    hops = [hop.url for hop in snapshot.redirects[:-1]]
    navigations = set(snapshot.navigations) - {snapshot.final_url, *hops}
    return [(url, f"redirect hop {hops.index(url) + 1}" if url in hops
             else "script navigation" if url in navigations else "final page")
            for url in snapshot.page_urls]


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    judge = config.host_judge
    official: list[dict[str, str]] = []
    page_https = snapshot.final_url.startswith("https:")
    for url, where in flow_urls(snapshot):
        host = host_of(url)
        if not host:
            continue
        _scheme_findings(found, url, host, where)
        verdict = judge.judge_normalized(host)
        if verdict.verdict == OFFICIAL:
            official.append({"host": host, "where": where, "payer": verdict.portal.payer if verdict.portal else "",
                             "portal": verdict.portal.name if verdict.portal else "", "role": verdict.role or ""})
            if verdict.via_pattern:
                found.add("pattern_match", Severity.WARN,
                          f"{host} is trusted only through the wildcard {verdict.via_pattern}; list the exact host instead.",
                          host=host, pattern=verdict.via_pattern)
        else:
            _untrusted(found, verdict, f"The {where}", where=where, url=url)

    login_frames = [f for f in snapshot.frames if f.has_login_fields]
    # The login the portal check finds may have no field a frame counts (identifier-first with a
    # plain text box, a sign-in hand-off): impersonation is judged on it all the same.
    login = find_login_form(snapshot, config.vocabulary)
    signin_frames = list(login_frames)
    if login.found and login.frame_index < len(snapshot.frames):
        login_frame = snapshot.frames[login.frame_index]
        if not any(frame is login_frame for frame in signin_frames):
            signin_frames.append(login_frame)
    for frame in login_frames:
        _form_targets(found, judge, frame, page_https)
        frame_host = host_of(frame.url)
        if frame is not snapshot.main_frame and frame_host:
            verdict = judge.judge_normalized(frame_host)
            if verdict.verdict != OFFICIAL:
                _untrusted(found, verdict, "A frame holding login fields", code="login_frame_off_list", url=frame.url)
    if signin_frames and not _foreign_purpose(snapshot, login, config):
        _impersonation(found, judge, snapshot, signin_frames, config)
        if config.baseline is not None:
            _clone_of(found, judge, snapshot, config)
    _recovery_links(found, judge, snapshot, login_frames or list(snapshot.frames[:1]), config)
    _script_hosts(found, judge, snapshot, login_frames or list(snapshot.frames[:1]))
    _mixed_content(found, snapshot, page_https)

    if official and not any(f.severity is Severity.FAIL for f in found.items):
        final = official[-1]
        found.add("official", Severity.PASS, f"{final['host']} is the official {_portal_words(final)}.", hosts=official)
    if config.allowlist.source == PACKAGED_SOURCE:
        # A first check of one's own portal fails on the packaged (Cigna) list: say what to do.
        found.items = [replace(f, message=f"{f.message} {PACKAGED_HINT}") if f.code == "domain.not_allowlisted" else f
                       for f in found.items]
    return found.result()


PACKAGED_HINT = ("This run used the packaged allowlist, which lists only Cigna's public hosts: for another portal, "
                 "pass --allowlist FILE (see README, Allowlist).")


def _portal_words(entry: dict[str, str]) -> str:
    """``Cigna CignaforHCP portal (provider)``; no second "portal" when the name already says it."""
    name = f"{entry['payer']} {entry['portal']}".strip()
    noun = "" if "portal" in entry["portal"].lower() else " portal"
    return f"{name}{noun} ({entry['role']})"


_REST_ALLOWED = {"title": 2, "heading": 2, "logo": 3, "site name": 3, "masthead": 2}

"""Words besides the name a title, heading, logo or masthead may hold and still be the name itself
("myCigna", "Cigna Healthcare"); with a sign-in or portal word any length will do, and so will a
few audience words after a name the text opens with ("Cigna for Health Care Professionals")."""

_AUDIENCE_REST = 5
"""At most this many words after an opening name, when they say whom the portal serves."""

_LINK_WORDS = frozenset({"for", "the", "and", "of", "our", "your", "para", "los", "las", "el", "la", "y", "pour",
                         "les", "le", "des", "et", "fur", "für", "und", "die", "per", "i", "e", "di", "gli", "de",
                         "do", "da", "dos", "das"})
"""Words that join a portal's name to its audience in the languages the vocabulary knows."""

_PORTAL_WORDS = frozenset({"healthcare", "health", "care", "insurance", "medical", "dental", "vision", "pharmacy",
                           "benefits", "plan", "plans", "service", "services", "secure", "access", "online", "portal",
                           "portals", "connect", "network", "support", "center", "centre", "central", "hub",
                           "group", "global"})
"""Words a portal's or payer's brand is built of besides its name ("Cigna Healthcare · Member
Services · Secure Access", "Cigna Broker Commission Center"), never what a page is about."""

_LABELLED = re.compile(r"^\s*\w[\w&/ .]{0,30}?\s*[—–:|-]\s+\S")
"""A short label, a separator and a value ("Medical — Cigna"): a tile says what, then who."""

_COPYRIGHT = re.compile(r"(?:©|\(c\)|\bcopyright\b)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[\s,.]*(.{0,60})", re.IGNORECASE)
"""A copyright notice and what follows it: the owner it names says whose page this is."""


def _copyright_owners(text: str) -> list[str]:
    """The owner named by each copyright notice in ``text`` ("© 2026 Cigna. All rights ..." -> "Cigna")."""
    owners = []
    for match in _COPYRIGHT.finditer(text[:20_000]):
        owner = re.split(r"[.|•·\n]| all rights", match.group(1), maxsplit=1, flags=re.IGNORECASE)[0].strip(" ,;-")
        if owner:
            owners.append(owner)
    return owners[:5]


def _mastheads(frame: FrameFacts) -> list[str]:
    """The first line of the frame's header landmark and of its text: where a site shows its name
    when no heading does (a banner ``div``, a custom element's shadow root)."""
    lines = [_first_line(block) for block in (frame.nav_text, frame.text)]
    # A name, not a sentence: short, and not ending like one.
    return [line for line in lines if line and len(line.split()) <= 8 and not line.endswith((".", "!", "?", ":"))]


_FRAGMENT = 3
"""Lines this short at the top of a block are pieces of one word ("my" / "Ci" / "gna": a
wordmark split into elements so that no text node holds the name)."""


def _first_line(block: str) -> str:
    lines = [line.strip() for line in block.split("\n") if line.strip()][:8]
    if not lines:
        return ""
    pieces = []
    for line in lines:
        if len(line) > _FRAGMENT:
            break
        pieces.append(line)
    return "".join(pieces) if len(pieces) >= 2 else lines[0]


_LOGO_STRIP = 4
"""This many short image names in one frame are a row of logos (the plans a clinic accepts, a
broker's carriers): each names a partner, not the site."""


def _logos(frame: FrameFacts) -> list[str]:
    """The image names that can say whose page this is: all of them, or only the first of a
    logo strip (a site's own logo comes before the partners it lists)."""
    alts = list(frame.image_alts[:10])
    short = [alt for alt in alts if len(alt.split()) <= 4]
    return alts[:1] if len(short) >= _LOGO_STRIP else alts


def _impersonation(found: FindingList, judge: HostJudge, snapshot: PageSnapshot, login_frames: list[FrameFacts],
                   config: CheckConfig) -> None:
    """A login on a host off the allowlist that calls itself by an allowlisted name where a reader
    looks to see whose page it is: the title, a heading, a logo's alt text, the login form. A
    name in the body text ("we accept Cigna", a news story) presents nothing."""
    host = host_of(snapshot.final_url)
    if not host or judge.judge_normalized(host).verdict in _TRUSTED_SUBRESOURCE:
        return
    if any(judge.judge_normalized(host_of(f.url)).verdict == OFFICIAL for f in login_frames if host_of(f.url)):
        return  # an official sign-in frame embedded in another site: that frame is the login
    names = presented_names(config.allowlist)
    vocab = config.vocabulary
    frames = list(dict.fromkeys([snapshot.main_frame, *login_frames]))
    places: list[tuple[str, str]] = []
    for frame in frames:
        places += [("title", frame.title)] + [("heading", h) for h in frame.headings[:8]]
        places += [("logo", alt) for alt in _logos(frame)]
        places += [("site name", name) for name in frame.site_names[:5]]
        places += [("masthead", line) for line in _mastheads(frame)]
        # Unlike a mention ("we accept Cigna"), a copyright notice claims the page for its owner.
        places += [("copyright notice", owner) for owner in _copyright_owners(f"{frame.text}\n{frame.nav_text}")]
    portal_names = tuple(n for n in names if n.shown == n.portal.name)
    for frame in login_frames:
        # The form's own instructions naming the portal whose credentials it asks for ("Enter the
        # user ID you use for CignaforHCP"): a portal's name, never a payer's ("we accept Cigna").
        for form in frame.forms:
            hit = find_name(form.text, portal_names) if form.text else None
            if hit is not None:
                places.append(("login form", form.text))
        places += [("login form", text) for i in frame.inputs if i.visible for text in (i.label, i.placeholder)]
        places += [("login form", b.text) for b in frame.buttons if b.visible]
        # a sign-in hand-off is a link ("Sign in with myCigna" on an account chooser)
        places += [("login form", a.text) for a in frame.links
                   if a.text and len(a.text) <= 80 and (vocab.intent("sso", a.text) or vocab.intent("login", a.text))]
        # the heading nearest a form may be the page's own ("Compare Cigna vs Aetna"): weighed as one
        places += [("heading", f.heading) for f in frame.forms]
    presented: list[dict[str, str]] = []
    for where, text in places:
        hit = find_name(text, names) if text else None
        if hit is None:
            continue
        limit = _REST_ALLOWED.get(where)
        if where == "copyright notice" and hit.start > 1:
            continue  # "© 2026 Health News Daily, reporting on Cigna": the owner comes first
        if where in ("title", "heading", "masthead") and (vocab.intent("topic", text) or text.rstrip().endswith("?")):
            continue  # "Cigna Healthcare Reviews", "Cigna claim denied?": the page is about the payer
        worded = vocab.intent("login", text) or vocab.intent("portal", text) or vocab.intent("account", text)
        if where in ("heading", "masthead") and not worded and _LABELLED.match(text) and hit.start > 0:
            continue  # "Medical — Cigna", "EAP: Evernorth": a benefits tile naming a kind of cover's carrier
        if limit is not None and len(hit.rest) > limit and not (where != "logo" and worded) \
                and not _audience(hit, vocab):
            continue
        entry = {"where": where, "text": " ".join(text.split())[:120], "name": hit.name.shown,
                 "payer": hit.name.portal.payer, "portal": hit.name.portal.name}
        if entry not in presented:
            presented.append(entry)
    if not presented:
        return
    first = presented[0]
    portal = next(p for p in config.allowlist.portals if p.name == first["portal"] and p.payer == first["payer"])
    official = portal.hosts[0]
    found.add("impersonates", Severity.FAIL,
              f"This login page calls itself '{first['name']}' ({first['where']}: '{first['text']}'), but {host} is "
              f"not an official {portal.payer} host: do not sign in there; the official address is {official}.",
              host=host, payer=portal.payer, portal=portal.name, official_host=official, presented=presented)


def _foreign_purpose(snapshot: PageSnapshot, login: LoginForm, config: CheckConfig) -> bool:
    """A page for something that is never a plan's portal (a careers site's candidate login, a
    vendor's sign-in, a society's members): it may name the payer, it does not pose as its portal."""
    from preflight.checks.portal.roles import page_purpose_label

    # What the page says, not its address: a phishing host is named to lure ("...-rewards-claim").
    return page_purpose_label(snapshot, login, config.vocabulary, address=False) in config.vocabulary.foreign_purposes


def _audience(hit: NameHit, vocab: Vocabulary) -> bool:
    """The text opens with the name and goes on with a few words that say whom the portal
    serves ("Cigna for Health Care Professionals", "Cigna Brokers"): the name of a portal."""
    if hit.start != 0 or not hit.rest or len(hit.rest) > _AUDIENCE_REST:
        return False
    text = normalize(" ".join(hit.rest))
    spans = [(h.start, h.end) for h in vocab.roles.hits(text) if h.label in ROLE_NAMES and h.weight > 0]
    if not spans:
        return False
    # Every other word is a link word: "and aetna raised premiums" is a sentence, not an audience.
    offset = 0
    for word in text.split(" "):
        inside = any(start <= offset and offset + len(word) <= end for start, end in spans)
        if not inside and word not in _LINK_WORDS and word not in _PORTAL_WORDS:
            return False
        offset += len(word) + 1
    return True


def _clone_of(found: FindingList, judge: HostJudge, snapshot: PageSnapshot, config: CheckConfig) -> None:
    """A login off the allowlist that copies a baselined official login (``check --baseline``)."""
    from preflight.checks.baseline import clone_matches

    host = host_of(snapshot.final_url)
    if not host or judge.judge_normalized(host).verdict == OFFICIAL:
        return
    matches = clone_matches(snapshot, config)
    if not matches:
        return
    best = matches[0]
    signs = ["the same favicon"] if best.favicon_match else []
    if best.visual_distance is not None and best.visual_distance <= config.settings.baseline.clone_visual:
        signs.append(f"its screenshot {best.visual_distance:.0%} away from the official one")
    if best.form_similarity >= 0.8:
        signs.append(f"{best.form_similarity:.0%} the same login fields")
    listed = config.allowlist.lookup(host_of(best.entry.final_url))
    portal = f"{listed.portal.payer} {listed.portal.name}".strip() if listed is not None else ""
    found.add("clone_of", Severity.FAIL,
              f"This login page on {host} copies the official {portal or 'portal'} login {best.entry.final_url} "
              f"({', '.join(signs)}): do not sign in there.", host=host, portal=portal, **best.figures(),
              others=[m.figures() for m in matches[1:5]])


def _scheme_findings(found: FindingList, url: str, host: str, where: str) -> None:
    if not url.lower().startswith("http:"):
        return
    if is_loopback(host):
        found.add("insecure_loopback", Severity.WARN,
                  f"The {where} uses plain HTTP on a loopback host ({host}); fine for a test, never for a real portal.",
                  url=url, host=host)
    else:
        found.add("not_https", Severity.FAIL,
                  f"The {where} is not encrypted (plain HTTP): do not enter a password on {host}.", url=url, host=host)


def _untrusted(found: FindingList, verdict: HostJudgement, subject: str, code: str | None = None, **evidence: object) -> None:
    """One finding for a host that is not official, worded by what it is."""
    host = verdict.host
    details = dict(evidence, host=host, registrable_domain=verdict.registrable_domain, verdict=verdict.verdict,
                   reasons=list(verdict.reasons), signals=list(verdict.signals))
    if verdict.verdict == LOOKALIKE:
        details["lookalike_of"] = verdict.lookalike_of
        why = verdict.reasons[0] if verdict.reasons else ""
        found.add("lookalike", Severity.FAIL,
                  f"{subject} is on {host}, a lookalike of {verdict.lookalike_of}. {why} Do not sign in there.".strip(),
                  **details)
    elif verdict.verdict == SAME_ORGANIZATION:
        found.add(code or "same_organization", Severity.WARN,
                  f"{subject} is on {host}: same organization ({verdict.registrable_domain}) but not a listed portal host.",
                  **details)
    elif verdict.verdict == INVALID:
        found.add("invalid_host", Severity.FAIL, f"{subject} has a host no browser should accept ({host}).", **details)
    else:
        found.add(code or "not_allowlisted", Severity.FAIL,
                  f"{subject} is on {host}, which is not an official portal host in the allowlist.", **details)


def _form_targets(found: FindingList, judge: HostJudge, frame: FrameFacts, page_https: bool) -> None:
    """Where each form holding a password field would send it."""
    indexes = {i.form_index for i in frame.inputs if i.type == "password" and i.visible and i.form_index is not None}
    for index in sorted(indexes):
        if index >= len(frame.forms):
            continue
        action = frame.forms[index].action
        host = host_of(action)
        if not host:
            continue
        if action.lower().startswith("http:") and not is_loopback(host):
            found.add("insecure_form_action", Severity.FAIL,
                      f"The login form sends the password unencrypted (plain HTTP) to {host}.", action=action, host=host)
        elif action.lower().startswith("http:") and page_https:
            found.add("insecure_form_action", Severity.FAIL,
                      f"The login form on an HTTPS page posts to plain HTTP ({host}).", action=action, host=host)
        verdict = judge.judge_normalized(host)
        if verdict.verdict != OFFICIAL:
            _untrusted(found, verdict, "The login form's target", code="form_action_off_list", action=action)


def _recovery_links(found: FindingList, judge: HostJudge, snapshot: PageSnapshot, frames: Iterable[FrameFacts],
                    config: CheckConfig) -> None:
    """"Forgot user ID / password", "Register", "Unlock" must stay on the payer's official hosts:
    a recovery path on another site is where phishers ask for the details they lack."""
    vocab = config.vocabulary
    seen: set[str] = set()
    for frame in frames:
        for link in recovery_links(frame, snapshot.final_url or frame.url, vocab):
            if not link.host or link.host in seen:
                continue
            seen.add(link.host)
            verdict = judge.judge_normalized(link.host)
            if verdict.verdict != OFFICIAL:
                _untrusted(found, verdict, f"The recovery link '{link.text[:40]}'", code="recovery_off_list",
                           href=link.href)


def _script_hosts(found: FindingList, judge: HostJudge, snapshot: PageSnapshot, frames: Iterable[FrameFacts]) -> None:
    """Scripts from unlisted hosts run inside the login page and can read its password field."""
    frame_urls = {f.url for f in frames}
    urls = {s for f in frames for s in f.scripts}
    urls.update(r.url for r in snapshot.requests if r.resource_type == "script" and r.frame_url in frame_urls)
    outside: dict[str, str] = {}
    for url in sorted(urls):
        host = host_of(url)
        if host and host not in outside:
            verdict = judge.judge_normalized(host)
            if verdict.verdict not in _TRUSTED_SUBRESOURCE:
                outside[host] = verdict.verdict
    if outside:
        listed = ", ".join(sorted(outside))
        found.add("third_party_scripts", Severity.WARN,
                  f"The login page runs scripts from hosts not on the allowlist ({listed}); they can read what is typed.",
                  hosts=[{"host": h, "verdict": v} for h, v in sorted(outside.items())])


def _mixed_content(found: FindingList, snapshot: PageSnapshot, page_https: bool) -> None:
    if not page_https:
        return
    insecure = sorted({r.url for r in snapshot.requests if r.url.lower().startswith("http:")
                       and not is_loopback(host_of(r.url))})[:20]
    blocked = [e for e in snapshot.console_errors if "Mixed Content" in e][:10]
    if insecure or blocked:
        found.add("mixed_content", Severity.FAIL,
                  "The HTTPS login page loads content over plain HTTP (mixed content): the page can be tampered with.",
                  urls=insecure, console=blocked)
