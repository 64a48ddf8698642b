"""The one error shape, used by every service and the gateway.

    {"code": 422, "status": "Unprocessable Entity", "errors": {"json": {"score": ["..."]}}}
    {"code": 409, "status": "Conflict", "message": "..."}

It is flask-smorest's own shape, so validation errors raised by ``@blp.arguments`` and the
domain errors below look the same to a client. Domain errors are classes with a status; views
raise them and never build error responses by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from services.common import field_errors

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An outcome other than success that the client should see as a 4xx/5xx JSON error."""

    status = 400

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message or HTTPStatus(self.status).phrase)
        self.message = message
        self.errors = errors
        self.headers = dict(headers or {})


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401

    def __init__(self, message: str = "A valid API key is required.") -> None:
        super().__init__(message, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class Conflict(ApiError):
    status = 409


class PayloadTooLarge(ApiError):
    status = 413


class Unprocessable(ApiError):
    """Validation failed; ``errors`` is keyed by location then field, like flask-smorest's."""

    status = 422


class BadGateway(ApiError):
    status = 502


class ServiceUnavailable(ApiError):
    status = 503

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class GatewayTimeout(ApiError):
    status = 504


def error_body(
    code: int, message: str | None = None, errors: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "status": HTTPStatus(code).phrase}
    if message:
        body["message"] = message
    if errors:
        body["errors"] = dict(errors)
    return body


def json_error(
    code: int,
    message: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    response = jsonify(error_body(code, message, errors))
    response.status_code = code
    response.headers.update(dict(headers or {}))
    return response


def _from_api_error(exc: ApiError) -> Response:
    errors = field_errors.in_reader_language(exc.errors) if exc.errors else exc.errors
    return json_error(exc.status, exc.message, errors, exc.headers)


def _from_http_exception(exc: HTTPException) -> Response:
    code = exc.code or 500
    data: Mapping[str, Any] = getattr(exc, "data", None) or {}
    # webargs (behind @blp.arguments) puts field errors under data["messages"];
    # flask_smorest.abort(…, errors=…) under data["errors"].
    errors = field_errors.in_reader_language(data.get("errors") or data.get("messages"))
    message = data.get("message")
    if message is None and not errors:
        message = exc.description
    headers = dict(data.get("headers") or {})
    if code == 405 and exc.get_response().headers.get("Allow"):
        headers["Allow"] = exc.get_response().headers["Allow"]
    return json_error(code, message, errors, headers)


def _from_unexpected(exc: Exception) -> Response:
    # Infrastructure failures are the client's to retry, not our bug: say 503 and when.
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import OutOfMemoryError as RedisOutOfMemoryError
    from redis.exceptions import TimeoutError as RedisTimeoutError
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        log.warning("database unavailable: %s", exc)
        return json_error(
            503, "The database is unavailable; retry shortly.", headers={"Retry-After": "2"}
        )
    # Out of memory: the board store refuses writes (noeviction) rather than drop boards.
    if isinstance(exc, (RedisConnectionError, RedisTimeoutError, RedisOutOfMemoryError)):
        log.warning("redis unavailable: %s", exc)
        return json_error(
            503,
            "The board store (Redis) is unavailable; retry shortly.",
            headers={"Retry-After": "2"},
        )
    if _unique_violation(exc):
        # Two requests created the same thing at once: both checked that it did not exist, and
        # the database's unique index let only one of them in. The other is a conflict.
        return json_error(409, "It already exists: another request created it at the same time.")
    if isinstance(exc, RecursionError):
        # JSON nested thousands deep: the parser gives up before any schema sees it.
        return json_error(400, "The request body nests too deeply.")
    if _out_of_range(exc):
        # A number the schemas let through (an id in a path, an offset) that the database or
        # Redis cannot hold: the request is wrong, not the service.
        return json_error(422, "A value in the request is out of range.")
    log.exception("unhandled error")
    return json_error(500, "Internal error; it has been logged.")


def _unique_violation(exc: BaseException) -> bool:
    from sqlalchemy.exc import IntegrityError

    if not isinstance(exc, IntegrityError):
        return False
    # PostgreSQL names the violation by its SQLSTATE; SQLite only in the message.
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint" in str(exc.orig)


def _out_of_range(exc: BaseException) -> bool:
    from redis.exceptions import ResponseError
    from sqlalchemy.exc import DataError, StatementError

    if isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError):
        return True
    if isinstance(exc, (OverflowError, DataError)):
        return True  # SQLite's INTEGER is 64 bits; PostgreSQL's "out of range" is a DataError
    return isinstance(exc, ResponseError) and "out of range" in str(exc)


def register_error_handlers(app: Flask) -> None:
    """Install the one error shape; call after flask-smorest's Api so these handlers win."""
    app.register_error_handler(ApiError, _from_api_error)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, _from_unexpected)
