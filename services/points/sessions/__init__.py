"""Study sessions: scheduling (one or a weekly series), who is expected, attendance derived at
intake, closing (absences as the platform's own events), excuses and attendance figures.
docs/architecture.md, "Study sessions", tells the whole story."""
