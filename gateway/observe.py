"""What the gateway tells operators: its access log and its ``GET /metrics``
(services.common.access_log, services.common.metrics).

The gateway faces the network, so its /metrics is for organisation-wide admins only (an admin
key, or a person holding the admin role with no unit limit): the figures name every route and
how busy each is. Without credentials it is 401, with any other caller 403, in the usual shape.
Its lines name the caller the gateway authenticated (what it sends on as ``X-Sender``) and the
client's address.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from gateway.auth import Callers
from services.common import access_log, metrics
from services.common.errors import Forbidden
from services.settings import Settings

NAME = "gateway"


def install(app: Flask, settings: Settings) -> None:
    """Before the gateway's other hooks, so that the clock starts first."""
    metrics.install(app, NAME, guard=org_admins_only)
    if settings.access_log:
        access_log.install(app, NAME, caller=authenticated, client_address=True)


def authenticated() -> str | None:
    """The caller's name once the request was authenticated (gateway.auth.Callers)."""
    name = g.get("caller_name")
    return str(name) if name is not None else None


def org_admins_only() -> None:
    callers: Callers = current_app.extensions["gateway.callers"]
    if not callers.from_request(request).org_admin:
        raise Forbidden("Only an admin of the whole organisation may read the metrics.")
