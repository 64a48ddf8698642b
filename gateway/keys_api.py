"""``/api/v1/auth/keys/...``: an admin of the whole organisation manages the systems' API keys:
creates them (the key is shown once), lists them (never a secret or a hash), rotates one (a
new secret under the same name, scopes and limits) and revokes one. Each change is written to
the gateway's audit log in the same transaction. The CLI (gateway/cli.py) does the same through
the same functions (gateway/keys.py).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from gateway import accounts, keys
from gateway.admins_only import guard
from gateway.auth import KeyCache
from gateway.auth_api import address, own_route
from gateway.keys_schemas import (
    CreatedKeySchema,
    KeyListSchema,
    NewKeySchema,
    RotateSchema,
)
from gateway.models import ApiKey
from services.common.db import current_db

blp = Blueprint("keys", __name__, url_prefix="/api/v1/auth", description="API keys (admins)")
admin_only = guard(blp, "API keys")


def as_json(row: ApiKey) -> dict[str, Any]:
    return {
        "name": row.name,
        "prefix": f"lk_{row.prefix}",
        "scopes": row.scopes.split(),
        "status": keys.status_of(row),
        "created_at": row.created_at,
        "last_used_at": row.last_used_at,
        "expires_at": row.expires_at,
        "rotated_at": row.rotated_at,
        "event_types": row.event_types.split(),
        "units": row.units.split(),
    }


def audit(session: Session, action: str, name: str, detail: str = "") -> None:
    accounts.audit(session, g.caller.actor, action, "ok", subject=name, address=address(),
                   detail=detail)  # fmt: skip


def forget(prefix: str) -> None:
    """After the commit: this process stops taking the old secret at once (the others when
    their cache entry expires). Forgotten before it, a request in between could cache the row
    as it still was."""
    cache: KeyCache = current_app.extensions["gateway.keys"]
    cache.forget(prefix)


@own_route(blp, "/keys", "GET")
@blp.response(200, KeyListSchema)
@admin_only
def list_keys() -> dict[str, Any]:
    """Every API key with its status and limits (never its secret)"""
    with current_db().read() as session:
        return {"items": [as_json(row) for row in keys.list_keys(session)]}


@own_route(blp, "/keys", "POST")
@blp.arguments(NewKeySchema)
@blp.response(201, CreatedKeySchema)
@blp.alt_response(409, response="DEFAULT_ERROR", description="A key has that name")
@admin_only
def create_key(body: dict[str, Any]) -> dict[str, Any]:
    """Create an API key, optionally expiring and limited to event types and units; the answer
    shows it once"""
    name = body["name"]
    with current_db().write() as session:
        key = keys.create_key(session, name, body["scopes"], expires_at=body["expires_at"],
                              event_types=body["event_types"], units=body["units"])  # fmt: skip
        row = keys.find_key(session, name)
        audit(session, "key-create", name, detail=described(row))
        return {**as_json(row), "key": key}


@own_route(blp, "/keys/<name>/rotate", "POST")
@blp.arguments(RotateSchema, required=False)
@blp.response(200, CreatedKeySchema)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No key has that name")
@blp.alt_response(409, response="DEFAULT_ERROR", description="The key is revoked, or the caller's")
@admin_only
def rotate_key(body: dict[str, Any], name: str) -> dict[str, Any]:
    """A new secret for a key, shown once; the old one stops working. Name, scopes and limits
    stay; the expiry too unless a new one is given (an expired key needs one)"""
    not_itself(name, "rotate")
    with current_db().write() as session:
        row, old_prefix, key = keys.rotate_key(
            session, name, body.get("expires_at", keys.Keep.EXPIRY)
        )
        audit(session, "key-rotate", name, detail=f"was lk_{old_prefix}")
        answer = {**as_json(row), "key": key}
    forget(old_prefix)
    return answer


@own_route(blp, "/keys/<name>", "DELETE")
@blp.response(204)
@blp.alt_response(404, response="DEFAULT_ERROR", description="No key has that name")
@blp.alt_response(409, response="DEFAULT_ERROR", description="The caller's own key")
@admin_only
def revoke_key(name: str) -> None:
    """Revoke a key: it stops working at once here, within seconds everywhere; its name stays
    taken"""
    not_itself(name, "revoke")
    with current_db().write() as session:
        prefix, was_active = keys.revoke_key(session, name)
        audit(session, "key-revoke", name, detail="" if was_active else "already revoked")
    forget(prefix)


def not_itself(name: str, act: str) -> None:
    # A key that rotated itself and lost the answer on the way would be left with no working
    # secret and nobody to ask; one that revoked itself could not undo it. Another admin, or
    # the CLI, does it.
    if g.caller.staff_no is None and g.caller.name == name:
        raise keys.KeyProblem(
            f"A key cannot {act} itself; use another admin's sign-in or key, or the CLI.", 409
        )


def described(row: ApiKey) -> str:
    parts = [row.scopes]
    if row.event_types:
        parts.append(f"types: {row.event_types}")
    if row.units:
        parts.append(f"units: {row.units}")
    if row.expires_at:
        parts.append(f"expires {row.expires_at.isoformat(timespec='seconds')}")
    return "; ".join(parts)
