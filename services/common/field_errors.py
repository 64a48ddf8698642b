"""The standard validation messages (marshmallow's) in the reader's language.

A 422's field errors come from the schemas: marshmallow's own messages ("Missing data for
required field.", "Must be greater than or equal to 1.") and a few of ours. A request that says
which language it reads (``Accept-Language``; the gateway's pages always do) gets marshmallow's
through the platform's catalogue, with their numbers kept; our own and anything unknown stay as
they are. A request without the header gets them as they are, in English, as API clients
always have.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, has_request_context, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

PLAIN = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Unknown field.": _l("Unknown field."),
    "Invalid value.": _l("Invalid value."),
    "Invalid type.": _l("Invalid type."),
    "Invalid input type.": _l("Invalid type."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid boolean.": _l("Not a valid boolean."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid date and time."),
    "Not a valid time.": _l("Not a valid time."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid mapping."),
    "Not a valid URL.": _l("Not a valid URL."),
    "Not a valid email address.": _l("Not a valid email address."),
    "Number too large.": _l("Number too large."),
    "String does not match expected pattern.": _l("Not in the expected form."),
}
# marshmallow's messages with values in them: the pattern, and ours said with the same values.
SHAPED: tuple[tuple[str, Callable[[dict[str, str]], str]], ...] = (
    (r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
     lambda v: gettext("Must be between %(min)s and %(max)s.", **v)),
    (r"Must be greater than or equal to (?P<min>\S+)\.",
     lambda v: gettext("Must be at least %(min)s.", **v)),
    (r"Must be less than or equal to (?P<max>\S+)\.",
     lambda v: gettext("Must be at most %(max)s.", **v)),
    (r"Must be greater than (?P<min>\S+)\.",
     lambda v: gettext("Must be more than %(min)s.", **v)),
    (r"Must be less than (?P<max>\S+)\.",
     lambda v: gettext("Must be less than %(max)s.", **v)),
    (r"Shorter than minimum length (?P<min>\d+)\.",
     lambda v: gettext("Too short: at least %(min)s.", **v)),
    (r"Longer than maximum length (?P<max>\d+)\.",
     lambda v: gettext("Too long: at most %(max)s.", **v)),
    (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
     lambda v: gettext("Length must be between %(min)s and %(max)s.", **v)),
    (r"Length must be (?P<equal>\d+)\.",
     lambda v: gettext("Length must be %(equal)s.", **v)),
    (r"Must be one of: (?P<choices>.+)\.",
     lambda v: gettext("Must be one of: %(choices)s.", **v)),
)  # fmt: skip
_SHAPED = tuple((re.compile(pattern + r"\Z"), say) for pattern, say in SHAPED)


def in_reader_language(errors: Any) -> Any:
    """``errors`` (a 422's nested field errors) with marshmallow's messages translated, when
    the request asks for a language and the app speaks them (services/common/i18n.py)."""
    if not has_request_context() or "Accept-Language" not in request.headers:
        return errors
    if "babel" not in current_app.extensions:
        return errors
    return _walk(errors)


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item) for item in value]
    if isinstance(value, str):
        return said(value)
    return value


def said(message: str) -> str:
    known = PLAIN.get(message)
    if known is not None:
        return str(known)
    for pattern, template in _SHAPED:
        found = pattern.fullmatch(message)
        if found:
            return str(template(found.groupdict()))
    return message
