"""The ledger, the truth of every point: how entries are stored and shown (``entries``), the
feeds the leaderboard projects and rebuilds from (``feeds``: the outbox, summed settled pages,
the member directory), and manual adjustments with the audit log (``audit``)."""
