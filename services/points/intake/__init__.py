"""Event intake: check each event's shape, price it with the rules in force and record it with
its ledger entries and outbox rows in one transaction (``record``). Idempotency has its own
module: a sender's event id is stored with a digest of the event, so the same event posted
again answers the first result and awards nothing more (``idempotency``); both answer in the
shape of ``outcome``."""
