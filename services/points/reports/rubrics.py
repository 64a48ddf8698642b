"""Rubrics the admins define. A rubric is never changed: writing one under a name that exists
makes its next version, and the newest version is the one new submissions take. A report keeps
the version it was submitted under, so a rubric in use is frozen by construction."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.common.errors import NotFound
from services.points.reports.models import Rubric
from services.points.reports.schemas import RATING
from services.points.schemas import CODE, ISO_DATETIME, StrictSchema


class CriterionSchema(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    max = fields.Integer(strict=True, required=True, validate=validate.Range(min=1, max=1000))
    weight = fields.Float(
        required=True, validate=validate.Range(min=0, max=100, min_inclusive=False)
    )


class BandSchema(StrictSchema):
    min_total = fields.Float(required=True, validate=validate.Range(min=0, max=100))
    rating = fields.String(
        required=True,
        allow_none=True,
        validate=RATING,
        metadata={"description": "A rating the rules price (e.g. A); null: rejected."},
    )


class RubricSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1, max=20)
    )
    bands = fields.List(
        fields.Nested(BandSchema), required=True, validate=validate.Length(min=1, max=10)
    )
    reviewers = fields.Integer(
        strict=True,
        load_default=1,
        validate=validate.OneOf((1, 2)),
        metadata={"description": "2: two reviewers score each report (mean; see disagreement)."},
    )
    disagreement = fields.Float(
        load_default=20,
        validate=validate.Range(min=0, max=100),
        metadata={"description": "Totals further apart than this go to a third reviewer."},
    )

    @validates_schema
    def _distinct(self, data: dict[str, Any], **_: Any) -> None:
        codes = [c["code"] for c in data.get("criteria", [])]
        if len(set(codes)) != len(codes):
            raise ValidationError("Each criterion needs its own code.", "criteria")
        floors = [b["min_total"] for b in data.get("bands", [])]
        if len(set(floors)) != len(floors):
            raise ValidationError("Each band needs its own min_total.", "bands")


class RubricOutSchema(RubricSchema):
    id = fields.Integer()
    version = fields.Integer()
    created_by = fields.String()
    created_at = ISO_DATETIME


class RubricListSchema(StrictSchema):
    items = fields.List(fields.Nested(RubricOutSchema))


def create(session: Session, body: dict[str, Any], actor: str) -> Rubric:
    latest = session.scalar(select(func.max(Rubric.version)).where(Rubric.name == body["name"]))
    rubric = Rubric(**body, version=(latest or 0) + 1, created_by=actor[:100])
    session.add(rubric)
    session.flush()
    return rubric


def current(session: Session) -> Rubric | None:
    """The rubric new submissions take: the one written last."""
    return session.scalar(select(Rubric).order_by(Rubric.id.desc()).limit(1))


def by_id(session: Session, rubric_id: int) -> Rubric:
    rubric = session.get(Rubric, rubric_id)
    if rubric is None:
        raise NotFound(f"No rubric {rubric_id}.")
    return rubric


def listed(session: Session) -> list[Rubric]:
    return list(session.scalars(select(Rubric).order_by(Rubric.id.desc()).limit(200)))


def view(rubric: Rubric) -> dict[str, Any]:
    return {
        "id": rubric.id,
        "name": rubric.name,
        "version": rubric.version,
        "criteria": rubric.criteria,
        "bands": rubric.bands,
        "reviewers": rubric.reviewers,
        "disagreement": rubric.disagreement,
        "created_by": rubric.created_by,
        "created_at": rubric.created_at.isoformat(),
    }


def as_rules(rubric: Rubric) -> dict[str, Any]:
    """The plain values services.points.reports.scoring works on."""
    return {
        "criteria": rubric.criteria,
        "bands": rubric.bands,
        "reviewers": rubric.reviewers,
        "disagreement": rubric.disagreement,
    }
