"""Every page of the app loads in a real browser without an exception, in English and in Chinese."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import assert_no_exception, wait_idle

from playground.i18n import catalogue

REPO_ROOT = Path(__file__).resolve().parents[2]
# st.navigation derives each page's URL path from its file name: pages/image_lab.py -> /image_lab.
PAGE_PATHS = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
CJK = re.compile(r"[\u4e00-\u9fff]")
NAV_LINK = "[data-testid='stSidebarNavLink']"

pytestmark = pytest.mark.browser


def heading(page) -> str:
    """The text of the page's main (h1) heading; fails if there is none."""
    h1 = page.locator("[data-testid='stMain'] h1").first
    h1.wait_for(state="visible")
    return h1.inner_text().strip()


def check_page(page, lang: str) -> str:
    """The page has no exception and a translated h1; returns the heading text."""
    assert_no_exception(page)
    text = heading(page)
    assert text in catalogue(lang).values(), f"h1 {text!r} is not a {lang} catalogue string"
    assert page.get_by_text("Page not found").count() == 0
    return text


def test_pages_exist():
    assert PAGE_PATHS, "no pages/*.py found"


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_loads_by_url(page, app_url, path):
    page.goto(f"{app_url}/{path}")
    wait_idle(page)
    check_page(page, "en")
    titles = {catalogue(lang)["app.title"] for lang in ("en", "zh")}
    assert any(t in page.title() for t in titles), f"tab title {page.title()!r}"


def test_root_loads_the_default_page(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    check_page(page, "en")


def test_sidebar_navigation_reaches_every_page(page, app_url):
    """With more than one page the sidebar lists them all; clicking each one loads it cleanly."""
    page.goto(app_url)
    wait_idle(page)
    links = page.locator(NAV_LINK)
    if len(PAGE_PATHS) < 2:
        assert links.count() == 0  # Streamlit hides the nav for a single page
        return
    assert links.count() == len(PAGE_PATHS)
    seen = set()
    for i in range(len(PAGE_PATHS)):
        links.nth(i).click()
        wait_idle(page, expect_rerun=True)
        seen.add(check_page(page, "en"))
    assert len(seen) == len(PAGE_PATHS), f"pages share a heading: {seen}"


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_follows_a_chinese_browser(new_page, app_url, path):
    page = new_page("zh-CN")
    page.goto(f"{app_url}/{path}")
    wait_idle(page)
    text = check_page(page, "zh")
    assert CJK.search(text), f"h1 {text!r} has no Chinese characters"
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert catalogue("zh")["app.language"] in sidebar
