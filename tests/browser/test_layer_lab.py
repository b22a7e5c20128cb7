"""The Layer lab in a real browser: moving the kernel-size slider changes the feature-map picture and the table."""
from __future__ import annotations

import pytest

from playground.i18n import t
from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

IMAGES = "[data-testid='stMain'] [data-testid='stImage'] img"


def open_page(page, app_url) -> None:
    """Load the page and wait until the first layer's picture is there."""
    page.goto(f"{app_url}/layer_lab")
    wait_idle(page)
    page.locator(IMAGES).nth(FIRST_LAYER).wait_for()
    wait_idle(page)


FIRST_LAYER = 2  # the stage's input picture comes first (its output maps are no st.image), the lab's input, layer 1


def kernel_slider(page, layer: int = 0):
    """The thumb of the kernel-size slider of one layer in the editor (the stage above has its own)."""
    return page.locator(f".st-key-w-net-layers-{layer}-kernel input[type='range']")


def layer_picture(page) -> tuple[str, bytes]:
    """Layer 1's tiled picture in the lab: its media URL and a screenshot of it."""
    img = page.locator(IMAGES).nth(FIRST_LAYER)
    return img.get_attribute("src"), img.screenshot()


def test_kernel_slider_changes_the_feature_map_picture(page, app_url):
    open_page(page, app_url)
    src_before, shot_before = layer_picture(page)
    assert page.get_by_text("16×171×256").count() >= 1
    thumb = kernel_slider(page)
    assert thumb.input_value() == "3"
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 3 -> 5, as a drag would
    wait_idle(page)
    page.wait_for_function("([sel, i, old]) => document.querySelectorAll(sel)[i].getAttribute('src') !== old",
                           arg=[IMAGES, FIRST_LAYER, src_before], timeout=30_000)
    wait_idle(page)
    assert kernel_slider(page).input_value() == "5"
    src_after, shot_after = layer_picture(page)
    assert src_after != src_before and shot_after != shot_before
    # the shape table followed: the parameters grow to 16·3·5·5 + 16
    assert page.get_by_text("1216", exact=True).count() >= 1


def test_invalid_pool_padding_shows_the_message_and_keeps_the_picture(page, app_url):
    open_page(page, app_url)
    src_before, _ = layer_picture(page)
    # open layer 3's editor (.first: a stretched button with help has a hidden twin that measures its width)
    page.locator(".st-key-b-layers-edit-2 button").first.click()
    wait_idle(page)
    box = page.locator(".st-key-w-net-layers-2-padding")  # the editor's (the stage shows layer 1)
    box.locator("input[type='range']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # layer 3 max pool: padding 2 > kernel 2 / 2
    wait_idle(page)
    alert = page.locator("[data-testid='stAlert']").filter(has_text="Layer 3 MaxPool2d")
    alert.first.wait_for(timeout=30_000)
    wait_idle(page)
    assert alert.count() == 2  # on top, and in layer 3's own row next to its slider
    row_alert, slider = alert.nth(1).bounding_box(), box.bounding_box()
    assert abs(row_alert["y"] - slider["y"]) < 600, (row_alert, slider)  # near the control, not 2,000 px away
    assert layer_picture(page)[0] == src_before
    marked = page.locator("[data-testid='stAlert']").filter(has_text=t("layers.maps.stale", "en", i=3))
    assert marked.count() == 1
