"""Re-scoring brings the engine's state and badges in line with the new prices: later events are
capped as if history had been priced under the new rules, badges are awarded or revoked once,
and re-scoring twice is re-scoring once. Real services over HTTP, a real database."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from services.common.calendar import local_date
from services.points.models import Member, RuleState
from services.rules import Fact, State, replay
from tests.integration.rules.conftest import ZONE, Services, clock
from tests.rules_examples import document


def today() -> date:
    return clock.today()


def event(kind: str, member: str = "S1", when: datetime | None = None, **data: Any) -> dict:
    instant = when or clock.now()
    return {
        "id": uuid.uuid4().hex,
        "type": kind,
        "member": member,
        "occurred_at": instant.isoformat(),
        "data": data,
    }


def quiz(name: str, score: int = 100, member: str = "S1", **extra: Any) -> dict[str, Any]:
    return event("quiz", member, quiz=name, score=score, max_score=100, **extra)


def quiz_doc(full_marks: int, cap: int = 12, **changes: Any) -> dict[str, Any]:
    """Quizzes at 100% earn ``full_marks``, at most ``cap`` a day."""
    doc = document(caps=[{"event_type": "quiz", "per": "day", "points": cap}], **changes)
    doc["event_types"]["quiz"]["score_bands"] = [{"min_percent": 100, "points": full_marks}]
    doc["event_types"]["quiz"]["otherwise"] = 0
    return doc


def points(results: list[dict[str, Any]]) -> list[int]:
    return [r["entries"][0]["points"] for r in results]


def rescore(services: Services, version: int, start: date, end: date, rid: str) -> Any:
    body = {"version": version, "from": start.isoformat(), "to": end.isoformat()}
    answer = services.rewards.post("/api/v1/rescores", json={**body, "request_id": rid})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def state(services: Services, member: str) -> dict[str, int]:
    with services.points.application.extensions["db"].read() as session:
        member_id = session.scalar(select(Member.id).where(Member.staff_no == member))
        rows = session.execute(
            select(RuleState.key, RuleState.value).where(RuleState.member_id == member_id)
        )
        return {key: value for key, value in rows if value}


def assert_totals_are_the_ledger(services: Services, member: str) -> None:
    ledger = services.ledger(member)
    assert ledger["total_points"] == sum(item["points"] for item in ledger["items"])
    profile = services.points.get(f"/api/v1/members/{member}/profile").get_json()
    assert profile["total_points"] == ledger["total_points"]


@pytest.mark.parametrize(
    ("before", "after", "next_points"),
    [
        (10, 4, [4, 4, 0, 0]),  # lowered: today's room grows from 2 to 8
        (4, 10, [2, 0, 0, 0]),  # raised: today's room shrinks from 8 to 2
    ],
)
def test_later_events_are_capped_as_if_history_had_the_new_prices(
    services: Services, before: int, after: int, next_points: list[int]
) -> None:
    services.publish(quiz_doc(before, badges=[]))
    assert points(services.post(quiz("q1"))) == [before]
    version = services.publish(quiz_doc(after, badges=[]))
    summary = rescore(services, version, today(), today(), "r1")
    assert summary["points_change"] == after - before
    assert state(services, "S1")[f"cap:event_type:quiz:d{today().isoformat()}"] == after
    later = services.post(*[quiz(f"q{i}") for i in range(2, 6)])
    assert points(later) == next_points
    assert services.ledger("S1")["total_points"] == 12  # exactly the daily cap
    if next_points[0] < after:
        assert "daily cap reached (daily quiz cap 12, 12 used" in later[0]["entries"][0]["reason"]
    assert rescore(services, version, today(), today(), "r2")["entries_written"] == 0
    assert_totals_are_the_ledger(services, "S1")


def test_a_rescore_awards_a_badge_the_new_rules_give_once(services: Services) -> None:
    month = today().replace(day=1), _month_end(today())
    three = document()
    three["badges"][0]["all_of"][0]["at_least"] = 3
    services.publish(three)
    services.post(quiz("a"), quiz("b"))
    assert services.ledger("S1")["total_points"] == 20
    version = services.publish(document())  # two full marks a month now make a quiz master
    first = rescore(services, version, *month, "r1")
    assert (first["badges_awarded"], first["badges_revoked"], first["points_change"]) == (1, 0, 5)
    again = rescore(services, version, *month, "r2")
    assert again["entries_written"] == again["badges_awarded"] == again["state_changes"] == 0
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert [b["code"] for b in profile["badges"]] == ["quiz_master"]
    badge = [e for e in services.ledger("S1")["items"] if e["detail"]["kind"] == "badge"]
    assert len(badge) == 1 and badge[0]["reason"].startswith("Badge earned on re-scoring")
    # The flag follows: a third full mark this month earns no second badge.
    assert [len(r["entries"]) for r in services.post(quiz("c"))] == [1]
    assert services.ledger("S1")["total_points"] == 35
    assert_totals_are_the_ledger(services, "S1")


def test_a_rescore_revokes_a_badge_no_longer_earned_and_it_can_be_earned_again(
    services: Services,
) -> None:
    month = today().replace(day=1), _month_end(today())
    services.publish(document())
    results = services.post(quiz("a"), quiz("b"))
    assert [e["detail"]["kind"] for e in results[1]["entries"]] == ["event", "badge"]
    three = document()
    three["badges"][0]["all_of"][0]["at_least"] = 3
    version = services.publish(three)
    first = rescore(services, version, *month, "r1")
    assert (first["badges_revoked"], first["points_change"]) == (1, -5)
    assert rescore(services, version, *month, "r2")["entries_written"] == 0
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert profile["badges"] == []
    revoked = profile["revoked_badges"]
    assert [b["code"] for b in revoked] == ["quiz_master"] and revoked[0]["revoked_at"]
    items = services.ledger("S1")["items"]
    taken = [e for e in items if e["detail"].get("revoked")]
    assert [e["points"] for e in taken] == [-5] and taken[0]["id"] == revoked[0]["revoked_entry_id"]
    assert len([e for e in items if e["detail"]["kind"] == "badge"]) == 2  # history kept
    assert services.ledger("S1")["total_points"] == 20
    # Under the new rules a third full mark earns it again: a new award beside the revoked one.
    again = services.post(quiz("c"))
    assert [e["detail"]["kind"] for e in again[0]["entries"]] == ["event", "badge"]
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert [b["code"] for b in profile["badges"]] == ["quiz_master"]
    assert len(profile["revoked_badges"]) == 1
    assert services.ledger("S1")["total_points"] == 35
    assert_totals_are_the_ledger(services, "S1")


def test_state_goes_on_through_events_after_the_period(services: Services) -> None:
    """Re-scoring yesterday replays today's events too (under their own version), so today's
    streak and attempts are not lost; today's entries are re-priced only when today is in."""
    yesterday = clock.now() - timedelta(days=1)
    services.post(quiz("a", when=yesterday))  # priced by the default set: no streak there
    services.publish(document(badges=[]))
    services.post(quiz("b"))
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert profile["streak"]["current"] == 1
    version = services.publish(document(badges=[]))
    day = local_date(yesterday, ZONE)
    first = rescore(services, version, day, day, "r1")
    assert first["state_changes"] > 0
    profile = services.points.get("/api/v1/members/S1/profile").get_json()
    assert profile["streak"]["current"] == 2
    assert rescore(services, version, day, day, "r2")["state_changes"] == 0
    assert state(services, "S1")["seen:quiz:b"] == 1  # today's attempt is remembered
    assert [e["points"] for e in services.post(quiz("b"))[0]["entries"]] == [0]


