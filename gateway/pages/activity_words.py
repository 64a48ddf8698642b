"""Template filters the progress and activities pages share: an attendance status, an excuse's
state and a quiz's state in the reader's language, and a time the API gives (ISO 8601, UTC)
in the organisation's zone."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from gateway.pages import blp
from services.words import STATUSES

EXCUSE_STATES = {
    "pending": _l("excuse pending"),
    "approved": _l("excuse approved"),
    "rejected": _l("excuse rejected"),
}
SESSION_STATES = {
    "scheduled": _l("scheduled"),
    "cancelled": _l("cancelled"),
    "closed": _l("closed"),
}
QUIZ_STATES = {
    "upcoming": _l("announced"),
    "open": _l("open now"),
    "closed": _l("closed"),
    "cancelled": _l("cancelled"),
}


@blp.app_template_filter()
def attendance_name(status: str | None) -> str:
    return str(STATUSES.get(status or "", _l("no record yet")))


@blp.app_template_filter()
def excuse_name(state: str | None) -> str:
    return str(EXCUSE_STATES.get(state or "", ""))


@blp.app_template_filter()
def session_state_name(state: str) -> str:
    return str(SESSION_STATES.get(state, state))


@blp.app_template_filter()
def quiz_state_name(state: str) -> str:
    return str(QUIZ_STATES.get(state, state))


@blp.app_template_filter()
def when(text: str | None) -> str:
    """A UTC time from the API as the organisation's local date and time."""
    if not text:
        return ""
    return str(format_datetime(datetime.fromisoformat(text), "yyyy-MM-dd HH:mm"))


@blp.app_template_filter()
def day(text: str | None) -> str:
    """A date (or a time's date) from the API, short, as the reader writes dates."""
    if not text:
        return ""
    if len(text) == len("2026-01-31"):  # a local date already: no zone to convert
        return str(format_date(date.fromisoformat(text), "short"))
    return str(format_date(datetime.fromisoformat(text), "short"))
