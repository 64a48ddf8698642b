"""Services served inside the gateway's own process: the hop without the network.

Every proxied request costs two HTTP exchanges on this 2-core machine: client to gateway and
gateway to service, each a parse, a socket write and a wake-up of another process. For the
hottest reads (the leaderboard) the second exchange cost more than the read itself, so the
deployment can name services whose WSGI app the gateway calls directly, in process:

    GATEWAY_IN_PROCESS="leaderboard=services.leaderboard.app:create_app"

The app is loaded by the name the deployment gives (deploy/processes.py), so the gateway's
code imports no service. It answers exactly as over HTTP: same views, same headers from the
gateway (the internal signature too: the app checks it here as well), same error shape. The
service still runs as its own process for everything else (direct internal calls, jobs), and
with the variable unset every hop is HTTP.
"""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from urllib3 import HTTPHeaderDict

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
VARIABLE = "GATEWAY_IN_PROCESS"


@dataclass
class Answer:
    """What the proxy reads from an upstream answer: status, headers and the whole body."""

    status: int
    headers: HTTPHeaderDict
    data: bytes


def load(spec: str) -> dict[str, WsgiApp]:
    """``"svc=package.module:factory,..."`` -> {service: its WSGI app, made once}."""
    apps: dict[str, WsgiApp] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        service, _, target = item.partition("=")
        module_name, _, factory = target.partition(":")
        if not (service and module_name and factory):
            raise ValueError(f"{VARIABLE}: expected service=module:factory, got {item!r}")
        module = importlib.import_module(module_name)
        apps[service.strip()] = getattr(module, factory.removesuffix("()"))()
    return apps


def call(
    app: WsgiApp, method: str, target: str, body: bytes | None, headers: dict[str, str]
) -> Answer:
    """One request to a WSGI app, as a server would make it."""
    path, _, query = target.partition("?")
    payload = body or b""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # WSGI carries the decoded path as latin-1 text of its UTF-8 bytes.
        "PATH_INFO": unquote(path).encode().decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "gateway",
        "SERVER_PORT": "0",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(payload),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(payload))
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ[f"HTTP_{key}"] = value
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> Any:
        started["status"], started["headers"] = status, response_headers
        return lambda _data: None  # the legacy write() callable; our apps never use it

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Answer(int(started["status"].split(" ", 1)[0]), HTTPHeaderDict(started["headers"]), data)
