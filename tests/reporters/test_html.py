"""The HTML report without a browser: escaped, redacted like JSON, and loading nothing."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from html.parser import HTMLParser

from preflight.checks import CheckConfig
from preflight.model.report import CheckResult, Finding, RunReport, Severity, TargetError, TargetResult
from preflight.model.snapshot import Box, PageView
from preflight.reporters import OutputFormat, RenderOptions, render
from preflight.reporters import html as html_reporter
from preflight.reporters import json as json_reporter
from preflight.runner import run_checks
from tests.factories import default_allowlist
from tests.model.full_report import full_report
from tests.rules.test_outage import provider_login

CONFIG = CheckConfig(default_allowlist())


def tiny_png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Resources(HTMLParser):
    """Every tag and every URL-bearing attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.metas: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "meta":
            self.metas.append(dict(attrs))
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "formaction", "poster", "data", "background"):
                self.urls.append((tag, name, value or ""))


def parsed(text: str) -> Resources:
    parser = Resources()
    parser.feed(text)
    return parser


def healthy_result(view: PageView | None = None) -> TargetResult:
    snap = provider_login()
    if view is not None:
        snap = replace(snap, view=view)
    return TargetResult(snap.requested_url, snap, run_checks(snap, CONFIG))


def report_of(*results: TargetResult) -> RunReport:
    return RunReport(results=results, allowlist_path="<packaged default>", browser="test", started_at=1.8e9,
                     elapsed_s=1.0)


def test_the_verdict_and_the_outage_or_account_line_come_first():
    page = render(report_of(healthy_result()), OutputFormat.HTML)
    verdict = page.index('id="verdict"')
    assert page.index("<section") > page.index('id="answers"') > verdict
    assert 'data-kind="healthy"' in page and "username vs email" in page
    assert "<title>preflight: PASS" in page


def test_page_text_is_escaped():
    hostile = Finding("portal", "portal.role", Severity.FAIL, "Login says <script>alert('x')</script> & more",
                      {"title": "<img src=x onerror=alert(1)>"})
    result = replace(healthy_result(), checks=(*healthy_result().checks, CheckResult("portal", (hostile,))))
    page = html_reporter.render(report_of(replace(result, target="https://cignaforhcp.cigna.com/\"><script>")))
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert parsed(page).tags.count("img") == 0  # no screenshot here, and the hostile one is text


def test_secrets_redacted_in_json_never_reach_the_page():
    sentinels = ["TOKEN-SENTINEL-81f2", "PASSWORD-SENTINEL-3c9d", "COOKIE-SENTINEL-77aa"]
    result = replace(healthy_result(), target=f"https://user:{sentinels[1]}@cignaforhcp.cigna.com/?access_token={sentinels[0]}")
    report = report_of(result, TargetResult(f"https://down.example/?code={sentinels[2]}", None, (),
                                            TargetError("target.unreachable", "refused")))
    page = render(report, OutputFormat.HTML, RenderOptions(verbose=True))
    json_text = json_reporter.render(report)
    for secret in sentinels:
        assert secret not in json_text  # the contract this page relies on
        assert secret not in page, secret
    assert "access_token=REDACTED" in page and "REDACTED@cignaforhcp.cigna.com" in page


