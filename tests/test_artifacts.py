"""Evidence redaction by meaning: HAR and trace lose cookie, header, query and field values."""

from __future__ import annotations

import io
import json
import zipfile

from preflight.rules.artifacts import redact_har, redact_trace

SENTINELS = ["COOKIE-SENT-1", "AUTH-SENT-2", "TOKEN-SENT-3", "FIELD-SENT-4", "TYPED-SENT-5", "BODY-SENT-6",
             "SETCOOKIE-SENT-7", "AREA-SENT-8", "KNOWN-SECRET-9"]


def entry() -> dict:
    return {"request": {"method": "GET", "url": "https://x.example/api?token=TOKEN-SENT-3&lang=en",
                        "headers": [{"name": "Cookie", "value": "sid=COOKIE-SENT-1"},
                                    {"name": "Authorization", "value": "Bearer AUTH-SENT-2"},
                                    {"name": "Referer", "value": "https://x.example/?code=TOKEN-SENT-3"},
                                    {"name": "Accept", "value": "text/html"}],
                        "cookies": [{"name": "sid", "value": "COOKIE-SENT-1"}],
                        "queryString": [{"name": "token", "value": "TOKEN-SENT-3"}, {"name": "lang", "value": "en"}],
                        "postData": {"mimeType": "text/plain", "text": "BODY-SENT-6"}},
            "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": "a=SETCOOKIE-SENT-7"}],
                         "cookies": [{"name": "a", "value": "SETCOOKIE-SENT-7"}],
                         "content": {"mimeType": "text/html", "text": "BODY-SENT-6 KNOWN-SECRET-9", "size": 10}}}


def test_har_keeps_what_helps_and_loses_every_secret():
    har = {"log": {"version": "1.2", "entries": [entry()], "pages": [{"title": "hi KNOWN-SECRET-9"}]}}
    out = redact_har(json.dumps(har).encode(), secrets=["KNOWN-SECRET-9"]).decode()
    for sentinel in SENTINELS:
        assert sentinel not in out, sentinel
    kept = json.loads(out)["log"]["entries"][0]
    assert {"name": "Accept", "value": "text/html"} in kept["request"]["headers"]
    assert {"name": "lang", "value": "en"} in kept["request"]["queryString"]
    assert "lang=en" in kept["request"]["url"] and kept["response"]["status"] == 200


def trace_zip() -> bytes:
    snapshot = {"type": "frame-snapshot", "snapshot": {
        "frameUrl": "https://x.example/?token=TOKEN-SENT-3",
        "html": ["HTML", {}, ["BODY", {}, ["FORM", {"action": "/login"},
                 ["INPUT", {"name": "u", "value": "FIELD-SENT-4", "__playwright_value_": "FIELD-SENT-4"}],
                 ["INPUT", {"type": "password", "__playwright_value_": "TYPED-SENT-5"}],
                 ["TEXTAREA", {"name": "t"}, "AREA-SENT-8"],
                 ["P", {}, "welcome KNOWN-SECRET-9"]]]]}}
    network = {"type": "resource-snapshot", "snapshot": entry()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("trace.trace", json.dumps({"type": "context-options"}) + "\n" + json.dumps(snapshot) + "\n")
        z.writestr("trace.network", json.dumps(network) + "\n")
        z.writestr("resources/aa.html", "<input value=FIELD-SENT-4>")
        z.writestr("resources/bb.js", "token='TOKEN-SENT-3'")
        z.writestr("resources/cc.css", "body:after{content:'KNOWN-SECRET-9'}")
        z.writestr("resources/dd.png", b"\x89PNG...")
    return buffer.getvalue()


def test_trace_loses_every_secret_and_keeps_its_shape():
    out = redact_trace(trace_zip(), secrets=["KNOWN-SECRET-9"])
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        names = z.namelist()
        blob = b"".join(z.read(n) for n in names).decode("utf-8", "replace")
        events = [json.loads(line) for line in z.read("trace.trace").decode().splitlines()]
    for sentinel in SENTINELS:
        assert sentinel not in blob, sentinel
    assert sorted(names) == ["resources/cc.css", "resources/dd.png", "trace.network", "trace.trace"]
    form = events[1]["snapshot"]["html"][2][2]
    assert form[0] == "FORM" and form[2][1] == {"name": "u", "value": "", "__playwright_value_": ""}
    assert form[4] == ["P", {}, "welcome REDACTED"] or "KNOWN-SECRET-9" not in json.dumps(form[4])
