"""Login-page integrity: what changed since the login's baseline, and how much it matters.

``facts_of`` reads the stable facts of a visit (the same ``BaselineEntry`` that ``preflight
baseline save`` writes); ``compare`` classifies every difference from a saved entry with a code
and a severity; ``check`` reports them (only with ``check --baseline``). ``clone_matches`` tells
whether a login on another host copies a baselined one (the domain check reports it).

Routine changes (a renewed certificate, a new build of a script) are info or warn; the first
signs of an attack (the form posting elsewhere, a script from a new origin in the login page, the
login frame served from a new origin, a new field asking for card, SSN or birth date, another
role) fail.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from preflight.checks.base import CheckConfig, FindingList
from preflight.checks.portal.formfields import classify_field
from preflight.checks.portal.loginform import find_login_form, recovery_links
from preflight.checks.portal.roles import classify_role
from preflight.checks.portal.vocabulary import normalize, split_identifier
from preflight.config.settings import BaselineSettings
from preflight.model.baseline import (
    BaselineCertificate,
    BaselineEntry,
    BaselineField,
    BaselineFormAction,
    BaselineScript,
)
from preflight.model.report import CheckResult, Severity
from preflight.model.sections import BaselineChange, BaselineSection, LoginFormKind, Role
from preflight.model.snapshot import LOGIN_INPUT_TYPES, FrameFacts, InputFacts, PageSnapshot
from preflight.rules.hosts import host_of
from preflight.rules.integrity import (
    VISUAL_HASH_BITS,
    origin_of,
    path_of,
    script_key,
    visual_distance,
    without_query,
)

NAME = "baseline"

SENSITIVE_KINDS = ("card", "date-of-birth", "ssn")
"""A new field asking for one of these is what a skimming or phishing change adds."""

MIN_ROLE_CONFIDENCE = 0.5
"""Below this a changed role is a warning: the page may just no longer say whose login it is."""

MIN_VISUAL_BITS = 16
"""A perceptual hash with fewer set bits is a near-blank page: it looks like every other blank page."""

CLONE_FORM_SIMILARITY = 0.8
"""Share of login fields (name, type, autocomplete, label) two forms must share to be one form."""
CLONE_FORM_FIELDS = 3
"""...and how many at least: a "User ID" and "Password" pair with the usual attributes is what
every login has (two corpus pages of other payers share it exactly with the Cigna login)."""


# --------------------------------------------------------------------------- facts of a visit


def facts_of(snapshot: PageSnapshot, config: CheckConfig, saved_at: float | None = None) -> BaselineEntry:
    """The stable facts of one visit, as a baseline keeps them: no query values, no field
    values, no cookies; scripts, icon and screenshot by digest only."""
    vocab = config.vocabulary
    login = find_login_form(snapshot, vocab)
    verdict = classify_role(snapshot, login, vocab)
    main = snapshot.main_frame
    login_frames = [f for f in snapshot.frames if f.has_login_fields]
    chain = tuple(dict.fromkeys(h for h in (host_of(u) for u in snapshot.page_urls) if h))
    seen_hosts = set(chain) | {host_of(f.url) for f in snapshot.frames}
    identity = sorted(seen_hosts & {h for p in config.allowlist.portals for h in p.identity_hosts})
    fields: list[BaselineField] = []
    actions: list[BaselineFormAction] = []
    for frame in login_frames:
        controls, forms = _login_controls(frame)
        fields += [f for f in (_field(c, config) for c in controls) if f is not None]
        frame_origin = origin_of(frame.url)
        for index in forms:
            action = frame.forms[index].action or frame.url
            actions.append(BaselineFormAction(
                frame="main" if frame is main else frame_origin, host=host_of(action), path=path_of(action),
                same_origin=origin_of(action) == frame_origin, method=frame.forms[index].method or "get"))
    recovery = sorted({link.host for frame in (login_frames or [main])
                       for link in recovery_links(frame, snapshot.final_url or frame.url, vocab) if link.host})
    frame_origins = sorted({origin_of(f.url) for f in login_frames if f is not main and f.cross_origin})
    integrity = snapshot.integrity
    login_urls = {f.url for f in login_frames}
    scripts: list[BaselineScript] = []
    for script in integrity.scripts if integrity is not None else ():
        frame_origin = origin_of(script.frame_url)
        entry = BaselineScript(
            key="inline" if not script.url else script_key(script.url, frame_origin),
            url=without_query(script.url) if script.url else "", origin=origin_of(script.url),
            sha256=script.sha256, inline=not script.url, sri=script.integrity,
            login_frame=script.frame_url in login_urls)
        if entry not in scripts:
            scripts.append(entry)
    cert = integrity.certificate if integrity is not None else None
    return BaselineEntry(
        target=without_query(snapshot.requested_url), final_url=without_query(snapshot.final_url),
        saved_at=saved_at if saved_at is not None else snapshot.captured_at,
        host_chain=chain, identity_hosts=tuple(identity),
        login_form=cast(LoginFormKind, login.kind), fields=tuple(fields), form_actions=tuple(actions),
        recovery_hosts=tuple(recovery), login_frame_origins=tuple(frame_origins), scripts=tuple(scripts),
        certificate=BaselineCertificate(spki_sha256=cert.spki_sha256, issuer=cert.issuer, subject=cert.subject,
                                        not_before=cert.not_before, not_after=cert.not_after, san=cert.san)
        if cert is not None else None,
        hsts=snapshot.response_headers.get("strict-transport-security"),
        role=cast(Role, verdict.role), role_confidence=round(max(0.0, min(1.0, verdict.confidence)), 3),
        favicon_sha256=integrity.favicon_sha256 if integrity is not None else "",
        visual_hash=integrity.visual_hash if integrity is not None else "")


def _is_login_control(control: InputFacts) -> bool:
    return control.visible and (control.type in LOGIN_INPUT_TYPES or "username" in control.autocomplete.split())


def _login_controls(frame: FrameFacts) -> tuple[list[InputFacts], list[int]]:
    """The visible controls of the forms holding login fields (of the page's main content when
    the login has no ``<form>``), and those forms' indexes."""
    forms = sorted({c.form_index for c in frame.inputs if _is_login_control(c) and c.form_index is not None
                    and c.form_index < len(frame.forms)})
    if forms:
        return [c for c in frame.inputs if c.visible and c.form_index in forms], forms
    return [c for c in frame.inputs if c.visible and c.region in ("form", "main")], []


