"""The points service: members and units, event intake, idempotency, the ledger."""
