"""What every rule set page shares: only admins open them (a staff member or a reviewer gets
the 403 page, before anything is read; the API would refuse them anyway), the notices a page
shows after a change (``?done=<word>``), and reading times and answers of the rewards service.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from services.common.errors import ApiError

View = TypeVar("View", bound=Callable[..., Any])

DONE = {
    "created": _l("The draft was created."),
    "saved": _l("The draft was saved, and it is valid."),
    "published": _l("The draft was published as a new version."),
    "scheduled": _l("The draft was published; it takes effect at the time chosen."),
    "deleted": _l("The draft was deleted."),
    "rescored": _l("The period was re-scored."),
}


def done_notice() -> str | None:
    said = DONE.get(request.args.get("done", ""))
    return None if said is None else str(said)


def when(text: str | None) -> str:
    """A time the service gave (ISO, UTC) in the organisation's zone and the reader's way."""
    if not text:
        return "—"
    try:
        return str(format_datetime(datetime.fromisoformat(text), "short"))
    except ValueError:
        return text


def api_errors(answer: Any) -> Any:
    """The validation errors of a 422 answer (``errors.json``), else its message."""
    if not isinstance(answer, dict):
        return {}
    found = answer.get("errors")
    if isinstance(found, dict):
        return found.get("json", found)
    return answer.get("message") or {}


class Unexpected(ApiError):
    """An answer of the rewards service a page did not expect: shown as the error page with
    the status it gave."""

    def __init__(self, status: int, answer: Any) -> None:
        message = answer.get("message") if isinstance(answer, dict) else None
        super().__init__(message)
        self.status = status


def expect(wanted: int, status: int, answer: Any) -> Any:
    """``answer`` when the service gave ``wanted``; else the error page with its status."""
    if status != wanted:
        raise Unexpected(status, answer)
    return answer
