"""Code every service shares: settings, database wiring, the error shape, OpenAPI set-up,
Redis and queue helpers, and the organisation's calendar. Nothing here knows a service."""