def _field(control: InputFacts, config: CheckConfig) -> BaselineField | None:
    classified = classify_field(control, config.vocabulary)
    if classified is None:
        return None
    kind = classified.kind
    ssn = config.vocabulary.fields.get("ssn")
    if ssn is not None and (ssn.label_match(normalize(f"{control.label} {control.placeholder}"))
                            or ssn.attr_match(split_identifier(f"{control.name} {control.id}"))):
        kind = "ssn"
    return BaselineField(name=control.name[:80], type=classified.type, autocomplete=control.autocomplete[:80],
                         label=classified.label, kind=kind)


# --------------------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Change:
    """One classified difference (a finding once it survives ``[baseline] ignore``)."""

    code: str
    """Without the ``baseline.`` prefix."""
    severity: Severity
    subject: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    changes: tuple[Change, ...]
    visual_distance: float | None


def compare(saved: BaselineEntry, now: BaselineEntry, settings: BaselineSettings = BaselineSettings(),
            digests: bool = True) -> Comparison:
    """Every difference between a saved entry and this visit's facts, classified. ``digests``
    False: this visit took no digests (scripts, icon, certificate, screenshot are not compared)."""
    changes: list[Change] = []
    _hosts(changes, saved, now)
    moved = _frames(changes, saved, now)
    _actions(changes, saved, now)
    _fields(changes, saved, now)
    if saved.role != now.role:
        # Another role, read with confidence, fails (as portal.role_mismatch does); a page that no
        # longer says whose login it is (a maintenance notice, thin wording) warns.
        sure = now.role != "unknown" and now.role_confidence >= MIN_ROLE_CONFIDENCE
        changes.append(Change("role_changed", Severity.FAIL if sure else Severity.WARN, now.role,
                              f"The login now reads as a {now.role} login (confidence {now.role_confidence:.2f}); "
                              f"the baseline says {saved.role}.",
                              {"before": saved.role, "after": now.role, "confidence": now.role_confidence}))
    added_recovery = sorted(set(now.recovery_hosts) - set(saved.recovery_hosts))
    if added_recovery:
        changes.append(Change("recovery_changed", Severity.WARN, ", ".join(added_recovery),
                              f"A recovery or registration link now points to {', '.join(added_recovery)}.",
                              {"before": list(saved.recovery_hosts), "after": list(now.recovery_hosts)}))
    _hsts(changes, saved, now)
    distance: float | None = None
    if digests:
        _scripts(changes, saved, now, moved)
        _certificate(changes, saved, now)
        if saved.favicon_sha256 and now.favicon_sha256 and saved.favicon_sha256 != now.favicon_sha256:
            changes.append(Change("favicon_changed", Severity.INFO, "favicon",
                                  "The page's icon changed.", {"before": saved.favicon_sha256,
                                                              "after": now.favicon_sha256}))
        if saved.visual_hash and now.visual_hash:
            distance = round(visual_distance(saved.visual_hash, now.visual_hash), 4)
            explained = any(c.code == "fields_changed" for c in changes)
            if not explained and distance >= settings.visual_info:
                severity = Severity.WARN if distance >= settings.visual_warn else Severity.INFO
                changes.append(Change("visual_change", severity, "screenshot",
                                      f"The page looks different: {distance:.0%} of its perceptual hash changed.",
                                      {"distance": distance, "info_from": settings.visual_info,
                                       "warn_from": settings.visual_warn}))
    return Comparison(tuple(changes), distance)


