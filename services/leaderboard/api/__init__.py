"""The leaderboard's HTTP API, one blueprint per concern."""

from services.leaderboard.api import admin, archive, boards, internal, members

BLUEPRINTS = (boards.blp, members.blp, archive.blp, admin.blp, internal.blp)
