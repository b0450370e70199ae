import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# The desk's fixtures, for the desk's browser tests.
from tests.desk.conftest import (  # noqa: F401
    bpi,
    desk,
    expert_b,
    fallback,
    manager_b,
    subjects,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "test-screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    yield page
    # Let the page finish loading (static files, icons) before the test's database is torn
    # down: a request still running in the live server's thread would then fail.
    page.wait_for_load_state("networkidle")
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"Screenshot saved: {path}")
    context.close()
