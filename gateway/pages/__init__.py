"""The pages people look at, served by the gateway: Chinese first, English as a switch.

Server-rendered (Jinja) with a little htmx where a part of a page changes on its own; the
charts are ECharts. Both come from npm at the versions package-lock.json pins and are served
from ``/static/vendor`` (``make install`` copies them there): no page loads anything from
another site. A page reads and writes as the signed-in person through the same routing table,
scopes and member-data rule as the API (gateway/as_person.py), so a page can show nothing the
person could not read over the API. Who is looking, and in which language: gateway/pages/visitor.py.

Each area of the product has its own module of views and its own folder of templates.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from gateway.pages import errors, filters, visitor
from services.common import i18n
from services.settings import Settings

blp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)
# Who is looking, what a refusal looks like, what templates say of values: set on the blueprint
# once, when it is made (an app made later registers the same blueprint again).
visitor.install(blp)
errors.install(blp)
filters.install(blp)
# Scripts, styles and the vendored libraries: their names change with their versions (the
# vendored ones) or rarely, so an hour is safe and saves a phone's data.
STATIC_MAX_AGE = 3600


def install(app: Flask, settings: Settings) -> None:
    from gateway.pages import (  # noqa: F401  (their views join the blueprint)
        access_accounts,
        access_keys,
        activities,
        activity_words,
        admin,
        audit_log,
        board,
        corrections,
        delivery,
        exports,
        figures,
        home,
        org_members,
        org_quiz_edit,
        org_quizzes,
        org_roster,
        org_session_edit,
        org_session_form,
        org_sessions,
        org_sign_in_sheet,
        org_units,
        progress,
        reports,
        reports_exemplary,
        reports_files,
        reset,
        review,
        review_decisions,
        rules_compare,
        rules_form,
        rules_list,
        rules_preview,
        rules_publish,
        rules_rescore,
        signin,
        silent,
        surveys,
        surveys_admin,
        surveys_results,
        wall,
    )

    i18n.install(app, settings.org_timezone)
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE
    app.register_blueprint(blp)
