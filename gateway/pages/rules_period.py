"""A period of local dates typed on a page (the preview's, the re-score's): read, checked with
a translated message beside the field, and a default of the last 30 days in the organisation's
time zone."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from services.common.calendar import today
from services.common.web import settings

LONGEST = 400  # days, as the rewards service allows


def default() -> dict[str, str]:
    last = today(settings().org_timezone)
    return {"from": (last - timedelta(days=29)).isoformat(), "to": last.isoformat()}


def read_period(values: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(the period as typed, errors by field)."""
    typed = {key: values.get(key, "").strip() for key in ("from", "to")}
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for key, text in typed.items():
        try:
            days[key] = date.fromisoformat(text)
        except ValueError:
            errors[key] = _("Enter a date.")
    if not errors and days["to"] < days["from"]:
        errors["to"] = _("The end must not be before the start.")
    elif not errors and (days["to"] - days["from"]).days > LONGEST:
        errors["to"] = _("At most %(days)d days at a time.", days=LONGEST)
    return typed, errors
