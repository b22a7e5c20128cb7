"""A lesson run as a class in real browsers: the teacher starts it and presses Next; a tablet and a phone that
joined by the lesson link follow without touching anything; three students answer and the teacher's histogram
counts three answers before the reveal; the server restarts and the class keeps its scene.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from playground.i18n import catalogue
from playground.lessons import builtin, say
from testkit.browser import wait_idle
from tests.browser.test_class_board import create_board, start, teacher_link

pytestmark = pytest.mark.slow  # long: runs first (tests/conftest.py)

FOLLOW_MS = 6_000  # a joined student's page shows the teacher's scene within this, untouched


def lesson_link(page) -> str:
    """The join panel's link while a lesson runs: the lesson page with class, lesson and locks."""
    box = page.locator("[data-testid='stCode']").filter(has_text="lesson=").first
    expect(box).to_be_visible(timeout=30_000)
    return "".join((box.text_content() or "").split())


def loose(text: str) -> re.Pattern:
    """text as the page shows it: messages.plain may put an invisible word joiner (U+2060) after a character."""
    return re.compile("".join(re.escape(c) + "\u2060?" for c in text))


def scene_title(page, lesson, index: int, lang: str):
    return page.get_by_role("heading", name=loose(say(lesson.scenes[index].title, lang)))


def answer(page, words: dict, nick: str, value: str) -> None:
    box = page.get_by_role("textbox", name=words["lessonclass.type_answer"])
    box.fill(value)
    box.press("Enter")
    wait_idle(page)
    name = page.get_by_role("textbox", name=words["board.publish.nickname"])
    name.fill(nick)
    name.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name=words["lessonclass.send"], exact=True).click()
    expect(page.get_by_text(re.compile(re.escape(words["lessonclass.your_answer_sent"].split("{")[0])))
           ).to_be_visible(timeout=30_000)


def test_a_class_follows_the_teacher_answers_and_keeps_its_scene_after_a_restart(browser, tmp_path):
    en, zh = catalogue("en"), catalogue("zh")
    lesson = builtin()["convolution"]
    ask = next(i for i, s in enumerate(lesson.scenes) if i >= 2 and s.prediction is not None
               and s.prediction.kind == "number")
    db = f"sqlite+pysqlite:///{tmp_path / 'board.sqlite3'}"
    with start(tmp_path, db, "first") as url:
        teacher = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US").new_page()
        create_board(teacher, url, en)
        back_again = teacher_link(teacher)
        teacher.get_by_role("button", name=en["lessonclass.start"]).click()
        expect(teacher.get_by_text(en["lessonclass.started"])).to_be_visible(timeout=30_000)
        link = lesson_link(teacher)
        assert f"lesson={lesson.id}" in link and "teacher=" not in link
        teacher.get_by_role("button", name=en["lessonclass.next"], exact=True).click()
        expect(teacher.get_by_text(loose(say(lesson.scenes[1].title, "en")))).to_be_visible(
            timeout=30_000)

        tablet = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN").new_page()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True,
                                    has_touch=True).new_page()
        for page, lang in ((tablet, "zh"), (phone, "en")):
            page.goto(link)
            expect(scene_title(page, lesson, 1, lang)).to_be_visible(timeout=60_000)
            wait_idle(page)
        for step in range(2, ask + 1):
            teacher.get_by_role("button", name=en["lessonclass.next"], exact=True).click()
            expect(teacher.get_by_text(loose(say(lesson.scenes[step].title, "en")))).to_be_visible(timeout=30_000)
            for page, lang in ((tablet, "zh"), (phone, "en")):  # nobody touches the students' pages
                expect(scene_title(page, lesson, step, lang)).to_be_visible(timeout=FOLLOW_MS)

        third = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US").new_page()
        third.goto(link)
        expect(scene_title(third, lesson, ask, "en")).to_be_visible(timeout=60_000)
        wait_idle(third)
        right = str(lesson.scenes[ask].prediction.answer)
        for page, words, nick, value in ((tablet, zh, "Lin", right), (phone, en, "Ann", right), (third, en, "Bo", "1")):
            wait_idle(page)
            answer(page, words, nick, value)
        counted = re.compile(re.escape(en["lessonclass.answers_count"].format(n=3).replace("**", "")))
        expect(teacher.get_by_text(counted).first).to_be_visible(timeout=FOLLOW_MS)  # live, before any reveal
        for page in (tablet, phone, third):
            page.context.close()
        teacher.context.close()

    with start(tmp_path, db, "second") as url:
        port = re.search(r":(\d+)", url).group(1)
        again = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US").new_page()
        again.goto(re.sub(r":\d+/", f":{port}/", back_again, count=1))
        expect(again.get_by_text(loose(say(lesson.scenes[ask].title, "en"))).first).to_be_visible(
            timeout=60_000)
        student = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US").new_page()
        student.goto(re.sub(r":\d+/", f":{port}/", link, count=1))
        expect(scene_title(student, lesson, ask, "en")).to_be_visible(timeout=60_000)
        student.context.close()
        again.context.close()
