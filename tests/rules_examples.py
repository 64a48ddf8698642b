"""Rule set documents the tests share: the default set (``DEFAULT``, and ``default_with`` and
``default_rule`` to vary it) and a set using each feature of the engine (``BASE``, and
``document`` to vary it)."""

from __future__ import annotations

import copy
from typing import Any

# The default set: what a fresh rewards database holds as version 1.
DEFAULT: dict[str, Any] = {
    "event_types": {
        "attendance": {
            "category": "attendance",
            "by": "status",
            "points": {"on_time": 2, "late": 0, "absent": -3, "excused": 0},
        },
        "quiz": {
            "category": "quiz",
            "score_bands": [
                {"min_percent": 100, "points": 10},
                {"min_percent": 90, "points": 6},
                {"min_percent": 60, "points": 3},
            ],
            "otherwise": 1,
        },
        "practice_report": {
            "category": "practice",
            "by": "rating",
            "points": {"A": 8, "B": 5, "C": 2},
        },
    }
}

BASE: dict[str, Any] = {
    "event_types": {
        "attendance": {
            "category": "attendance",
            "by": "status",
            "points": {"on_time": 2, "late": -1, "absent": -5, "excused": 0},
            "once_per": "session",
        },
        "quiz": {
            "category": "quiz",
            "score_bands": [
                {"min_percent": 100, "points": 10},
                {"min_percent": 90, "points": 6},
                {"min_percent": 60, "points": 3},
            ],
            "otherwise": 1,
            "once_per": "quiz",
            "attempts": "best",
        },
        "practice_report": {
            "category": "practice",
            "by": "rating",
            "points": {"A": 8, "B": 5, "C": 2},
        },
        "lecture_given": {"category": "study", "points": 5},
    },
    "caps": [{"category": "study", "per": "day", "points": 8}],
    "floors": [{"category": "attendance", "per": "month", "min_total": -8}],
    "campaigns": [
        {
            "name": "Theme month",
            "from": "2026-07-01",
            "to": "2026-07-31",
            "event_types": ["practice_report"],
            "multiplier": 1.5,
        }
    ],
    "streak": {
        "per": "day",
        "activities": {"quiz": {}, "attendance": {"status": ["on_time", "late"]}},
        "milestones": [{"length": 3, "points": 4}, {"length": 7, "points": 10}],
    },
    "badges": [
        {
            "code": "quiz_master",
            "title": {"zh": "测验达人", "en": "Quiz master"},
            "icon": "trophy",
            "window": "month",
            "all_of": [{"count": "quiz", "min_percent": 100, "at_least": 2}],
            "points": 5,
        },
        {
            "code": "punctual",
            "title": {"zh": "全勤之星", "en": "Full attendance"},
            "window": "month",
            "all_of": [
                {"count": "attendance", "where": {"status": ["on_time"]}, "at_least": 3},
                {"count": "attendance", "where": {"status": ["late", "absent"]}, "at_most": 0},
            ],
        },
    ],
    "levels": [
        {"min_points": 0, "title": {"zh": "学习新人", "en": "Newcomer"}},
        {"min_points": 20, "title": {"zh": "学习骨干", "en": "Regular learner"}},
        {"min_points": 100, "title": {"zh": "学习标兵", "en": "Model learner"}},
    ],
}


def document(**changes: Any) -> dict[str, Any]:
    """The every-feature set with some top-level keys replaced (``...`` removes one)."""
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is ...:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def default_with(**event_types: Any) -> dict[str, Any]:
    """The default set with some event types replaced (``...`` removes one)."""
    doc = copy.deepcopy(DEFAULT)
    for name, rule in event_types.items():
        if rule is ...:
            del doc["event_types"][name]
        else:
            doc["event_types"][name] = rule
    return doc


def default_rule(name: str, **changes: Any) -> dict[str, Any]:
    """One of the default set's rules with some keys changed (``...`` removes one)."""
    new: dict[str, Any] = copy.deepcopy(DEFAULT["event_types"][name])
    for key, value in changes.items():
        if value is ...:
            new.pop(key)
        else:
            new[key] = value
    return new
