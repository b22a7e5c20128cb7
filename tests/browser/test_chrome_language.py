"""Browser, zh at 1024×768: Streamlit's own widget texts do not show English (or a missing glyph) in the Chinese page.

The uploader's "Upload" and "20MB per file", the multiselect's "Choose options" and "Select all", the
step-through's pause button, whose "⏸" rendered as an empty box in CJK fonts, the camera's button and messages,
the select boxes' "Open" button name and Streamlit's "Page not found" dialog.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

ENGLISH = ("Upload", "20MB", "per file", "Choose options", "Select all", "Drag and drop", "⏸")
TEXT = """() => document.body.innerText + ' ' +
  [...document.querySelectorAll('input[placeholder], textarea[placeholder]')].map(e => e.placeholder).join(' ')"""


def english_in(page) -> list[str]:
    text = page.evaluate(TEXT)
    return [word for word in ENGLISH if word in text]


@pytest.fixture
def zh_tablet(browser):
    """A page of a Chinese browser on a 1024×768 tablet."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    yield context.new_page()
    context.close()


def test_streamlit_widgets_speak_chinese(zh_tablet, app_url):
    page = zh_tablet
    page.goto(f"{app_url}/?image.source=upload")
    wait_idle(page)
    button = page.locator("[data-testid='stFileUploaderDropzone'] button").first
    expect(button.locator("p")).to_have_text(t("polish.chrome.upload", "zh"))  # beside the icon's ligature
    page.get_by_text(t("classroom.share_title", "zh")).click()  # the teacher panel with its multiselect
    picker = page.locator("[data-testid='stMultiSelect']").first
    expect(picker.locator("input")).to_have_attribute("placeholder", t("polish.chrome.choose", "zh"))
    picker.locator("input").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    assert english_in(page) == [], "English in the zh Image lab and sidebar"
    page.keyboard.press("Escape")
    page.goto(f"{app_url}/conv_steps")
    wait_idle(page)
    page.get_by_role("button", name=t("steps.play", "zh")).click()
    pause = page.get_by_role("button", name=t("steps.pause", "zh"))
    expect(pause).to_be_visible()
    assert english_in(page) == [], "English or a missing glyph in the zh step-through while it plays"
    pause.click()


CAMERA_ENGLISH = ("Take Photo", "Clear photo", "This app would like", "Learn how to allow")


def test_camera_pickers_and_page_not_found_speak_chinese(zh_tablet, app_url):
    page = zh_tablet
    page.goto(f"{app_url}/?image.source=camera")
    wait_idle(page)
    camera = page.locator("[data-testid='stCameraInput']").first
    expect(camera.locator("[data-testid='stCameraInputButton']")).to_have_text(t("polish.chrome.take_photo", "zh"))
    text = camera.inner_text()
    assert not [w for w in CAMERA_ENGLISH if w in text], text
    pickers = page.locator("[data-testid='stSelectbox'] [aria-label], [data-testid='stMultiSelect'] [aria-label]")
    expect(pickers.first).to_be_attached()
    labels = pickers.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert t("polish.chrome.open", "zh") in labels and "Open" not in labels, labels
    page.goto(f"{app_url}/no_such_lab")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(t("polish.chrome.not_found", "zh"))
    text = dialog.inner_text()
    assert t("polish.chrome.not_found_any", "zh") in text or t("polish.chrome.not_found_page", "zh",
                                                                page="/no_such_lab") in text, text
    assert "Page not found" not in text and "Running the app" not in text
    expect(dialog.get_by_role("button", name=t("polish.chrome.close", "zh"))).to_be_visible()
