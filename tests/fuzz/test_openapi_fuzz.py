"""Every operation of the combined OpenAPI document, fuzzed through the gateway with an admin
key, with every check the fuzzer has: no answer is a 5xx, every answer matches what the document
says of it, requests the document calls invalid are refused and valid ones accepted, and
undeclared methods and ``OPTIONS`` answer as the document says. A drift between the document and
the server fails here.

Runs the fuzzer's own command line against the platform, bounded: a fixed number of examples
per operation (FUZZ_EXAMPLES, default 20), a fixed seed (FUZZ_SEED), and a time budget
(FUZZ_SECONDS). schemathesis.toml beside this file lists the few operations whose validity the
document cannot state (it depends on stored data or on several fields at once). The fuzzer
runs with one worker: building boundary-value ("coverage") cases from two threads at once
crashes now and then inside the fuzzer's own code (Python 3.11's parser, called by the
property-testing library from both threads: "AST constructor recursion depth mismatch"),
never in the platform, and failed CI runs that way. The draft preview runs in a pass of its
own, so that its slow cases cannot use up the others' time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import Platform

pytestmark = pytest.mark.fuzz

EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "20")
SECONDS = int(os.environ.get("FUZZ_SECONDS", "300"))
SEED = os.environ.get("FUZZ_SEED", "20261126")
CONFIG = Path(__file__).with_name("schemathesis.toml")
PREVIEW = "/api/v1/drafts/{draft_id}/preview"


def fuzz(platform: Platform, log: Path, seconds: int, *options: str, workers: int = 1) -> None:
    gateway = f"http://127.0.0.1:{platform.settings.ports['gateway']}"
    command = [
        str(Path(sys.executable).parent / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        f"{gateway}/api/openapi.json",
        "--header",
        f"Authorization: Bearer {platform.admin_key}",
        "--checks",
        "all",
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        "--max-time",
        str(seconds),
        "--request-timeout",
        "30",
        "--workers",
        str(workers),
        "--continue-on-failure",
        "--no-color",
        *options,
    ]
    # Run in the test's own directory: the fuzzer keeps its state files where it runs.
    run = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120, cwd=log.parent
    )
    log.write_text(run.stdout + run.stderr)
    assert run.returncode == 0, report(run.stdout) + run.stderr[-2000:]


def report(output: str) -> str:
    """The fuzzer's failures with each line cut short: a generated body can run to 100 KB on
    one line, and the status and the broken constraint printed before it must stay in view."""
    failures = output[output.find("FAILURES") :] if "FAILURES" in output else output
    return "\n".join(line[:300] for line in failures.splitlines())[-12000:]


def test_every_operation_keeps_to_the_document(platform: Platform, tmp_path: Path) -> None:
    fuzz(platform, tmp_path / "all.log", SECONDS, "--exclude-path", PREVIEW)


def test_the_draft_preview_too(platform: Platform, tmp_path: Path) -> None:
    fuzz(
        platform,
        tmp_path / "preview.log",
        max(10, SECONDS // 16),
        "--include-path",
        PREVIEW,
    )
