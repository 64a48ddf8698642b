"""HTTP endpoints of the rewards service, one module per resource: published rule sets
(``rulesets``), drafts with validation, preview and publishing (``drafts``), and comparing,
the catalog and re-scoring (``admin``)."""

# Ids and versions are 64-bit integers in the database: a larger one names nothing (404), and
# the document says so (the path parameter's maximum).
ID = "int(max=9223372036854775807)"
