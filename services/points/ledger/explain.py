"""A ledger entry's explanation in the reader's language, rendered from its structured detail.

The stored ``reason`` stays the English record (the audit trail); this renders the same facts
through gettext for the request's locale (zh-CN first, English second: services/common/i18n.py),
with numbers formatted for it. An entry written before its detail held everything a sentence
needs (or of a kind this module does not know) is explained by its stored reason instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_decimal, get_locale, gettext, ngettext

from services.words import LABELS, PERIODS, STATUSES


def _(message: str, **values: Any) -> str:
    """gettext, typed: the request's translation of ``message`` with its named values."""
    return str(gettext(message, **values))


def explain(
    points: int, detail: dict[str, Any] | None, rule_version: int | None, reason: str
) -> str:
    """The entry in the request's language; its stored ``reason`` when the detail falls short."""
    detail = detail or {}
    render = _KINDS.get(str(detail.get("kind")))
    if render is None:
        return reason
    try:
        return render(points, detail, rule_version)
    except (KeyError, TypeError, ValueError, AttributeError):
        return reason  # written before its detail said all this: the English record it has


def number(value: Any) -> str:
    return str(format_decimal(value))


def signed(points: int) -> str:
    """'+6 points', '-3 points' ('+6 分'): the sign always shown, as in the record."""
    text = ("+" if points > 0 else "") + number(points)
    return str(ngettext("%(points)s point", "%(points)s points", abs(points), points=text))


def label(name: str) -> str:
    return str(LABELS[name]) if name in LABELS else name.replace("_", " ")


def _versioned(text: str, version: Any) -> str:
    return _("%(text)s (rule set v%(version)s)", text=text, version=version)


def _event(points: int, detail: dict[str, Any], version: int | None) -> str:
    said = [signed(points), *_notes(detail)]
    text = _("%(what)s: %(said)s", what=_what(detail), said=_("; ").join(said))
    return _versioned(text, detail.get("rule_set_version", version))


def _what(detail: dict[str, Any]) -> str:
    """What matched, without the points: a score band, a value, or the type's flat points."""
    matched, about = detail["matched"], detail.get("about")
    kind = label(detail["event_type"])
    if matched == "flat":
        return kind
    if isinstance(matched, dict) and "min_percent" in matched:
        score, top = number(detail["score"]), number(detail["max_score"])
        percent = number(matched["min_percent"])
        return _("%(kind)s score %(score)s/%(max)s ≥ %(percent)s%%", kind=kind, score=score,
                 max=top, percent=percent)  # fmt: skip
    if matched == "otherwise":
        score, top = number(detail["score"]), number(detail["max_score"])
        return _("%(kind)s score %(score)s/%(max)s, below every band", kind=kind, score=score,
                 max=top)  # fmt: skip
    ((key, value),) = matched.items()
    if about is None:
        raise KeyError("about")  # an entry from before: its reason names the title
    if key == "status" and "session_title" in about:
        status = str(STATUSES.get(value, value))
        return _("%(kind)s at session %(session)s (%(title)s): %(status)s", kind=kind,
                 session=about["session"], title=about["session_title"],
                 status=status)  # fmt: skip
    if key == "status" and "session" in about:
        status = str(STATUSES.get(value, value))
        return _("%(kind)s at session %(session)s: %(status)s", kind=kind,
                 session=about["session"], status=status)  # fmt: skip
    if key == "rating" and "title" in about:
        return _('%(kind)s "%(title)s" rated %(rating)s', kind=kind, title=about["title"],
                 rating=value)  # fmt: skip
    return _("%(kind)s %(key)s %(value)s", kind=kind, key=key, value=value)


def _notes(detail: dict[str, Any]) -> list[str]:
    notes = []
    if detail.get("attempt") and (said := _attempt(detail["attempt"])):
        notes.append(said)
    if multiplier := detail.get("multiplier"):
        notes.append(_("×%(factor)s for %(campaigns)s", factor=number(multiplier["factor"]),
                       campaigns=_(", ").join(multiplier["campaigns"])))  # fmt: skip
    if cap := detail.get("cap"):
        notes.append(_cap(cap))
    if (floor := detail.get("floor")) and floor["reached"]:
        notes.append(_floor(floor))
    return notes


def _floor(floor: dict[str, Any]) -> str:
    values = {"period": PERIODS[floor["per"]], "total": number(floor["min_total"])}
    if floor["scope"] == "*":
        return _("%(period)s floor %(total)s reached", **values)
    return _("%(period)s %(scope)s floor %(total)s reached", scope=label(floor["scope"]), **values)


