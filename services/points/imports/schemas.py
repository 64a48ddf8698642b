"""What crosses the HTTP boundary of the imports: the upload, its options, the report."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, fields, validate


class TableUploadSchema(Schema):
    file = Upload(
        required=True,
        metadata={"description": "The table: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or XLSX."},
    )


class TableQuerySchema(Schema):
    """How to read the uploaded table; every import takes these. Like every query string of
    the API, unknown parameters are ignored: a misspelt dry_run leaves the default, a dry run."""

    class Meta:
        unknown = EXCLUDE

    encoding = fields.String(
        load_default=None,
        validate=validate.Length(1, 40),
        metadata={"description": "A CSV's encoding (e.g. gbk); default: UTF-8, else GB18030."},
    )
    sheet = fields.String(
        load_default=None,
        validate=validate.Length(1, 31),
        metadata={"description": "An XLSX workbook's sheet; default: the first."},
    )
    dry_run = fields.Boolean(
        load_default=True,
        metadata={"description": "true (default): report what would happen, change nothing."},
    )


class RosterQuerySchema(TableQuerySchema):
    deactivate_missing = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also deactivate active members the file does not name, inside the "
            "units the importer administers."
        },
    )


class ChangeSchema(Schema):
    from_ = fields.Raw(data_key="from", attribute="from", allow_none=True)
    to = fields.Raw(allow_none=True)


class ImportRowSchema(Schema):
    line = fields.Integer(
        allow_none=True,
        metadata={"description": "Line (CSV) or row (XLSX); null: not in the file."},
    )
    key = fields.String(allow_none=True, metadata={"description": "What the row is about."})
    changes = fields.Dict(keys=fields.String(), values=fields.Nested(ChangeSchema))
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Why the row was rejected, per field."},
    )


class ImportReportSchema(Schema):
    dry_run = fields.Boolean(required=True)
    counts = fields.Dict(
        keys=fields.String(), values=fields.Integer(), required=True,
        metadata={"description": "Rows per action, every action of the import listed."},
    )  # fmt: skip
    rows = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Nested(ImportRowSchema)), required=True,
        metadata={"description": "The rows of each action, in file order."},
    )  # fmt: skip
    ignored_columns = fields.List(
        fields.String(), metadata={"description": "Headers no column of the import means."}
    )
    audit_id = fields.Integer(
        allow_none=True, metadata={"description": "The apply's audit record; null for a dry run."}
    )
