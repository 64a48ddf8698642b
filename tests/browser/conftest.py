"""The pages in a real headless Chromium (Debian's, installed by `make browser`), against the
whole platform as real processes (the e2e harness), with the sample agency of
tests/browser/agency.py. Screenshots go to SCREENSHOTS_DIR (default var/screenshots; `make
screenshots` writes the README's to docs/screenshots): open them to see what a person sees."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser import agency
from tests.harness import Platform, launched

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "var" / "screenshots"))
# Headless as root needs no sandbox; the rest keeps Chromium from calling home, which a closed
# network refuses, many connections at a time.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}
ENV = {"PROJECTION_INTERVAL": "1", "RULES_CACHE_SECONDS": "1", "WEB_WORKERS": "2"}


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    with launched(tmp_path_factory.mktemp("platform"), None, "browser", **ENV) as platform:
        yield platform


@pytest.fixture(scope="session")
def org(platform: Platform) -> agency.Agency:
    return agency.build(platform)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


Opener = Callable[..., Page]


@pytest.fixture
def open_page(chromium: Browser, platform: Platform) -> Iterator[Opener]:
    """A new browser (its own cookies) at the gateway: ``open_page(locale=..., viewport=...)``."""
    contexts = []

    def opener(locale: str = "zh-CN", viewport: dict[str, int] = PHONE) -> Page:
        context = chromium.new_context(base_url=platform.base_url, locale=locale, viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def sign_in(page: Page, staff_no: str, password: str = agency.PASSWORD, then: str = "/") -> None:
    page.goto(f"/signin?next={then}")
    page.fill("#f-staff_no", staff_no)
    page.fill("#f-password", password)
    page.click("form.card button.primary")
    page.wait_for_url(f"**{then}")


def shot(page: Page, name: str) -> Path:
    """A full-page screenshot, named for what it shows."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
