"""Classroom flows in a real browser: a share link survives page switches and reproduces the setup in a fresh
browser; a lock reaches the control; keyboard-only use of a slider; every page works with the internet cut off."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from test_pages_load import PAGES, check_page

from playground.classroom.lessons import LESSONS
from playground.i18n import catalogue
from testkit.browser import wait_idle

NAV_LINK = "[data-testid='stSidebarNavLink']"
LESSON = LESSONS["stride_vs_pool"]
LINK_QUERY = {**LESSON.spec().set("augment.angle", 30).to_query(), "lesson": LESSON.id}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WAIT = 30_000  # ms: lazily painted widgets on a machine busy with other test servers


def query_of(url: str) -> dict[str, str]:
    """The URL's query as a flat dict."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def link(app_url: str, query: dict[str, str], path: str = "/") -> str:
    from urllib.parse import urlencode
    return f"{app_url}{path}?{urlencode(query)}"


def angle_slider(page, lang: str = "en"):
    """The hidden range input of the rotation slider (what assistive tech and the keyboard talk to)."""
    return page.locator(f"input[type='range'][aria-label='{catalogue(lang)['image.angle']}']")


def visit_every_page(page, lang: str) -> list[dict[str, str]]:
    """Click through the sidebar navigation, but the Lessons page (a scene applies its own settings); returns the
    URL query seen on each page."""
    seen = []
    links = page.locator(NAV_LINK)
    expect(links).to_have_count(len(PAGES), timeout=WAIT)
    for i, nav in enumerate(PAGES):
        if nav.url_path == "lesson":
            continue
        links.nth(i).click()
        wait_idle(page)
        check_page(page, lang)
        page.wait_for_function("() => location.search.includes('lesson=')")
        seen.append(query_of(page.url))
    return seen


@pytest.mark.slow  # long: runs first (tests/conftest.py)
def test_share_link_survives_page_switches_and_opens_the_same_setup_elsewhere(app_url, new_page):
    teacher = new_page("en-US")
    teacher.goto(link(app_url, LINK_QUERY))
    wait_idle(teacher)
    for query in visit_every_page(teacher, "en"):
        assert query == LINK_QUERY
    student = new_page("zh-CN")  # a fresh context: nothing shared with the teacher's but the link
    student.goto(teacher.url)
    wait_idle(student)
    assert query_of(student.url) == LINK_QUERY
    for query in visit_every_page(student, "zh"):
        assert query == LINK_QUERY
    student.goto(link(app_url, LINK_QUERY))
    wait_idle(student)
    expect(angle_slider(student, "zh")).to_have_value("30", timeout=WAIT)
    goal = catalogue("zh")["lessons.stride_vs_pool.goal"]
    expect(student.locator("[data-testid='stSidebar']")).to_contain_text(goal[:20], timeout=WAIT)


def test_locked_control_is_disabled_and_hidden_control_absent(app_url, page):
    page.goto(link(app_url, {"augment.angle": "30", "lock": "augment.angle", "hide": "norm"}))
    wait_idle(page)
    expect(angle_slider(page)).to_be_disabled(timeout=WAIT)
    expect(angle_slider(page)).to_have_value("30", timeout=WAIT)
    expect(page.get_by_role("radiogroup", name=catalogue("en")["image.method"])).to_have_count(0, timeout=WAIT)
    assert query_of(page.url)["lock"] == "augment.angle"


def test_slider_is_usable_from_the_keyboard(app_url, page):
    """Tab from the top of the page to the rotation slider, then change it with the arrow keys."""
    page.goto(app_url)
    wait_idle(page)
    slider = angle_slider(page)
    expect(slider).to_have_value("0", timeout=WAIT)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # Tab starts at the top
    for _ in range(120):
        page.keyboard.press("Tab")
        if slider.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the rotation slider was never reached with Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    expect(slider).to_have_value("2", timeout=WAIT)
    page.wait_for_function("() => location.search.includes('augment.angle=2')")


def test_every_page_works_offline_and_asks_nothing_from_the_internet(app_url, new_page):
    """Abort every request whose host is not this machine, and record it: the app must not even try."""
    page = new_page("zh-CN")
    attempted = []

    def guard(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.context.route("**/*", guard)
    page.goto(link(app_url, {**LINK_QUERY, "projector": "1"}))
    wait_idle(page)
    visit_every_page(page, "zh")
    assert attempted == [], f"requests to the internet: {attempted}"
