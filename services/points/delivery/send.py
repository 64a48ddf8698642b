"""Sending one delivery over the network: an HTTP POST or an e-mail. Each answers
``(status code or None, error or None)``; no error means the receiver took it."""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage

import urllib3

from services.points.delivery.targets import Post
from services.settings import Settings

_http = urllib3.PoolManager(retries=False)
Outcome = tuple[int | None, str | None]


def post(request: Post, timeout: float, robot: bool) -> Outcome:
    """2xx is taken; a group robot also answers ``errcode`` 0 when it took the message (it
    says 200 with another code for a bad key or too many messages)."""
    try:
        answer = _http.request(
            "POST", request.url, body=request.body, headers=request.headers, timeout=timeout
        )
    except urllib3.exceptions.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if not 200 <= answer.status < 300:
        return answer.status, f"HTTP {answer.status}: {answer.data[:200].decode(errors='replace')}"
    if robot:
        try:
            code = json.loads(answer.data or b"{}").get("errcode", 0)
        except (ValueError, AttributeError):
            return answer.status, "The robot's answer is not the JSON it documents."
        if code != 0:
            return answer.status, f"errcode {code}: {answer.data[:200].decode(errors='replace')}"
    return answer.status, None


def email(settings: Settings, message: EmailMessage) -> Outcome:
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.delivery_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    return 250, None
