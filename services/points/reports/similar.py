"""Near copies: on submit, the earlier report most like this one, when it is close enough.

Comparing a new report with every earlier one in full would cost a second per submit at 100k
reports, so candidates come first from a locality-sensitive index kept in SQL, and rapidfuzz
(a maintained C++ implementation of edit-distance ratios) compares the few candidates in full:

1. the report's text (title, what was learned, how it was applied, the result), lower-cased
   with its white space collapsed, is cut into overlapping 4-character shingles (characters,
   not words, so Chinese text without spaces works as well as English);
2. a MinHash signature by one-permutation hashing: each shingle is hashed once (blake2b) into
   one of 128 bins, each bin keeps its smallest hash (empty bins borrow the next full one's);
3. the signature in 32 bands of 4 bins: each band's values hash to one bucket, stored in
   ``points_report_buckets`` (indexed). Two reports whose shingle sets have Jaccard similarity
   s share a bucket with probability 1 - (1 - s^4)^32: 0.99 at s = 0.6, 2e-4 at s = 0.05;
4. the reports sharing most buckets (at most ``CANDIDATES``) are scored with
   ``rapidfuzz.fuzz.ratio`` (0-100); the best one at or over REPORT_SIMILARITY_THRESHOLD is the
   near copy shown to reviewers.

``bench/bench_report_similarity.py`` measures a submit's check against 100k reports.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from services.points.models import Member
from services.points.reports.models import Bucket, Report

SHINGLE = 4
BINS = 128
ROWS = 4  # bins per band
CANDIDATES = 20
_SPACE = re.compile(r"\s+")
_MASK = (1 << 63) - 1  # buckets fit a signed 64-bit column


def text_of(report: Report) -> str:
    parts = (report.title, report.learned_text, report.applied, report.result)
    return _SPACE.sub(" ", " ".join(parts)).strip().lower()


def signature(text: str) -> list[int]:
    bins: list[int | None] = [None] * BINS
    grams = {text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    for gram in grams:
        hashed = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        slot, rest = hashed % BINS, hashed // BINS
        kept = bins[slot]
        if kept is None or rest < kept:
            bins[slot] = rest
    full = [b for b in bins if b is not None] or [0]
    # Densify: an empty bin takes the value of the next full one (wrapping round).
    filled: list[int] = []
    for index, value in enumerate(bins):
        if value is None:
            after = [b for b in bins[index:] + bins[:index] if b is not None]
            value = (after or full)[0] + index
        filled.append(value)
    return filled


def buckets(text: str) -> list[int]:
    sig = signature(text)
    out = []
    for band in range(BINS // ROWS):
        chunk = ",".join(str(v) for v in sig[band * ROWS : (band + 1) * ROWS])
        digest = hashlib.blake2b(f"{band}:{chunk}".encode(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big") & _MASK)
    return out


def index(session: Session, report: Report, hashes: list[int]) -> None:
    session.execute(delete(Bucket).where(Bucket.report_id == report.id))
    rows = [{"report_id": report.id, "band": b, "bucket": h} for b, h in enumerate(hashes)]
    session.execute(insert(Bucket), rows)


def nearest(
    session: Session, report: Report, hashes: list[int], threshold: float
) -> tuple[Report, float] | None:
    """The earlier report most like this one at or over ``threshold``, with its similarity."""
    shared = func.count().label("shared")
    candidates = session.execute(
        select(Bucket.report_id, shared)
        .where(Bucket.bucket.in_(hashes), Bucket.report_id != report.id)
        .group_by(Bucket.report_id)
        .order_by(shared.desc(), Bucket.report_id)
        .limit(CANDIDATES)
    ).all()
    if not candidates:
        return None
    mine = text_of(report)
    others = session.scalars(select(Report).where(Report.id.in_([c[0] for c in candidates])))
    scored = [(round(fuzz.ratio(mine, text_of(other)), 1), -other.id, other) for other in others]
    best = max(scored, key=lambda s: (s[0], s[1]))
    return (best[2], best[0]) if best[0] >= threshold else None


def check(session: Session, report: Report, threshold: float) -> None:
    """Index the submitted report and flag its nearest earlier one (or clear the flag)."""
    hashes = buckets(text_of(report))
    found = nearest(session, report, hashes, threshold)
    report.near_report_id = found[0].id if found else None
    report.near_similarity = found[1] if found else None
    index(session, report, hashes)


def near_view(session: Session, report: Report) -> dict[str, Any] | None:
    if report.near_report_id is None:
        return None
    other = session.get(Report, report.near_report_id)
    if other is None:
        return None
    author = session.scalar(select(Member.staff_no).where(Member.id == other.member_id))
    return {
        "report": other.id,
        "author": author,
        "title": other.title,
        "similarity": report.near_similarity,
    }
