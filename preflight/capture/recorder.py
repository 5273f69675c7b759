"""What a context emits while the page loads, collected for the snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from preflight.model.snapshot import (
    ResourceRequest,
    SetCookieHeader,
)
from preflight.rules.redact import (
    redact_set_cookie,
    redact_url,
    value_digest,
)

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Response

MAX_CONSOLE = 50

MAX_REQUESTS = 2000


class Recorder:
    """Collects what the context emits while the page loads. Free text (console, dialogs) goes
    through ``redact``: a page may print or alert the very field values the guard protects."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        self.redact = redact
        self.requests: list[ResourceRequest] = []
        self.set_cookies: list[SetCookieHeader] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.navigations: list[str] = []
        self.navigation_count = 0
        """Main-frame navigations seen (``navigations`` keeps the first 50)."""
        self.dialog_count = 0
        self.pending: set[asyncio.Task[None]] = set()

    def on_request(self, request: Any) -> None:
        if len(self.requests) < MAX_REQUESTS:
            try:
                frame_url = request.frame.url
            except Exception:  # noqa: BLE001 - service worker or detached frame
                frame_url = ""
            self.requests.append(ResourceRequest(redact_url(request.url), request.resource_type, redact_url(frame_url)))

    def on_response(self, response: Response) -> None:
        # Set-Cookie needs the raw header array: only fetch it when there is one.
        if response.request.resource_type in ("document", "xhr", "fetch") or response.headers.get("set-cookie"):
            task = asyncio.ensure_future(self._read_set_cookie(response))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def _read_set_cookie(self, response: Response) -> None:
        try:
            headers = await response.headers_array()
        except Exception:  # noqa: BLE001 - response gone with its context
            return
        date = next((h["value"] for h in headers if h["name"].lower() == "date"), None)
        for header in headers:
            if header["name"].lower() == "set-cookie":
                for line in header["value"].split("\n"):
                    shown, name, value = redact_set_cookie(line)
                    if len(self.set_cookies) < 500:
                        self.set_cookies.append(SetCookieHeader(
                            url=redact_url(response.url), header=shown, name=name,
                            value_length=len(value), value_sha256=value_digest(value), date=date))

    def on_console(self, message: Any) -> None:
        if message.type == "error" and len(self.console_errors) < MAX_CONSOLE:
            self.console_errors.append(self.redact(message.text)[:300])

    async def on_dialog(self, dialog: Any) -> None:
        self.dialog_count += 1
        if len(self.dialogs) < 20:
            self.dialogs.append(f"{dialog.type}: {self.redact(dialog.message)[:120]}")
        try:
            await dialog.dismiss()
        except Exception:  # noqa: BLE001 - dialog already gone
            pass