def test_nothing_is_loaded_from_anywhere():
    view = PageView(png=tiny_png(), width=4, height=2, login_form=Box(1, 0, 2, 1), login_fields=(Box(1, 0, 1, 1),))
    page = html_reporter.render(report_of(healthy_result(view)), verbose=True)
    resources = parsed(page)
    assert resources.urls, "the page has a screenshot and fragment links"
    for tag, name, value in resources.urls:
        assert value.startswith(("data:image/png;base64,", "#")), (tag, name, value)
    assert not {"script", "link", "iframe", "object", "embed", "base", "form"} & set(resources.tags)
    assert "http://" not in page.split("<style>")[1].split("</style>")[0]  # no url() in the CSS
    assert "url(" not in page
    csp = [m for m in resources.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert [m["content"] for m in csp] == ["default-src 'none'; img-src data:; style-src 'unsafe-inline'"]


def test_the_outline_is_placed_in_percent_of_the_picture():
    view = PageView(png=tiny_png(), width=1280, height=720, login_form=Box(128, 72, 256, 144),
                    login_fields=(Box(128, 72, 256, 36),))
    page = html_reporter.render(report_of(healthy_result(view)))
    assert 'id="login-outline-1" style="left:10.000%;top:10.000%;width:20.000%;height:20.000%"' in page
    assert 'class="field-box" style="left:10.000%;top:10.000%;width:20.000%;height:5.000%"' in page


def test_a_login_form_below_the_visible_part_is_said_not_drawn():
    view = PageView(png=tiny_png(), width=1280, height=720, login_form=Box(100, 900, 300, 200))
    page = html_reporter.render(report_of(healthy_result(view)))
    assert 'id="login-outline-1"' not in page and "outside the visible part" in page


def test_informational_findings_only_with_verbose():
    report = report_of(healthy_result())
    quiet, verbose = html_reporter.render(report), html_reporter.render(report, verbose=True)
    assert 'data-code="portal.login_form"' in verbose and 'data-code="portal.login_form"' not in quiet
    assert "informational finding(s) not shown" in quiet


def test_every_section_shape_renders():
    report = full_report()
    page = html_reporter.render(report, verbose=True)
    assert page.count('<section class="target"') == len(report.results)
    assert 'data-kind="outage"' in page  # the unreachable target


def test_the_cli_writes_html_through_the_format_enum():
    from preflight.cli.check import report_outputs

    def members(outputs: list[tuple[str, str]]) -> list[tuple[OutputFormat, str]]:
        return [(OutputFormat(value), path) for value, path in outputs]  # each value names a member

    assert members(report_outputs(False, None, None, html_file="r.html")) == [(OutputFormat.CONSOLE, "-"),
                                                                              (OutputFormat.HTML, "r.html")]
    assert members(report_outputs(False, None, None, html_file="-")) == [(OutputFormat.HTML, "-")]
    assert members(report_outputs(True, None, "j.xml", html_file="r.html")) == [
        (OutputFormat.JSON, "-"), (OutputFormat.JUNIT, "j.xml"), (OutputFormat.HTML, "r.html")]


def test_html_options_are_validated_before_a_browser_starts():
    from tests.test_cli import assert_one_line_error, preflight

    assert "all write to stdout" in assert_one_line_error(preflight("check", "--html", "-", "--json", "https://x.com"))
    assert "does not exist" in assert_one_line_error(preflight("check", "--html", "/nonexistent-dir/r.html",
                                                               "https://x.com"))


def test_targets_on_one_host_are_told_apart_by_their_path():
    login, down = healthy_result(), TargetResult("https://cignaforhcp.cigna.com/app/login?token=x", None, (),
                                                 TargetError("target.timeout", "no answer"))
    page = html_reporter.render(report_of(login, down))
    assert ">cignaforhcp.cigna.com</a>" in page and ">cignaforhcp.cigna.com/app/login</a>" in page
    assert 'data-kind="outage"' in page


def test_the_outline_follows_the_portal_check():
    view = PageView(png=tiny_png(), width=1280, height=720, login_form=Box(128, 72, 256, 144))
    no_login = TargetResult("https://cignaforhcp.cigna.com/", replace(healthy_result().snapshot, frames=(), view=view),
                            run_checks(replace(healthy_result().snapshot, frames=()), CONFIG))
    assert no_login.section("portal").login_form == "none"
    page = html_reporter.render(report_of(no_login))
    assert 'id="login-outline-1"' not in page and "No login form on this page." in page
    # located in a frame while the portal check judged the main page's form: not drawn
    elsewhere = healthy_result(replace(view, frame_url="https://login.example.net/"))
    page = html_reporter.render(report_of(elsewhere))
    assert 'id="login-outline-1"' not in page and "could not be placed" in page


def test_fleet_targets_show_their_name_tags_rechecks_and_evidence():
    first = TargetResult("https://cignaforhcp.cigna.com/", None, (), TargetError("target.timeout", "no answer"),
                         elapsed_s=2.0, evidence=("evidence/hcp/1/page.png",))
    last = replace(healthy_result(), name="hcp <prod>", tags=("prod",), rechecks=(first,))
    page = html_reporter.render(report_of(last))
    assert "hcp &lt;prod&gt;" in page and '<span class="tag-chip">prod</span>' in page
    assert "2 times (--confirm); earlier: error (2.0 s)" in page and "1 unconfirmed failure(s)" in page
    assert 'href="evidence' not in page  # paths are text: the page links to nothing