def test_a_rescore_racing_intake_never_passes_a_cap(services: Services) -> None:
    services.publish(document(badges=[]))  # lectures 5, at most 8 a day
    assert points(services.post(event("lecture_given"))) == [5]
    cheaper = document(badges=[])
    cheaper["event_types"]["lecture_given"]["points"] = 2
    version = services.publish(cheaper)

    def post(index: int) -> int:
        return points(services.post(event("lecture_given", n=index)))[0]

    with ThreadPoolExecutor(max_workers=4) as pool:
        rescoring = pool.submit(rescore, services, version, today(), today(), "r1")
        list(pool.map(post, range(6)))
        rescoring.result()
    rescore(services, version, today(), today(), "r2")
    assert services.ledger("S1")["total_points"] == 8
    assert state(services, "S1")[f"cap:category:study:d{today().isoformat()}"] == 8
    assert points(services.post(event("lecture_given"))) == [0]
    assert_totals_are_the_ledger(services, "S1")


FUTURE = "2099-01-01T00:00:00+00:00"  # the new rules price no intake: only re-scores
NEW = document(
    caps=[{"category": "study", "per": "day", "points": 6}],
    badges=[
        {
            "code": "busy",
            "title": {"zh": "勤学", "en": "Busy"},
            "window": "day",
            "all_of": [{"count": "lecture_given", "at_least": 2}],
            "points": 3,
        }
    ],
)
NEW["event_types"]["lecture_given"]["points"] = 4
NEW["event_types"]["quiz"]["attempts"] = "first"

