"""Reading the boards: pages and standings (``boards``), which Redis key answers a query
(``selection``), around-me, catch-up, movement and most improved, and team standings."""
