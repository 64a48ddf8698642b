"""Every kind of ledger entry explained in zh-CN and in English, from the detail the engine and
the points service write (services/points/ledger/explain.py); entries whose detail predates
what a sentence needs are explained by their stored English reason."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from services.common import i18n
from services.points.ledger.explain import explain
from services.rules import Entry, Fact, State, score

DAY = date(2026, 11, 24)
AT = datetime(2026, 11, 24, 1, tzinfo=UTC)
DOCUMENT: dict[str, Any] = {
    "event_types": {
        "quiz": {
            "category": "quiz",
            "otherwise": 1,
            "once_per": "quiz",
            "attempts": "best",
            "score_bands": [{"min_percent": 90, "points": 6}, {"min_percent": 60, "points": 3}],
        },
        "attendance": {
            "category": "attendance",
            "by": "status",
            "points": {"on_time": 2, "late": 0, "absent": -3, "excused": 0},
        },
        "practice_report": {"category": "practice", "by": "rating", "points": {"A": 8, "B": 5}},
        "lecture_given": {"category": "custom", "points": 5},
    },
    "caps": [{"event_type": "lecture_given", "per": "day", "points": 8}],
    "campaigns": [
        {
            "name": "Safety month",
            "from": "2026-11-01",
            "to": "2026-11-30",
            "multiplier": 1.5,
            "event_types": ["practice_report"],
        }  # fmt: skip
    ],
    "streak": {
        "per": "day",
        "activities": {"attendance": {}},
        "milestones": [{"length": 1, "points": 4}],
    },  # fmt: skip
    "badges": [
        {
            "code": "first",
            "title": {"en": "First steps", "zh": "初出茅庐"},
            "window": "all",
            "points": 3,
            "all_of": [{"count": "practice_report", "at_least": 1}],
        }  # fmt: skip
    ],
}


@pytest.fixture(scope="module")
def app() -> Flask:
    app = Flask(__name__)
    i18n.install(app)
    return app


@pytest.fixture(params=["zh-CN", "en"])
def language(request: pytest.FixtureRequest, app: Flask) -> Iterator[str]:
    with app.test_request_context(headers={"Accept-Language": request.param}):
        yield request.param


def scored(event_type: str, data: dict[str, Any], state: State | None = None) -> list[Entry]:
    return score(Fact(event_type, data, AT, DAY), DOCUMENT, 7, state or State())


def said(entry: Entry) -> str:
    return explain(entry.points, entry.detail, 7, entry.reason)


def pick(language: str, zh: str, en: str) -> str:
    return zh if language == "zh-CN" else en


def test_a_quiz_score_band(language: str) -> None:
    (entry,) = scored("quiz", {"quiz": "q1", "score": 92, "max_score": 100})
    assert said(entry) == pick(
        language,
        "测验得分 92/100 ≥ 90%：+6 分（规则 v7）",
        "Quiz score 92/100 ≥ 90%: +6 points (rule set v7)",
    )


def test_below_every_band_and_a_better_attempt(language: str) -> None:
    state = State()
    (low,) = scored("quiz", {"quiz": "q1", "score": 10.5, "max_score": 100}, state)
    (better,) = scored("quiz", {"quiz": "q1", "score": 60, "max_score": 100}, state)
    assert said(low) == pick(
        language,
        "测验得分 10.5/100，未达任何档次：+1 分（规则 v7）",
        "Quiz score 10.5/100, below every band: +1 point (rule set v7)",
    )
    assert said(better) == pick(
        language,
        "测验得分 60/100 ≥ 60%：+2 分；超过此前最好成绩（+1 分）（规则 v7）",
        "Quiz score 60/100 ≥ 60%: +2 points; better than your best attempt (+1 point) "
        "(rule set v7)",
    )


def test_attendance_by_status_and_its_streak(language: str) -> None:
    own, streak = scored("attendance", {"session": "ss-3", "status": "on_time"})
    assert said(own) == pick(
        language,
        "出勤：场次 ss-3 准时：+2 分（规则 v7）",
        "Attendance at session ss-3: on time: +2 points (rule set v7)",
    )
    assert said(streak) == pick(
        language,
        "连续学习 1 天：+4 分（规则 v7）",
        "1-day learning streak: +4 points (rule set v7)",
    )


def test_a_report_rated_under_a_campaign_and_its_badge(language: str) -> None:
    own, badge = scored("practice_report", {"title": "#12 Fire drill", "rating": "B"})
    assert said(own) == pick(
        language,
        "实践报告“#12 Fire drill”评为 B：+8 分；Safety month ×1.5（规则 v7）",
        'Practice report "#12 Fire drill" rated B: +8 points; ×1.5 for Safety month (rule set v7)',
    )
    assert said(badge) == pick(
        language,
        "获得徽章：初出茅庐：+3 分（规则 v7）",
        "Badge earned: First steps: +3 points (rule set v7)",
    )


def test_a_flat_award_cut_by_its_daily_cap(language: str) -> None:
    state = State()
    scored("lecture_given", {}, state)
    (cut,) = scored("lecture_given", {}, state)
    assert said(cut) == pick(
        language,
        "lecture given：+3 分；已达每日lecture given上限 8 分（已用 8）（规则 v7）",
        "lecture given: +3 points; daily lecture given cap 8 reached, 8 used (rule set v7)",
    )


def test_entries_the_points_service_writes(language: str) -> None:
    cases = [
        (5, {"kind": "adjustment", "by": "admin", "reason": "补录讲座"},
         "人工加分：补录讲座：+5 分", "Manual award: 补录讲座: +5 points"),
        (3, {"kind": "correction", "session": "ss-3", "was": "absent", "now": "excused",
             "title": "Safety law", "key": "k"},
         "更正：场次 ss-3（Safety law）由缺勤改为请假：+3 分",
         "Correction: absent from session ss-3 (Safety law), now excused: +3 points"),
        (-3, {"kind": "rerating", "report": 12, "was": 8, "now": 5, "rating": "B",
              "was_rating": "A", "title": "Fire drill"},
         "实践报告 #12“Fire drill”改评为 B（原为 A）：-3 分（规则 v7）",
         'Practice report #12 "Fire drill" re-rated B (was A): -3 points (rule set v7)'),
        (-1000, {"kind": "rescore", "rule_set_version": 8, "category": "quiz", "was": 1006,
                 "now": 6},
         "按规则 v8 重新计分：测验由 +1,006 分 改为 +6 分：-1,000 分",
         "Re-scored under rule set v8: Quiz was +1,006 points, now +6 points: -1,000 points"),
        (-3, {"kind": "badge", "badge": "first", "window": "all", "rule_set_version": 8,
              "title": {"en": "First steps", "zh": "初出茅庐"}, "revoked": True, "rescore": "k"},
         "按规则 v8 重新计分后撤销徽章：all 不再获得初出茅庐：-3 分",
         "Badge revoked on re-scoring under rule set v8: First steps is no longer earned in "
         "all: -3 points"),
    ]  # fmt: skip
    for points, detail, zh, en in cases:
        assert explain(points, detail, 7, "the record") == pick(language, zh, en)


def test_old_entries_and_unknown_kinds_keep_their_english_record(language: str) -> None:
    old_band = {"kind": "event", "event_type": "quiz", "rule_set_version": 3,
                "matched": {"min_percent": 90, "points": 6}}  # fmt: skip
    old_status = {"kind": "event", "event_type": "attendance", "matched": {"status": "late"}}
    for detail in (old_band, old_status, {"kind": "something new"}, {}, None):
        assert explain(6, detail, 3, "Quiz score 92/100 >= 90%: +6 points") == (
            "Quiz score 92/100 >= 90%: +6 points"
        )


def test_an_unknown_language_reads_chinese(app: Flask) -> None:
    (entry,) = scored("quiz", {"quiz": "q1", "score": 92, "max_score": 100})
    for header in ("fr-FR", "", "xx;q=0.1"):
        with app.test_request_context(headers={"Accept-Language": header}):
            assert said(entry) == "测验得分 92/100 ≥ 90%：+6 分（规则 v7）"


def test_attendance_at_a_kept_session_names_its_title(language: str) -> None:
    own, _ = scored("attendance", {"session": "ss-3", "status": "absent"})
    own.detail["about"]["session_title"] = "Safety law"  # what intake adds for a kept session
    assert said(own) == pick(
        language,
        "出勤：场次 ss-3（Safety law）缺勤：-3 分（规则 v7）",
        "Attendance at session ss-3 (Safety law): absent: -3 points (rule set v7)",
    )
