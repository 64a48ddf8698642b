"""What crosses the reports' HTTP boundary."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from services.points.reports.states import STATES
from services.points.schemas import CODE, ISO_DATETIME, OFFSET, JsonBoolean, StrictSchema

KINDS = ("session", "quiz", "course", "topic")
TEXT = validate.Length(min=1, max=10_000)
RATING = validate.Length(min=1, max=16)


class LearnedSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    ref = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=128),
        metadata={"description": "The session's, quiz's or course's id (session, quiz: needed)."},
    )
    text = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={"description": "Topic."}
    )

    @validates_schema
    def _named(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("kind")
        if kind in ("session", "quiz") and not data.get("ref"):
            raise ValidationError(f"A {kind} is named by its id.", "ref")
        if kind == "topic" and not data.get("text", "").strip():
            raise ValidationError("Say which topic.", "text")
        if kind == "course" and not (data.get("ref") or data.get("text", "").strip()):
            raise ValidationError("Name the course by its id or in words.", "text")


class ReportSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    learned = fields.Nested(LearnedSchema, required=True)
    applied = fields.String(required=True, validate=TEXT)
    result = fields.String(required=True, validate=TEXT)
    links = fields.List(
        fields.Url(schemes={"http", "https"}), load_default=list, validate=validate.Length(max=10)
    )


class ReportPatchSchema(StrictSchema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    learned = fields.Nested(LearnedSchema)
    applied = fields.String(validate=TEXT)
    result = fields.String(validate=TEXT)
    links = fields.List(fields.Url(schemes={"http", "https"}), validate=validate.Length(max=10))


class CommentSchema(StrictSchema):
    comment = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ScoresSchema(StrictSchema):
    scores = fields.Dict(
        keys=fields.String(validate=CODE),
        values=fields.Integer(strict=True, validate=validate.Range(min=0, max=1000)),
        required=True,
        metadata={"description": "Criterion code -> score, from 0 to the criterion's max."},
    )
    comment = fields.String(load_default=None, validate=validate.Length(max=5000))


class SharingSchema(StrictSchema):
    shared = JsonBoolean(required=True)


class QueueQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    unit = fields.String(load_default=None, validate=CODE)
    state = fields.String(load_default=None, validate=validate.OneOf(("submitted", "in_review")))
    submitted_since = fields.AwareDateTime(load_default=None, format="iso")
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class MineQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    state = fields.String(load_default=None, validate=validate.OneOf(STATES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


class ExemplaryQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    unit = fields.String(
        load_default=None, validate=CODE, metadata={"description": "This unit and below."}
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=OFFSET)


# --- answers ------------------------------------------------------------------------------


class LearnedOutSchema(Schema):
    kind = fields.String()
    ref = fields.String(allow_none=True)
    text = fields.String()


class NearCopySchema(Schema):
    report = fields.Integer(metadata={"description": "The earlier report it is much like."})
    author = fields.String()
    title = fields.String()
    similarity = fields.Float(metadata={"description": "0-100 (rapidfuzz's ratio)."})


class AppealSchema(Schema):
    reason = fields.String()
    at = ISO_DATETIME


class AttachmentOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    content_type = fields.String()
    size = fields.Integer()


class ScoreOutSchema(Schema):
    round = fields.Integer()
    reviewer = fields.String()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Float()
    comment = fields.String(allow_none=True)
    at = ISO_DATETIME


class ReportOutSchema(Schema):
    id = fields.Integer()
    author = fields.String()
    unit = fields.String()
    state = fields.String()
    title = fields.String()
    learned = fields.Nested(LearnedOutSchema)
    applied = fields.String()
    result = fields.String()
    links = fields.List(fields.String())
    rubric = fields.Integer(allow_none=True)
    round = fields.Integer()
    rating = fields.String(allow_none=True)
    total = fields.Float(allow_none=True)
    comment = fields.String(allow_none=True, metadata={"description": "The reviewer's last."})
    created_at = ISO_DATETIME
    submitted_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    decided_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    escalated = fields.Boolean()
    appeal = fields.Nested(AppealSchema, allow_none=True)
    exemplary = fields.Boolean()
    shared = fields.Boolean()
    awarded_rating = fields.String(allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentOutSchema))
    near_copy = fields.Nested(
        NearCopySchema, allow_none=True, metadata={"description": "Shown to reviewers only."}
    )
    scores = fields.List(
        fields.Nested(ScoreOutSchema), metadata={"description": "Shown to reviewers only."}
    )


class ReportPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(ReportOutSchema))


class TransitionOutSchema(Schema):
    actor = fields.String()
    from_state = fields.String(data_key="from", allow_none=True)
    to_state = fields.String(data_key="to")
    comment = fields.String(allow_none=True)
    at = ISO_DATETIME


class TransitionListSchema(Schema):
    report = fields.Integer()
    items = fields.List(fields.Nested(TransitionOutSchema))
