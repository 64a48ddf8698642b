"""The rewards service's app factory; serve with gunicorn 'services.rewards.app:create_app()'.

The schema is the migrations' to create (``services.common.migrations.upgrade``), never the
app's: a fresh database gets version 1, the default rule set, from the first migration.
"""

from __future__ import annotations

from flask import Flask

from services.common import readiness
from services.common.db import init_db
from services.common.http import ServiceClient
from services.common.web import make_app
from services.contracts import internal_signer
from services.rewards.api import admin as admin_api
from services.rewards.api import drafts as drafts_api
from services.rewards.api.rulesets import blp, internal
from services.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    signer = internal_signer(settings)
    app, api = make_app(
        "rewards",
        settings,
        title="Rewards service",
        description="How learning earns points: versioned rule sets (see docs/rules.md).",
        signer=signer,
    )
    db = init_db(app, settings.database_url("rewards"), settings.db_lock_timeout)
    readiness.watch(app, database=readiness.database(db))  # rewards uses no Redis
    # Previews read events, and re-scores write entries, where the ledger is: the points service.
    app.extensions["points"] = ServiceClient(
        "points", settings.url_of("points"), settings.upstream_timeout, signer=signer
    )
    api.register_blueprint(admin_api.blp)  # before /rulesets/<version>: "diff" is not a version
    api.register_blueprint(blp)
    api.register_blueprint(drafts_api.blp)
    api.register_blueprint(internal)
    return app
