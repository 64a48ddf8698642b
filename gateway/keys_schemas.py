"""What the admins' key endpoints take and answer (gateway/keys_api.py). The bounds are the
ones gateway/keys.py enforces, declared here so the API document says exactly what is accepted.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from marshmallow import Schema, fields, validate

from gateway import keys

# Anchored with \Z: Regexp matches with re.match, and "$" would also match before a newline.
NAME = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z",
    error="Use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
)
TYPE_NAME = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}\Z", error="Use a lower-case name like 'quiz'.")
UNIT_CODE = validate.Regexp(
    r"^[A-Za-z0-9_-]{1,64}\Z", error="Use 1-64 letters, digits, '-' or '_'."
)
LIMITS = validate.Length(max=keys.MAX_LIMITS)
EXPIRY = "When the key stops working (UTC if no offset is given); null or absent: never."


def _expiry(**options: Any) -> fields.AwareDateTime:
    return fields.AwareDateTime(
        default_timezone=UTC, allow_none=True, metadata={"description": EXPIRY}, **options
    )


class NewKeySchema(Schema):
    name = fields.String(
        required=True,
        validate=NAME,
        metadata={"description": "Who holds the key; services see it as X-Sender. Unique."},
    )
    scopes = fields.List(
        fields.String(validate=validate.OneOf(keys.SCOPES)),
        required=True,
        validate=validate.Length(min=1, max=len(keys.SCOPES)),
        metadata={"description": "admin implies the others; an admin key takes no limits."},
    )
    expires_at = _expiry(load_default=None)
    event_types = fields.List(
        fields.String(validate=TYPE_NAME),
        load_default=list,
        validate=LIMITS,
        metadata={"description": "The only event types the key may post; empty: any."},
    )
    units = fields.List(
        fields.String(validate=UNIT_CODE),
        load_default=list,
        validate=LIMITS,
        metadata={
            "description": "Post only for members of these units or units below them; empty: any."
        },
    )


class RotateSchema(Schema):
    # Absent: the expiry stays as it was (an expired key needs a new one, or null).
    expires_at = _expiry()


class KeySchema(Schema):
    name = fields.String()
    prefix = fields.String(metadata={"description": "The key's public start, 'lk_' and 8 hex."})
    scopes = fields.List(fields.String())
    status = fields.String(validate=validate.OneOf((keys.ACTIVE, keys.REVOKED, keys.EXPIRED)))
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime(allow_none=True)
    rotated_at = fields.DateTime(allow_none=True)
    event_types = fields.List(fields.String())
    units = fields.List(fields.String())


class CreatedKeySchema(KeySchema):
    key = fields.String(
        metadata={"description": "The whole key, shown this once: only its hash is kept."}
    )


class KeyListSchema(Schema):
    items = fields.List(fields.Nested(KeySchema))
