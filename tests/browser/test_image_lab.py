"""The Image lab in a real browser: upload through the file input, rotate, pick a sample, change normalization."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

MAIN_IMAGES = "[data-testid='stMain'] [data-testid='stImage'] img"
SUCCESS = "[data-testid='stMain'] [data-testid='stAlertContentSuccess']"


def _png(h: int, w: int) -> bytes:
    rows, cols = np.mgrid[:h, :w]
    rgb = np.stack([cols * 255 // w, rows * 255 // h, np.full_like(rows, 60)], axis=2).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG")
    return buf.getvalue()


def _src(page, index: int) -> str:
    return page.locator(MAIN_IMAGES).nth(index).get_attribute("src")


def _after_change(page, index: int, old_src: str) -> None:
    """Wait for the rerun and for image number `index` to be a new picture."""
    wait_idle(page)
    page.wait_for_function("([sel, i, old]) => { const im = document.querySelectorAll(sel)[i];"
                           " return im && im.getAttribute('src') !== old; }",
                           arg=[MAIN_IMAGES, index, old_src], timeout=30_000)
    wait_idle(page)


def _ticks(chart) -> list[str]:
    """The x-axis tick labels of a plotly chart (SVG text, so textContent rather than innerText)."""
    return chart.locator(".xaxislayer-above text").evaluate_all("els => els.map(e => e.textContent)")


def _radio(page, label_key: str):
    return page.locator("[data-testid='stMain'] label[data-testid='stRadioOption']").filter(has_text=t(label_key, "en"))


def test_upload_through_the_file_input_then_rotate(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    _radio(page, "image.sources.upload").click()
    wait_idle(page)
    expect(page.get_by_text(t("image.empty_slot", "en"))).to_be_visible()
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "ramp.png", "mimeType": "image/png", "buffer": _png(60, 90)}])
    expect(page.locator(SUCCESS)).to_contain_text("(1, 3, 60, 90)", timeout=30_000)
    wait_idle(page)
    before = _src(page, 2)  # 0 working image, 1 "before", 2 "after flip / rotate"
    thumb = page.locator("[data-testid='stSlider']").filter(has_text=t("image.angle", "en")).locator("input[type='range']")
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    _after_change(page, 2, before)
    assert thumb.input_value() == "5"
    assert "augment.angle=5" in page.url  # the address bar is a share link


def test_refused_upload_shows_a_message_in_the_page(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    _radio(page, "image.sources.upload").click()
    wait_idle(page)
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": "<b>notes</b>.png", "mimeType": "image/png", "buffer": b"not an image at all"}])
    error = page.locator("[data-testid='stMain'] [data-testid='stAlertContentError']")
    expect(error).to_be_visible(timeout=30_000)
    assert "Traceback" not in error.inner_text()
    assert page.locator("[data-testid='stMain'] b", has_text="notes").count() == 0  # the name is never HTML


def test_pick_a_sample_changes_the_working_image(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    before = _src(page, 0)
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=t("image.sample", "en"))
    box.click()
    page.get_by_role("option", name=t("samples.checkerboard", "en")).click()
    _after_change(page, 0, before)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(t("samples.checkerboard", "en"))
    expect(page.locator(SUCCESS)).to_contain_text("(1, 3, 256, 256)")


def test_normalization_changes_the_histogram(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    chart = page.locator(".st-key-hist_after [data-testid='stPlotlyChart']")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".xaxislayer-above text").first).to_be_attached()
    ticks_before = _ticks(chart)
    _radio(page, "image.methods.minmax11").click()
    wait_idle(page)
    page.wait_for_function("(old) => { const el = document.querySelector(\".st-key-hist_after [data-testid='stPlotlyChart']\");"
                           " return el && Array.from(el.querySelectorAll('.xaxislayer-above text')).map(e => e.textContent)"
                           ".join('|') !== old; }", arg="|".join(ticks_before), timeout=30_000)
    ticks_after = _ticks(chart)
    assert ticks_after != ticks_before
    assert any(tick.replace("−", "-") in ("-1", "-0.5") for tick in ticks_after)  # the "after" axis now spans [-1, 1]
