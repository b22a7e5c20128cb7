"""Every scene of every built-in lesson fits a 1280×720 projector screen without scrolling, in Chinese and English."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from playground.i18n import t
from playground.lessons import builtin
from testkit.browser import wait_idle

# How far the main area scrolls: 0 when the scene fits the screen.
OVERFLOW = "() => { const m = document.querySelector('[data-testid=stMain]'); return m.scrollHeight - m.clientHeight; }"
IMAGES_LOADED = "() => [...document.images].every((i) => i.complete)"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("lesson_id", list(builtin()))
def test_each_scene_fits_a_projector_without_scrolling(browser, app_url, lang, lesson_id):
    lesson = builtin()[lesson_id]
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN" if lang == "zh" else "en-US")
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        page.goto(f"{app_url}/lesson?lesson={lesson_id}&projector=1")
        wait_idle(page)
        for i, scene in enumerate(lesson.scenes):
            if i:
                page.get_by_role("button", name=t("lesson.page.next", lang)).click()
            where = t("lesson.page.scene_of", lang, i=i + 1, n=len(lesson.scenes), minutes=scene.minutes)
            expect(page.get_by_text(where, exact=False)).to_be_visible()
            wait_idle(page)
            page.wait_for_function(IMAGES_LOADED)
            try:  # late layout (a warming server's first pictures) settles; a scene that scrolls never gets there
                page.wait_for_function(f"() => ({OVERFLOW})() <= 1", timeout=15_000)
            except PlaywrightTimeout:
                pytest.fail(f"{lesson_id} scene {i + 1} ({scene.id}) scrolls {page.evaluate(OVERFLOW)} px in {lang}")
    finally:
        context.close()
