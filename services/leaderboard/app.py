"""The leaderboard service: ``gunicorn 'services.leaderboard.app:create_app()'``."""

from __future__ import annotations

from flask import Flask

from services.common import metrics, readiness
from services.common.db import init_db
from services.common.queue_metrics import QueueLengths
from services.common.redis_client import boards_redis, redis_from_url
from services.common.web import make_app
from services.contracts import QUEUES, internal_signer
from services.leaderboard.api import BLUEPRINTS
from services.leaderboard.cli import register as register_cli
from services.leaderboard.reads.catch_up import points_client
from services.settings import Settings

DESCRIPTION = (
    "Leaderboards per scope (the organisation or any unit), period and category, kept in Redis "
    "as a projection of the points ledger, with derived boards (rolling and campaign windows, "
    "custom groups), team standings, movement and an archive of closed periods. Ties share a "
    "rank (1, 2, 2, 4)."
)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    signer = internal_signer(settings)
    app, api = make_app(
        "leaderboard", settings, title="Leaderboard", description=DESCRIPTION, signer=signer
    )
    # One pooled client per process; gunicorn forks before the first request, never after.
    # The boards (a Redis Cluster when BOARDS_REDIS_CLUSTER_URL is set), and the queues, which
    # stay on the plain REDIS_URL (RQ does not support Cluster); one client when unset.
    queue = redis_from_url(settings.redis_url)
    app.extensions["queue_redis"] = queue
    app.extensions["redis"] = (
        boards_redis(settings.redis_url, settings.boards_redis_cluster_url)
        if settings.boards_redis_cluster_url
        else queue
    )
    db = init_db(
        app, settings.database_url("leaderboard"), settings.db_lock_timeout
    )  # configuration and archives
    readiness.watch(
        app, database=readiness.database(db), redis=readiness.redis(app.extensions["redis"])
    )
    # The queues carry the leaderboard's jobs (its worker runs them), so their lengths are
    # exported here, and only here.
    metrics.collect_at_scrape(app, QueueLengths(queue, QUEUES))
    app.extensions["points"] = points_client(settings, signer)  # catch-up's remaining-today
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    register_cli(app)
    return app
