"""Exports' access, bad input, the job's progress, failures and the removal of old files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import update

from services.common.db import utcnow
from services.common.queues import queue
from services.contracts import DEFAULT
from services.points.exports import files
from services.points.exports.jobs import run_with
from services.points.exports.models import Export
from services.points.exports.sections import SECTIONS
from services.settings import Settings
from tests.integration.points.exports_help import period, start
from tests.integration.points.sessions_help import NORTH_ADMIN, ORG_ADMIN, SOUTH_ADMIN, person

BODY = {"unit": "north", "from": "2026-11-01", "to": "2026-11-30", "format": "xlsx"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "docx"}, "format"),
        ({"to": "2026-10-31"}, "to"),  # before "from"
        ({"to": "2027-12-01"}, "to"),  # more than a year
        ({"from": "yesterday"}, "from"),
        ({"unit": "nowhere"}, "unit"),
        ({"unit": "no spaces"}, "unit"),
        ({"language": "fr"}, "language"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    org: FlaskClient, change: dict[str, str], field: str
) -> None:
    answer = org.post("/api/v1/exports", json={**BODY, **change}, headers=ORG_ADMIN)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"]["json"], answer.get_json()


def test_a_missing_field_is_named_too(org: FlaskClient) -> None:
    answer = org.post("/api/v1/exports", json={"unit": "north"}, headers=ORG_ADMIN)
    assert answer.status_code == 422
    assert {"from", "to", "format"} <= set(answer.get_json()["errors"]["json"])


def test_a_subtree_s_admin_exports_lists_and_reads_only_their_units(
    org: FlaskClient, points_settings: Settings
) -> None:
    ours = start(org, points_settings, "csv", unit="north-ops", headers=None)
    theirs = start(org, points_settings, "csv", unit="south")
    refused = org.post("/api/v1/exports", json={**BODY, "unit": "south"}, headers=NORTH_ADMIN)
    assert refused.status_code == 403 and "south" in refused.get_json()["message"]
    made = org.post("/api/v1/exports", json={**BODY, "unit": "north-ops"}, headers=NORTH_ADMIN)
    assert made.status_code == 202
    listed = org.get("/api/v1/exports", headers=NORTH_ADMIN).get_json()["items"]
    assert [e["unit"] for e in listed] == ["north-ops", "north-ops"]
    assert [
        e["id"] for e in org.get("/api/v1/exports", headers=SOUTH_ADMIN).get_json()["items"]
    ] == [theirs]
    assert org.get(f"/api/v1/exports/{theirs}", headers=NORTH_ADMIN).status_code == 403
    assert org.get(f"/api/v1/exports/{theirs}/file", headers=NORTH_ADMIN).status_code == 403
    assert org.get(f"/api/v1/exports/{ours}", headers=NORTH_ADMIN).status_code == 200
    assert org.get("/api/v1/exports/999", headers=ORG_ADMIN).status_code == 404


def test_a_plain_member_may_not_export(org: FlaskClient) -> None:
    answer = org.post("/api/v1/exports", json=BODY, headers=person("S001"))
    assert answer.status_code == 403


def test_the_job_reports_its_progress_and_a_file_is_offered_only_when_done(
    org: FlaskClient, points_settings: Settings
) -> None:
    export_id = start(org, points_settings, "xlsx")
    shown = org.get(f"/api/v1/exports/{export_id}").get_json()
    assert (shown["state"], shown["progress"], shown["file"]) == ("queued", 0, None)
    assert shown["requested_by"] == "A000" and shown["unit_name"] == "North"
    assert org.get(f"/api/v1/exports/{export_id}/file").status_code == 404  # not yet
    seen: list[int] = []
    assert run_with(points_settings, export_id, seen.append)["status"] == "ok"
    # Each of the seven sections brings it a seventh further towards 90, the file the rest.
    assert len(SECTIONS) == 7 and seen == [12, 25, 38, 51, 64, 77, 90, 100]
    shown = org.get(f"/api/v1/exports/{export_id}").get_json()
    assert (shown["state"], shown["progress"]) == ("done", 100)
    assert shown["file"] == f"/api/v1/exports/{export_id}/file"
    assert run_with(points_settings, export_id)["status"] == "skipped"  # twice: no harm


def test_a_real_worker_runs_the_enqueued_job(
    org: FlaskClient,
    points_settings: Settings,
    redis: Redis,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)  # the job reads its settings from there
    monkeypatch.setenv("REDIS_URL", points_settings.redis_url)
    export_id = start(org, points_settings, "csv")
    jobs = queue(DEFAULT, redis)
    assert jobs.count == 1
    SimpleWorker([jobs], connection=redis, serializer=JSONSerializer).work(burst=True)
    shown = org.get(f"/api/v1/exports/{export_id}").get_json()
    assert (shown["state"], shown["progress"]) == ("done", 100), shown


def test_a_failed_job_records_its_error(
    org: FlaskClient, points_settings: Settings, points_app: Flask
) -> None:
    export_id = start(org, points_settings, "pdf")
    # The folder's place taken by a file: the job cannot write, and says so.
    files.folder(points_settings.var_dir).write_text("in the way")
    with pytest.raises(OSError):
        run_with(points_settings, export_id)
    shown = org.get(f"/api/v1/exports/{export_id}").get_json()
    assert shown["state"] == "failed" and shown["error"], shown


def test_without_the_job_queue_the_export_is_failed_at_once_and_the_answer_a_503(
    org: FlaskClient, points_app: Flask
) -> None:
    # A client of a Redis that is not there: nothing listens on port 1.
    points_app.extensions["redis"] = Redis(port=1, socket_connect_timeout=1)
    answer = org.post("/api/v1/exports", json=BODY, headers=ORG_ADMIN)
    assert answer.status_code == 503, answer.get_json()
    [shown] = org.get("/api/v1/exports", headers=ORG_ADMIN).get_json()["items"]
    assert shown["state"] == "failed" and "queue" in shown["error"]


def test_files_older_than_the_days_kept_are_removed(
    org: FlaskClient, points_settings: Settings, points_app: Flask
) -> None:
    old, recent = start(org, points_settings, "csv"), start(org, points_settings, "csv")
    for export_id in (old, recent):
        run_with(points_settings, export_id)
    with points_app.extensions["db"].write() as session:
        long_ago = utcnow() - timedelta(days=points_settings.export_keep_days, minutes=1)
        session.execute(update(Export).where(Export.id == old).values(finished_at=long_ago))
    listed = {e["id"]: e for e in org.get("/api/v1/exports").get_json()["items"]}
    assert listed[old]["state"] == "expired" and listed[old]["file"] is None
    assert listed[recent]["state"] == "done"
    assert not (points_settings.var_dir / "exports" / f"{old}.zip").exists()
    assert (points_settings.var_dir / "exports" / f"{recent}.zip").exists()
    assert org.get(f"/api/v1/exports/{old}/file").status_code == 404
    assert period(points_settings)[0] < period(points_settings)[1]
