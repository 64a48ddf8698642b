"""Answers racing each other from several threads (real connections, each its own
transaction): each member's answer is kept once, whatever the timing; the others are 409."""

from __future__ import annotations

import threading

from flask import Flask

from tests.integration.points.surveys import (
    NORTH,
    ORG_ADMIN,
    SURVEYS,
    make_survey,
    open_round,
    organisation,
    staff,
)

TRIES = 4


def test_answers_sent_at_once_are_kept_once_per_member(points_app: Flask) -> None:
    client = points_app.test_client()
    organisation(client)
    make_survey(client)
    assert open_round(client, ["north"]).status_code == 201
    answers: dict[str, list[int]] = {m: [] for m in NORTH}
    start = threading.Barrier(len(NORTH) * TRIES)
    body = {"answers": {"linked": 5, "often": "weekly", "factors": ["time"]}}

    def send(member: str) -> None:
        own = points_app.test_client()
        start.wait(10)
        path = f"{SURVEYS}/pulse/rounds/1/answers"
        answers[member].append(own.post(path, json=body, headers=staff(member)).status_code)

    threads = [threading.Thread(target=send, args=(m,)) for m in NORTH for _ in range(TRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert {m: sorted(codes) for m, codes in answers.items()} == {
        m: [201] + [409] * (TRIES - 1) for m in NORTH
    }
    result = client.get(f"{SURVEYS}/pulse/rounds/1/results", headers=ORG_ADMIN).get_json()
    assert result["answers"] == len(NORTH)
