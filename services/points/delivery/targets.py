"""What goes out for each kind of target, as plain values (no network here).

- ``webhook``: the event as JSON, POSTed with ``X-Delivery-Id`` (the same on every retry),
  ``X-Delivery-Timestamp`` (seconds since the epoch) and ``X-Delivery-Signature``:
  ``sha256=`` and the hex HMAC-SHA256, keyed with the subscription's secret, of
  ``<timestamp>.<body>``; covering the timestamp lets a receiver refuse an old message replayed.
- ``wecom``: a WeCom group robot's documented message, ``{"msgtype": "markdown", "markdown":
  {"content": ...}}`` or ``{"msgtype": "text", "text": {"content": ...}}``.
- ``dingtalk``: a DingTalk group robot's, ``{"msgtype": "markdown", "markdown": {"title": ...,
  "text": ...}}`` or ``{"msgtype": "text", "text": {"content": ...}}``; with a signing secret,
  ``timestamp`` (milliseconds) and ``sign`` (base64 of the HMAC-SHA256 of
  ``<timestamp>\\n<secret>`` keyed with the secret) are added to the URL's query.
- ``email``: a plain-text message whose Message-ID carries the delivery's id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote_plus

from services.points.delivery.messages import render
from services.points.delivery.models import DINGTALK, WECOM

ID_HEADER = "X-Delivery-Id"
TIMESTAMP_HEADER = "X-Delivery-Timestamp"
SIGNATURE_HEADER = "X-Delivery-Signature"


@dataclass(frozen=True)
class Post:
    url: str
    body: bytes
    headers: dict[str, str]


def envelope(uid: str, kind: str, occurred_at: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": uid, "kind": kind, "occurred_at": occurred_at, "data": data}


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook(url: str, secret: str, event: dict[str, Any], now: float) -> Post:
    body = json.dumps(event, ensure_ascii=False, sort_keys=True).encode()
    timestamp = int(now)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        ID_HEADER: event["id"],
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    return Post(url, body, headers)


def robot_message(target: str, text_format: str, event: dict[str, Any]) -> dict[str, Any]:
    """The group robot's JSON for the event (``target`` is WECOM or DINGTALK)."""
    title, lines = render(event["kind"], event["data"])
    if text_format == "text":
        return {"msgtype": "text", "text": {"content": "\n".join([title, *lines])}}
    text = "\n\n".join([f"### {title}", *lines])
    if target == WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def dingtalk_signed(url: str, secret: str, now: float) -> str:
    timestamp = int(now * 1000)
    key = secret.encode()
    digest = hmac.new(key, f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def robot(
    target: str, url: str, secret: str | None, text_format: str, event: dict[str, Any], now: float
) -> Post:
    message = robot_message(target, text_format, event)
    if target == DINGTALK and secret:
        url = dingtalk_signed(url, secret, now)
    body = json.dumps(message, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", ID_HEADER: event["id"]}
    return Post(url, body, headers)


def email(sender: str, to: str, event: dict[str, Any]) -> EmailMessage:
    title, lines = render(event["kind"], event["data"])
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, title
    message["Message-ID"] = f"<{event['id']}@learning-incentives>"
    message.set_content("\n\n".join(lines) + "\n")
    return message
