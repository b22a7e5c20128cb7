"""The Layer lab's stage on a projector, a tablet and a phone: the kernel-size slider and a map it changes are on the
first screen together, a key press on the slider repaints that map (from the pictures sent ahead, before the
server's run), two quick presses both count, and the stated shape is torch's."""
from __future__ import annotations

import pytest
import torch
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

SIZES = {"proj-en": (1280, 720, "?projector=1", "en"), "proj-zh": (1280, 720, "?projector=1", "zh"),
         "tab-en": (1024, 768, "", "en"), "phone-en": (390, 844, "", "en")}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
SLIDER = ".st-key-stage-w-net-layers-0-kernel"
OUTPUT = ".st-key-stage-out-stage figure.pg-stage-maps img"
FIGURE = ".st-key-stage-out-stage figure.pg-stage-maps"
# Logs each picture the stage's figure shows (data-shows) with the values the last run drew then (data-drawn).
WATCH_FIGURE = """(sel) => { window.__shown = []; const f = document.querySelector(sel);
  new MutationObserver(() => window.__shown.push([f.dataset.shows, f.dataset.drawn]))
    .observe(f, { attributes: true, attributeFilter: ['data-shows'] }); }"""
SHAPE = ".st-key-stage-shape-stage [data-testid='stMarkdownContainer'] p"

IN_VIEW = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
          vw: window.innerWidth, vh: window.innerHeight}; }"""


@pytest.fixture
def sized(browser):
    """Factory: a page of one (width, height, language)."""
    contexts = []

    def make(w: int, h: int, lang: str):
        context = browser.new_context(viewport={"width": w, "height": h}, locale=LOCALES[lang])
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def loaded(page) -> None:
    """Wait until the stage's output picture has loaded and the app has stayed idle."""
    page.wait_for_function("(sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth > 0; }",
                           arg=OUTPUT, timeout=120_000)
    wait_idle(page)


# True once the figure holds the neighbours sent ahead for the picture it shows: the hidden element that carries
# them mounts after the maps (lazily, like the maps), and a key press before that dims the picture instead.
# Their keys, or false while they are not in.
AHEAD_IN = """(sel) => { const f = document.querySelector(sel), d = f && f.__pgData;
  const ahead = d && (window.__pgStageAhead || {})[d.box];
  const keys = ahead && ahead.anchor === d.pictures[d.now].id ? Object.keys(ahead.pictures) : [];
  return keys.length > 0 && keys; }"""


def ahead_in(page) -> list[str]:
    """Wait until the pictures sent ahead for the maps on show have reached the browser; their keys."""
    return page.wait_for_function(AHEAD_IN, arg=FIGURE, timeout=60_000).json_value()


def drawn_by_run(page, k: int) -> None:
    """Wait until a server run has drawn the stage with kernel size k (the figure's data-drawn), then stays idle."""
    page.wait_for_function("([sel, k]) => (document.querySelector(sel).dataset.drawn || '').split(',')[0] === k",
                           arg=[FIGURE, str(k)], timeout=60_000)
    wait_idle(page)


def assert_on_first_screen(page, sel: str, what: str, min_width: float = 0) -> None:
    box = page.evaluate(IN_VIEW, sel)
    assert box["top"] >= 0 and box["bottom"] <= box["vh"], f"{what} is not fully on the first screen: {box}"
    assert box["left"] >= 0 and box["right"] <= box["vw"], f"{what} is cut off sideways: {box}"
    assert box["width"] >= min_width, f"{what} is {box['width']:.0f} px wide (wanted ≥ {min_width})"


def shapes(page, lang: str) -> tuple[str, str]:
    """The stage's shape line as (input shape, output shape)."""
    text = page.locator(SHAPE).inner_text()
    head = t("stage.shape", lang, before="", after="").split("→")[0].strip()
    before, after = text.replace(head, "").split("→")
    return before.strip(), after.strip()


def torch_conv_shape(in_shape: str, out_channels: int, k: int) -> str:
    """Layer 1 of the default stack (Conv2d, stride 1, padding 1) as torch computes it."""
    c, h, w = (int(v) for v in in_shape.split("×"))
    out = torch.nn.Conv2d(c, out_channels, k, padding=1)(torch.zeros(1, c, h, w)).shape[1:]
    return "×".join(str(v) for v in out)


