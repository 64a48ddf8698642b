"""Admin: groups and exclusions, the privacy setting, rebuilds and verification, job status."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from rq import Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from services.common.db import current_db
from services.common.errors import NotFound
from services.common.queues import queue
from services.contracts import DEFAULT, REBUILD_JOB, VERIFY_JOB
from services.leaderboard.admin_schemas import (
    GroupListSchema,
    GroupPatchSchema,
    GroupSchema,
    JobSchema,
    JobStatusSchema,
    RebuildSchema,
    SettingsSchema,
    VerifySchema,
)
from services.leaderboard.api.context import local_today, queue_redis, redis
from services.leaderboard.config import groups
from services.leaderboard.config.mirror import write_config

blp = Blueprint("admin", __name__, url_prefix="/api/v1/leaderboard", description="Admin")

JOB_TIMEOUT = 3600  # seconds; a rebuild or a verify reads the whole ledger


def _mirror() -> None:
    """Copy the configuration just committed into Redis (reads see it at once)."""
    with current_db().read() as session:
        write_config(redis(), groups.load_config(session))


@blp.route("/groups")
class Groups(MethodView):
    @blp.response(200, GroupListSchema)
    def get(self) -> dict[str, Any]:
        """Every custom group, with its members"""
        with current_db().read() as session:
            return {"items": groups.list_groups(session)}

    @blp.arguments(GroupSchema())
    @blp.response(201, GroupSchema)
    @blp.alt_response(409, description="A group with that code exists.")
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a group (``excluded``: its members are left off every board)"""
        with current_db().write() as session:
            view = groups.group_view(session, groups.create_group(session, **body))
        _mirror()
        return view


@blp.route("/groups/<code>")
class GroupByCode(MethodView):
    @blp.response(200, GroupSchema)
    def get(self, code: str) -> dict[str, Any]:
        """One group"""
        with current_db().read() as session:
            return groups.group_view(session, groups.group_by_code(session, code))

    @blp.arguments(GroupPatchSchema(), required=False)
    @blp.response(200, GroupSchema)
    def patch(self, changes: dict[str, Any], code: str) -> dict[str, Any]:
        """Rename, (un)exclude, replace, add or remove members"""
        with current_db().write() as session:
            view = groups.group_view(session, groups.update_group(session, code, changes))
        _mirror()
        return view

    @blp.response(204)
    def delete(self, code: str) -> None:
        """Delete a group (its members return to the boards unless hidden otherwise)"""
        with current_db().write() as session:
            groups.delete_group(session, code)
        _mirror()


@blp.route("/settings")
class Settings(MethodView):
    @blp.response(200, SettingsSchema)
    def get(self) -> dict[str, str]:
        """The organisation's leaderboard settings"""
        with current_db().read() as session:
            return groups.org_settings(session)

    @blp.arguments(SettingsSchema(), required=False)
    @blp.response(200, SettingsSchema)
    def put(self, body: dict[str, str]) -> dict[str, str]:
        """Change the settings (privacy: ``names`` or ``ranks_only``)"""
        with current_db().write() as session:
            result = groups.update_settings(session, body)
        _mirror()
        return result


@blp.route("/rebuild")
class Rebuild(MethodView):
    @blp.arguments(RebuildSchema(), required=False)
    @blp.response(202, JobSchema)
    def post(self, body: dict[str, Any] | None = None) -> dict[str, str]:
        """Rebuild from the ledger in the background: everything, one period or one board"""
        body = body or {}
        if body.get("period") and not body.get("at"):
            body["at"] = local_today()
        args = {k: (v.isoformat() if k == "at" else v) for k, v in body.items() if v is not None}
        return {"job_id": _enqueue_kwargs(REBUILD_JOB, args).id}


@blp.route("/verify")
class Verify(MethodView):
    @blp.arguments(VerifySchema(), required=False)
    @blp.response(202, JobSchema)
    def post(self, body: dict[str, Any] | None = None) -> dict[str, str]:
        """Compare every board with the ledger in the background; ``repair`` fixes drift"""
        job = _enqueue_kwargs(VERIFY_JOB, {"repair": bool((body or {}).get("repair"))})
        return {"job_id": job.id}


@blp.route("/jobs/<job_id>")
class JobStatus(MethodView):
    @blp.response(200, JobStatusSchema)
    def get(self, job_id: str) -> dict[str, Any]:
        """A rebuild's or a verify's status, progress and result"""
        try:
            job = Job.fetch(job_id, connection=queue_redis(), serializer=JSONSerializer)
        except (NoSuchJobError, ValueError) as exc:  # ValueError: not even a job id's shape
            raise NotFound(f"No job {job_id!r} (finished jobs are kept an hour).") from exc
        return {
            "job_id": job.id,
            # queued, started, finished, failed… (the enum's value, not its Python name)
            "status": job.get_status().value,
            "progress": job.meta,
            "result": job.return_value(),
        }


def _enqueue_kwargs(func: str, kwargs: dict[str, Any]) -> Job:
    return queue(DEFAULT, queue_redis()).enqueue(
        func,
        kwargs=kwargs,
        job_timeout=JOB_TIMEOUT,
        retry=Retry(max=3, interval=[1, 5, 15]),
        result_ttl=3600,  # the report of a verify is read from here
        failure_ttl=7 * 24 * 3600,
    )
