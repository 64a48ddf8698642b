"""The new-key form of the keys page: what was typed, read and checked with messages in the
reader's language, before gateway/keys.py checks it again (a ``KeyProblem`` it still raises
is said next to its field too)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from gateway import keys
from gateway.pages.admins import day_after, parse_day, today

# Event types and unit codes are typed in one box each, split on spaces or commas (either width).
_SPLIT = re.compile(r"[\s,，、;；]+")


@dataclass
class KeyForm:
    name: str = ""
    scopes: list[str] = field(default_factory=list)
    event_types: str = ""
    units: str = ""
    expires_on: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None

    @property
    def type_list(self) -> list[str]:
        return [part for part in _SPLIT.split(self.event_types) if part]

    @property
    def unit_list(self) -> list[str]:
        return [part for part in _SPLIT.split(self.units) if part]


def read(form: MultiDict[str, str]) -> KeyForm:
    typed = KeyForm(
        name=form.get("name", "").strip(),
        scopes=form.getlist("scopes"),
        event_types=form.get("event_types", "").strip(),
        units=form.get("units", "").strip(),
        expires_on=form.get("expires_on", "").strip(),
    )
    errors = typed.errors
    if not typed.name:
        errors["name"] = _("Give the key a name.")
    elif not _name_ok(typed.name):
        errors["name"] = _("A name has 1-64 letters, digits, '.', '_' or '-'.")
    if not typed.scopes or set(typed.scopes) - set(keys.SCOPES):
        errors["scopes"] = _("Choose at least one scope.")
    elif keys.ADMIN in typed.scopes and (typed.type_list or typed.unit_list):
        errors["scopes"] = _("An admin key cannot be limited to event types or units.")
    _limits(typed)
    _expiry(typed)
    return typed


def _name_ok(name: str) -> bool:
    try:
        keys.validate_name(name)
    except keys.KeyProblem:
        return False
    return True


def _limits(typed: KeyForm) -> None:
    if not all(keys.TYPE_NAME.fullmatch(t) for t in typed.type_list):
        typed.errors["event_types"] = _("Event types are lower-case names like quiz.")
    elif len(set(typed.type_list)) > keys.MAX_LIMITS:
        typed.errors["event_types"] = _("At most %(count)d event types.", count=keys.MAX_LIMITS)
    if not all(keys.UNIT_CODE.fullmatch(u) for u in typed.unit_list):
        typed.errors["units"] = _("Unit codes have 1-64 letters, digits, '-' or '_'.")
    elif len(set(typed.unit_list)) > keys.MAX_LIMITS:
        typed.errors["units"] = _("At most %(count)d units.", count=keys.MAX_LIMITS)


def _expiry(typed: KeyForm) -> None:
    """The key works through the day given (the organisation's day), and stops after it."""
    if not typed.expires_on:
        return
    day = parse_day(typed.expires_on)
    if day is None:
        typed.errors["expires_on"] = _("Enter a date like 2026-12-31.")
    elif day < today():
        typed.errors["expires_on"] = _("The last day must be today or later.")
    else:
        typed.expires_at = day_after(day)


def expiry_of(text: str) -> tuple[datetime | None, str | None]:
    """A rotation's new last day (empty: none given): its expiry, or a message."""
    typed = KeyForm(expires_on=text.strip())
    _expiry(typed)
    return typed.expires_at, typed.errors.get("expires_on")


def said(problem: keys.KeyProblem) -> dict[str, str]:
    """What gateway/keys.py refused, next to the field it names, in the reader's language."""
    if problem.status == 409:
        return {"name": _("A key has this name already (revoked keys keep theirs); pick another.")}
    fields = (problem.errors or {}).get("json", {})
    if "expires_at" in fields:
        return {"expires_on": _("The last day must be today or later.")}
    if "event_types" in fields:
        return {"event_types": _("Event types are lower-case names like quiz.")}
    if "units" in fields:
        return {"units": _("Unit codes have 1-64 letters, digits, '-' or '_'.")}
    return {"scopes": _("These scopes and limits cannot go together.")}
