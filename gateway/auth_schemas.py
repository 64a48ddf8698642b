"""What the sign-in and account endpoints take and answer (gateway/auth_api.py,
gateway/accounts_api.py). Every bound is declared, so the API document says exactly what is
accepted."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from gateway import accounts, passwords

STAFF_NO = validate.Regexp(r"^[A-Za-z0-9_.-]{1,64}\Z", error="Use 1-64 letters, digits, '.-_'.")
# A unit code, or empty for the whole organisation.
UNIT = validate.Regexp(r"^[A-Za-z0-9_-]{0,64}\Z", error="Use 0-64 letters, digits, '-' or '_'.")
# A new password: its length, and no spaces at either end (gateway/passwords.py checks the
# same; said here too, so that the API document states it).
PASSWORD = [
    validate.Length(min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH),
    validate.Regexp(r"^\S(?:[\s\S]*\S)?\Z", error="A password must not start or end with spaces."),
]
# What a person may type at sign-in: any length up to the bound (rules apply to new ones).
TYPED = validate.Length(min=1, max=passwords.MAX_LENGTH)
TOKEN = validate.Length(min=1, max=200)


class SignInSchema(Schema):
    staff_no = fields.String(required=True, validate=STAFF_NO)
    password = fields.String(required=True, validate=TYPED)


class RefreshSchema(Schema):
    refresh_token = fields.String(required=True, validate=TOKEN)


class ChangePasswordSchema(Schema):
    old_password = fields.String(required=True, validate=TYPED)
    new_password = fields.String(required=True, validate=PASSWORD)


class RedeemSchema(Schema):
    code = fields.String(required=True, validate=TOKEN)
    new_password = fields.String(required=True, validate=PASSWORD)


class TokensSchema(Schema):
    token_type = fields.String(metadata={"example": "Bearer"})
    access_token = fields.String(metadata={"description": "Send as 'Authorization: Bearer'."})
    expires_in = fields.Integer(metadata={"description": "Seconds the access token lives."})
    refresh_token = fields.String(metadata={"description": "Trade for a new pair, once."})
    refresh_expires_in = fields.Integer()
    must_change_password = fields.Boolean()


class RoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(accounts.ROLES))
    unit = fields.String(
        load_default="",
        validate=UNIT,
        metadata={"description": "Limit the role to this unit's subtree; empty: everywhere."},
    )


class SessionSchema(Schema):
    staff_no = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))
    must_change_password = fields.Boolean()
    csrf_token = fields.String(
        metadata={"description": "Send as 'X-CSRF-Token' with every unsafe request."}
    )
    expires_at = fields.DateTime(metadata={"description": "When the session ends."})


class UnitQuerySchema(Schema):
    unit = fields.String(load_default="", validate=UNIT)


class AccountSchema(Schema):
    staff_no = fields.String()
    roles = fields.List(fields.Nested(RoleSchema))
    must_change_password = fields.Boolean()
    disabled = fields.Boolean()
    created_at = fields.DateTime()
    changed_at = fields.DateTime()


class AccountListSchema(Schema):
    items = fields.List(fields.Nested(AccountSchema))


class NewAccountSchema(Schema):
    staff_no = fields.String(required=True, validate=STAFF_NO)
    password = fields.String(
        load_default=None,
        validate=PASSWORD,
        metadata={"description": "A first password; omitted: a one-time one is answered."},
    )


class CreatedAccountSchema(AccountSchema):
    one_time_password = fields.String(allow_none=True)


class FirstPasswordSchema(Schema):
    password = fields.String(required=True, validate=PASSWORD)


class ResetCodeSchema(Schema):
    code = fields.String()
    expires_at = fields.DateTime()


class AuditQuerySchema(Schema):
    subject = fields.String(load_default=None, validate=STAFF_NO)
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditRecordSchema(Schema):
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    subject = fields.String()
    address = fields.String()
    outcome = fields.String()
    detail = fields.String()


class AuditListSchema(Schema):
    items = fields.List(fields.Nested(AuditRecordSchema))
