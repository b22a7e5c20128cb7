"""Every page in every look, through the real page: it loads in the browser's language and paints only catalogue
words, and axe-core (WCAG 2.0 / 2.1 / 2.2, A and AA) finds no critical or serious violation, in English and Chinese,
light and dark, in projector mode, with every expander open, after a training run and on a class board with an
entry; every picture in the main area says what it shows."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from test_pages_load import check_page, expect_app_sidebar

from playground.i18n import catalogue
from playground.labs import DEFAULT, LABS
from testkit.browser import wait_idle
from tests.test_page_texts import foreign_words

PAGES = tuple(lab.url_path for lab in LABS)
URL = {DEFAULT.url_path: ""}  # the default page lives at "/": its own path answers "Page not found"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SEVERE = ("critical", "serious")
# (locale, colour scheme, query): English light, Chinese dark, and both in projector mode at a projector's size.
LOOKS = {
    "en-light": ("en-US", "light", "", (1440, 900)),
    "zh-dark": ("zh-CN", "dark", "", (1440, 900)),
    "en-projector": ("en-US", "light", "?projector=1", (1280, 720)),
    "zh-projector-dark": ("zh-CN", "dark", "?projector=1", (1280, 720)),
}
LANG = {"en-US": "en", "zh-CN": "zh"}
CJK = re.compile(r"[\u4e00-\u9fff]")
BARE_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")
TINY = "train.size=8&train.epochs=2"


# Text nodes the app does not write: Streamlit's icon ligatures, code, charts, formulas, tables (checked by the
# AppTest in tests/test_page_texts.py), and Streamlit's own English chrome, which it does not translate.
VISIBLE_TEXT_JS = """() => {
  const skip = "[data-testid=stIconMaterial], [data-testid=stCode], [data-testid=stPlotlyChart], "
             + "[data-testid=stDataFrame], .katex, svg, style, script, a[href='#stMain'], "
             + "[data-testid=stFileUploaderDropzoneInstructions], [data-testid=stBaseButton-secondary] > span:empty";
  const out = [];
  const walker = document.createTreeWalker(document.querySelector("[data-testid=stApp]"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement, text = walker.currentNode.textContent.trim();
    const icon = el && getComputedStyle(el).fontFamily.includes("Material Symbols");  // ligature = icon name
    if (text && el && !icon && !el.closest(skip) && el.checkVisibility()) out.push(text);
  }
  return out;
}"""


def loads_in_its_language(page, lang: str, where: str) -> None:
    """The page loaded by its address (no exception, no "Page not found"): its h1, sidebar and tab title are in
    the browser's language, and everything the browser paints (sidebar included) is catalogue words, the rule
    tests/test_page_texts.py applies to the AppTest."""
    text = check_page(page, lang)
    if lang == "zh":
        assert CJK.search(text), f"{where}: h1 {text!r} has no Chinese characters"
    expect_app_sidebar(page, lang)
    titles = [catalogue(code)["app.title"] for code in ("en", "zh")]
    assert any(t in page.title() for t in titles), f"{where}: browser tab title {page.title()!r}"
    wait_idle(page)  # still idle after the checks: lazily painted widgets are in
    bad = {text: words for text in page.evaluate(VISIBLE_TEXT_JS) if (words := foreign_words(text, lang))}
    assert not bad, f"untranslated text painted on {where}: {bad}"


def severe_violations(page) -> list[str]:
    """One line per critical / serious axe violation on the page as it is now: rule, count, first targets."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    return [f"{v['id']} ×{len(v['nodes'])}: {[n['target'] for n in v['nodes'][:3]]} "
            f"{(v['nodes'][0].get('any') or v['nodes'][0].get('all') or [{}])[0].get('message', '')[:200]}"
            for v in results.response["violations"] if v["impact"] in SEVERE]


def bad_alts(page) -> list[str]:
    """The main area's pictures whose alt text is missing, empty or a bare number (Streamlit's list index)."""
    alts = page.locator("[data-testid='stMain'] img").evaluate_all("els => els.map(e => e.getAttribute('alt'))")
    return [repr(a) for a in alts if a is None or not a.strip() or BARE_NUMBER.match(a)]


def check(page, where: str) -> None:
    """No severe axe violation and no mute picture; the message names the page state."""
    page.wait_for_function("() => window.__playgroundScrollFocus === true && [...document.querySelectorAll('style')]"
                           ".some(s => s.textContent.includes('prefers-reduced-motion'))")  # the theme is in place
    # axe skips inert content: with a dialog open over the app ("Page not found") it would audit nothing at all.
    assert page.locator("#root[inert], [data-testid='stDialog']").count() == 0, f"{where}: a dialog covers the app"
    problems = severe_violations(page) + [f"picture with alt {a}" for a in bad_alts(page)]
    assert not problems, f"{where}:\n" + "\n".join(problems)


