"""One self-contained HTML page for people: opens from a CI artifact or a mail attachment.

Nothing in it loads anything: CSS is inline, screenshots are ``data:`` URIs, there is no script
and no font or link to fetch, and a Content-Security-Policy meta tag makes the browser refuse
anything else. Every word of it comes from the JSON document (``RunDocument``), so whatever JSON
redacts (tokens in URLs, cookie values, field values) never reaches this page either; the
pictures come from ``PageSnapshot.view``, whose field values were hidden before it was taken.

The login form is outlined by a box laid over the screenshot in percentages of its size, not
drawn into the PNG: no image library is needed, the PNG stays as the browser took it, the
outline stays crisp at any zoom and width, and a test can find it in the page's DOM.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from preflight.model.document import FindingDocument, ResultDocument, RunDocument
from preflight.model.report import RunReport, Severity, TargetResult
from preflight.model.sections import ClockSection, CookiesSection, PortalSection
from preflight.model.snapshot import Box, PageView
from preflight.rules.hosts import host_of
from preflight.rules.outage import diagnose
from preflight.rules.skew import describe_offset

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_SEVERITY_ORDER = {"fail": 0, "warn": 1, "pass": 2, "info": 3}

_STYLE = """
:root { --pass:#1a7f37; --warn:#9a6700; --fail:#cf222e; --error:#8250df; --info:#57606a; --line:#d0d7de;
  --soft:#f6f8fa; --ink:#1f2328; --muted:#59636e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 0 20px 40px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
header.run { border-bottom: 1px solid var(--line); padding: 20px 0 16px; margin-bottom: 8px; }
header.run h1 { margin: 0; font-size: 26px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
.meta { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
.badge { display: inline-block; border-radius: 6px; padding: 1px 10px; color: #fff; font-weight: 700;
  letter-spacing: .04em; font-size: .85em; text-transform: uppercase; }
.badge.pass { background: var(--pass); } .badge.warn { background: var(--warn); }
.badge.fail { background: var(--fail); } .badge.error { background: var(--error); }
.badge.info { background: var(--info); }
ul.answers { list-style: none; padding: 0; margin: 14px 0 0; }
ul.answers li { border-left: 5px solid var(--info); background: var(--soft); padding: 8px 12px; margin: 6px 0;
  border-radius: 0 6px 6px 0; }
.k-outage { border-color: var(--fail) !important; } .k-maintenance { border-color: var(--warn) !important; }
.k-untrusted { border-color: var(--fail) !important; } .k-healthy { border-color: var(--pass) !important; }
.kind { font-weight: 700; text-transform: uppercase; font-size: 12px; letter-spacing: .05em; margin-right: 6px; }
section.target { border: 1px solid var(--line); border-radius: 10px; margin: 22px 0; overflow: hidden; }
section.target > h2 { margin: 0; padding: 12px 16px; font-size: 17px; background: var(--soft);
  border-bottom: 1px solid var(--line); display: flex; gap: 10px; align-items: center; overflow-wrap: anywhere; }
.body { padding: 14px 16px; }
.columns { display: grid; grid-template-columns: minmax(0, 4fr) minmax(0, 7fr); gap: 20px; align-items: start; }
@media (max-width: 860px) { .columns { grid-template-columns: 1fr; } }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 14px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ol.chain { margin: 0; padding-left: 20px; } ol.chain li { overflow-wrap: anywhere; }
figure.shot { margin: 0; }
.picture { position: relative; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; line-height: 0; }
.picture img { display: block; width: 100%; height: auto; }
.outline { position: absolute; outline: 3px solid #d6336c; outline-offset: 4px; border-radius: 4px;
  box-shadow: 0 0 0 4px rgba(255,255,255,.6), 0 0 0 9999px rgba(31,35,40,.22); }
.outline .tag { position: absolute; left: -7px; bottom: calc(100% + 7px); background: #d6336c; color: #fff; font: 700 12px/1.6 system-ui,
  sans-serif; padding: 0 6px; border-radius: 4px 4px 0 0; white-space: nowrap; }
.outline.below .tag { bottom: auto; top: calc(100% + 7px); border-radius: 0 0 4px 4px; }
.field-box { position: absolute; outline: 2px dashed rgba(214,51,108,.85); outline-offset: 1px; border-radius: 3px; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-top: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; font-size: 13px; border-top: none; }
td.sev { width: 64px; } td .code { color: var(--muted); }
dl.evidence { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0 10px; margin: 4px 0 0;
  font-size: 12.5px; color: var(--muted); }
dl.evidence dd { margin: 0; overflow-wrap: anywhere; } dl.evidence dt { font-weight: 600; }
details summary { cursor: pointer; color: var(--muted); font-size: 12.5px; width: max-content; }
details:not([open]) { display: inline-block; margin-left: 8px; } details:not([open]) summary { display: inline; }
.note { color: var(--muted); font-size: 13px; }
.error-box { border-left: 5px solid var(--error); background: #fbefff; padding: 8px 12px; margin-bottom: 12px; }
nav.toc { font-size: 14px; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
.tag-chip { font-size: 12px; font-weight: 600; color: var(--muted); border: 1px solid var(--line);
  border-radius: 10px; padding: 0 8px; }
nav.toc a { color: var(--ink); text-decoration: none; } nav.toc a:hover { text-decoration: underline; }
"""


def render(report: RunReport, verbose: bool = False) -> str:
    document = RunDocument.of(report)
    targets = [_target(index, result, shown, verbose)
               for index, (result, shown) in enumerate(zip(report.results, document.results), start=1)]
    verdict = document.verdict.value
    generated = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(report.started_at or time.time()))
    answers = "".join(_answer(index, result, shown)
                      for index, (result, shown) in enumerate(zip(report.results, document.results), start=1))
    toc = "".join(f'<a href="#target-{i}"><span class="badge {e(r.verdict.value)}">{e(r.verdict.value)}</span> '
                  f"{e(r.name or _label(r.target))}</a>" for i, r in enumerate(document.results, start=1))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>preflight: {e(verdict.upper())} — {len(document.results)} target(s)</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="run"><h1><span class="badge {e(verdict)}" id="verdict">{e(verdict)}</span>'
        f"preflight check</h1>\n"
        f'<p class="meta">{len(document.results)} target(s) in {document.elapsed_s:.1f} s · {e(generated)} · '
        f"allowlist: {e(document.allowlist)} · browser: {e(document.browser)}</p>\n"
        f'<ul class="answers" id="answers">{answers}</ul>\n'
        + (f'<nav class="toc">{toc}</nav>\n' if len(document.results) > 1 else "")
        + "</header>\n" + "\n".join(targets) + "\n</main>\n</body>\n</html>\n"
    )


def e(value: object) -> str:
    """Text (or an attribute value) safe to put in the page."""
    return escape(str(value), quote=True)


def _label(url: str, limit: int = 70) -> str:
    """A target as people name it: host and path, no scheme (``cigna.com/app/login``)."""
    host = host_of(url)
    if not host:
        return url
    rest = url.split(host, 1)[1] if host in url else ""
    rest = rest.split("?", 1)[0].split("#", 1)[0]
    if rest.startswith(":"):  # a port
        rest = rest[rest.find("/"):] if "/" in rest else ""
    label = host + (rest if rest not in ("", "/") else "")
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _answer(index: int, result: TargetResult, shown: ResultDocument) -> str:
    kind, sentence = diagnose(result)
    return (f'<li class="k-{e(kind)}" data-kind="{e(kind)}"><span class="kind">{e(kind)}</span>'
            f'<a href="#target-{index}">{e(shown.name or _label(shown.target))}</a> — {e(sentence)}</li>')


def _target(index: int, result: TargetResult, shown: ResultDocument, verbose: bool) -> str:
    verdict = shown.verdict.value
    view = result.snapshot.view if result.snapshot is not None else None
    error = (f'<div class="error-box"><b>Could not check:</b> {e(shown.error.message)} '
             f'<span class="code mono">({e(shown.error.code)})</span></div>') if shown.error else ""
    return (
        f'<section class="target" id="target-{index}" data-verdict="{e(verdict)}">\n'
        f'<h2><span class="badge {e(verdict)}">{e(verdict)}</span>{_title(shown)}</h2>\n'
        f'<div class="body">{error}<div class="columns"><div>{_facts(shown)}</div>'
        f"<div>{_screenshot(index, view, shown)}</div></div>\n"
        f"{_findings(shown.findings, verbose)}{_cookies(shown.cookies)}</div>\n</section>"
    )


def _title(shown: ResultDocument) -> str:
    tags = "".join(f'<span class="tag-chip">{e(tag)}</span>' for tag in shown.tags)
    url = f'<span class="mono">{e(shown.target)}</span>'
    return f"<span>{e(shown.name)}</span> {url}{tags}" if shown.name else url + tags


def _facts(shown: ResultDocument) -> str:
    rows: list[tuple[str, str]] = []
    if shown.final_url and shown.final_url != shown.target:
        rows.append(("Landed on", f'<span class="mono">{e(shown.final_url)}</span>'
                     + (f" (HTTP {shown.http_status})" if shown.http_status else "")))
    elif shown.http_status:
        rows.append(("HTTP status", str(shown.http_status)))
    rows.append(("Host chain", _chain(shown)))
    portal = shown.portal
    if portal is not None:
        rows += _portal_rows(portal)
    rows.append(("Clock", _clock(shown.clock)))
    if shown.tls is not None and shown.tls.protocol:
        until = (f", valid until {time.strftime('%Y-%m-%d', time.gmtime(shown.tls.valid_to))}"
                 if shown.tls.valid_to else "")
        rows.append(("TLS", f"{e(shown.tls.protocol)} · issuer {e(shown.tls.issuer or '?')}{e(until)}"))
    if shown.blocked_requests:
        rows.append(("Stopped", f"{len(shown.blocked_requests)} request(s) the no-submission guard stopped"))
    rows.append(("Time", f"{shown.timings.get('total_s', 0.0):.2f} s, {shown.attempts} attempt(s)"))
    if shown.rechecks:
        earlier = ", ".join(f"{r.verdict.value} ({r.elapsed_s:.1f} s)" for r in shown.rechecks)
        flaky = (f' <span class="note">— {shown.unconfirmed_failures} unconfirmed failure(s): the last check '
                 "did not fail</span>") if shown.unconfirmed_failures else ""
        rows.append(("Checked", f"{len(shown.rechecks) + 1} times (--confirm); earlier: {e(earlier)}{flaky}"))
    if shown.evidence:
        rows.append(("Evidence", "<br>".join(f'<span class="mono">{e(path)}</span>' for path in shown.evidence)))
    return '<dl class="facts">' + "".join(f"<dt>{e(name)}</dt><dd>{value}</dd>" for name, value in rows) + "</dl>"


def _chain(shown: ResultDocument) -> str:
    urls = list(shown.redirects) or ([shown.final_url] if shown.final_url else [shown.target])
    items = []
    for url in urls:
        host = host_of(url)
        items.append(f"<li><b>{e(host)}</b> <span class=\"mono note\">{e(url)}</span></li>" if host
                     else f'<li class="mono">{e(url)}</li>')
    return f'<ol class="chain">{"".join(items)}</ol>'


def _portal_rows(portal: PortalSection) -> list[tuple[str, str]]:
    role = f"<b>{e(portal.role)}</b> ({portal.confidence:.0%} sure)"
    if portal.evidence:
        role += f'<br><span class="note">{e("; ".join(portal.evidence[:3]))}</span>'
    form = f"<b>{e(portal.login_form)}</b>"
    if portal.username_kind:
        form += f", asks for {e(portal.username_kind)}" + (" (email accepted)" if portal.takes_email else "")
    if portal.fields:
        form += '<br><span class="note">fields: ' + e(", ".join(f"{f.label or f.kind} ({f.kind})"
                                                             for f in portal.fields)) + "</span>"
    if portal.mfa:
        form += " · one-time code"
    rows = [("Login role", role), ("Login form", form)]
    if portal.frame_url:
        rows.append(("Form in frame", f'<span class="mono">{e(portal.frame_url)}</span>'))
    if portal.recovery_links:
        rows.append(("Recovery", "<br>".join(f"{e(link.text)} → <b>{e(link.host)}</b>"
                                            + (" (another organization)" if link.offsite else "")
                                            for link in portal.recovery_links[:3])))
    if portal.maintenance is not None:
        down = portal.maintenance
        rows.append(("Maintenance", e(down.says) + (f" · call {e(', '.join(down.phones))}" if down.phones else "")))
    return rows


def _clock(clock: ClockSection | None) -> str:
    if clock is None:
        return '<span class="note">not measured</span>'
    if clock.skew_seconds is None:
        return f'<span class="note">unmeasurable{": " + e(clock.reason) if clock.reason else ""}</span>'
    offset = describe_offset(clock.skew_seconds, clock.uncertainty_seconds or 0.0)
    hosts = ", ".join(r.host for r in clock.references if r.trusted)
    return (f'<span class="badge {e(clock.verdict)}">{e(clock.verdict)}</span> <b>{e(offset)}</b> '
            f'<span class="note">(this computer minus the portal; {clock.samples} sample(s)'
            + (f" from {e(hosts)}" if hosts else "") + ")</span>")


def _screenshot(index: int, view: PageView | None, shown: ResultDocument) -> str:
    if view is None or not view.png:
        return '<p class="note">No screenshot: the page was not pictured (it did not load, or the capture failed).</p>'
    data = base64.b64encode(view.png).decode("ascii")
    overlays = []
    caption = "No login form on this page."
    form = view.login_form
    portal = shown.portal
    if portal is None or portal.login_form in ("none", "sso"):
        form = None  # the portal check found no form to type into: nothing to outline
    elif form is None or (portal.frame_url or "") != view.frame_url:
        form = None  # the fields capture located are not the form the portal check judged
        caption = "The login form could not be placed on the picture."
    if form is not None:
        visible = view.clipped(form)
        if visible is None:
            caption = (f"The login form is outside the visible part of the page (at {form.x:.0f}, {form.y:.0f} "
                       f"px, viewport {view.width}×{view.height}).")
        else:
            below = visible.y < 24
            overlays.append(f'<div class="outline{" below" if below else ""}" id="login-outline-{index}" '
                            f'style="{_place(visible, view)}"><span class="tag">login form</span></div>')
            overlays += [f'<div class="field-box" style="{_place(box, view)}"></div>'
                         for field in view.login_fields if (box := view.clipped(field)) is not None]
            caption = "Outlined: the login form"
            if visible != form:
                caption += " (it continues past the visible part of the page)"
            caption += "; dashed: its fields."
            if view.frame_url:
                caption += f" It sits in a frame from {host_of(view.frame_url) or view.frame_url}."
    alt = f"Screenshot of {shown.final_url or shown.target}"
    return (f'<figure class="shot"><div class="picture"><img id="screenshot-{index}" alt="{e(alt)}" width="{view.width}" '
            f'height="{view.height}" src="data:image/png;base64,{data}">{"".join(overlays)}</div>'
            f"<figcaption>{e(caption)} {e(_MASKED if view.masked else _EMPTY)}</figcaption></figure>")


_MASKED = "Fields held values (pre-filled by the page or a saved session): all are painted grey in the picture."
_EMPTY = "No field held a value when the picture was taken."


def _place(box: Box, view: PageView) -> str:
    """Position in percent of the picture, so it stays on the form at any display width."""
    def pct(value: float, whole: int) -> str:
        return f"{100.0 * value / whole:.3f}%"

    return (f"left:{pct(box.x, view.width)};top:{pct(box.y, view.height)};"
            f"width:{pct(box.width, view.width)};height:{pct(box.height, view.height)}")


def _findings(findings: Iterable[FindingDocument], verbose: bool) -> str:
    ordered = sorted(findings, key=lambda f: _SEVERITY_ORDER.get(f.severity.value, 9))
    shown = [f for f in ordered if verbose or f.severity is not Severity.INFO]
    hidden = len(ordered) - len(shown)
    rows = "".join(
        f'<tr class="finding" data-code="{e(f.code)}"><td class="sev"><span class="badge {e(f.severity.value)}">'
        f"{e(f.severity.value)}</span></td><td>{e(f.message)} <span class=\"code mono\">{e(f.code)}</span>"
        f"{_evidence(f.evidence, open_=f.severity in (Severity.FAIL, Severity.WARN))}</td></tr>" for f in shown)
    note = (f'<p class="note">{hidden} informational finding(s) not shown (run with -v to include them).</p>'
            if hidden else "")
    table = f"<table><tbody>{rows}</tbody></table>" if rows else '<p class="note">No findings to show.</p>'
    return f"<h3>Findings</h3>{table}{note}"


def _evidence(evidence: Mapping[str, Any], open_: bool) -> str:
    """Shown for what needs attention; one click away (``<details>``, no script) for the rest."""
    if not evidence:
        return ""
    items = "".join(f"<dt>{e(key)}</dt><dd class=\"mono\">{e(_value(value))}</dd>" for key, value in evidence.items())
    return f'<details{" open" if open_ else ""}><summary>evidence</summary><dl class="evidence">{items}</dl></details>'


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 600 else text[:600] + " …"


def _cookies(cookies: CookiesSection | None) -> str:
    if cookies is None:
        return ""
    parts = ["<h3>Cookies</h3>"]
    enabled = {True: "cookies work in this browser", False: "cookies are blocked in this browser",
               None: "whether cookies work could not be told"}[cookies.enabled]
    sizes = ", ".join(f"{host}: {size} B" for host, size in cookies.header_bytes.items())
    parts.append(f'<p class="note">{e(enabled)}'
                 + (f" · Cookie header {e(sizes)} (limit {cookies.header_limit_bytes} B)" if sizes else "")
                 + (" · login needs third-party cookies" if cookies.third_party.required else "") + "</p>")
    if cookies.set:
        rows = "".join(
            f"<tr><td class=\"mono\">{e(c.name)}</td><td class=\"mono\">{e(c.domain)}{e(c.path)}</td>"
            f"<td>{'session' if c.session else 'persistent'}</td><td>{'yes' if c.secure else 'no'}</td>"
            f"<td>{'yes' if c.http_only else 'no'}</td><td>{e(c.same_site)}</td><td>{c.size} B</td></tr>"
            for c in cookies.set)
        parts.append("<table><thead><tr><th>Name</th><th>Domain and path</th><th>Lifetime</th><th>Secure</th>"
                     f"<th>HttpOnly</th><th>SameSite</th><th>Size</th></tr></thead><tbody>{rows}</tbody></table>")
    if cookies.rejected:
        rows = "".join(f"<tr><td class=\"mono\">{e(r.name)}</td><td>{e(r.host)}</td><td>{e(r.detail)}</td></tr>"
                       for r in cookies.rejected)
        parts.append("<p class=\"note\">Cookies the portal sent that the browser did not keep:</p>"
                     f"<table><thead><tr><th>Name</th><th>From</th><th>Why</th></tr></thead><tbody>{rows}"
                     "</tbody></table>")
    return "".join(parts)
