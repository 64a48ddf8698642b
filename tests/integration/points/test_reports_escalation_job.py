"""The ticker asks for the escalation of overdue practice reports at most once at a time, and
the job, run by a real worker, flags them in the points service's database."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from redis import Redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from services.common.queues import queue
from services.contracts import DEFAULT, ESCALATE_REPORTS_JOB, ESCALATION_PENDING
from services.leaderboard.ticker import request_escalation
from services.settings import Settings
from tests.integration.points.reports import NORTH_ADMIN, rubric, submitted


def test_the_ticker_s_request_runs_the_escalation_once(
    org: FlaskClient,
    redis: Redis,
    redis_url: str,
    points_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rubric(org)
    report = submitted(org)
    assert request_escalation(redis, 900) is True
    assert request_escalation(redis, 900) is False  # one is waiting already
    waiting = [j.func_name for j in queue(DEFAULT, redis).get_jobs()]
    assert waiting == [ESCALATE_REPORTS_JOB]
    # The job reads its settings from the environment, as a worker process does.
    monkeypatch.setenv("POINTS_DATABASE_URL", points_settings.database_url("points"))
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("REPORT_REVIEW_DAYS", "0")  # every waiting report is overdue
    worker = SimpleWorker([queue(DEFAULT, redis)], connection=redis, serializer=JSONSerializer)
    worker.work(burst=True)
    assert not redis.exists(ESCALATION_PENDING)
    listed = org.get("/api/v1/reports/escalated", headers=NORTH_ADMIN).get_json()["items"]
    assert [r["id"] for r in listed] == [report]
