"""What one form control asks for: a user ID, an email, a member ID, an NPI, a password ...

Why a module of its own: the same reading of a control serves login detection (is there a
password box next to an identifier box?), the form's anatomy in reports (``fields``,
``username_kind``) and the sign-up tell-tales (name and address boxes). Structure is read first
(``type``, ``autocomplete``), then the words a person reads (label, placeholder), then the words a
developer typed (``name``, ``id``); the words come from ``data/vocabulary.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from preflight.checks.portal.vocabulary import Vocabulary, normalize, split_identifier
from preflight.model.sections import FieldKind, PasswordRole, PortalField
from preflight.model.snapshot import InputFacts

# Field kinds as reported (vocabulary kinds use underscores; reports use words people read).
_REPORTED_KIND = {
    "member_id": "member-id", "group_id": "group-id", "agent_id": "agent-id", "dob": "date-of-birth",
    "otp": "one-time-code", "remember": "remember-me", "person_name": "name",
}

IDENTIFIER_KINDS = ("npi", "tin", "member_id", "group_id", "agent_id", "username", "email", "phone")

"""Kinds that can name an account, most specific first (a "Member ID or email" box is a member ID)."""

_LABEL_ORDER = ("card", "search", "otp", "dob", *IDENTIFIER_KINDS, "person_name", "address", "captcha")

_SKIPPED_TYPES = frozenset({"hidden", "submit", "button", "image", "reset", "file", "range", "color"})

def reported(kind: str) -> str:
    """Vocabulary kind -> reported kind: ``member_id`` -> ``member-id``, ``otp`` -> ``one-time-code``."""
    return _REPORTED_KIND.get(kind, kind)

IDENTIFIERS = tuple(reported(k) for k in IDENTIFIER_KINDS)

"""Reported kinds of the boxes that can name an account."""

NOT_TYPED = tuple(reported(k) for k in ("remember", "terms", "checkbox", "choice", "captcha"))

"""Reported kinds of controls that are ticked or chosen, not typed into."""

PROFILE = tuple(reported(k) for k in ("person_name", "address", "dob"))

"""Reported kinds a sign-up form asks for and a login form does not."""

@dataclass(frozen=True)
class Field:
    """One visible control of a form, as a person would describe it."""

    kind: str
    """``username``, ``email``, ``member-id``, ``npi``, ``tin``, ``group-id``, ``agent-id``,
    ``phone``, ``password``, ``date-of-birth``, ``one-time-code``, ``remember-me``, ``terms``,
    ``name``, ``address``, ``card``, ``search``, ``captcha``, ``choice``, ``checkbox``,
    ``textarea`` or ``text`` (a text box nothing more is known about)."""
    label: str
    """What the page calls it: label, else placeholder, else name attribute."""
    type: str = "text"
    autocomplete: str = ""
    required: bool = False
    takes_email: bool = False
    """An identifier box that accepts an email address (type, autocomplete or label say so)."""
    password_role: str = ""
    """For passwords: ``current``, ``new`` or ``confirm`` when the page says so."""

    def to_entry(self) -> PortalField:
        """This control as ``results[].portal.fields[]`` (empty attributes left out of JSON)."""
        return PortalField(kind=cast(FieldKind, self.kind), label=self.label, type=self.type,
                           autocomplete=self.autocomplete, required=self.required, takes_email=self.takes_email,
                           password_role=cast(PasswordRole, self.password_role) if self.password_role else None)

def classify_field(control: InputFacts, vocab: Vocabulary) -> Field | None:
    """What one control asks for; ``None`` for controls a person never types into."""
    kind_type = (control.type or "text").lower()
    if control.tag == "input" and kind_type in _SKIPPED_TYPES:
        return None
    label_text = normalize(f"{control.label} {control.placeholder}")
    attr_text = split_identifier(f"{control.name} {control.id}")
    autocomplete = control.autocomplete.lower().split()
    shown = (control.label or control.placeholder or control.name or control.id).strip()[:80]

    def make(kind: str, takes_email: bool = False, password_role: str = "") -> Field:
        return Field(kind=reported(kind), label=shown, type=kind_type, autocomplete=control.autocomplete,
                     required=control.required, takes_email=takes_email, password_role=password_role)

    def says(kind: str) -> bool:
        words = vocab.fields[kind]
        return bool(words.label_match(label_text) or words.attr_match(attr_text))

    if kind_type in ("checkbox", "radio"):
        return make("remember" if says("remember") else "terms" if says("terms") else "checkbox")
    if control.tag == "textarea":
        return make("textarea")
    if "one-time-code" in autocomplete:
        return make("otp")
    if kind_type == "password" or "current-password" in autocomplete or "new-password" in autocomplete:
        if says("otp") and not vocab.fields["password"].label_match(label_text):
            return make("otp")  # a code box typed as password so that it is masked
        if says("confirm"):
            return make("password", password_role="confirm")
        if "current-password" in autocomplete or says("current_password"):
            return make("password", password_role="current")
        if "new-password" in autocomplete or says("new_password"):
            return make("password", password_role="new")
        return make("password")
    if any(token.startswith("cc-") for token in autocomplete):
        return make("card")
    if kind_type == "search":
        return make("search")
    takes_email = kind_type == "email" or "email" in autocomplete or says("email")
    labelled = [kind for kind in _LABEL_ORDER if vocab.fields[kind].label_match(label_text)]
    named = [kind for kind in _LABEL_ORDER if vocab.fields[kind].attr_match(attr_text)]
    if "card" in labelled and vocab.fields["account_card"].label_match(label_text):
        # "Library card number", "Rewards card": the account's own number, not a payment card.
        labelled = [k for k in labelled if k != "card"]
        named = [k for k in named if k != "card"]
        if not any(k in IDENTIFIER_KINDS for k in labelled):
            labelled.append("username")
    # The label is what the person reads; the name attribute is what a developer typed.
    kind = _pick(labelled) or _structural_kind(autocomplete, kind_type) or _pick(named)
    if control.tag == "select":
        return make(kind if kind in ("dob", "address") else "choice")
    if kind is None:
        kind = "email" if kind_type == "email" else "phone" if kind_type == "tel" else "text"
    if kind == "email" and "username" in labelled + named and kind_type != "email":
        kind = "username"  # "Username or email": an account name that also takes an email
    return make(kind, takes_email=takes_email and kind in IDENTIFIER_KINDS)

def _pick(kinds: Sequence[str]) -> str | None:
    if not kinds:
        return None
    for kind in ("card", "search", "otp", "dob"):
        if kind in kinds:
            return kind
    identifiers = [k for k in IDENTIFIER_KINDS if k in kinds]
    return identifiers[0] if identifiers else kinds[0]

def _structural_kind(autocomplete: list[str], kind_type: str) -> str | None:
    tokens = set(autocomplete)
    if "username" in tokens:
        return "username"
    if "email" in tokens or kind_type == "email":
        return "email"
    if tokens & {"tel", "tel-national", "tel-local"}:
        return "phone"
    if any(t.startswith("bday") for t in tokens):
        return "dob"
    if tokens & {"name", "given-name", "family-name", "additional-name", "nickname"}:
        return "person_name"
    if any(t.startswith(("address-", "street-", "postal-", "country")) for t in tokens):
        return "address"
    return None

__all__ = ["Field", "classify_field", "reported", "IDENTIFIER_KINDS", "IDENTIFIERS", "NOT_TYPED", "PROFILE"]
