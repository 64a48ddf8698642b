"""Every operation of the combined OpenAPI document, fuzzed through the gateway with an admin
key: no answer is a 5xx, and every answer matches what the document says of it.

Runs the fuzzer's own command line against the platform, bounded: a fixed number of examples
per operation (FUZZ_EXAMPLES, default 20), a fixed seed, and a time budget (FUZZ_SECONDS).
The draft preview's request schema crashes the fuzzer's boundary-value ("coverage") phase
inside the fuzzer itself, so that one operation is fuzzed without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.drills.harness import Drill

pytestmark = pytest.mark.fuzz

EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "20")
SECONDS = int(os.environ.get("FUZZ_SECONDS", "120"))
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
PREVIEW = "/api/v1/drafts/{draft_id}/preview"


def fuzz(platform: Drill, log: Path, seconds: int, *options: str) -> None:
    gateway = f"http://127.0.0.1:{platform.settings.ports['gateway']}"
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        f"{gateway}/api/openapi.json",
        "--header",
        f"Authorization: Bearer {platform.admin_key}",
        "--checks",
        CHECKS,
        "--max-examples",
        EXAMPLES,
        "--seed",
        "20261126",
        "--max-time",
        str(seconds),
        "--request-timeout",
        "30",
        "--workers",
        "2",
        "--continue-on-failure",
        "--no-color",
        *options,
    ]
    # Run in the test's own directory: the fuzzer keeps its state files where it runs.
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, cwd=log.parent
    )
    log.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]


def test_no_5xx_and_answers_match_the_document(platform: Drill, tmp_path: Path) -> None:
    fuzz(platform, tmp_path / "all.log", SECONDS, "--exclude-path", PREVIEW)


def test_the_draft_preview_too(platform: Drill, tmp_path: Path) -> None:
    fuzz(
        platform,
        tmp_path / "preview.log",
        max(10, SECONDS // 8),
        "--include-path",
        PREVIEW,
        "--phases",
        "examples,fuzzing",
    )
