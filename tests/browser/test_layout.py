"""Every page at a projector's, a tablet's and a phone's size: nothing cut off, no sideways scroll, and projector
mode really enlarges charts, tables and formulas.

One browser page per (size, language) is reused for all app pages, so the module stays at about 30 page loads.
"""
from __future__ import annotations

import pytest

from testkit.browser import wait_idle
from testkit.layout import clipped

pytestmark = pytest.mark.browser

# The Image lab is the default page: its address is "/" ("/image_lab" answers "Page not found", then shows it).
PAGES = ("", "conv_steps", "layer_lab", "training", "class_board")
SIZES = {"proj": (1280, 720, "?projector=1"), "tab": (1024, 768, ""), "phone": (390, 844, "")}
VIEWPORTS = {**SIZES, "plain": (1280, 720, "")}  # plain: the projector's size without projector mode
CASES = [(size, "en") for size in SIZES] + [("proj", "zh")]  # zh at the size with the least room per letter
LOCALES = {"en": "en-US", "zh": "zh-CN"}


@pytest.fixture(scope="module")
def sized(browser):
    """Factory: the one page of a (size, language), made on first use and closed with the module."""
    pages, contexts = {}, []

    def get(size: str, lang: str):
        if (size, lang) not in pages:
            w, h, _ = VIEWPORTS[size]
            context = browser.new_context(viewport={"width": w, "height": h}, locale=LOCALES[lang])
            context.set_default_timeout(30_000)
            contexts.append(context)
            pages[size, lang] = context.new_page()
        return pages[size, lang]

    yield get
    for context in contexts:
        context.close()


LAYOUT_CSS = "[data-testid='stHtml'] style"  # theme.apply's block, drawn with the sidebar


def settle(page) -> None:
    """Wait until the app has stayed idle: pages may rerun right after loading, and lazy widgets paint late."""
    page.locator(LAYOUT_CSS).first.wait_for(state="attached")
    wait_idle(page)


def visit(page, app_url: str, name: str, query: str = "") -> None:
    """Open one app page and wait until it has settled."""
    page.goto(f"{app_url}/{name}{query}")
    settle(page)


def assert_uncut(page, where: str) -> None:
    """No text of the main area cut off, and no sideways scroll."""
    found = clipped(page)
    assert found["truncated"] == [], f"cut-off texts on {where}: {found['truncated']}"
    assert found["sideways"] == 0, f"{where} scrolls {found['sideways']} px sideways"


@pytest.mark.parametrize("name", PAGES, ids=lambda n: n or "image_lab")
@pytest.mark.parametrize(("size", "lang"), CASES, ids=[f"{s}-{lang}" for s, lang in CASES])
def test_nothing_cut_off_and_no_sideways_scroll(sized, app_url, size, lang, name):
    page = sized(size, lang)
    visit(page, app_url, name, SIZES[size][2])
    assert page.locator("[role='dialog']").count() == 0, f"/{name} opens a dialog (page not found?)"
    assert_uncut(page, f"/{name} at {size} ({lang})")


TICK_FONT = """() => { const t = document.querySelector('[data-testid="stMain"] .js-plotly-plot .xtick text');
  return t ? parseFloat(getComputedStyle(t).fontSize) : 0; }"""
COMPUTED_FONT = """(sel) => { const e = document.querySelector(sel);
  return e ? parseFloat(getComputedStyle(e).fontSize) : 0; }"""
TABLE_CELL = "[data-testid='stMain'] [data-testid='stMarkdownContainer'] table td"
FORMULA = "[data-testid='stMain'] .katex-display .katex"


def _chart_font(page) -> float:
    """The x-tick font size of the first plotly chart on the page (plotly draws lazily: wait for it)."""
    page.locator("[data-testid='stMain'] .js-plotly-plot .xtick text").first.wait_for()
    return page.evaluate(TICK_FONT)


def _sizes(page, app_url: str, query: str) -> dict[str, float]:
    """Chart tick, table cell and formula font sizes (px) of the Image lab and the Layer lab."""
    visit(page, app_url, "", query)  # the Image lab
    chart = _chart_font(page)
    visit(page, app_url, "layer_lab", query)
    page.locator(TABLE_CELL).first.wait_for()
    page.locator(FORMULA).first.wait_for()
    return {"chart": chart, "table": page.evaluate(COMPUTED_FONT, TABLE_CELL),
            "formula": page.evaluate(COMPUTED_FONT, FORMULA)}


