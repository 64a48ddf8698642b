"""Event intake: check each event's shape, price it with the rules in force and record it with
its ledger entries and outbox rows in one transaction. Idempotency lives here too: a sender's
event id is stored with a digest of the event, so the same event posted again answers the first
result and awards nothing more (``record``)."""
