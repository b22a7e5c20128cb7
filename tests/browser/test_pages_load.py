"""Every page of the app's navigation loads in a real browser without an exception, from the sidebar and by a direct
link to a fresh server. (Each page by its address in English and Chinese: tests/browser/test_axe.py, one load per
page and look carries those checks and the audit.)"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from playground.i18n import catalogue
from playground.labs import DEFAULT, LABS
from playground.lessons import builtin, say
from testkit.browser import assert_no_exception, wait_idle

REPO_ROOT = Path(__file__).resolve().parents[2]
NAV_LINK = "[data-testid='stSidebarNavLink']"
SIDEBAR = "[data-testid='stSidebar']"


@dataclass(frozen=True)
class NavPage:
    file: str  # "pages/image_lab.py"
    url_path: str  # "image_lab"
    default: bool

    @property
    def url(self) -> str:
        """Streamlit serves the default page at "/" (its own path answers "Page not found")."""
        return "/" if self.default else f"/{self.url_path}"


def navigation_pages() -> list[NavPage]:
    """The app's navigation: the one list of labs, the default page first."""
    return [NavPage(lab.page, lab.url_path, lab is DEFAULT) for lab in LABS]


PAGES = navigation_pages()
IDS = [p.url_path for p in PAGES]
OTHER_PAGES = [p for p in PAGES if not p.default]
# Folders holding the page files (today: pages/).
PAGE_DIRS = sorted({str(Path(p.file).parent) for p in PAGES}) or ["pages"]


NOT_FOUND = "Page not found"  # Streamlit's own dialog (not in our catalogue)


def check_page(page, lang: str) -> str:
    """On a page that has stayed idle (the run that would report a missing page is over): no exception,
    no "Page not found" dialog, an h1 from the lang catalogue (or a built-in lesson's title); returns the h1 text."""
    wait_idle(page)
    h1 = page.locator("[data-testid='stMain'] h1").first
    expect(h1).to_be_visible()
    assert_no_exception(page)
    assert page.get_by_text(NOT_FOUND).count() == 0, "Streamlit says: Page not found"
    text = h1.inner_text().strip().replace("\u2060", "")  # messages.plain's word joiner after ":" (no autolink)
    titles = {say(lesson.title, lang) for lesson in builtin().values()}  # the lesson page's h1 is its lesson's title
    assert text in {*catalogue(lang).values(), *titles}, f"h1 {text!r} is neither a {lang} catalogue string nor a lesson"
    return text


def expect_app_sidebar(page, lang: str) -> None:
    """app.py ran: its sidebar shows the language selector's label in lang."""
    expect(page.locator(SIDEBAR)).to_contain_text(catalogue(lang)["app.language"])


def test_every_page_file_is_in_the_navigation():
    files = {f"{d}/{p.name}" for d in PAGE_DIRS for p in (REPO_ROOT / d).glob("*.py") if not p.name.startswith("_")}
    assert files, f"no page files in {PAGE_DIRS}"
    assert files == {p.file for p in PAGES}, f"files in {PAGE_DIRS} and the st.Page entries of app.py differ"


def test_an_unknown_address_shows_the_page_not_found_dialog(app_url, page):
    """The dialog check_page looks for really appears, at the same point, for an address with no page."""
    page.goto(app_url + "/no_such_lab")
    wait_idle(page)
    expect(page.get_by_text(NOT_FOUND).first).to_be_visible()


@pytest.mark.slow  # long: runs first (tests/conftest.py)
def test_sidebar_navigation_reaches_every_page(app_url, page):
    """With more than one page the sidebar lists them all; clicking each one loads it cleanly."""
    page.goto(app_url)
    wait_idle(page)
    check_page(page, "en")
    links = page.locator(NAV_LINK)
    if len(PAGES) < 2:
        assert links.count() == 0  # Streamlit hides the navigation when there is one page
        return
    expect(links).to_have_count(len(PAGES))
    headings = set()
    for i in range(len(PAGES)):
        links.nth(i).click()
        wait_idle(page)
        headings.add(check_page(page, "en"))
    assert len(headings) == len(PAGES), f"pages share a heading: {headings}"


@pytest.mark.parametrize("nav", OTHER_PAGES, ids=[p.url_path for p in OTHER_PAGES])
def test_direct_link_on_a_fresh_server_runs_app_py(cold_app_url, page, nav):
    """A bookmark or share link is often the first request after a restart.

    Streamlit 1.67 then serves a file under pages/ as a legacy page without running app.py
    (no sidebar, no language switch, legacy "app | ..." navigation) until some visitor opens "/".
    Each page must guard against it (require_app in playground/ui/runtime/boot.py), or the page files must live
    in a folder not named pages/.
    """
    page.goto(cold_app_url + nav.url)
    wait_idle(page)
    check_page(page, "en")
    expect_app_sidebar(page, "en")