def test_projector_mode_enlarges_charts_tables_and_formulas(sized, app_url):
    page = sized("plain", "en")  # 1280×720 like the projector case, without projector mode
    plain = _sizes(page, app_url, "")
    big = _sizes(sized("proj", "en"), app_url, SIZES["proj"][2])
    for what in ("chart", "table", "formula"):
        assert plain[what] > 0, f"no {what} found on the page"
        assert big[what] >= 1.2 * plain[what], f"projector mode does not enlarge the {what}: {plain} -> {big}"


BUTTONS = ".st-key-b-layers-{action}-0 button:visible"
ACTIONS = ("up", "down", "copy", "remove")


def _button_boxes(page) -> list[dict]:
    """Layer 1's move / copy / delete buttons and the icons inside them: page boxes."""
    boxes = []
    for action in ACTIONS:
        button = page.locator(BUTTONS.format(action=action)).first  # (the tooltip wrapper repeats the key)
        button.wait_for()
        icon = button.locator("[role='img']")  # a :material/...: label is drawn as an icon font glyph
        boxes.append({"button": button.bounding_box(), "icon": icon.bounding_box() if icon.count() else None})
    return boxes


SIDEBAR = "[data-testid='stSidebar']"
TILES = "[data-testid='stMain'] [data-testid='stImage'] img"


def assert_one_row_of_icons(page, size: str) -> None:
    """Layer 1's buttons share one row, and each shows its whole icon."""
    boxes = _button_boxes(page)
    tops = {round(b["button"]["y"]) for b in boxes}
    assert len(tops) == 1, f"the layer's buttons are on {len(tops)} rows at {size}"
    for b in boxes:
        icon, button = b["icon"], b["button"]
        assert icon is not None and icon["width"] >= 12, f"a layer button shows no icon at {size}: {b}"
        assert button["x"] <= icon["x"] and icon["x"] + icon["width"] <= button["x"] + button["width"] + 1


def test_phone_layer_buttons_in_one_row(sized, app_url):
    page = sized("phone", "en")
    visit(page, app_url, "layer_lab")
    assert_one_row_of_icons(page, "phone")


def test_tablet_layer_lab_sidebar_buttons_and_tiles(sized, app_url):
    page = sized("tab", "en")
    visit(page, app_url, "layer_lab")
    assert_one_row_of_icons(page, "tab")
    sidebar = page.locator(SIDEBAR).bounding_box()
    assert sidebar["width"] <= 0.25 * 1024, f"the sidebar takes {sidebar['width']:.0f} px of 1024"
    layer1 = page.locator(TILES).nth(2)  # the stage's input picture, the lab's input; layer 1 has 16 maps, 8 to a row
    layer1.wait_for()
    assert layer1.bounding_box()["width"] / 8 > 60, "feature-map tiles are too small on a tablet"


STEP_DIGIT = """() => { const s = document.querySelector("[data-grid='input0'] svg");
  return parseFloat(s.getAttribute('font-size')) *
  s.getBoundingClientRect().width / s.viewBox.baseVal.width; }"""


def _twelve_by_twelve_rgb(page) -> None:
    """Switch the step-through to three channels and the largest input (12×12)."""
    from playground.i18n import t

    page.get_by_text(t("steps.multi", "en")).click()
    wait_idle(page)
    slider = page.get_by_role("slider", name=t("steps.size", "en"))
    slider.focus()
    slider.press("End")
    wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll(\"[data-grid='input2'] rect[data-r]\").length === 144")
    settle(page)


def test_step_through_digits_readable_on_12_by_12_rgb(sized, app_url):
    """At least 16 px (svg.MIN_FONT) × 1.4 in projector mode: the three-channel grids wrap rather than shrink."""
    page = sized("proj", "en")
    visit(page, app_url, "conv_steps", SIZES["proj"][2])
    _twelve_by_twelve_rgb(page)
    shown = page.evaluate(STEP_DIGIT)
    assert shown >= 22, f"12×12 RGB input digits are {shown:.1f} px in projector mode"
    assert_uncut(page, "the 12×12 RGB step-through at proj")
