"""What the export tests share: a small organisation with figures known by hand, and running
an export's job to its end.

The ``org`` fixture's tree (north > north-ops, south) with two more members in north, named
like formulas, and in the period (the last week, local time):

- a session for north: Li Na on time (+2), "=1+1" late (0), "@SUM(A1)" absent once closed (-3);
  a session for south only, which north's export leaves out;
- a quiz for north (max 50, pass 30): Li Na 45 (90 %: mastered, +6), "=1+1" 30 (60 %, +3);
- Li Na's practice report approved with rating A (+8) and marked exemplary, and her draft.

So north: 3 members; Li Na 16 (attendance 2, practice 8, quiz 6), "=1+1" 3, "@SUM(A1)" -3;
total 16, per member 5.33; two earned points (66.7 %).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient

from services.common.calendar import today
from services.points.exports.jobs import run_with
from services.settings import Settings
from tests.integration.points import reports
from tests.integration.points.quizzes import SENDER, make, score
from tests.integration.points.sessions_help import ORG_ADMIN, at_minutes, schedule, sign_in

FORMULA_NAMES = ("=1+1", "@SUM(A1)")


def period(settings: Settings) -> tuple[date, date]:
    ends = today(settings.org_timezone)
    return ends - timedelta(days=7), ends


def build_organisation(client: FlaskClient) -> None:
    for staff_no, name, unit in (("N02", "=1+1", "north-ops"), ("N03", "@SUM(A1)", "north")):
        body = {"staff_no": staff_no, "name": name, "unit": unit}
        assert client.post("/api/v1/members", json=body).status_code == 201
    study = schedule(client, ["north"], title="法治专题学习")
    schedule(client, ["south"], title="South only")
    events = [
        sign_in(study["id"], "S001", at_minutes(study, 5)),  # within the 10 minutes' grace
        sign_in(study["id"], "N02", at_minutes(study, 15)),  # late
    ]
    answer = client.post("/api/v1/events", json={"events": events}).get_json()
    assert answer["accepted"] == 2, answer
    closed = client.post(f"/api/v1/sessions/{study['id']}/close", headers=ORG_ADMIN)
    assert closed.status_code == 200, closed.get_json()
    make(client, "q1", -3, 1, title="党章知识测验")
    scores = [score("q1", "S001", 45, -2), score("q1", "N02", 30, -2)]
    answer = client.post("/api/v1/events", json={"events": scores}, headers=SENDER).get_json()
    assert answer["accepted"] == 2, answer
    reports.rubric(client)
    report = reports.submitted(client)
    reports.scored(client, report, reports.NORTH[0], reports.TOP)
    marked = client.post(f"/api/v1/reports/{report}/exemplary", headers=reports.NORTH[1])
    assert marked.status_code == 200, marked.get_json()
    reports.draft(client, title="还在写")


def start(
    client: FlaskClient,
    settings: Settings,
    fmt: str,
    unit: str = "north",
    headers: dict[str, str] | None = ORG_ADMIN,
    **extra: Any,
) -> int:
    """Asks for an export (``headers`` None: as a system's admin key, the gateway's check
    passed, so no roles)."""
    starts, ends = period(settings)
    body = {"unit": unit, "from": starts.isoformat(), "to": ends.isoformat(), "format": fmt}
    answer = client.post("/api/v1/exports", json={**body, **extra}, headers=headers or {})
    assert answer.status_code == 202, answer.get_json()
    return int(answer.get_json()["id"])


def finished(client: FlaskClient, settings: Settings, fmt: str, **extra: Any) -> bytes:
    """The file of an export of north, its job run to the end."""
    export_id = start(client, settings, fmt, **extra)
    run_with(settings, export_id)
    shown = client.get(f"/api/v1/exports/{export_id}", headers=ORG_ADMIN).get_json()
    assert (shown["state"], shown["progress"]) == ("done", 100), shown
    answer = client.get(f"/api/v1/exports/{export_id}/file", headers=ORG_ADMIN)
    assert answer.status_code == 200
    return answer.data
