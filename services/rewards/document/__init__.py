"""Rule set documents: validation exactly as the engine (``services.rules``) reads them
(``validate`` for pricing, ``sections`` for caps, floors, campaigns, streak, badges, levels), and
what changed between two of them (``diff``)."""
