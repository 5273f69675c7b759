"""What a page without a login says instead: where its login is, and when the portal is back.

Why: a help desk sent to a landing, sign-up or maintenance page needs two facts the page states
in passing: the link that leads to the real login (and whether that host is one of ours), and
the phone number and time window of an outage. Both are read, never guessed: a link counts only
when its words say it signs in or opens a portal; a time window is a sentence holding a clock
time, quoted as the page wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from preflight.checks.portal.vocabulary import Vocabulary
from preflight.model.snapshot import FrameFacts, LinkFacts, PageSnapshot
from preflight.rules.hosts import host_of

_LINKS_KEPT = 3

_REGION_ORDER = {"form": 0, "main": 1, "header": 2, "nav": 3, "footer": 4}

"""Links in the page's own content speak for it before menus and footers do."""

_PHONE = re.compile(r"(?<![\d-])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\d-])")

_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?[ap]\.?m\.?(?![a-z])", re.IGNORECASE)

_SENTENCE_BREAK = re.compile(r"\n+|(?<![ap]\.m\.)(?<=[.!?])\s+(?=[A-Z0-9])", re.IGNORECASE)

_QUOTED = 200


@dataclass(frozen=True)
class LoginLink:
    text: str
    href: str
    host: str
    region: str


@dataclass(frozen=True)
class MaintenanceFacts:
    says: str
    """The title or heading that says the portal is down."""
    phones: tuple[str, ...]
    windows: tuple[str, ...]
    """Sentences of the page that hold a clock time ("unavailable from Saturday 10:00 p.m. to ...")."""


def login_links(snapshot: PageSnapshot, vocab: Vocabulary) -> tuple[LoginLink, ...]:
    """Links of the main frame whose words say they lead to a login or a portal, content first."""
    main = snapshot.main_frame
    found: dict[str, LoginLink] = {}
    for link in sorted(main.links, key=lambda item: _REGION_ORDER.get(item.region, 5)):
        href = link.href.split("#")[0]
        if not href.startswith(("http:", "https:")) or href in found or not _leads_to_login(link, vocab):
            continue
        found[href] = LoginLink(" ".join(link.text.split())[:80], href, host_of(href) or "", link.region)
    return tuple(found.values())[:_LINKS_KEPT]


def _leads_to_login(link: LinkFacts, vocab: Vocabulary) -> bool:
    text = link.text.strip()
    if not text or len(text) > 80:
        return False
    if any(vocab.intent(intent, text) for intent in ("recovery", "signup", "reset")):
        return False
    return bool(vocab.intent("login", text) or vocab.intent("portal", text))


def maintenance(snapshot: PageSnapshot, vocab: Vocabulary) -> MaintenanceFacts | None:
    """The page says it is down on purpose (title or one of its first headings); with the phone
    numbers and time windows it states."""
    main = snapshot.main_frame
    says = next((text for text in (main.title, *main.headings[:3]) if text and vocab.intent("maintenance", text)),
                None)
    if says is None:
        return None
    return MaintenanceFacts(" ".join(says.split())[:120], phones(main), time_windows(main.text))


def phones(frame: FrameFacts) -> tuple[str, ...]:
    """Phone numbers in the text and in ``tel:`` links, as written, once each."""
    seen = [match.group(0).strip() for match in _PHONE.finditer(frame.text)]
    seen += [link.href[4:] for link in frame.links if link.href.startswith("tel:") and len(link.href) > 4]
    digits: dict[str, str] = {}
    for number in seen:
        digits.setdefault(re.sub(r"\D", "", number)[-10:], number)
    return tuple(digits.values())


def time_windows(text: str) -> tuple[str, ...]:
    """Sentences holding a clock time ("from Saturday 10:00 p.m. to Sunday 6:00 a.m. ET")."""
    sentences = (" ".join(part.split()) for part in _SENTENCE_BREAK.split(text))
    return tuple(dict.fromkeys(s[:_QUOTED] for s in sentences if s and _CLOCK_TIME.search(s)))


__all__ = ["LoginLink", "MaintenanceFacts", "login_links", "maintenance", "phones", "time_windows"]