planned = st.lists(
    st.one_of(
        st.builds(lambda: ("lecture_given", {})),
        st.builds(
            lambda q, s: ("quiz", {"quiz": q, "score": s, "max_score": 10}),
            st.sampled_from("ab"),
            st.integers(0, 10),
        ),
        st.builds(
            lambda status, s: ("attendance", {"status": status, "session": s}),
            st.sampled_from(["on_time", "late", "absent"]),
            st.sampled_from(["s1", "s2"]),
        ),
    ),
    min_size=1,
    max_size=8,
)


def test_rescoring_twice_is_rescoring_once_and_leaves_a_fresh_replays_state(
    services: Services,
) -> None:
    """Each example: a new member's events, priced at intake by the old rules, re-scored over
    the whole month they lie in. Whole windows matter: over a single day, a monthly badge the
    old rules awarded would stay (a re-score never revokes in a window reaching outside its
    period), and so would its flag, which a fresh replay under the new rules never sets."""
    services.publish(document())
    version = services.publish(NEW, effective_from=FUTURE)
    counter = iter(range(1_000))
    month = today().replace(day=1), _month_end(today())

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(planned)
    def check(plan: list[tuple[str, dict[str, Any]]]) -> None:
        member = f"H{next(counter)}"
        body = {"staff_no": member, "name": member, "unit": "north"}
        assert services.points.post("/api/v1/members", json=body).status_code == 201
        start = clock.now()
        sent = [
            event(kind, member, start + timedelta(seconds=i), **data)
            for i, (kind, data) in enumerate(plan)
        ]
        services.post(*sent)
        rescore(services, version, *month, f"{member}-1")
        once = services.ledger(member), state(services, member)
        again = rescore(services, version, *month, f"{member}-2")
        assert again["entries_written"] == again["state_changes"] == 0
        assert (services.ledger(member), state(services, member)) == once
        states: dict[str, State] = {}
        instants = [datetime.fromisoformat(e["occurred_at"]) for e in sent]
        assert all(month[0] <= local_date(i, ZONE) <= month[1] for i in instants)
        facts = [
            (member, Fact(e["type"], e["data"], i, local_date(i, ZONE)))
            for e, i in zip(sent, instants, strict=True)
        ]
        results = replay(facts, lambda _fact: (NEW, version), states)
        assert once[1] == {k: v for k, v in states[member].values.items() if v}
        wanted = sum(entry.points for entries in results for entry in entries)
        assert once[0]["total_points"] == wanted
        assert_totals_are_the_ledger(services, member)

    check()


def _month_end(day: date) -> date:
    following = day.replace(day=28) + timedelta(days=4)
    return following - timedelta(days=following.day)
