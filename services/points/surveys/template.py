"""The built-in questionnaire an admin starts from: the agency's own survey on building a
learning organisation (the seed document), its findings turned into statements to agree with.

Each finding ("36% are unclear why we build a learning organisation") becomes a positive
statement on the agree scale, so that "favourable" means the same on every question and a
rising share is good news. The factors question keeps the survey's own list of choices. Texts
are msgids: the template is given in the caller's language, and a survey made from it keeps
the texts it was made with."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from services.points.surveys.questions import AGREE, SCALE_FAVOURABLE, agree_options

STATEMENTS = (
    ("plan", _l("Our plan for building a learning organisation is complete and well made.")),
    ("leaders", _l("Our leaders value study.")),
    ("atmosphere", _l("There is a strong atmosphere of study in our unit.")),
    ("purpose", _l("I understand clearly why we build a learning organisation.")),
    ("linked", _l("Learning and work are closely linked.")),
    ("substance", _l("Theory study has real substance; it is not empty talk.")),
    ("useful", _l("What I study guides me in my actual work.")),
)
FACTORS = (
    ("plan", _l("The plan is not complete")),
    ("leaders", _l("Leaders do not value study enough")),
    ("atmosphere", _l("The atmosphere of study is weak")),
    ("purpose", _l("The purpose is unclear")),
    ("time", _l("Staff work in separate areas and lack time to study")),
)
TITLE = _l("Building a learning organisation")


def questions() -> list[dict[str, Any]]:
    """The template's questions in the request's language."""
    found = [
        {
            "key": key,
            "kind": AGREE,
            "text": str(text),
            "options": agree_options(),
            "favourable": list(SCALE_FAVOURABLE),
        }
        for key, text in STATEMENTS
    ]
    found.append(
        {
            "key": "factors",
            "kind": "multiple",
            "text": str(_l("What mainly holds back building a learning organisation here?")),
            "options": [{"key": key, "text": str(text)} for key, text in FACTORS],
            "favourable": [],
        }
    )
    found.append(
        {
            "key": "suggestions",
            "kind": "text",
            "text": str(_l("What would help you study and apply it in your work?")),
            "options": [],
            "favourable": [],
        }
    )
    return found


def template() -> dict[str, Any]:
    return {"title": str(TITLE), "questions": questions()}
