"""What the practice-report pages say of a report's values: its state, what kind of learning
it names, who moved it and when (in the organisation's time zone), a file's size. The staff
pages (gateway/pages/reports.py) and the reviewers' (gateway/pages/review.py) share them."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint
from flask_babel import format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

STATE_NAMES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "returned": _l("Returned for revision"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
KIND_NAMES = {
    "session": _l("A study session"),
    "quiz": _l("A quiz"),
    "course": _l("A course"),
    "topic": _l("A topic of my own"),
}
EDITABLE = ("draft", "returned")
WAITING = ("submitted", "in_review")


def install(blp: Blueprint) -> None:
    blp.add_app_template_filter(state_name)
    blp.add_app_template_filter(learned_kind)
    blp.add_app_template_filter(when)
    blp.add_app_template_filter(actor)
    blp.add_app_template_filter(file_size)


def state_name(state: str | None) -> str:
    return str(STATE_NAMES.get(state or "", state or ""))


def learned_kind(kind: str | None) -> str:
    return str(KIND_NAMES.get(kind or "", kind or ""))


def when(stamp: str | None) -> str:
    """An ISO time from the API, in the organisation's zone and the reader's language."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return str(format_datetime(moment, "short"))


def actor(name: str | None) -> str:
    """``member:s01`` is the staff number; a system's name stays as it is."""
    return (name or "").removeprefix("member:")


def file_size(size: int | None) -> str:
    kib = (size or 0) / 1024
    if kib < 1024:
        return str(_l("%(n)s KB", n=format_decimal(round(kib, 1))))
    return str(_l("%(n)s MB", n=format_decimal(round(kib / 1024, 1))))


def megabytes(size: int) -> str:
    return str(format_decimal(round(size / 1024 / 1024, 1)))
