"""The words of an export, in the language it was asked in, from the platform's catalogue.

A job has no request and no Flask app, so Flask-Babel's functions do not work there: the
catalogue is loaded directly. ``_l`` only marks a text for extraction (``make i18n`` collects
``_l``); ``language(...)`` translates it when the file is written."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from babel import support

from services.common.i18n import DIRECTORY, LOCALES

Say = Callable[[str], str]


def _l(text: str) -> str:
    return text


@lru_cache(maxsize=len(LOCALES))
def language(name: str) -> Say:
    """``gettext`` of the catalogue of ``name`` (one of LOCALES)."""
    found = support.Translations.load(str(DIRECTORY), [name], "messages")
    say: Say = found.gettext
    return say


CATEGORIES = {
    "attendance": _l("Attendance"),
    "quiz": _l("Quizzes"),
    "practice": _l("Practice"),
    "study": _l("Study"),
}
REPORT_STATES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "returned": _l("Returned"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
