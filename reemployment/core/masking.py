"""The one masking function for personal data kept in the audit log (issue 15, finding 8).

Audit events keep a before/after snapshot of what a service changed. Those snapshots must show *that*
an ID number, a name or a bank account changed, and which record it was (the event names the object),
without keeping a second, unprotected copy of the value. :func:`mask_snapshot` masks, by key, anywhere
in a snapshot (nested dicts and lists included):

=====================  ==========================================  ==========================
keys                   masked as                                    example
=====================  ==========================================  ==========================
``id_number``,         first 3 and last 4 characters                 ``341***********123X``
``*_id_number``
``bank_account``,      last 4 digits                                 ``***************1234``
``*_bank_account``
``phone``, ``mobile``, first 3 and last 4 of a mobile number, else   ``138****5678``
``*_phone``            the last 4
``display_name``,      first and last character (``mask_name``)      ``张*三``
``cadre_name`` …
``name``, ``address``  the same, in a person's record only (a        ``张*``, ``定远县定城镇***``
                       member, a household, a roster entry, a user —
                       or any dict that also has an ``id_number``)
=====================  ==========================================  ==========================

and in every other string an ID number is masked (:func:`mask_id_numbers`: a recipient's login name is
their ID number). Masking is idempotent: a masked value masks to itself,
so the data migration that masks older events (``core`` migration 0005) can be run on any row.
"""

from __future__ import annotations

import datetime as dt
import re

from reemployment.idcard import mask_id_number, mask_name

# 18 characters shaped like an ID number, not inside a longer run of digits.
_ID_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")

# Object types whose own "name"/"address" is a person's (or a household's) — not a region's or a course's.
PERSON_TYPES = frozenset({"benefits.member", "benefits.household", "checks.povertyrosterentry", "core.user"})
NAME_KEYS = frozenset({"display_name", "cadre_name", "member_name", "head_name", "person_name", "applicant_name",
                       "reporter_name", "contact_name", "full_name"})
PERSON_ONLY_KEYS = frozenset({"name", "address"})
ADDRESS_KEPT = 6  # 定远县定城镇: the township, not the door


def mask_id_numbers(text: str) -> str:
    """ID numbers inside free text masked. Only 18 characters whose birth-date part is a real date between
    1900 and today count: household numbers (community code + serial, 18 digits too) stay readable."""
    def mask(match: re.Match) -> str:
        number = match.group(0)
        try:
            born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return number
        return mask_id_number(number) if dt.date(1900, 1, 1) <= born <= dt.date.today() else number

    return _ID_IN_TEXT.sub(mask, text) if text else text


def mask_bank_account(value: str) -> str:
    text = str(value)
    if "*" in text:  # already masked
        return text
    return "*" * max(len(text) - 4, 0) + text[-4:] if len(text) > 4 else "*" * len(text)


def mask_phone(value: str) -> str:
    text = str(value)
    if "*" in text:  # already masked
        return text
    if len(text) == 11 and text.isdigit():
        return text[:3] + "****" + text[-4:]
    return mask_bank_account(text)


def mask_address(value: str) -> str:
    text = str(value)
    if len(text) <= ADDRESS_KEPT or text.endswith("***"):
        return text
    return text[:ADDRESS_KEPT] + "***"


def _masker(key: str, person: bool):
    key = key.lower()
    if key == "id_number" or key.endswith("_id_number"):
        return mask_id_number
    if key == "bank_account" or key.endswith("_bank_account"):
        return mask_bank_account
    if key in {"phone", "mobile"} or key.endswith("_phone"):
        return mask_phone
    if key in NAME_KEYS or (person and key == "name"):
        return mask_name
    if person and key == "address":
        return mask_address
    return None


def mask_snapshot(value, *, person: bool = False):
    """A copy of ``value`` (a JSON-able snapshot) with personal data masked; see the module's table."""
    if isinstance(value, dict):
        person = person or "id_number" in value
        out = {}
        for key, item in value.items():
            masker = _masker(str(key), person) if isinstance(item, str) and item else None
            out[key] = masker(item) if masker else mask_snapshot(item, person=person)
        return out
    if isinstance(value, (list, tuple)):
        return [mask_snapshot(item, person=person) for item in value]
    if isinstance(value, str):
        return mask_id_numbers(value)
    return value


def mask_event_fields(*, object_type: str, before, after, note: str, object_label: str, actor_label: str) -> dict:
    """Every personal field of one audit event, masked (used by ``audit.record`` and the data migration)."""
    person = object_type in PERSON_TYPES
    return {
        "before": mask_snapshot(before, person=person),
        "after": mask_snapshot(after, person=person),
        "note": mask_id_numbers(note or ""),
        "object_label": mask_id_numbers(object_label or ""),
        "actor_label": mask_id_numbers(actor_label or ""),
    }
