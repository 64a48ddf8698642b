"""The points service's app factory: ``gunicorn 'services.points.app:create_app()'``."""

from __future__ import annotations

from flask import Flask

from services.common import metrics, readiness
from services.common.db import init_db
from services.common.http import ServiceClient
from services.common.redis_client import redis_from_url
from services.common.web import make_app
from services.contracts import internal_signer
from services.points.analytics import api as analytics
from services.points.api import (
    badges,
    events,
    internal,
    internal_remaining,
    internal_rules,
    leaders,
    members,
    profiles,
    units,
)
from services.points.delivery import api as delivery
from services.points.exports import api as exports
from services.points.imports import api as imports
from services.points.ledger.outbox_metrics import OutboxMetrics
from services.points.nudges import api as nudges
from services.points.quizzes import api as quizzes
from services.points.reports import api_attachments, api_author, api_review, api_rubrics
from services.points.rules.published import RuleCache
from services.points.schemas import EventSchema
from services.points.sessions import api as sessions
from services.points.sessions import api_excuses as session_excuses
from services.points.surveys import api as surveys
from services.settings import Settings

# Every API of the service, registered in this order.
BLUEPRINTS = (
    events.blp,
    units.blp,
    members.blp,
    leaders.blp,
    profiles.blp,
    badges.blp,
    internal.blp,
    internal_rules.blp,
    internal_remaining.blp,
    quizzes.blp,
    sessions.blp,
    session_excuses.blp,
    imports.blp,
    exports.blp,
    # Before the author's: /reports/queue must not read as a report's id.
    api_review.blp,
    api_author.blp,
    api_attachments.blp,
    api_rubrics.blp,
    analytics.blp,
    delivery.blp,
    nudges.blp,
    surveys.blp,
)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    signer = internal_signer(settings)
    app, api = make_app(
        "points",
        settings,
        title="Points",
        description=(
            "Members and units, event intake, the points ledger, study sessions, quizzes,"
            " practice reports, roster imports, pulse surveys."
        ),
        signer=signer,
    )
    db = init_db(app, settings.database_url("points"), settings.db_lock_timeout)
    app.extensions["redis"] = redis_from_url(settings.redis_url)
    readiness.watch(
        app, database=readiness.database(db), redis=readiness.redis(app.extensions["redis"])
    )
    metrics.collect_at_scrape(app, OutboxMetrics(db))
    rewards = ServiceClient(
        "rewards", settings.url_of("rewards"), settings.upstream_timeout, signer=signer
    )
    app.extensions["rules"] = RuleCache(rewards, settings.rules_cache_seconds)
    # Custom groups named by a session or a quiz are the leaderboard's (services/points/groups.py).
    app.extensions["leaderboard"] = ServiceClient(
        "leaderboard", settings.url_of("leaderboard"), settings.upstream_timeout, signer=signer
    )
    # The intake body is "one event or {events: [...]}"; its oneOf refers to this schema.
    api.spec.components.schema("Event", schema=EventSchema)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    return app