@pytest.mark.parametrize("size", SIZES)
def test_slider_and_map_share_the_first_screen_and_a_key_repaints(sized, app_url, size):
    w, h, query, lang = SIZES[size]
    page = sized(w, h, lang)
    page.goto(f"{app_url}/layer_lab{query}")
    loaded(page)
    assert_on_first_screen(page, SLIDER, "the kernel-size slider")
    assert_on_first_screen(page, OUTPUT, "the output maps", min_width=200)  # two maps across: each ≥ 100 px
    assert page.locator(f"{SLIDER} [data-testid='stWidgetLabel']").inner_text() == t("layers.editor.kernel", lang)
    src = page.locator(OUTPUT).get_attribute("src")
    thumb = page.locator(f"{SLIDER} input[type='range']")
    k = int(thumb.input_value())
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([sel, old]) => { const i = document.querySelector(sel);"
                           " return i && i.getAttribute('src') !== old && i.complete && i.naturalWidth > 0; }",
                           arg=[OUTPUT, src], timeout=60_000)
    drawn_by_run(page, k + 1)  # the picture may be painted before the run: the shape line comes with the run
    assert int(thumb.input_value()) == k + 1
    in_shape, out_shape = shapes(page, lang)
    assert out_shape == torch_conv_shape(in_shape, 16, k + 1)
    assert_on_first_screen(page, OUTPUT, "the output maps after the key press", min_width=200)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_key_press_paints_the_map_sent_ahead_and_two_quick_presses_both_count(sized, app_url, lang):
    page = sized(1280, 720, lang)
    page.goto(f"{app_url}/layer_lab?projector=1")
    loaded(page)
    near = ahead_in(page)
    page.evaluate(WATCH_FIGURE, FIGURE)
    thumb = page.locator(f"{SLIDER} input[type='range']")
    k = int(thumb.input_value())
    sent = page.locator(FIGURE).get_attribute("data-drawn")
    # A busy server sends the kernel a step down first and may stop there (stage.AHEAD_BUDGET_S): press towards
    # a kernel size that went ahead.
    rest = sent.split(",")[1:]
    step = 1 if ",".join([str(k + 1), *rest]) in near else -1
    assert ",".join([str(k + step), *rest]) in near, near
    key = "ArrowRight" if step == 1 else "ArrowLeft"
    thumb.focus()
    page.keyboard.press(key)
    page.wait_for_function("() => window.__shown.some(([shows]) => shows !== '')")
    shows, drawn = page.evaluate("() => window.__shown.find(([shows]) => shows !== '')")  # a moment dimmed is fine
    assert shows.split(",")[0] == str(k + step) and drawn == sent  # painted before the run of k ± 1 came back
    page.keyboard.press(key)  # at once: the browser may not have the editor twin's new value yet
    drawn_by_run(page, k + 2 * step)
    page.wait_for_function("(sel) => document.querySelector(sel).dataset.shows !== ''", arg=FIGURE)
    assert int(thumb.input_value()) == k + 2 * step
    assert page.locator(FIGURE).get_attribute("data-shows").split(",")[0] == str(k + 2 * step)
    in_shape, out_shape = shapes(page, lang)
    assert out_shape == torch_conv_shape(in_shape, 16, k + 2 * step)
    _, h, w = out_shape.split("×")  # the alt of the picture on show names its maps' size: k ± 2's
    said = t("a11y.layer_maps", lang, i=1, name="Conv2d", count=4, h=h, w=w, k="§", where="").split("§")[0]
    assert page.locator(OUTPUT).get_attribute("alt").startswith(said)


def test_after_moving_to_another_layer_a_key_press_paints_that_layers_maps(sized, app_url):
    """Each run's data replaces the last: after Next, the maps painted on a key press are the new layer's (an
    observer left over from layer 1 would paint layer 1's)."""
    page = sized(1280, 720, "en")
    page.goto(f"{app_url}/layer_lab?projector=1")
    loaded(page)
    for i in (2, 3):  # layer 3: max pooling 2×2, stride 2
        page.get_by_role("button", name=t("stage.next", "en")).click()
        expect(page.locator(".st-key-stage-title-stage")).to_contain_text(
            t("stage.layer", "en", i=i, n=6, name="§").split("§")[0])
        wait_idle(page)
    ahead_in(page)
    page.evaluate(WATCH_FIGURE, FIGURE)
    thumb = page.locator(".st-key-stage-w-net-layers-2-kernel input[type='range']")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.__shown.some(([shows]) => shows !== '')")
    drawn_by_run(page, 3)
    shown = [shows for shows, _ in page.evaluate("() => window.__shown") if shows]
    assert shown and set(shown) == {"3,2,0"}  # kernel 3, stride 2, padding 0: nothing of layer 1 in between
    assert page.locator(FIGURE).get_attribute("data-shows") == "3,2,0"
    assert page.locator(OUTPUT).get_attribute("alt").startswith(t("a11y.layer_maps", "en", i=3, name="MaxPool2d",
                                                                  count=4, h="§", w="", k="", where="").split("§")[0])
