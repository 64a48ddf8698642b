"""The kinds of question and what a valid answer to each is.

- ``single``: one option's key; ``multiple``: a list of option keys (at least one, none twice);
- ``agree``: the agree scale of 5, answered 1 (strongly disagree) to 5 (strongly agree), whose
  options are those five with keys "1".."5";
- ``text``: free text, which may be left out.

The "favourable" options of a question are the answers that count as good news (for the agree
scale: agree and strongly agree); a question without them has no favourable share."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

SINGLE, MULTIPLE, AGREE, TEXT = "single", "multiple", "agree", "text"
KINDS = (SINGLE, MULTIPLE, AGREE, TEXT)
SCALE = (
    ("1", _l("Strongly disagree")),
    ("2", _l("Disagree")),
    ("3", _l("Neither agree nor disagree")),
    ("4", _l("Agree")),
    ("5", _l("Strongly agree")),
)
SCALE_FAVOURABLE = ("4", "5")
LONGEST_TEXT = 2000


def agree_options() -> list[dict[str, str]]:
    return [{"key": key, "text": str(text)} for key, text in SCALE]


def chosen(question: dict[str, Any], value: Any) -> list[str]:
    """The option keys an answer picks (none for free text); ValueError when it is not a valid
    answer to the question, with the reason."""
    kind, keys = question["kind"], [o["key"] for o in question["options"]]
    if kind == TEXT:
        if not isinstance(value, str) or len(value) > LONGEST_TEXT:
            raise ValueError(f"Give text of at most {LONGEST_TEXT} characters.")
        return []
    if kind == AGREE and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if kind in (SINGLE, AGREE):
        if not isinstance(value, str) or value not in keys:
            raise ValueError(f"Pick one of: {', '.join(keys)}.")
        return [value]
    if not isinstance(value, list) or not value or len(set(map(str, value))) != len(value):
        raise ValueError("Pick one or more options, each once.")
    if any(not isinstance(v, str) or v not in keys for v in value):
        raise ValueError(f"Pick among: {', '.join(keys)}.")
    return list(value)


def check_answers(questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, str]:
    """Field errors of a set of answers (question key -> reason): every question but free
    text is answered, and nothing else is."""
    errors: dict[str, str] = {}
    known = {q["key"] for q in questions}
    for key in sorted(set(answers) - known):
        errors[key] = "No such question."
    for question in questions:
        key = question["key"]
        if key not in answers:
            if question["kind"] != TEXT:
                errors[key] = "Answer this question."
            continue
        try:
            chosen(question, answers[key])
        except ValueError as exc:
            errors[key] = str(exc)
    return errors
