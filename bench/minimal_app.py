"""The web stack's ceiling: a Flask app that returns a small JSON, run under the same gunicorn
settings as the services. Every throughput figure of the bench is also a ratio to this one."""

from __future__ import annotations

from flask import Flask, Response, jsonify


def create_app() -> Flask:
    app = Flask("minimal")

    @app.get("/ping")
    def ping() -> Response:
        return jsonify(status="ok", rank=1, points=42)

    return app
