"""Drafts: write, validate, preview and publish rule sets (admin)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.http import ServiceClient
from services.common.web import ID, as_built, settings
from services.contracts import SENDER_HEADER
from services.rewards import drafts, preview
from services.rewards.admin_schemas import (
    DiffSchema,
    DraftListSchema,
    DraftOutSchema,
    DraftPatchSchema,
    DraftSchema,
    PeriodSchema,
    PreviewSchema,
    PublishSchema,
    ValidationOutSchema,
    effective,
)
from services.rewards.document.diff import diff
from services.rewards.models import RuleSet
from services.rewards.rulesets import get_version
from services.rewards.schemas import RuleSetSchema

blp = Blueprint("drafts", __name__, url_prefix="/api/v1/drafts", description="Rule set drafts.")


def _by() -> str | None:
    return request.headers.get(SENDER_HEADER)


def points_client() -> ServiceClient:
    client: ServiceClient = current_app.extensions["points"]
    return client


@blp.route("")
class Drafts(MethodView):
    @blp.response(200, DraftListSchema)
    def get(self) -> dict[str, Any]:
        """List drafts, oldest first."""
        with current_db().read() as session:
            return {"items": drafts.listing(session)}

    @blp.arguments(DraftSchema())
    @blp.response(201, DraftOutSchema)
    def post(self, body: dict[str, Any]) -> RuleSet:
        """Save a new draft (it may still be invalid: see validate)."""
        with current_db().write() as session:
            return drafts.create(session, body, _by(), utcnow())


@blp.route(f"/<{ID}:draft_id>")
class Draft(MethodView):
    @blp.response(200, DraftOutSchema)
    def get(self, draft_id: int) -> RuleSet:
        """One draft."""
        with current_db().read() as session:
            return drafts.get(session, draft_id)

    @blp.arguments(DraftPatchSchema(), required=False)
    @blp.response(200, DraftOutSchema)
    def patch(self, changes: dict[str, Any], draft_id: int) -> RuleSet:
        """Change a draft's name, document or notes."""
        with current_db().write() as session:
            return drafts.update(session, draft_id, changes, utcnow())

    @blp.response(204)
    def delete(self, draft_id: int) -> None:
        """Delete a draft (published versions are kept forever)."""
        with current_db().write() as session:
            drafts.delete(session, draft_id)


@blp.route(f"/<{ID}:draft_id>/validate")
class Validate(MethodView):
    @blp.response(200, ValidationOutSchema)
    def post(self, draft_id: int) -> dict[str, Any]:
        """Check a draft; errors point at the offending rule."""
        with current_db().read() as session:
            loaded, errors = drafts.check(drafts.get(session, draft_id).document)
        return {"valid": loaded is not None, "errors": errors}


@blp.route(f"/<{ID}:draft_id>/publish")
class Publish(MethodView):
    @blp.arguments(PublishSchema(), required=False)
    @blp.response(201, RuleSetSchema)
    def post(self, body: dict[str, Any], draft_id: int) -> RuleSet:
        """Publish a valid draft as the next version, now or at a future (local) time."""
        when = effective(body, settings().org_timezone)
        with current_db().write() as session:
            return drafts.publish(session, draft_id, when, _by(), utcnow())


@blp.route(f"/<{ID}:draft_id>/preview")
class Preview(MethodView):
    @blp.arguments(PeriodSchema())
    @blp.response(200, PreviewSchema, description="What the draft would have awarded.")
    def post(self, period: dict[str, Any], draft_id: int) -> Response:
        """What-if: the draft over the real events of a period; nothing is written."""
        with current_db().read() as session:
            document = drafts.valid_document(drafts.get(session, draft_id))
        events = preview.fetch_events(points_client(), period["start"], period["end"])
        result = preview.run(events, document, settings().org_timezone)
        return as_built(
            {
                "draft": draft_id,
                "from": period["start"].isoformat(),
                "to": period["end"].isoformat(),
                **result,
            }
        )


@blp.route(f"/<{ID}:draft_id>/diff/<{ID}:version>")
class DraftDiff(MethodView):
    @blp.response(200, DiffSchema, description="The changes from the published version.")
    def get(self, draft_id: int, version: int) -> Response:
        """What the draft changes from a published version."""
        with current_db().read() as session:
            before = get_version(session, version).document
            after = drafts.get(session, draft_id).document
        changes = diff(before, after)
        return as_built({"from": version, "to": f"draft {draft_id}", "changes": changes})
