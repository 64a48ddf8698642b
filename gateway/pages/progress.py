"""My progress (``/progress``): a signed-in member's points over the weeks by category, their
ledger with each entry's explanation in the page's language, their streak as a calendar,
their level and badges (and the badges still to earn), their attendance and quiz results.

Always the signed-in member's own: a ``member`` in the query is ignored (another member's
progress is theirs; reviewers and admins read it through the API or the review pages)."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from gateway.pages import blp, progress_badges, progress_charts, progress_reads, silent
from gateway.pages.visitor import for_person, person


@blp.get("/progress")
@for_person
def progress() -> str:
    caller = person()
    me = str(caller.staff_no)
    page = _page_number()
    today = progress_reads.today()
    entries, cut = progress_reads.recent_entries(caller, me, progress_charts.first_day(today))
    held = progress_reads.profile(caller, me)
    ledger = progress_reads.ledger_page(caller, me, page)
    if not ledger["items"] and page > 1:  # past the end: the last page there is
        page = max(1, -(-ledger["total"] // progress_reads.LEDGER_PAGE))
        ledger = progress_reads.ledger_page(caller, me, page)
    return render_template(
        "pages/progress/index.html",
        profile=held,
        weekly=progress_charts.weekly_option(progress_charts.weekly(entries, today)),
        calendar=progress_charts.calendar_option(progress_charts.daily(entries, today), today),
        cut_short=cut,
        ledger=ledger,
        page=page,
        page_size=progress_reads.LEDGER_PAGE,
        next_badges=progress_badges.with_progress(
            progress_reads.next_badges(caller, held["badges"]), entries, held["streak"], today
        ),
        sessions=progress_reads.sessions(caller, me),
        quizzes=progress_reads.quizzes(caller, me),
        nudges_off=silent.opted_out(caller),
    )


def _page_number() -> int:
    """The ledger page asked for (1 for anything that is not a page number)."""
    asked: Any = request.args.get("page", "1")
    return int(asked) if str(asked).isdigit() and 0 < int(asked) < 100_000 else 1
