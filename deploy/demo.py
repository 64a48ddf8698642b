"""python -m deploy.demo: a sample organisation with a month of learning, through the gateway.

Three regions (the seed agency's three areas), a few departments each, about 60 staff, and the
last 30 days of study-session attendance, quizzes and practice reports, and a kept study session
per region (``demo_sessions``), with a sign-in sheet imported after closing (``demo_sheets``);
then a few practice reports written and reviewed by people, one in each state
(deploy/demo_reports.py). Event ids are deterministic, so running it again changes
nothing: the second run shows only replays.
Needs a running platform (`make run`) and an admin key (created here through the gateway CLI
unless DEMO_API_KEY is set).
"""

from __future__ import annotations

import json
import os
import random
import sys
import urllib.error
import urllib.request
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from deploy import demo_reports
from deploy.demo_quizzes import quizzes
from deploy.demo_sessions import sessions
from deploy.demo_sheets import sign_in_sheet
from deploy.local import create_key
from services.common.private import write_private
from services.settings import Settings

REGIONS = {
    "north": ("North District", ["policy", "inspection", "works"]),
    "central": ("Central District", ["policy", "planning", "office"]),
    "south": ("South District", ["inspection", "works", "liaison"]),
}
COMPARED = 20  # the most members one compare takes (services/leaderboard/schemas.py)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛", "明", "超", "霞"]


class Gateway:
    def __init__(self, base_url: str, key: str) -> None:
        self.base_url = base_url
        self.key = key

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.key}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def admin_key(settings: Settings) -> str:
    """One demo key, kept in var/demo.key: event ids are unique per sender (the key's name),
    so a second run must post as the same sender to be recognised as a replay."""
    if settings.demo_api_key:
        return settings.demo_api_key
    saved = settings.var_dir / "demo.key"
    if saved.exists():
        return saved.read_text().strip()
    key = create_key(os.environ, "demo", "admin")
    write_private(saved, key + "\n")  # 0600 from its first byte: the key is an admin's
    return key


