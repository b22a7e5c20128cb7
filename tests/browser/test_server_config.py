"""The classroom settings of .streamlit/config.toml take effect in a real browser."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from testkit import server
from testkit.browser import wait_idle
from testkit.wait import wait_for_log

SECRET = "secret-detail-4711"
SCRIPT = f"""
import streamlit as st
st.file_uploader("Upload", key="up")
if st.button("Boom"):
    raise ZeroDivisionError("{SECRET}")
"""


@pytest.fixture(scope="module")
def boom(tmp_path_factory):
    """One server of SCRIPT for the module (neither test changes it): (url, log path)."""
    folder = tmp_path_factory.mktemp("boom")
    (folder / "boom.py").write_text(SCRIPT, encoding="utf-8")
    try:
        with server.streamlit_server(folder / "boom.log", str(folder / "boom.py")) as (url, _proc):
            yield url, folder / "boom.log"
    except server.ServerFailed as exc:
        pytest.fail(str(exc), pytrace=False)


def test_errors_are_redacted_in_the_browser_but_logged_on_the_server(boom, page, request):
    url, log_path = boom
    request.node._streamlit_log = log_path
    page.goto(url)
    wait_idle(page)
    page.get_by_role("button", name="Boom").click()
    box = page.locator("[data-testid='stException']")
    expect(box).to_be_visible()
    shown = box.inner_text()
    assert SECRET not in shown and "ZeroDivisionError" not in shown and "Traceback" not in shown, shown
    # client.showErrorLinks = false: no "Ask Google" / "Ask ChatGPT" links, even on localhost.
    assert box.locator("a").count() == 0 and "Google" not in shown and "ChatGPT" not in shown, shown
    wait_for_log(log_path, f"ZeroDivisionError: {SECRET}")
    assert "Traceback (most recent call last)" in log_path.read_text(errors="replace")


def test_upload_limit_and_viewer_toolbar(boom, page, request):
    url, request.node._streamlit_log = boom
    page.goto(url)
    wait_idle(page)
    expect(page.locator("[data-testid='stFileUploader']")).to_contain_text("20MB per file")
    page.locator("[data-testid='stMainMenu']").click()
    menu = page.locator("[data-testid='stMainMenuPopover']")
    expect(menu).to_be_visible()
    assert "Clear cache" not in menu.inner_text()
