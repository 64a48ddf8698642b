"""What a person reads of an outbound event (a group robot's message, an e-mail): a title and
a few lines, in the organisation's language (zh-CN first) from the platform's catalogue.

Webhooks get the event's data as JSON instead; these words are for people."""

from __future__ import annotations

from functools import cache
from typing import Any

from babel import support

from services.common.i18n import DEFAULT, DIRECTORY
from services.points.delivery import outbox


@cache
def _catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(str(DIRECTORY), [locale], "messages")


def _(text: str, **values: Any) -> str:
    """The message in the organisation's language, with ``%(name)s`` values filled in."""
    return str(_catalogue(DEFAULT).gettext(text)) % values


def _title(value: Any) -> str:
    """A badge's title is {"zh_CN": ..., "en": ...} (or plain text)."""
    if isinstance(value, dict):
        return str(value.get(DEFAULT) or value.get("zh") or next(iter(value.values()), ""))
    return str(value or "")


def render(kind: str, data: dict[str, Any]) -> tuple[str, list[str]]:
    """(title, lines) for an event of ``kind`` with its data."""
    return RENDERERS.get(kind, _nudge)(data)


def _who(data: dict[str, Any]) -> str:
    return str(data.get("name") or data.get("member") or "")


def _badge(data: dict[str, Any]) -> tuple[str, list[str]]:
    badge = _title(data.get("title"))
    return _("Badge earned"), [
        _("%(who)s earned the badge %(badge)s.", who=_who(data), badge=badge)
    ]


def _level(data: dict[str, Any]) -> tuple[str, list[str]]:
    line = _(
        "%(who)s reached level %(level)s, %(title)s, with %(points)s points.",
        who=_who(data),
        level=data.get("level", ""),
        title=_title(data.get("title")),
        points=data.get("points", ""),
    )
    return _("New level reached"), [line]


def _approved(data: dict[str, Any]) -> tuple[str, list[str]]:
    lines = [_("The practice report %(title)s by %(who)s was approved.", **_report(data))]
    if data.get("rating"):
        lines.append(_("Rating: %(rating)s", rating=data["rating"]))
    return _("Practice report approved"), lines


def _returned(data: dict[str, Any]) -> tuple[str, list[str]]:
    lines = [_("The practice report %(title)s by %(who)s was returned.", **_report(data))]
    if data.get("comment"):
        lines.append(_("Reviewer's comment: %(comment)s", comment=data["comment"]))
    return _("Practice report returned for revision"), lines


def _closed(data: dict[str, Any]) -> tuple[str, list[str]]:
    absent = data.get("absent") or []
    lines = [_("The study session %(title)s is closed.", title=data.get("title", ""))]
    lines.append(_("Absent: %(count)s", count=len(absent)))
    if absent:
        lines.append("、".join(a.get("name") or a.get("member", "") for a in absent))
    return _("Study session closed"), lines


def _summary(data: dict[str, Any]) -> tuple[str, list[str]]:
    members = data.get("members", [])
    line = _(
        "%(count)s members of your units had not learned for %(days)s days and were reminded:",
        count=len(members),
        days=data.get("days", ""),
    )
    names = "、".join(m.get("name") or m.get("member", "") for m in members)
    return _("Members reminded to keep learning"), [line, names]


def _nudge(data: dict[str, Any]) -> tuple[str, list[str]]:
    line = _(
        "%(who)s, we have not seen you learn for %(days)s days. "
        "Come back for today's quiz or a study session.",
        who=_who(data),
        days=data.get("days", ""),
    )
    return _("A reminder to keep learning"), [line]


RENDERERS = {
    outbox.BADGE_EARNED: _badge,
    outbox.LEVEL_REACHED: _level,
    outbox.REPORT_APPROVED: _approved,
    outbox.REPORT_RETURNED: _returned,
    outbox.SESSION_CLOSED: _closed,
    outbox.NUDGE_SUMMARY: _summary,
    outbox.NUDGE: _nudge,
}


def _report(data: dict[str, Any]) -> dict[str, Any]:
    return {"title": data.get("title", ""), "who": data.get("name") or data.get("member", "")}
