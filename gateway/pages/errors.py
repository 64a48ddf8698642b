"""A page that cannot be shown says why, in the reader's language, with the status the API
would give: a refused read (403, 404...) is the person's to see, never a 500."""

from __future__ import annotations

import json

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from gateway.as_person import Refused
from services.common.errors import ApiError

# What a page says for a status; the service's own (English) message goes beneath it.
SAID = {
    400: _l("The request was not understood."),
    401: _l("Please sign in."),
    403: _l("You may not see or do this."),
    404: _l("There is nothing here."),
    409: _l("This has changed in the meantime; reload the page."),
    422: _l("Some of what was sent is not right."),
    429: _l("Too many requests; wait a moment and try again."),
    502: _l("A part of the platform answered wrongly; try again shortly."),
    503: _l("A part of the platform is not available; try again shortly."),
    504: _l("A part of the platform took too long; try again shortly."),
}


def install(blp: Blueprint) -> None:
    blp.register_error_handler(Refused, _refused)
    blp.register_error_handler(ApiError, _api_error)


def page(status: int, detail: str | None = None) -> tuple[str, int]:
    said = SAID.get(status, SAID[502] if status >= 500 else SAID[400])
    return render_template("pages/error.html", status=status, said=str(said), detail=detail), status


def _refused(refused: Refused) -> tuple[str, int]:
    try:
        detail = json.loads(refused.answer.data).get("message")
    except (ValueError, AttributeError):
        detail = None
    return page(refused.status, detail)


def _api_error(error: ApiError) -> tuple[str, int]:
    return page(error.status, error.message)
