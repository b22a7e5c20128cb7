"""Every scene of every built-in lesson fits a 1280×720 projector screen without scrolling, in Chinese and English."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from playground.board.store import open_store
from playground.i18n import t
from playground.lessons import builtin
from testkit.browser import wait_idle

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

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


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_teachers_class_page_fits_with_the_question_the_answers_and_the_reveal(browser, app_url, lang):
    """In a class, each question scene of the convolution lesson (the longest working) fits the projector on the
    teacher's lesson page: the scene with the live count, the class's answers, and the revealed answer."""
    lesson = builtin()["convolution"]
    store = open_store()
    code, key = store.create_board()
    store.start_lesson(code, key, lesson.id, len(lesson.scenes))
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN" if lang == "zh" else "en-US")
    context.set_default_timeout(60_000)
    try:
        for i, scene in enumerate(lesson.scenes):  # every scene of this lesson asks; three answers to each
            assert scene.prediction is not None
            store.go_to(code, key, i)
            for k in range(3):
                store.answer(code, f"tab{k}", f"S{k}", i, scene.prediction.answer,
                             tuple(o.id for o in scene.prediction.choices) or None)
        store.go_to(code, key, 0)
        page = context.new_page()
        page.goto(f"{app_url}/lesson?class={code}&teacher={key}&lesson={lesson.id}&projector=1")
        for i, scene in enumerate(lesson.scenes):
            if i:
                page.get_by_role("button", name=t("lessonclass.next", lang), exact=True).click()
            where = t("lesson.page.scene_of", lang, i=i + 1, n=len(lesson.scenes), minutes=scene.minutes)
            expect(page.get_by_text(where, exact=False)).to_have_count(1)
            expect(page.get_by_text(shown_md(t("lessonclass.answers_count", lang, n=3)))).to_have_count(1)
            fits(page, f"scene {i + 1}, the question")
            page.get_by_text(t("lessonclass.answers_view", lang), exact=True).click()
            wait_idle(page)
            page.get_by_role("button", name=t("lessonclass.reveal", lang)).click()
            expect(page.get_by_role("button", name=t("lessonclass.hide_answer", lang))).to_have_count(1)
            expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(1)  # a rerun may briefly hold two
            assert i in store.class_state(code).revealed
            fits(page, f"scene {i + 1}, the class's answers revealed")
    finally:
        context.close()


def shown_md(text: str) -> str:
    return text.replace("**", "")


def fits(page, what: str) -> None:
    wait_idle(page)
    page.wait_for_function(IMAGES_LOADED)
    try:
        page.wait_for_function(f"() => ({OVERFLOW})() <= 1", timeout=15_000)
    except PlaywrightTimeout:
        pytest.fail(f"the teacher's {what} scrolls {page.evaluate(OVERFLOW)} px")