def organisation(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units, members = [], []
    number = 0
    for code, (name, departments) in REGIONS.items():
        units.append({"code": code, "name": name, "parent": None})
        for department in departments:
            unit = f"{code}-{department}"
            units.append({"code": unit, "name": f"{name} {department}", "parent": code})
            for _ in range(rng.randint(5, 8)):
                number += 1
                person = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
                members.append({"staff_no": f"S{number:04d}", "name": person, "unit": unit})
    return units, members


def month_of_events(
    rng: random.Random, members: list[dict[str, Any]], zone: str
) -> list[dict[str, Any]]:
    tz = ZoneInfo(zone)
    today = datetime.now(tz).date()
    events = []
    diligence = {m["staff_no"]: rng.random() for m in members}
    for offset in range(30, 0, -1):
        day = today - timedelta(days=offset)
        at = datetime.combine(day, time(9, 0), tz)
        if day.weekday() in (1, 3):  # study sessions on Tuesdays and Thursdays
            events += [_attendance(rng, m, day, at, diligence) for m in members]
        if day.weekday() == 4 and rng.random() < 0.8:  # irregular Friday quizzes
            events += [_quiz(rng, m, day, at, diligence) for m in members if rng.random() < 0.9]
        for m in members:
            if rng.random() < 0.03 + 0.05 * diligence[m["staff_no"]]:
                events.append(_practice(rng, m, day, at, diligence))
    return events


def _attendance(rng, member, day, at, diligence) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    roll = rng.random() * (0.5 + diligence[member["staff_no"]])
    status = (
        "on_time" if roll > 0.3 else "late" if roll > 0.15 else rng.choice(["absent", "excused"])
    )
    return _event(
        f"att-{day}-{member['staff_no']}",
        "attendance",
        member,
        at,
        {"status": status, "session": f"study-{day}"},
    )


def _quiz(rng, member, day, at, diligence) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    score = min(100, int(40 + 60 * diligence[member["staff_no"]] + rng.randint(-10, 15)))
    return _event(
        f"quiz-{day}-{member['staff_no']}",
        "quiz",
        member,
        at + timedelta(hours=6),
        {"quiz": f"weekly-{day}", "score": max(score, 0), "max_score": 100},
    )


def _practice(rng, member, day, at, diligence) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    rating = "A" if diligence[member["staff_no"]] > 0.7 else rng.choice("BC")
    return _event(
        f"prac-{day}-{member['staff_no']}",
        "practice_report",
        member,
        at + timedelta(hours=8),
        {"title": "Applying the new regulations on site", "rating": rating},
    )


def _event(
    event_id: str, kind: str, member: dict[str, Any], at: datetime, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": kind,
        "member": member["staff_no"],
        "occurred_at": at.isoformat(),
        "data": data,
    }


def main() -> int:
    settings = Settings.from_env()
    gateway = Gateway(f"http://{settings.host}:{settings.ports['gateway']}", admin_key(settings))
    rng = random.Random(2024)
    units, members = organisation(rng)
    for unit in units:
        gateway.call("POST", "/api/v1/units", unit)  # 409 on a second run: already there
    for member in members:
        gateway.call("POST", "/api/v1/members", member)
    events = month_of_events(rng, members, settings.org_timezone)
    counts = {"accepted": 0, "duplicates": 0, "rejected": 0}
    for start in range(0, len(events), 500):
        status, body = gateway.call(
            "POST", "/api/v1/events", {"events": events[start : start + 500]}
        )
        if status >= 300 and status != 207:
            raise SystemExit(f"intake failed with {status}: {body}")
        for key in counts:
            counts[key] += body[key]
    print(f"{len(units)} units, {len(members)} members, {len(events)} events: {counts}")
    quizzes(gateway, members, settings.org_timezone)
    regions = {code: name for code, (name, _) in REGIONS.items()}
    print(sessions(gateway, regions, members, settings.org_timezone))
    print(sign_in_sheet(gateway, members))
    shown = show_board(gateway, members)
    show_people(gateway, settings)
    demo_reports.walk(gateway, settings)
    return shown


# People to sign in as, role and the unit it covers ("" for the whole organisation): two
# members of staff, a reviewer of the North District (the first members made are North's) and
# an admin. Their first passwords are one-time: the first sign-in must change them
# (POST /api/v1/auth/password).
PEOPLE = (
    ("S0001", None, ""),
    ("S0004", None, ""),
    ("S0002", "reviewer", "north"),
    ("S0003", "admin", ""),
)


def show_people(gateway: Gateway, settings: Settings) -> None:
    """Accounts for PEOPLE, made once; their one-time passwords kept in var/demo-people.txt
    (private), since the gateway keeps only their hashes."""
    saved = settings.var_dir / "demo-people.txt"
    lines = saved.read_text().splitlines() if saved.exists() else []
    known = {line.split()[0] for line in lines if line.strip()}
    for staff_no, role, unit in PEOPLE:
        if staff_no in known:
            continue
        status, body = gateway.call("POST", "/api/v1/auth/accounts", {"staff_no": staff_no})
        if status != 201:
            print(f"(no demo account for {staff_no}: {status} {body.get('message', '')})")
            continue
        if role:
            grant = {"role": role, **({"unit": unit} if unit else {})}
            gateway.call("POST", f"/api/v1/auth/accounts/{staff_no}/roles", grant)
        label = (f"{role}@{unit}" if unit else role) if role else "staff"
        lines.append(f"{staff_no} {label} {body['one_time_password']}")
    write_private(saved, "".join(line + "\n" for line in lines))
    print(
        f"\nPeople to sign in as at {gateway.base_url}/signin (or POST /api/v1/auth/sign-in); "
        "each changes the one-time password first:"
    )
    for line in lines:
        staff_no, label, password = line.split(maxsplit=2)
        print(f"  {staff_no}  {label:<16} {password}")
    print(f"(kept in {saved})")


def show_board(gateway: Gateway, members: list[dict[str, Any]]) -> int:
    if not wait_for_board(gateway, [m["staff_no"] for m in members]):
        print("\n(the board is still catching up with these events: it may lag behind)")
    status, board = gateway.call("GET", "/api/v1/leaderboard?scope=org&period=all&limit=10")
    if status != 200:
        raise SystemExit(f"the leaderboard answered {status}: {board}")
    print(f"\nTop 10 of {board['total']} (whole organisation, all time):")
    for item in board["items"]:
        print(f"  {item['rank']:>3}  {item['member']}  {item['name']:<6}  {item['points']:>5}")
    print(
        f"\nSee it at {gateway.base_url}/board (signed in), the lobby wall at "
        f"{gateway.base_url}/wall, and the API at {gateway.base_url}/api/docs"
    )
    return 0


def wait_for_board(gateway: Gateway, staff: list[str], timeout: float = 30.0) -> bool:
    """Projection is asynchronous: wait until every demo member's points on the board are the
    sum of their ledger. (Anyone else on the board says nothing about the demo's own events,
    which may still be on their way.)"""
    import time as clock

    ledger = {}
    for staff_no in staff:
        status, body = gateway.call("GET", f"/api/v1/members/{staff_no}/ledger")
        if status != 200:
            raise SystemExit(f"the ledger of {staff_no} answered {status}: {body}")
        ledger[staff_no] = int(body["total_points"])
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if on_board(gateway, staff) == ledger:
            return True
        clock.sleep(0.5)
    return False


def on_board(gateway: Gateway, staff: list[str]) -> dict[str, int] | None:
    """Each member's points on the organisation's board, asked COMPARED at a time (the most
    one compare takes); None while the board does not answer."""
    board: dict[str, int] = {}
    for start in range(0, len(staff), COMPARED):
        query = "&".join(f"members={m}" for m in staff[start : start + COMPARED])
        if start + COMPARED >= len(staff) and len(staff) - start < 2:
            query += f"&members={staff[0]}"  # compare needs two names
        status, body = gateway.call("GET", f"/api/v1/leaderboard/compare?{query}")
        if status != 200:
            return None
        board.update({item["member"]: item["points"] for item in body["members"]})
    return {m: board.get(m, 0) for m in staff}


if __name__ == "__main__":
    sys.exit(main())
