"""vet: URLs judged offline by the host a browser would visit; JSON, text; redaction."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preflight.config.allowlist import load_allowlist
from preflight.reporters.vet import render_text as render_vet_text
from preflight.reporters.vet import vet_document
from preflight.rules.lookalike.judge import VERDICTS, HostJudge
from preflight.rules.redact import REDACTED, is_token_like, redact_url
from preflight.vet import SCHEMA_VET, as_browser_url, vet_exit_code, vet_url, vet_urls

DATA = Path(__file__).parent / "data"
ANY_CHARACTER = st.characters(blacklist_categories=())  # lone surrogates and controls too
URL_TABLE = json.loads((DATA / "url_table.json").read_text(encoding="utf-8"))
VET_SCHEMA = json.loads(resources.files("preflight").joinpath("schema/vet.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def judge() -> HostJudge:
    return HostJudge(load_allowlist(None))


# --------------------------------------------------------------------------- vet


@pytest.mark.parametrize("row", URL_TABLE, ids=[row["note"] for row in URL_TABLE])
def test_vet_judges_the_host_the_browser_visits(judge: HostJudge, row: dict[str, str | None]) -> None:
    result = vet_url(row["input"], judge)
    if row["host"] is None:
        assert result.verdict == "invalid" and result.host == ""
    else:
        assert result.host == row["host"].strip("[]").rstrip(".")


@pytest.mark.parametrize(("url", "verdict"), [
    ("https://cignaforhcp.cigna.com/app/login", "official"),
    ("https://CIGNAFORHCP.CIGNA.COM.:443/", "official"),
    ("https://cignaforhcp.cigna.com@evil.example/", "unrelated"),
    ("https://evil.example\\@cignaforhcp.cigna.com/", "unrelated"),
    ("https://cignaforhcp.cigna.com\\.evil.example/", "official"),
    ("https://cignaforhcp.cigna.com%2eevil.example/", "lookalike"),
    ("https://cigna.com-secure.net/login", "lookalike"),
    ("https://www.cigna.com/", "same-organization"),
    ("https://c\u0456gna.com/", "lookalike"),
    ("http://0x7f.1/", "unrelated"),
    ("javascript:alert(1)", "invalid"),
    ("https://cigna .com/", "invalid"),
])
def test_vet_verdicts(judge: HostJudge, url: str, verdict: str) -> None:
    assert vet_url(url, judge).verdict == verdict


@pytest.mark.parametrize(("text", "url"), [
    ("cigna.com/login", "https://cigna.com/login"),
    ("cignaforhcp.cigna.com:443/x", "https://cignaforhcp.cigna.com:443/x"),
    ("localhost:8080", "https://localhost:8080"),
    ("user:pw@cigna.com", "https://user:pw@cigna.com"),
    ("//cigna.com/x", "https://cigna.com/x"),
    ("  https://cigna.com  ", "https://cigna.com"),
    ("HTTP://cigna.com", "HTTP://cigna.com"),
    ("mailto:help@cigna.com", "mailto:help@cigna.com"),
])
def test_text_without_a_scheme_is_read_as_an_address_bar_would(text: str, url: str) -> None:
    assert as_browser_url(text) == url


def test_vet_skips_blank_lines_and_comments(judge: HostJudge) -> None:
    lines = ["# checked weekly\n", "\n", "   ", "cignaforhcp.cigna.com/app/login\n", "  # indented comment",
             "https://evil.example/"]
    results = list(vet_urls(lines, judge))
    assert [r.verdict for r in results] == ["official", "unrelated"]
    assert results[0].portal == "CignaforHCP" and results[0].host == "cignaforhcp.cigna.com"


def test_vet_urls_accepts_an_allowlist() -> None:
    (result,) = vet_urls(["https://my.cigna.com/"], load_allowlist(None))
    assert (result.verdict, result.portal) == ("official", "myCigna")


def test_vet_adds_url_level_warnings(judge: HostJudge) -> None:
    reasons = " ".join(vet_url("http://user:pw@cignaforhcp.cigna.com:8443/", judge).reasons)
    assert "user name" in reasons and "http://" in reasons and "8443" in reasons
    assert "address bar" in " ".join(vet_url("https://c\u0456gna.com/", judge).reasons)


def test_vet_echoes_the_input_redacted(judge: HostJudge) -> None:
    result = vet_url("https://alice:s3cret@cignaforhcp.cigna.com/cb?code=abc123&state=xyz&page=2", judge)
    assert "s3cret" not in result.input and "alice" not in result.input and "abc123" not in result.input
    assert result.input == f"https://{REDACTED}@cignaforhcp.cigna.com/cb?code={REDACTED}&state={REDACTED}&page=2"
    assert result.verdict == "official"


def test_lookalike_results_name_the_imitated_host(judge: HostJudge) -> None:
    result = vet_url("https://cignaforhcp.cigna.com.example.net/login", judge)
    assert (result.verdict, result.lookalike_of, result.portal) == ("lookalike", "cignaforhcp.cigna.com", None)
    assert result.registrable_domain == "example.net"


def test_vet_json_matches_the_schema(judge: HostJudge) -> None:
    lines = [row["input"] for row in URL_TABLE] + ["cigna-provider-login.com", "javascript:void(0)"]
    document = vet_document(list(vet_urls(lines, judge)))
    jsonschema.validate(json.loads(json.dumps(document)), VET_SCHEMA)
    assert document["schema"] == SCHEMA_VET == "preflight/vet@1"
    assert {r["verdict"] for r in document["results"]} >= {"official", "lookalike", "unrelated", "invalid"}
    first = document["results"][0]
    assert list(first) == ["input", "host", "registrable_domain", "verdict", "portal", "lookalike_of", "reasons"]


def test_text_report(judge: HostJudge) -> None:
    results = list(vet_urls(["https://cignaforhcp.cigna.com/", "https://cigna.net/", "not a url at all"], judge))
    text = render_vet_text(results)
    assert "OFFICIAL" in text and "LOOKALIKE" in text and "imitates cigna.com" in text
    assert text.rstrip().splitlines()[-1] == "3 URLs: 1 official, 1 lookalike, 1 invalid"
    assert render_vet_text([]).strip() == "0 URLs: none"


def test_exit_code(judge: HostJudge) -> None:
    assert vet_exit_code([vet_url("https://my.cigna.com/", judge)]) == 0
    assert vet_exit_code([vet_url("https://my.cigna.com/", judge), vet_url("https://www.cigna.com/", judge)]) == 1
    assert vet_exit_code([]) == 1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(ANY_CHARACTER, max_size=60), max_size=5))
def test_vet_never_raises_on_arbitrary_text(lines: list[str]) -> None:
    results = list(vet_urls(lines, HostJudge.for_allowlist(load_allowlist(None))))
    assert all(r.verdict in VERDICTS and r.reasons for r in results)
    document = vet_document(results)
    assert [r["input"] for r in document["results"]] == [r.input for r in results]
    assert render_vet_text(results).count("\n") >= len(results) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="https:/\\@?#%2e.cigna0x7f[]:\t\u3002\u0456", max_size=40))
def test_vet_never_raises_on_url_shaped_text(text: str) -> None:
    results = list(vet_urls([text], HostJudge.for_allowlist(load_allowlist(None))))
    assert all(r.verdict in VERDICTS for r in results)


# --------------------------------------------------------------------------- redaction


@pytest.mark.parametrize(("url", "redacted"), [
    ("https://u:p@cigna.com/p?token=abc&x=1", "https://REDACTED@cigna.com/p?token=REDACTED&x=1"),
    ("https://a@b@evil.example/", "https://REDACTED@evil.example/"),
    ("https:user:pass@cigna.com/", "https:REDACTED@cigna.com/"),
    ("user:pw@cigna.com/login", "REDACTED@cigna.com/login"),
    ("//user:pw@cigna.com/x", "//REDACTED@cigna.com/x"),
    # the WHATWG authority ends at a backslash: the host the browser visits must stay visible
    ("https://evil.example\\@cigna.com/", "https://evil.example\\@cigna.com/"),
    ("https://u:p@evil.example\\@cigna.com/", "https://REDACTED@evil.example\\@cigna.com/"),
    # @ after the authority is not userinfo
    ("https://cigna.com/?next=a@b", "https://cigna.com/?next=a@b"),
    ("https://cigna.com#@evil.example", "https://cigna.com#@evil.example"),
    ("https://h/?access_token=1&id_token=2&SAMLResponse=3&X-Amz-Signature=4&sig=5&page=6",
     "https://h/?access_token=REDACTED&id_token=REDACTED&SAMLResponse=REDACTED&X-Amz-Signature=REDACTED"
     "&sig=REDACTED&page=6"),
    ("https://h/?PHPSESSID=1&apiKey=2&refreshToken=3&client_secret=4&password=5&zip=6",
     "https://h/?PHPSESSID=REDACTED&apiKey=REDACTED&refreshToken=REDACTED&client_secret=REDACTED"
     "&password=REDACTED&zip=6"),
    ("https://h/?session=1;cookie=2", "https://h/?session=REDACTED;cookie=REDACTED"),
    ("https://h/app;jsessionid=ABC?x=1", "https://h/app;jsessionid=REDACTED?x=1"),
    ("https://h/cb#access_token=abc&expires_in=3600", "https://h/cb#access_token=REDACTED&expires_in=3600"),
    ("https://h/?x=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "https://h/?x=REDACTED"),
    ("https://h/?token=", "https://h/?token="),
    ("https://cignaforhcp.cigna.com/app/login", "https://cignaforhcp.cigna.com/app/login"),
    ("", ""),
])
def test_redact_url(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


def test_redact_url_replaces_known_secrets_and_ignores_non_text() -> None:
    assert redact_url("https://h/?q=hunter2 x", secrets=["hunter2 x"]) == "https://h/?q=REDACTED"
    assert redact_url("https://h/?q=hunter2%20x", secrets=["hunter2 x"]) == "https://h/?q=REDACTED"
    assert redact_url(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["token", "access_token", "code", "SAMLRequest", "sessionid", "PHPSESSID",
                                  "apiKey", "x-api-key", "Signature", "otp", "password", "client_secret"])
def test_token_like_names(name: str) -> None:
    assert is_token_like(name)


@pytest.mark.parametrize("name", ["page", "q", "next", "lang", "zip", "redirect_uri", "utm_source"])
def test_ordinary_names(name: str) -> None:
    assert not is_token_like(name)


@settings(max_examples=500, deadline=None)
@given(st.text(ANY_CHARACTER, max_size=80))
def test_redact_url_never_raises_and_is_stable(text: str) -> None:
    # Redacting twice changes nothing (idempotent), and nothing is invented: what remains of a
    # URL never grows by more than the REDACTED markers it put in.
    once = redact_url(text)
    assert redact_url(once) == once
    assert len(once) <= len(text) + once.count(REDACTED) * len(REDACTED)


@settings(max_examples=300, deadline=None)
@given(user=st.text(alphabet="abcxyz019", min_size=3, max_size=10),
       secret=st.text(alphabet="ABCXYZ789", min_size=6, max_size=12))
def test_redacted_urls_keep_no_credentials(user: str, secret: str) -> None:
    url = f"https://{user}:{secret}@cigna.com/cb?code={secret}&token={secret}"
    redacted = redact_url(url)
    assert secret not in redacted and f"{user}:" not in redacted


def test_reports_can_always_be_written_as_utf8(judge: HostJudge) -> None:
    result = vet_url("https://\ud800.example/?token=x", judge)
    (result.input + "".join(result.reasons)).encode("utf-8")
    assert "token=REDACTED" in result.input
