"""Comparing versions, the badges and levels catalog, and re-scoring history (admin)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, jsonify, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import as_built
from services.contracts import SENDER_HEADER
from services.rewards import rulesets
from services.rewards.admin_schemas import (
    CatalogQuerySchema,
    CatalogSchema,
    DiffQuerySchema,
    DiffSchema,
    RescoreResultSchema,
    RescoreSchema,
)
from services.rewards.api.drafts import points_client
from services.rewards.document.diff import diff

blp = Blueprint("rules-admin", __name__, url_prefix="/api/v1", description="Rules: admin.")


@blp.route("/rulesets/diff")
class VersionDiff(MethodView):
    @blp.arguments(DiffQuerySchema(), location="query")
    @blp.response(200, DiffSchema, description="The changes between the two versions.")
    def get(self, query: dict[str, Any]) -> Response:
        """What changed from one published version to another."""
        with current_db().read() as session:
            before = rulesets.get_version(session, query["start"]).document
            after = rulesets.get_version(session, query["end"]).document
        changes = diff(before, after)
        return as_built({"from": query["start"], "to": query["end"], "changes": changes})


@blp.route("/catalog")
class Catalog(MethodView):
    @blp.arguments(CatalogQuerySchema(), location="query")
    @blp.response(200, CatalogSchema, description="The version's badges, levels, streak.")
    def get(self, query: dict[str, Any]) -> Response:
        """The badges and levels of the version in force now (or of ?version=N)."""
        with current_db().read() as session:
            if "version" in query:
                rule_set = rulesets.get_version(session, query["version"])
            else:
                rule_set = rulesets.in_force(session, utcnow())
            document = rule_set.document
        return as_built(
            {
                "version": rule_set.version,
                "badges": document.get("badges", []),
                "levels": document.get("levels", []),
                "streak": document.get("streak"),
            }
        )


@blp.route("/rescores")
class Rescores(MethodView):
    @blp.arguments(RescoreSchema())
    @blp.response(201, RescoreResultSchema, description="The re-score was applied.")
    @blp.alt_response(200, schema=RescoreResultSchema, description="A replay: its first result.")
    def post(self, body: dict[str, Any]) -> Response:
        """Re-score a period under a published version: compensating entries, never edits."""
        with current_db().read() as session:
            rule_set = rulesets.get_version(session, body["version"])
        payload = {
            "version": rule_set.version,
            "document": rule_set.document,
            "from": body["start"].isoformat(),
            "to": body["end"].isoformat(),
            "key": body.get("request_id") or uuid.uuid4().hex,
            "actor": request.headers.get(SENDER_HEADER, "direct"),
        }
        answer = points_client().post("/internal/v1/rules/rescore", payload)
        response = jsonify(answer)
        response.status_code = 200 if answer.get("replayed") else 201
        return response
