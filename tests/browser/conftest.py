"""Browser-test fixtures: one Streamlit server per session, one Chromium, a fresh context per test.

pytest-playwright is disabled in pytest.ini (`-p no:playwright`), so `browser` and `page` here are ours.
Servers and waiting helpers come from testkit (shared with bench/).
"""
from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from testkit import server
from testkit.browser import chromium_path, wait_idle
from testkit.server import REPO_ROOT, log_tail

CHROMIUM = chromium_path()
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
# expect(...) waits up to 30 s, as a page's actions do (new_page): Streamlit paints widgets from lazily loaded
# chunks after the run ends, which takes far longer than expect's default 5 s on a loaded machine or next to a
# second test worker. A passing check returns as soon as its element is there.
EXPECT_TIMEOUT_MS = 30_000

def in_ci() -> bool:
    """True when the CI variable is set to anything but an empty/false value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    """Fail in CI (a missing browser must not pass as green), skip on a developer machine."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ carries the `browser` marker."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, and attach the server log tail to failures."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
    log = getattr(item, "_streamlit_log", None) or getattr(item.config, "_streamlit_log", None)
    if rep.failed and log is not None and Path(log).exists():
        rep.sections.append(("streamlit server log (tail)", log_tail(Path(log))))


@contextmanager
def streamlit_server(log_path: Path, script: str = "app.py", env: dict | None = None):
    """testkit's server as a pytest helper: a server that dies or never answers fails the test with its log."""
    if not (REPO_ROOT / script).exists():
        _missing(f"{script} does not exist yet")
    try:
        with server.streamlit_server(log_path, script, env) as (url, _proc):
            yield url
    except server.ServerFailed as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def app_url(request, tmp_path_factory, browser):
    """Base URL of one app server for the session, warmed up by one visit to "/".

    Streamlit 1.67 only switches from the legacy `pages/` discovery to app.py's st.navigation after
    some session has run app.py; the warm-up puts the server in that steady state so test order
    does not matter. tests/browser/test_pages_load.py checks the cold state on its own server.
    """
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    request.config._streamlit_log = log_path
    with streamlit_server(log_path) as url:
        context = browser.new_context(viewport=VIEWPORT, locale="en-US")
        try:
            page = context.new_page()
            page.goto(url)
            wait_idle(page)
        finally:
            context.close()
        yield url


@pytest.fixture
def cold_app_url(request, tmp_path):
    """Base URL of a freshly started server that no browser has visited yet (one per test)."""
    log_path = tmp_path / "cold-server.log"
    request.node._streamlit_log = log_path
    with streamlit_server(log_path) as url:
        yield url


@pytest.fixture
def serve(request, tmp_path):
    """Factory: start(script) runs another Streamlit script from the repo root; returns (url, log path)."""
    with ExitStack() as stack:

        def start(script: Path):
            log_path = tmp_path / f"{Path(script).stem}.log"
            request.node._streamlit_log = log_path
            return stack.enter_context(streamlit_server(log_path, str(script))), log_path

        yield start


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (per test worker)."""
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium chromium-headless-shell)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -r requirements-dev.txt)")
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, request, tmp_path_factory):
    """Factory: a page in a fresh context with the given locale; screenshots it if the test fails."""
    contexts = []

    def make(locale: str = "en-US"):
        context = browser.new_context(viewport=VIEWPORT, locale=locale)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    failed = getattr(request.node, "rep_call", None)
    for i, context in enumerate(contexts):
        if failed is not None and failed.failed and context.pages:
            shot = tmp_path_factory.mktemp("shots") / f"{request.node.name}-{i}.png"
            context.pages[0].screenshot(path=str(shot), full_page=True)
            print(f"screenshot of the failed test: {shot}")
        context.close()


@pytest.fixture
def page(new_page):
    """A fresh en-US page (viewport 1400×900) for one test."""
    return new_page("en-US")
