"""What the points service does with the rule engine (``services.rules``): its cached copy of
the published rule sets (``published``), engine state in SQL inside the intake transaction
(``scoring``), what a member can still earn today (``remaining``), and re-scoring a period
under another version (``history``, ``rescore``, ``rescore_badges``, ``resync``)."""
