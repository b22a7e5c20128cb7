"""The teacher key never reaches an address: not the address bar of any lab, not a link, not a QR code.

A teacher creates a board in a real browser, then visits every page through the sidebar. On each page the
address has the class code and no `teacher=`, the tab is still the board's teacher, and no code box but the
board page's one "teacher link" holds the key. That link, opened in another browser (another device), makes it
the teacher again, and its address drops the key as soon as the page has read it.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from playground.i18n import catalogue
from testkit.browser import wait_idle

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

NAV_LINK = "[data-testid='stSidebarNavLink']"
CODE_BOX = "[data-testid='stCode']"


def code_boxes(page) -> list[str]:
    """The text of every code box (links with a copy button), folded expanders and popovers included."""
    return [" ".join((box.text_content() or "").split()) for box in page.locator(CODE_BOX).all()]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def teacher_here(page, en: dict) -> None:
    """The sidebar says this tab teaches the board."""
    expect(page.locator("[data-testid='stSidebar']").get_by_text(en["share.you_teach"])).to_be_visible(timeout=30_000)


def test_no_page_address_or_link_carries_the_teacher_key(app_url, new_page):
    en = catalogue("en")
    page = new_page()
    page.goto(f"{app_url}/class_board")
    wait_idle(page, timeout=120_000)
    page.get_by_role("button", name=en["board.page.create"]).click()
    page.wait_for_function("() => location.search.includes('class=')", timeout=30_000)
    wait_idle(page, timeout=120_000)
    code = query(page.url)["class"][0]
    teacher_here(page, en)
    (link,) = [text for text in code_boxes(page) if "teacher=" in text]  # the one teacher link box
    key = query(link)["teacher"][0]
    assert query(link)["class"] == [code] and len(key) >= 16
    links = page.locator(NAV_LINK)
    paths = []
    for i in range(links.count()):
        links.nth(i).click()
        wait_idle(page, timeout=120_000)
        page.wait_for_function("() => location.search.includes('class=')", timeout=30_000)
        teacher_here(page, en)
        paths.append(urlsplit(page.url).path)
        assert "teacher=" not in page.url and key not in page.url, page.url
        assert query(page.url)["class"] == [code], page.url
        boxes = [text for text in code_boxes(page) if key in text]
        assert boxes == ([link] if paths[-1].endswith("/class_board") else []), (page.url, boxes)
    assert len(set(paths)) == links.count() >= 5, paths

    other = new_page()  # another device: the teacher link from the box
    other.goto(link)
    wait_idle(other, timeout=120_000)
    other.wait_for_function("() => !location.search.includes('teacher=')", timeout=30_000)
    teacher_here(other, en)
    assert query(other.url)["class"] == [code] and key not in other.url
