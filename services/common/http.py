"""JSON over HTTP between our own services, with pooled connections and the error shape.

A dead service becomes 503, a slow one 504, a broken answer 502; a 4xx from the other service
is passed on unchanged so the client sees the service's own words. Every request carries the
internal signature (services.common.signing): services answer nobody else.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import urllib3

from services.common.errors import ApiError, BadGateway, GatewayTimeout, ServiceUnavailable
from services.common.signing import Signer, wire_target


class UpstreamError(ApiError):
    """A 4xx answer from another service, carried on with its status and body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        super().__init__(body.get("message"), errors=body.get("errors"))


class ServiceClient:
    def __init__(
        self,
        name: str,
        base_url: str,
        timeout: float = 10.0,
        connect_timeout: float = 2.0,
        *,
        signer: Signer,
    ) -> None:
        self.name = name
        self.signer = signer
        self.base_url = base_url.rstrip("/")
        self.timeout = urllib3.Timeout(connect=connect_timeout, read=timeout)
        self.pool = urllib3.PoolManager(num_pools=2, maxsize=8, retries=False)

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        try:
            response = self._send(method, path, body, params)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise GatewayTimeout(f"The {self.name} service did not answer in time.") from exc
        except urllib3.exceptions.HTTPError as exc:
            # Includes refused and timed-out connections (urllib3 counts a refused connection
            # as a connect timeout): nothing was delivered, so the service is unavailable.
            raise ServiceUnavailable(f"The {self.name} service is unavailable.") from exc
        try:
            payload = json.loads(response.data) if response.data else None
        except ValueError as exc:
            raise BadGateway(f"The {self.name} service sent a broken answer.") from exc
        if response.status >= 500:
            message = f"The {self.name} service failed ({response.status})."
            if response.status == 503:
                raise ServiceUnavailable(message)
            raise BadGateway(message)
        if response.status >= 400:
            raise UpstreamError(response.status, payload or {})
        return payload

    def _send(
        self, method: str, path: str, body: Any, params: dict[str, Any]
    ) -> urllib3.BaseHTTPResponse:
        # Services keep connections alive: a pooled one the other side has just closed breaks
        # before any answer. A read is sent once more on a new connection; a write is not.
        attempts = 2 if method == "GET" else 1
        target = wire_target(path + ("?" + urlencode(params) if params else ""))
        for attempt in range(1, attempts + 1):
            # Signed per attempt: the timestamp is the moment of sending.
            headers = self.signer.signed(method, target, {"Content-Type": "application/json"})
            try:
                return self.pool.request(
                    method,
                    self.base_url + target,
                    body=None if body is None else json.dumps(body).encode(),
                    headers=headers,
                    timeout=self.timeout,
                )
            except urllib3.exceptions.ProtocolError:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")  # every attempt returns or raises

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, **params)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)
