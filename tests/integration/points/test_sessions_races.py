"""Sign-ins racing the closing of their session, from several threads at once (real
connections, each its own transaction): every member ends with one record and the net their
status earns, whichever came first, because both take the session's row lock."""

from __future__ import annotations

import threading

from flask import Flask

from services.points.sessions.jobs import close_due_with
from services.settings import Settings
from tests.integration.points.sessions_help import (
    add_members,
    at_minutes,
    net,
    platform_events,
    schedule,
    sign_in,
)


def test_sign_ins_racing_closing_leave_each_member_the_net_of_their_status(
    points_app: Flask, points_settings: Settings
) -> None:
    client = points_app.test_client()
    assert client.post("/api/v1/units", json={"code": "race", "name": "Race"}).status_code == 201
    members = [f"R{i:03d}" for i in range(24)]
    add_members(client, *((m, "race") for m in members))
    study = schedule(client, ["race"], starts_at="2026-12-01T09:00:00",
                     ends_at="2026-12-01T10:00:00")  # fmt: skip
    late = at_minutes(study, 30)
    answers: list[int] = []

    def sign_ins(part: list[str]) -> None:
        own = points_app.test_client()
        for member in part:
            answers.append(
                own.post("/api/v1/events", json=sign_in(study["id"], member, late)).status_code
            )

    threads = [threading.Thread(target=sign_ins, args=(members[i::3],)) for i in range(3)]
    threads.append(threading.Thread(target=close_due_with, args=(points_settings,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [201] * len(members)
    assert all(net(points_app, m) == 0 for m in members)  # late: 0, however it went
    absent = len(platform_events(points_app))
    figures = client.get(f"/api/v1/sessions/{study['id']}/figures").get_json()["totals"]
    assert (figures["expected"], figures["late"], figures["absent"]) == (24, 24, 0), absent
