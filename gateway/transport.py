"""The hop to the services: one pooled HTTP client per process, its failures as 502/503/504.

The services behind the gateway keep connections alive (deploy/processes.py), so a request
reuses a pooled connection instead of opening and closing one. Services named in
``GATEWAY_IN_PROCESS`` are called in this process instead (gateway/in_process.py).

Every request is signed here, on both paths (services.common.signing): the services answer
nothing unsigned, so this is the one place where the gateway vouches for what it forwards.
"""

from __future__ import annotations

import json
import logging
from http.client import RemoteDisconnected
from typing import Any

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ProtocolError, TimeoutError

from gateway import in_process
from services.common.errors import ApiError, BadGateway, GatewayTimeout, ServiceUnavailable
from services.common.signing import wire_target
from services.contracts import internal_signer
from services.settings import Settings

log = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})

Answer = urllib3.BaseHTTPResponse | in_process.Answer


class Upstreams:
    """One connection pool for every service, shared by all requests of this process."""

    def __init__(
        self,
        settings: Settings,
        services: tuple[str, ...],
        local: dict[str, in_process.WsgiApp] | None = None,
    ) -> None:
        self.urls = {service: settings.url_of(service) for service in services}
        self.timeout = urllib3.Timeout(connect=2.0, read=settings.upstream_timeout)
        self.pool = urllib3.PoolManager(num_pools=8, maxsize=16, retries=False)
        self.signer = internal_signer(settings)
        if local is None:
            local = in_process.load(settings.gateway_in_process or "")
        # Services whose app runs in this process: no network hop.
        self.local = local

    def send(
        self,
        service: str,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: urllib3.Timeout | None = None,
    ) -> Answer:
        """One request to a service; failures of the hop become 502/503/504 API errors.

        Services keep connections alive, so a pooled connection may have been closed by the
        service (it restarted, or closed an idle connection) just as it is reused: the
        request then breaks before any answer. A read is sent once more on a new connection;
        a write is not (it may have been applied), and the client is told to retry.
        """
        # Signed as it goes on the wire: the service checks the query string byte for byte.
        target = wire_target(target)
        headers = self.signer.signed(method, target, headers)
        if service in self.local:
            return in_process.call(self.local[service], method, target, body, headers)
        timeout = timeout or self.timeout
        attempts = 2 if method in IDEMPOTENT else 1
        for attempt in range(1, attempts + 1):
            try:
                return self._over_http(service, method, target, body, headers, timeout)
            except ProtocolError as exc:
                if _dropped(exc) and attempt < attempts:
                    continue
                raise _broken(service, exc) from exc
            except HTTPError as exc:
                raise _failed(service, exc, timeout) from exc
        raise AssertionError("unreachable")  # every attempt returns or raises

    def get_json(self, service: str, path: str, timeout: urllib3.Timeout) -> tuple[int, Any]:
        answer = self.send(service, "GET", path, timeout=timeout)
        try:
            return answer.status, json.loads(answer.data)
        except ValueError as exc:
            raise BadGateway(f"The {service} service sent a broken answer.") from exc

    def _over_http(
        self,
        service: str,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str] | None,
        timeout: urllib3.Timeout,
    ) -> urllib3.BaseHTTPResponse:
        return self.pool.urlopen(
            method,
            self.urls[service] + target,
            body=body,
            headers=headers,
            timeout=timeout,
            redirect=False,
            retries=False,
        )


def _broken(service: str, exc: ProtocolError) -> ApiError:
    """A connection that broke: dropped before any answer (retry), or a garbled answer."""
    if not _dropped(exc):
        log.warning("%s sent a broken answer: %s", service, exc)
        return BadGateway(f"The {service} service sent a broken answer.")
    log.warning("%s dropped the connection: %s", service, exc)
    return BadGateway(
        f"The {service} service dropped the connection; retry shortly.",
        headers={"Retry-After": "2"},
    )


def _failed(service: str, exc: HTTPError, timeout: urllib3.Timeout) -> ApiError:
    """Any other failure of the hop, as the error the client gets."""
    if isinstance(exc, ConnectTimeoutError):
        # Refused or unreachable (urllib3 files refusals under connect timeouts): the request
        # never arrived, so it is safe to retry.
        log.warning("%s unreachable: %s", service, exc)
        return ServiceUnavailable(
            f"The {service} service is unavailable; retry shortly.", retry_after=2
        )
    if isinstance(exc, TimeoutError):
        log.warning("%s timed out: %s", service, exc)
        return GatewayTimeout(
            f"The {service} service did not answer within {timeout.read_timeout} s."
        )
    log.warning("%s sent a broken answer: %s", service, exc)
    return BadGateway(f"The {service} service sent a broken answer.")


def _dropped(exc: ProtocolError) -> bool:
    """The connection closed or reset before any answer (not a garbled answer)."""
    cause = exc.args[1] if len(exc.args) > 1 else exc.__cause__
    return isinstance(cause, (RemoteDisconnected, ConnectionError))
