"""HTTP endpoints of the rewards service, one module per resource: published rule sets
(``rulesets``), drafts with validation, preview and publishing (``drafts``), and comparing,
the catalog and re-scoring (``admin``)."""
