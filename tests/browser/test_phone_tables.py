"""Browser, 390×844 phone, en and zh: the Layer lab's shape table and the Image lab's statistics table take a phone
form (each row a block of "column: value" lines) and nothing in them scrolls sideways; at 1024×768 they stay tables."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from playground.i18n import t
from testkit.browser import wait_idle

pytestmark = pytest.mark.browser

TABLES = {"layers": ("/layer_lab", "layers.table.output"), "stats": ("/", "image.mean")}
LOCALES = {"en": "en-US", "zh": "zh-CN"}
# Every element from the table up to the main area: how much wider its content is than its box (0: no sideways scroll).
MEASURE = """(sel) => {
  const table = document.querySelector(sel + ' table');
  const out = {right: table.getBoundingClientRect().right, vw: window.innerWidth, overflow: 0,
               display: getComputedStyle(table.querySelector('td')).display, labels: []};
  for (let el = table; el && el.getAttribute('data-testid') !== 'stMain'; el = el.parentElement)
    out.overflow = Math.max(out.overflow, el.scrollWidth - el.clientWidth);
  out.labels = [...table.querySelector('tbody tr').children].map(td => getComputedStyle(td, '::before').content);
  return out; }"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", TABLES)
def test_tables_take_a_phone_form_with_column_names(browser, app_url, name, lang):
    path, column = TABLES[name]
    sel = f".st-key-ptable-{name}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=LOCALES[lang])
    try:
        page = context.new_page()
        page.goto(app_url + path)
        wait_idle(page)
        expect(page.locator(f"{sel} table")).to_be_attached(timeout=60_000)
        page.wait_for_function(  # the style element may be painted a moment after the table
            "(sel) => getComputedStyle(document.querySelector(sel + ' td')).display === 'block'", arg=sel, timeout=30_000)
        shown = page.evaluate(MEASURE, sel)
        assert shown["display"] == "block", shown
        assert shown["overflow"] <= 1 and shown["right"] <= shown["vw"], f"the {name} table scrolls sideways: {shown}"
        assert f'"{t(column, lang)}: "' in shown["labels"], shown["labels"]  # each value after its column's name
        page.set_viewport_size({"width": 1024, "height": 768})
        expect(page.locator(f"{sel} thead")).to_be_visible()  # a tablet keeps the table
    finally:
        context.close()