def _attempt(attempt: dict[str, Any]) -> str:
    result = attempt.get("result")
    if result is None:
        if attempt["number"] == 1:
            return ""  # a first attempt says nothing, then as now
        raise KeyError("result")  # a repeat from before results were stored
    best = signed(attempt.get("best_before", 0))
    field = attempt["field"]
    mark = number(attempt.get("pass_percent", 0))
    said = {
        "repeat": lambda: _(
            "already counted for %(field)s %(thing)s", field=field, thing=attempt[field]
        ),  # fmt: skip
        "no_better": lambda: _("no better than your best attempt (%(best)s)", best=best),
        "better": lambda: _("better than your best attempt (%(best)s)", best=best),
        "already_passed": lambda: _("already passed"),
        "passed": lambda: _("passed (%(mark)s%% or more)", mark=mark),
        "below_pass": lambda: _("below the pass mark of %(mark)s%%: not counted", mark=mark),
    }
    return str(said[result]())


def _cap(cap: dict[str, Any]) -> str:
    values = {
        "period": PERIODS[cap["per"]],
        "what": label(cap["scope"].split(":", 1)[1]),
        "limit": number(cap["limit"]),
        "used": number(cap["used"]),
    }
    if cap["reached"]:
        return _("%(period)s %(what)s cap %(limit)s reached, %(used)s used", **values)
    return _("%(period)s %(what)s cap %(limit)s, %(used)s used", **values)


def _streak(points: int, detail: dict[str, Any], version: int | None) -> str:
    length = detail["milestone"]
    values = {"length": number(length), "points": signed(points)}
    if detail["streak"]["per"] == "week":
        text = _("%(length)s-week learning streak: %(points)s", **values)
    else:
        text = _("%(length)s-day learning streak: %(points)s", **values)
    return _versioned(text, detail.get("rule_set_version", version))


def _badge(points: int, detail: dict[str, Any], version: int | None) -> str:
    locale = get_locale()
    titles = detail["title"]
    title = titles["zh"] if locale is None or locale.language == "zh" else titles["en"]
    if locale is None:
        title = f"{titles['en']} ({titles['zh']})"  # no reader: the record's own form
    values = {"title": title, "points": signed(points), "version": detail["rule_set_version"]}
    if detail.get("revoked"):
        return _("Badge revoked on re-scoring under rule set v%(version)s: %(title)s is no "
                 "longer earned in %(window)s: %(points)s", window=detail["window"],
                 **values)  # fmt: skip
    if detail.get("repriced"):
        return _("Badge re-priced under rule set v%(version)s: %(title)s: %(points)s", **values)
    if detail.get("rescore"):
        return _("Badge earned on re-scoring under rule set v%(version)s: %(title)s: %(points)s",
                 **values)  # fmt: skip
    return _versioned(_("Badge earned: %(title)s: %(points)s", **values), values["version"])


def _adjustment(points: int, detail: dict[str, Any], version: int | None) -> str:
    values = {"reason": detail["reason"], "points": signed(points)}
    if points > 0:
        return _("Manual award: %(reason)s: %(points)s", **values)
    return _("Manual deduction: %(reason)s: %(points)s", **values)


def _correction(points: int, detail: dict[str, Any], version: int | None) -> str:
    return _("Correction: absent from session %(session)s (%(title)s), now %(status)s: "
             "%(points)s", session=detail["session"], title=detail["title"],
             status=STATUSES.get(detail["now"], detail["now"]), points=signed(points))  # fmt: skip


def _rerating(points: int, detail: dict[str, Any], version: int | None) -> str:
    values = {"report": detail["report"], "title": detail["title"], "points": signed(points)}
    was = detail["was_rating"]
    values["was"] = _("rejected") if was is None else was
    if detail["rating"] is None:
        text = _('Practice report #%(report)s "%(title)s" rejected (was %(was)s): %(points)s',
                 **values)  # fmt: skip
    else:
        text = _('Practice report #%(report)s "%(title)s" re-rated %(rating)s (was %(was)s): '
                 "%(points)s", rating=detail["rating"], **values)  # fmt: skip
    return _versioned(text, version)


def _rescore(points: int, detail: dict[str, Any], version: int | None) -> str:
    return _("Re-scored under rule set v%(version)s: %(category)s was %(was)s, now %(now)s: "
             "%(points)s", version=detail["rule_set_version"],
             category=label(detail["category"]), was=signed(detail["was"]),
             now=signed(detail["now"]), points=signed(points))  # fmt: skip


_KINDS: dict[str, Callable[[int, dict[str, Any], int | None], str]] = {
    "event": _event,
    "streak": _streak,
    "badge": _badge,
    "adjustment": _adjustment,
    "correction": _correction,
    "rerating": _rerating,
    "rescore": _rescore,
}
