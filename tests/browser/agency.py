"""A small agency like the one the platform was made for (../shared/seed): staff in three
areas, each with a department and teams, people with accounts and roles, and a week of
learning already on the boards. Made once per browser session through the real API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.harness import Platform, wait_until
from tests.harness.people import PASSWORD, account, cli_admin

UNITS = (
    ("a1", "第一片区", None),
    ("a2", "第二片区", None),
    ("a3", "第三片区", None),
    ("a1-office", "综合科", "a1"),
    ("a2-field", "业务科", "a2"),
    ("a3-field", "执法科", "a3"),
    ("a1-t1", "综合一组", "a1-office"),
    ("a1-t2", "综合二组", "a1-office"),
    ("a2-t1", "业务一组", "a2-field"),
    ("a3-t1", "执法一组", "a3-field"),
)
# staff number -> (name, team)
MEMBERS = {
    "s01": ("张伟", "a1-t1"),
    "s02": ("王芳", "a1-t1"),
    "s03": ("李娜", "a1-t2"),
    "s04": ("刘洋", "a2-t1"),
    "s05": ("陈静", "a2-t1"),
    "s06": ("杨磊", "a3-t1"),
    "r01": ("赵敏", "a1-office"),
    "a01": ("黄勇", "a1"),
}
# What each has done this week: quiz scores out of 100 and sessions attended on time.
QUIZZES = {"s01": 100, "s02": 92, "s03": 95, "s04": 100, "s05": 80, "s06": 91, "r01": 100}
ATTENDED = {"s01": 3, "s02": 2, "s03": 1, "s04": 3, "s05": 2, "r01": 1}


@dataclass(frozen=True)
class Agency:
    admin: str  # staff numbers, each with the password PASSWORD
    staff: str
    reviewer: str
    admin_token: str
    password: str = PASSWORD


def build(platform: Platform) -> Agency:
    admin_token = cli_admin(platform, "a01")
    for code, name, parent in UNITS:
        unit = {"code": code, "name": name, **({"parent": parent} if parent else {})}
        made = platform.call("POST", "/api/v1/units", unit, key=admin_token)
        assert made.status == 201, made.body
    for staff_no, (name, unit) in MEMBERS.items():
        body = {"staff_no": staff_no, "name": name, "unit": unit}
        made = platform.call("POST", "/api/v1/members", body, key=admin_token)
        assert made.status == 201, made.body
    account(platform, admin_token, "s01")
    account(platform, admin_token, "r01", ("reviewer", "a1"))
    _this_week(platform)
    return Agency(admin="a01", staff="s01", reviewer="r01", admin_token=admin_token)


def _this_week(platform: Platform) -> None:
    now = datetime.now(UTC)
    events = [_event("quiz", m, now - timedelta(hours=1), {"quiz": "weekly", "score": s,
                     "max_score": 100}) for m, s in QUIZZES.items()]  # fmt: skip
    events += [
        _event(
            "attendance",
            m,
            now - timedelta(hours=2 + n),
            {"status": "on_time", "session": f"talk-{n}"},
        )  # fmt: skip
        for m, times in ATTENDED.items()
        for n in range(times)
    ]
    status, body = platform.post_events(events)
    assert status == 201, body
    wait_until(lambda: len(platform.board_totals()) >= len(QUIZZES), timeout=60)


def _event(kind: str, member: str, at: datetime, data: dict[str, object]) -> dict[str, object]:
    return {"id": uuid.uuid4().hex, "type": kind, "member": member,
            "occurred_at": at.isoformat(), "data": data}  # fmt: skip
