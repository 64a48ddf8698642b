"""HTTP endpoints of the rewards service (see docs/architecture.md, "Rewards service")."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.db import current_db, utcnow
from services.common.web import ID
from services.contracts import SENDER_HEADER
from services.rewards import rulesets
from services.rewards.models import RuleSet
from services.rewards.schemas import (
    PublishedListSchema,
    RuleSetCreateSchema,
    RuleSetListSchema,
    RuleSetSchema,
)

blp = Blueprint(
    "rulesets", __name__, url_prefix="/api/v1/rulesets", description="Rule sets and versions."
)
internal = Blueprint(
    "internal-rulesets",
    __name__,
    url_prefix="/internal/v1/rulesets",
    description="For the points service only; never routed by the gateway.",
)


@blp.route("")
class RuleSets(MethodView):
    @blp.response(200, RuleSetListSchema)
    def get(self) -> dict[str, Any]:
        """List every version, newest first (without documents)."""
        with current_db().read() as session:
            return {"items": rulesets.newest_first(session)}

    @blp.arguments(RuleSetCreateSchema())
    @blp.response(201, RuleSetSchema)
    def post(self, payload: dict[str, Any]) -> RuleSet:
        """Validate a rule set and publish it as the next version."""
        sender = request.headers.get(SENDER_HEADER)
        with current_db().write() as session:
            return rulesets.publish(session, **payload, published_by=sender)


@blp.route("/active")
class ActiveRuleSet(MethodView):
    @blp.response(200, RuleSetSchema)
    @blp.alt_response(404, description="No rule set has been published.")
    def get(self) -> RuleSet:
        """The version in force now, with its document."""
        with current_db().read() as session:
            return rulesets.in_force(session, utcnow())


@blp.route(f"/<{ID}:version>")
class RuleSetVersion(MethodView):
    @blp.response(200, RuleSetSchema)
    @blp.alt_response(404, description="No such version.")
    def get(self, version: int) -> RuleSet:
        """One version, with its document."""
        with current_db().read() as session:
            return rulesets.get_version(session, version)


@internal.route("/published")
class PublishedRuleSets(MethodView):
    @internal.response(200, PublishedListSchema)
    def get(self) -> dict[str, Any]:
        """Every published version, oldest first, with documents: what pricing needs."""
        with current_db().read() as session:
            return {"items": rulesets.oldest_first(session)}