def open_expanders(page) -> int:
    """Open every closed, reachable expander of the main area (one at a time: each may rerun); returns how many.

    An expander inside an inactive tab is inert and hidden: the tab's own check covers it when it is shown.
    """
    closed = ("[data-testid='stMain'] [data-testid='stExpander'] details:not([open]) > summary"
              ":not([inert] *):visible")
    opened = 0
    while page.locator(closed).count() and opened < 30:
        page.locator(closed).first.click()
        wait_idle(page)
        opened += 1
    return opened


@pytest.fixture
def looked(browser):
    """Factory: a page in a fresh context with the given look (locale, colour scheme, size)."""
    contexts = []

    def make(look: str):
        locale, scheme, _query, (w, h) = LOOKS[look]
        context = browser.new_context(viewport={"width": w, "height": h}, locale=locale, color_scheme=scheme)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("look", LOOKS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_in_its_language_and_is_axe_clean_with_its_expanders_open(app_url, looked, name, look):
    """One load per page and look carries every check of a freshly loaded page."""
    page = looked(look)
    page.goto(f"{app_url}/{URL.get(name, name)}{LOOKS[look][2]}")
    wait_idle(page)
    loads_in_its_language(page, LANG[LOOKS[look][0]], f"{name} {look}")
    check(page, f"{name} {look}")
    if open_expanders(page):
        check(page, f"{name} {look}, expanders open")


def test_main_pictures_say_what_they_show(app_url, looked):
    """The Layer lab's feature maps name their layer, their count and size, and where the strongest one peaks."""
    en = catalogue("en")
    page = looked("en-light")
    page.goto(f"{app_url}/layer_lab")
    wait_idle(page)
    pictures = page.locator("[data-testid='stMain'] img")
    expect(pictures.first).to_be_visible()
    alts = pictures.evaluate_all("els => els.map(e => e.getAttribute('alt'))")
    places = [v for k, v in en.items() if k.startswith("a11y.where.")]
    maps = [a for a in alts if a and "feature maps of" in a]
    assert maps, f"no feature-map picture says what it shows: {alts}"
    for text in maps:
        assert re.search(r"Layer \d+ .+: \d+ feature maps of \d+×\d+", text), text
        assert any(p in text for p in places), f"{text!r} does not say where the strongest map peaks"
    assert not bad_alts(page)


@pytest.mark.slow  # long: runs first (tests/conftest.py)
def test_a_trained_run_and_a_board_with_an_entry_are_axe_clean(app_url, looked):
    """A student trains a tiny run and publishes it (Chinese); the teacher's board then shows it (English).

    The board is a new one on the shared server's database: only this test's entry is on it.
    """
    en, zh = catalogue("en"), catalogue("zh")
    teacher, student = looked("en-light"), looked("zh-dark")
    teacher.goto(f"{app_url}/class_board")
    wait_idle(teacher)
    teacher.get_by_role("button", name=en["board.page.create"]).click()
    teacher.wait_for_function("() => location.search.includes('class=')", timeout=30_000)
    wait_idle(teacher)
    code = re.search(r"class=([A-Z0-9]+)", teacher.url).group(1)
    student.goto(f"{app_url}/training?class={code}&{TINY}")
    wait_idle(student)
    student.get_by_role("button", name=zh["train.start"]).click()
    nickname = student.get_by_role("textbox", name=zh["board.publish.nickname"])
    expect(nickname).to_be_visible(timeout=180_000)
    wait_idle(student)
    check(student, "training after a run (zh, dark)")
    nickname.fill("Ana")
    nickname.press("Enter")
    wait_idle(student)
    student.get_by_role("button", name=zh["board.publish.button"], exact=True).click()
    expect(student.get_by_text(zh["board.publish.see_board"])).to_be_visible(timeout=30_000)
    expect(teacher.get_by_text(en["board.page.entries"].format(n=1))).to_be_visible(timeout=30_000)
    wait_idle(teacher)
    check(teacher, "class board with an entry (en)")


def test_the_audit_sees_a_violation(app_url, looked):
    """The checks are live: a picture without alt text is caught by axe and by the alt check."""
    page = looked("en-light")
    page.goto(app_url)
    wait_idle(page)
    add = """(where) => { const img = document.createElement('img'); img.width = 20; img.height = 20;
        img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector(where).appendChild(img); }"""
    page.evaluate(add, "[data-testid='stMain']")
    assert page.locator("#root[inert]").count() == 0
    found = severe_violations(page)
    assert any(v.startswith("image-alt") for v in found), found
    assert bad_alts(page)
