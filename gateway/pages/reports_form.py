"""The practice-report form: what a person typed, checked on the page with a message next to
each field (the same limits the points service keeps, services/points/reports/schemas.py), the
API body it stands for, and the API's own refusals put back next to the fields they name."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

TITLE_MAX, TEXT_MAX, NAME_MAX, REF_MAX, LINKS_MAX = 200, 10_000, 2000, 128, 10
KINDS = ("session", "quiz", "course", "topic")
FIELDS = ("title", "kind", "ref", "text", "applied", "result", "links")


def values_of(form: MultiDict[str, str]) -> dict[str, str]:
    return {name: form.get(name, "").strip() for name in FIELDS}


def values_from(report: dict[str, Any]) -> dict[str, str]:
    """A report as the form shows it, to edit."""
    learned = report.get("learned") or {}
    return {
        "title": report.get("title", ""),
        "kind": learned.get("kind") or "",
        "ref": learned.get("ref") or "",
        "text": learned.get("text") or "",
        "applied": report.get("applied", ""),
        "result": report.get("result", ""),
        "links": "\n".join(report.get("links") or []),
    }


def links_of(values: dict[str, str]) -> list[str]:
    return [line.strip() for line in values["links"].splitlines() if line.strip()]


def errors_of(values: dict[str, str]) -> dict[str, str]:
    """What is wrong with each field, in the reader's language (nothing: the form is good)."""
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _("Give the report a title.")
    elif len(values["title"]) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)d characters.", n=TITLE_MAX)
    errors |= _learned_errors(values)
    for name, empty in (
        ("applied", _("Say how you applied it at work.")),
        ("result", _("Say what came of it.")),
    ):
        if not values[name]:
            errors[name] = empty
        elif len(values[name]) > TEXT_MAX:
            errors[name] = _("At most %(n)d characters.", n=TEXT_MAX)
    links = links_of(values)
    if len(links) > LINKS_MAX:
        errors["links"] = _("At most %(n)d links.", n=LINKS_MAX)
    elif any(not _is_web_address(link) for link in links):
        errors["links"] = _("Each line is one web address starting with http:// or https://.")
    return errors


def _learned_errors(values: dict[str, str]) -> dict[str, str]:
    kind, ref, text = values["kind"], values["ref"], values["text"]
    if kind not in KINDS:
        return {"kind": _("Choose what you learned from.")}
    if len(ref) > REF_MAX:
        return {"ref": _("An id has at most %(n)d characters.", n=REF_MAX)}
    if len(text) > NAME_MAX:
        return {"text": _("At most %(n)d characters.", n=NAME_MAX)}
    if kind in ("session", "quiz") and not ref:
        return {"ref": _("Give the id of the session or quiz.")}
    if kind == "topic" and not text:
        return {"text": _("Say which topic.")}
    if kind == "course" and not (ref or text):
        return {"text": _("Name the course, or give its id.")}
    return {}


def _is_web_address(link: str) -> bool:
    parts = urlsplit(link)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in link


def body_of(values: dict[str, str]) -> dict[str, Any]:
    """The API body the form stands for (POST /api/v1/reports, or a PATCH of it)."""
    learned: dict[str, Any] = {"kind": values["kind"], "text": values["text"]}
    if values["ref"]:
        learned["ref"] = values["ref"]
    return {
        "title": values["title"],
        "learned": learned,
        "applied": values["applied"],
        "result": values["result"],
        "links": links_of(values),
    }


def api_errors(answer: Any) -> dict[str, str]:
    """The fields a 422 of the API names, each with a message of the page's (the API's own
    is English): an unknown session or quiz, or a value the page let through."""
    named = ((answer or {}).get("errors") or {}).get("json") or {}
    errors: dict[str, str] = {}
    for name, said in named.items():
        if name == "learned" and isinstance(said, dict):
            for part in said:
                errors[part if part in FIELDS else "kind"] = _not_taken(part)
        else:
            errors[name if name in FIELDS else "form"] = _not_taken(name)
    return errors or {"form": _("Some of what was sent is not right.")}


def _not_taken(name: str) -> str:
    if name == "ref":
        return str(_("No session or quiz with this id is kept on the platform."))
    return str(_("This is not accepted; check it and try again."))
