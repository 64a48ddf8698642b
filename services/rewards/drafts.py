"""Drafts: rule sets being written. A draft may be saved while still wrong (validate tells what
is wrong); only a valid draft can be previewed or published. Publishing gives it the next
version number, so published versions stay gap-free. Callers own the session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.common.errors import NotFound, Unprocessable
from services.rewards import rulesets
from services.rewards.document.validate import DocumentSchema
from services.rewards.models import DRAFT, RuleSet


def create(session: Session, body: dict[str, Any], by: str | None, now: datetime) -> RuleSet:
    draft = RuleSet(
        version=None,
        status=DRAFT,
        name=body["name"],
        document=body["document"],
        notes=body.get("notes"),
        # Not in force until published; publishing sets the real instant.
        effective_from=now,
        created_at=now,
        updated_at=now,
        created_by=by[:200] if by else None,
    )
    session.add(draft)
    session.flush()
    return draft


def listing(session: Session) -> Sequence[RuleSet]:
    return session.scalars(
        select(RuleSet).where(RuleSet.status == DRAFT).order_by(RuleSet.id)
    ).all()


def get(session: Session, draft_id: int) -> RuleSet:
    draft = session.scalars(
        select(RuleSet).where(RuleSet.id == draft_id, RuleSet.status == DRAFT)
    ).first()
    if draft is None:
        raise NotFound(f"There is no draft {draft_id} (a published draft is a version now).")
    return draft


def update(session: Session, draft_id: int, changes: dict[str, Any], now: datetime) -> RuleSet:
    draft = get(session, draft_id)
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.updated_at = now
    return draft


def delete(session: Session, draft_id: int) -> None:
    session.delete(get(session, draft_id))


def check(document: Any) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(the loaded document, {}) when valid, else (None, errors keyed like the document)."""
    try:
        return DocumentSchema().load(document), {}
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return None, messages


def valid_document(draft: RuleSet) -> dict[str, Any]:
    loaded, errors = check(draft.document)
    if loaded is None:
        raise Unprocessable(errors={"json": {"document": errors}})
    return loaded


def publish(
    session: Session, draft_id: int, effective_from: datetime | None, by: str | None, now: datetime
) -> RuleSet:
    draft = get(session, draft_id)
    document = valid_document(draft)
    published = rulesets.publish(
        session,
        name=draft.name,
        document=document,
        effective_from=effective_from,
        notes=draft.notes,
        published_by=by,
        now=now,
        row=draft,
    )
    return published
