"""The gateway's own API (sign-in, a browser's session, accounts, roles, API keys, the
signed-in member's home), wired into the app.

Its endpoints are flask-smorest blueprints, so their document comes from the same schemas that
validate them; the gateway merges it into the public document (gateway/openapi.py). The
``Api`` object is made before the platform's error handlers are registered, so errors keep
the one shape (services/common/errors.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_smorest import Api

from gateway import accounts_api, auth_api, keys_api, me, session, session_api, tokens
from gateway.auth import Callers, KeyCache, People
from gateway.passwords import PasswordSignIn
from gateway.throttle import Limits, SignInThrottle
from services.common.db import Database
from services.settings import Settings


def install(app: Flask, settings: Settings, db: Database, keys: KeyCache) -> Api:
    app.config.update(
        API_TITLE="Learning incentives API: sign-in",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
    )
    api = Api(app)
    callers = Callers(keys, People(db))
    limits = Limits(
        settings.signin_account_failures,
        settings.signin_address_failures,
        settings.signin_window_seconds,
    )
    app.extensions["gateway.keys"] = keys
    app.extensions["gateway.callers"] = callers
    app.extensions["gateway.door"] = auth_api.Door(
        sign_in=PasswordSignIn(),
        throttle=SignInThrottle(settings.redis_url, limits),
        lifetimes=tokens.Lifetimes(
            timedelta(seconds=settings.access_token_seconds),
            timedelta(seconds=settings.refresh_token_seconds),
        ),
        reset_code_life=timedelta(seconds=settings.reset_code_seconds),
        callers=callers,
        session_life=timedelta(seconds=settings.session_seconds),
        cookie_secure=settings.session_cookie_secure,
    )
    session.install(app, settings)
    api.register_blueprint(auth_api.blp)
    api.register_blueprint(session_api.blp)
    api.register_blueprint(accounts_api.blp)
    api.register_blueprint(me.blp)
    api.register_blueprint(keys_api.blp)
    return api
