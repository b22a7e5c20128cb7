"""The classroom settings of .streamlit/config.toml take effect in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect

from testkit.browser import wait_idle
from testkit.wait import wait_for_log

SECRET = "secret-detail-4711"
SCRIPT = f"""
import streamlit as st
st.file_uploader("Upload", key="up")
if st.button("Boom"):
    raise ZeroDivisionError("{SECRET}")
"""


def test_errors_are_redacted_in_the_browser_but_logged_on_the_server(serve, page, tmp_path):
    script = tmp_path / "boom.py"
    script.write_text(SCRIPT, encoding="utf-8")
    url, log_path = serve(script)
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


def test_upload_limit_and_viewer_toolbar(serve, page, tmp_path):
    script = tmp_path / "upload.py"
    script.write_text(SCRIPT, encoding="utf-8")
    url, _ = serve(script)
    page.goto(url)
    wait_idle(page)
    expect(page.locator("[data-testid='stFileUploader']")).to_contain_text("20MB per file")
    page.locator("[data-testid='stMainMenu']").click()
    menu = page.locator("[data-testid='stMainMenuPopover']")
    expect(menu).to_be_visible()
    assert "Clear cache" not in menu.inner_text()