def _hosts(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> None:
    if saved.host_chain != now.host_chain:
        changes.append(Change("host_chain_changed", Severity.WARN, " -> ".join(now.host_chain),
                              f"The page now goes through {' -> '.join(now.host_chain) or 'no host'}; the baseline "
                              f"went through {' -> '.join(saved.host_chain)}.",
                              {"before": list(saved.host_chain), "after": list(now.host_chain)}))


def _frames(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> set[str]:
    """Login frames from origins the baseline did not have; returns those origins."""
    added = sorted(set(now.login_frame_origins) - set(saved.login_frame_origins))
    removed = sorted(set(saved.login_frame_origins) - set(now.login_frame_origins))
    for origin in added:
        changes.append(Change("login_frame_origin_changed", Severity.FAIL, origin,
                              f"The login fields are now in a frame from {origin}"
                              + (f" (was {', '.join(removed)})." if removed else " (the baseline had none)."),
                              {"before": list(saved.login_frame_origins), "after": list(now.login_frame_origins)}))
    if removed and not added and now.login_form != "none":
        changes.append(Change("login_frame_origin_changed", Severity.FAIL, "main page",
                              f"The login fields are now in the page itself, no longer in the frame from "
                              f"{', '.join(removed)}.",
                              {"before": list(saved.login_frame_origins), "after": []}))
    return set(added)


def _action_key(action: BaselineFormAction) -> tuple[str, str, str]:
    return ("main" if action.frame == "main" else "frame", "self" if action.same_origin else action.host, action.path)


def _actions(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> None:
    before = {_action_key(a) for a in saved.form_actions}
    for action in now.form_actions:
        if _action_key(action) in before:
            continue
        target = f"{action.host}{action.path}"
        changes.append(Change("form_action_changed", Severity.FAIL, target,
                              f"The login form now sends what is typed to {target}; the baseline sent it to "
                              f"{', '.join(a.host + a.path for a in saved.form_actions) or 'nowhere'}.",
                              {"before": [f"{a.host}{a.path}" for a in saved.form_actions], "after": target,
                               "method": action.method}))
        before.add(_action_key(action))


def _field_sig(f: BaselineField) -> tuple[str, str, str, str, str]:
    return (f.name, f.type, f.autocomplete, " ".join(f.label.lower().split()), f.kind)


def _fields(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> None:
    before, after = Counter(map(_field_sig, saved.fields)), Counter(map(_field_sig, now.fields))
    added, removed = list((after - before).elements()), list((before - after).elements())
    if not added and not removed and saved.login_form == now.login_form:
        return
    sensitive = sorted({sig[4] for sig in added if sig[4] in SENSITIVE_KINDS}
                       - {f.kind for f in saved.fields})
    subject = ", ".join(sig[0] or sig[3] or sig[1] for sig in added) or ", ".join(
        sig[0] or sig[3] or sig[1] for sig in removed) or now.login_form
    asks = f" It now asks for {', '.join(sensitive)} data: do not sign in." if sensitive else ""
    changes.append(Change("fields_changed", Severity.FAIL if sensitive else Severity.WARN, subject,
                          f"The login form changed ({_field_words(added, removed, saved, now)}).{asks}",
                          {"added": [_sig_dict(s) for s in added], "removed": [_sig_dict(s) for s in removed],
                           "login_form": {"before": saved.login_form, "after": now.login_form},
                           "sensitive": sensitive}))


def _field_words(added: Sequence[tuple[str, ...]], removed: Sequence[tuple[str, ...]], saved: BaselineEntry,
                 now: BaselineEntry) -> str:
    words = []
    if added:
        words.append("new: " + ", ".join(f"'{s[3] or s[0]}' ({s[4]})" for s in added))
    if removed:
        words.append("gone: " + ", ".join(f"'{s[3] or s[0]}' ({s[4]})" for s in removed))
    if saved.login_form != now.login_form:
        words.append(f"form kind {saved.login_form} -> {now.login_form}")
    return "; ".join(words)


def _sig_dict(sig: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(("name", "type", "autocomplete", "label", "kind"), sig))


def _scripts(changes: list[Change], saved: BaselineEntry, now: BaselineEntry, moved_frames: set[str]) -> None:
    old = {s.key: s for s in saved.scripts if not s.inline}
    old_hashes: dict[str, set[str]] = {}
    for s in saved.scripts:
        if not s.inline:
            old_hashes.setdefault(s.key, set()).add(s.sha256)
    # A page's own origin is never new; ``self`` is the origin of the frame a script runs in.
    known_origins = {_origin_word(s) for s in saved.scripts if not s.inline} | {"self"}
    reported: set[str] = set()
    for script in now.scripts:
        if script.inline or script.key in reported:
            continue
        reported.add(script.key)
        before = old.get(script.key)
        if before is None:
            if _origin_word(script) not in known_origins and script.origin not in moved_frames:
                severity = Severity.FAIL if script.login_frame else Severity.WARN
                where = "the login page" if script.login_frame else "a frame of the page without login fields"
                changes.append(Change("new_script_origin", severity, script.url,
                                      f"A script from a new origin ({script.origin}) runs in {where}: {script.url}. "
                                      "It can read what is typed.",
                                      {"url": script.url, "origin": script.origin, "sha256": script.sha256,
                                       "login_frame": script.login_frame, "sri": script.sri}))
            elif script.origin not in moved_frames:
                changes.append(Change("script_changed", Severity.WARN, script.url,
                                      f"A new script runs in the page: {script.url}.",
                                      {"url": script.url, "before": None, "after": script.sha256}))
            continue
        hashes = old_hashes.get(script.key, set())
        if script.sha256 and all(hashes) and script.sha256 not in hashes:
            changes.append(Change("script_changed", Severity.WARN, script.url,
                                  f"The script {script.url} changed (content hash differs from the baseline).",
                                  {"url": script.url, "before": sorted(hashes), "after": script.sha256,
                                   "baseline_url": before.url}))
        elif before.sri and not script.sri:
            changes.append(Change("script_changed", Severity.WARN, script.url,
                                  f"The script {script.url} is no longer loaded with Subresource Integrity.",
                                  {"url": script.url, "sri": {"before": True, "after": False}}))
    now_keys = {s.key for s in now.scripts if not s.inline}
    for key, script in old.items():
        if key not in now_keys:
            changes.append(Change("script_removed", Severity.INFO, script.url,
                                  f"The script {script.url} no longer runs in the page.", {"url": script.url}))
    before_inline = Counter((s.login_frame, s.sha256) for s in saved.scripts if s.inline)
    after_inline = Counter((s.login_frame, s.sha256) for s in now.scripts if s.inline)
    added, removed = after_inline - before_inline, before_inline - after_inline
    if added:
        count = sum(added.values())
        changes.append(Change("script_changed", Severity.WARN, "inline script",
                              f"{count} inline script(s) of the page are new or changed "
                              f"({sum(removed.values())} of the baseline's are gone).",
                              {"added": sorted(sha for _, sha in added), "removed": sorted(sha for _, sha in removed)}))
    elif removed:
        changes.append(Change("script_removed", Severity.INFO, "inline script",
                              f"{sum(removed.values())} inline script(s) of the baseline no longer run.",
                              {"removed": sorted(sha for _, sha in removed)}))


def _origin_word(script: BaselineScript) -> str:
    return "self" if script.key.startswith("self") else script.origin


def _certificate(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> None:
    old, new = saved.certificate, now.certificate
    if old is None or new is None:
        return
    evidence = {"before": {"issuer": old.issuer, "spki_sha256": old.spki_sha256, "not_after": old.not_after},
                "after": {"issuer": new.issuer, "spki_sha256": new.spki_sha256, "not_after": new.not_after}}
    if old.issuer != new.issuer:
        changes.append(Change("cert_new_issuer", Severity.WARN, new.issuer,
                              f"The certificate now comes from another issuer ({new.issuer}; was {old.issuer}): "
                              "confirm the change with the payer.", evidence))
    elif old.spki_sha256 != new.spki_sha256:
        changes.append(Change("cert_new_key", Severity.INFO, new.spki_sha256,
                              "The certificate has a new key (same issuer): a routine renewal with a new key.",
                              evidence))
    elif (old.not_before, old.not_after, old.san) != (new.not_before, new.not_after, new.san):
        changes.append(Change("cert_renewed", Severity.INFO, new.subject,
                              "The certificate was renewed (same key, same issuer, new validity).",
                              {**evidence, "san": {"added": sorted(set(new.san) - set(old.san)),
                                                   "removed": sorted(set(old.san) - set(new.san))}}))


def _hsts(changes: list[Change], saved: BaselineEntry, now: BaselineEntry) -> None:
    if saved.hsts == now.hsts:
        return
    dropped = saved.hsts is not None and now.hsts is None
    changes.append(Change("hsts_changed", Severity.WARN if dropped else Severity.INFO, now.hsts or "none",
                          "The page no longer sends Strict-Transport-Security." if dropped
                          else f"Strict-Transport-Security changed: {now.hsts!r} (was {saved.hsts!r}).",
                          {"before": saved.hsts, "after": now.hsts}))


def ignored(change: Change, patterns: Iterable[str]) -> bool:
    """``[baseline] ignore``: ``baseline.*`` patterns match the code, the others what changed."""
    for pattern in patterns:
        if pattern.startswith("baseline."):
            if fnmatch.fnmatchcase(f"baseline.{change.code}", pattern):
                return True
        elif fnmatch.fnmatchcase(change.subject, pattern):
            return True
    return False


# --------------------------------------------------------------------------- the check


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    baseline = config.baseline
    if baseline is None:
        return found.result()
    saved = baseline.entry_for(snapshot.requested_url)
    if saved is None:
        target = without_query(snapshot.requested_url)
        host = host_of(snapshot.final_url) or host_of(target)
        if host and config.host_judge.judge_normalized(host).verdict == "official":
            found.add("not_baselined", Severity.WARN,
                      f"The baseline has no entry for {target}: nothing to compare (add it with "
                      "`preflight baseline update --baseline FILE URL`).", target=target)
        else:
            found.add("not_baselined", Severity.INFO,
                      f"{target} is not compared: the baseline holds official logins only, and {host or 'this host'} "
                      "is not one (see the domain findings).", target=target)
        return found.result(BaselineSection(status="not_baselined", saved_at=None, changes=(), counts={},
                                            visual_distance=None))
    comparison = compare(saved, facts_of(snapshot, config), config.settings.baseline,
                         digests=snapshot.integrity is not None)
    patterns = config.settings.baseline.ignore
    entries: list[BaselineChange] = []
    counts: dict[str, int] = {}
    for change in comparison.changes:
        skip = ignored(change, patterns)
        entries.append(BaselineChange(code=f"baseline.{change.code}", severity=change.severity.value,
                                      subject=change.subject, ignored=skip))
        if skip:
            continue
        counts[change.code] = counts.get(change.code, 0) + 1
        found.add(change.code, change.severity, change.message, subject=change.subject, **change.evidence)
    if not counts:
        quiet = len(entries)
        found.add("unchanged", Severity.PASS,
                  "The login page matches its baseline" + (f" ({quiet} known change(s) ignored)." if quiet else "."),
                  saved_at=saved.saved_at, ignored=quiet, visual_distance=comparison.visual_distance)
    return found.result(BaselineSection(status="compared", saved_at=saved.saved_at, changes=tuple(entries),
                                        counts=counts, visual_distance=comparison.visual_distance))


# --------------------------------------------------------------------------- clones


@dataclass(frozen=True)
class CloneMatch:
    """A login on another host that looks like a baselined official login."""

    entry: BaselineEntry
    favicon_match: bool
    visual_distance: float | None
    form_similarity: float

    def figures(self) -> dict[str, Any]:
        return {"official": self.entry.final_url, "favicon_match": self.favicon_match,
                "visual_distance": self.visual_distance, "form_similarity": round(self.form_similarity, 3)}


def clone_matches(snapshot: PageSnapshot, config: CheckConfig) -> list[CloneMatch]:
    """Baselined official logins this page copies, closest first: the same favicon, a
    perceptual hash within ``[baseline] clone_visual``, or the same login form."""
    baseline = config.baseline
    if baseline is None or not baseline.targets:
        return []
    now = facts_of(snapshot, config)
    host = host_of(snapshot.final_url)
    matches: list[CloneMatch] = []
    for entry in baseline.targets:
        official = host_of(entry.final_url)
        if not official or official == host or config.host_judge.judge_normalized(official).verdict != "official":
            continue
        favicon = bool(entry.favicon_sha256) and entry.favicon_sha256 == now.favicon_sha256
        distance = None
        if _textured(entry.visual_hash) and _textured(now.visual_hash):
            distance = round(visual_distance(entry.visual_hash, now.visual_hash), 4)
        similarity, shared = form_similarity(entry, now)
        looks = distance is not None and distance <= config.settings.baseline.clone_visual
        same_form = similarity >= CLONE_FORM_SIMILARITY and shared >= CLONE_FORM_FIELDS and entry.login_form == now.login_form
        if favicon or looks or same_form:
            matches.append(CloneMatch(entry, favicon, distance, similarity))
    return sorted(matches, key=lambda m: (-(m.favicon_match + (m.visual_distance is not None and
                                                              m.visual_distance <= 0.1) + m.form_similarity),))


def form_similarity(first: BaselineEntry, second: BaselineEntry) -> tuple[float, int]:
    """Jaccard similarity of two logins' field sets (name, type, autocomplete, label) and how many they share."""
    a = Counter(_field_sig(f)[:4] for f in first.fields)
    b = Counter(_field_sig(f)[:4] for f in second.fields)
    union = sum((a | b).values())
    shared = sum((a & b).values())
    return (shared / union if union else 0.0), shared


def _textured(visual: str) -> bool:
    return bool(visual) and len(visual) * 4 == VISUAL_HASH_BITS and bin(int(visual, 16)).count("1") >= MIN_VISUAL_BITS
