"""What templates say of the platform's values: a title in the reader's language, the names of
scopes, periods and kinds, and points with their sign."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from services.common import i18n
from services.words import LABELS

PERIOD_NAMES = {
    "day": _l("Today"),
    "week": _l("This week"),
    "month": _l("This month"),
    "quarter": _l("This quarter"),
    "year": _l("This year"),
    "all": _l("All time"),
    "last7": _l("Last 7 days"),
    "last30": _l("Last 30 days"),
}


def install(blp: Blueprint) -> None:
    blp.add_app_template_filter(localized)
    blp.add_app_template_filter(kind_name)
    blp.add_app_template_filter(period_name)
    blp.add_app_template_filter(scope_name)
    blp.add_app_template_filter(signed)
    blp.add_app_template_filter(number)


def localized(text: Any) -> str:
    """A title given per language (``{"zh": ..., "en": ...}``) in the reader's; a plain
    string as it is."""
    if isinstance(text, dict):
        first = "zh" if i18n.negotiated() == "zh_CN" else "en"
        return str(text.get(first) or next((v for v in text.values() if v), ""))
    return "" if text is None else str(text)


def kind_name(name: str) -> str:
    return str(LABELS.get(name, name))


def period_name(period: str) -> str:
    return str(PERIOD_NAMES.get(period, period))


def scope_name(scope: str, units: dict[str, str] | None = None) -> str:
    """``org`` is the whole organisation; ``unit:X`` the unit's name when known."""
    if scope == "org":
        return str(_l("Whole organisation"))
    code = scope.removeprefix("unit:")
    return (units or {}).get(code, code)


def signed(points: int) -> str:
    return ("+" if points > 0 else "") + number(points)


def number(value: Any) -> str:
    return "" if value is None else str(format_decimal(value))
