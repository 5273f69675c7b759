"""Allowlist -> the policies that make the official portals' sign-in safe and working.

Each policy is documented where it is built: what the browser does with it and why it is here.
Values follow Chrome's enterprise policy list (the same names and types hold for Microsoft Edge and
Chromium). Nothing here guesses a host: every value comes from the allowlist, which IT confirms with
the payer first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from preflight.config.allowlist import LOGIN_ROLES, Allowlist, Portal

PolicyValue = bool | int | str | tuple[str, ...]


@dataclass(frozen=True)
class BrowserTarget:
    """Where one browser reads machine policy on each platform."""

    key: str
    """``chrome``, ``edge``, ``chromium``: the ``--browser`` choice."""
    display: str
    linux_dir: str
    """Folder of managed-policy JSON files on Linux (every ``*.json`` in it is read)."""
    registry_key: str
    """Under ``HKEY_LOCAL_MACHINE``: the browser's machine-policy key on Windows."""
    mac_domain: str
    """The preference domain (configuration-profile ``PayloadType``) on macOS."""


BROWSERS: dict[str, BrowserTarget] = {
    "chrome": BrowserTarget("chrome", "Google Chrome", "/etc/opt/chrome/policies/managed/",
                            r"SOFTWARE\Policies\Google\Chrome", "com.google.Chrome"),
    "edge": BrowserTarget("edge", "Microsoft Edge", "/etc/opt/edge/policies/managed/",
                          r"SOFTWARE\Policies\Microsoft\Edge", "com.microsoft.Edge"),
    # Debian, Ubuntu's deb, Fedora and Arch builds read /etc/chromium; some older Ubuntu
    # packages read /etc/chromium-browser instead (README says so).
    "chromium": BrowserTarget("chromium", "Chromium", "/etc/chromium/policies/managed/",
                              r"SOFTWARE\Policies\Chromium", "org.chromium.Chromium"),
}

POLICY_FILE_NAME = "preflight-portals.json"
"""Suggested name of the Linux policy file (any ``*.json`` name works)."""

PASSWORD_REUSE = 1
"""``PasswordProtectionWarningTrigger``: 0 off, 1 on any reuse off the login URLs, 2 only on
phishing pages. 1 is the one that warns on a look-alike page Safe Browsing does not know yet."""


@dataclass(frozen=True)
class Policy:
    name: str
    value: PolicyValue
    purpose: str
    """One sentence for IT: what the browser does with it."""

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, tuple)


@dataclass(frozen=True)
class PolicyExport:
    browser: BrowserTarget
    policies: tuple[Policy, ...]
    allowlist_source: str
    notes: tuple[str, ...] = ()
    """Things IT must know about this export (one change-password URL kept out of several ...)."""

    def as_dict(self) -> dict[str, bool | int | str | list[str]]:
        """The policies as Chrome's JSON policy format has them (lists as lists)."""
        return {p.name: list(p.value) if isinstance(p.value, tuple) else p.value for p in self.policies}


def build_export(allowlist: Allowlist, browser: str = "chrome") -> PolicyExport:
    """The policies for ``browser`` from every portal of ``allowlist``, in a fixed, documented order."""
    target = BROWSERS[browser]
    login_portals = [p for p in allowlist.portals if p.role in LOGIN_ROLES]
    identity_portals = [p for p in allowlist.portals if p.role == "identity"]
    cookie_portals = [p for p in allowlist.portals if p.role != "resource"]
    notes: list[str] = []
    policies: list[Policy] = []

    login_urls = _unique(url for p in login_portals + identity_portals for url in _login_urls(p))
    if login_urls:
        # Chrome compares scheme, host, port and path (query and fragment dropped): a root URL
        # protects only the root page, so per-portal login_urls beat the https://<host>/ default.
        policies.append(Policy(
            "PasswordProtectionLoginURLs", login_urls,
            "pages where the portal password is typed: the browser keeps a salted hash of the password "
            "entered there and warns when the same password is typed on any other site (a look-alike)"))
        policies.append(Policy(
            "PasswordProtectionWarningTrigger", PASSWORD_REUSE,
            "1 = warn whenever the protected password is reused off those pages; without it the login "
            "URLs protect nothing"))
        if not any(p.login_urls for p in login_portals + identity_portals):
            notes.append("no portal has login_urls: PasswordProtectionLoginURLs lists each host's root page "
                         "only (Chrome matches the exact path); add login_urls for the pages where the "
                         "password is typed")

    change_urls = _unique(p.change_password_url for p in login_portals + identity_portals if p.change_password_url)
    if change_urls:
        policies.append(Policy(
            "PasswordProtectionChangePasswordURL", change_urls[0],
            "where the reuse warning sends the user to change the password (and where the new "
            "password's hash is captured)"))
        if len(change_urls) > 1:
            notes.append(f"the browser takes one change-password URL: kept {change_urls[0]}, left out "
                         + ", ".join(change_urls[1:]))

    cookie_patterns = _unique(pattern for p in cookie_portals for pattern in _cookie_patterns(p))
    if cookie_patterns:
        policies.append(Policy(
            "CookiesAllowedForUrls", cookie_patterns,
            "these sites may keep cookies even where the default blocks or clears them, and identity "
            "hosts may use theirs inside the portal's sign-in frame when third-party cookies are blocked"))

    # The popup blocker judges the page that opens the window, not the window's target: a sign-in
    # popup opened by the portal needs the portal host here, and the identity host for its own
    # (MFA, consent) windows.
    openers = [p for p in login_portals if p.identity_hosts] + identity_portals
    popup_hosts = _unique(host for p in openers for host in p.hosts + p.identity_hosts)
    popup_patterns = tuple(_exact(h) for h in popup_hosts)
    if popup_patterns:
        policies.append(Policy(
            "PopupsAllowedForUrls", popup_patterns,
            "sign-in windows these pages open (identity provider, MFA prompt) are not blocked as pop-ups"))
    return PolicyExport(target, tuple(policies), allowlist.source, tuple(notes))


def _login_urls(portal: Portal) -> tuple[str, ...]:
    if portal.login_urls:
        return portal.login_urls
    return tuple(f"https://{host}/" for host in portal.hosts + portal.identity_hosts)


def _cookie_patterns(portal: Portal) -> tuple[str, ...]:
    # Exact hosts stay exact (https, default port): least privilege, and what the allowlist says.
    # A *.example.com host pattern becomes Chrome's [*.]example.com (which also covers the apex).
    exact = tuple(_exact(h) for h in portal.hosts + portal.identity_hosts)
    return exact + tuple("[*.]" + pattern[2:] for pattern in portal.host_patterns)


def _exact(host: str) -> str:
    return f"https://{host}"


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """In first-seen order: the export is stable, so a diff of two exports means a changed list."""
    return tuple(dict.fromkeys(values))
