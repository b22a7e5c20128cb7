""""Check yourself" in a real browser: one exercise per lab, a wrong answer then the right one, read off the page.

The questions are opened by a share link (ex, ex_seed, ex_practice), so the test knows them: the registry
makes the same question for the same settings. Answering leaves the address (the whole spec) as it was.
"""
from __future__ import annotations

import re

import pytest

from playground.exercises.checker import check
from playground.exercises.registry import make
from playground.exercises.text import say
from playground.i18n import t
from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.spec import PipelineSpec
from testkit.browser import wait_idle
from testkit.exercises import right_text, wrong_text

pytestmark = pytest.mark.browser

LAYER_SPEC = PipelineSpec().set("net.layers", READY_STACKS[DEFAULT_STACK])  # what the Layer lab starts with
CASES = {  # lab: (page path, link query, the question the link opens)
    "image": ("", {"ex": "image.corner", "ex_seed": "3"}, make("image.corner", PipelineSpec(), 3)),
    "steps": ("conv_steps", {"ex": "steps.out_size", "ex_seed": "5", "ex_practice": "1"},
              make("steps.out_size", PipelineSpec(), 5, True)),
    # the parameter count does not depend on the picture's size, only on its 3 channels
    "layers": ("layer_lab", {"ex": "layers.params", "ex_seed": "2"}, make("layers.params", LAYER_SPEC, 2, in_shape=(3, 64, 64))),
    "training": ("training", {"ex": "training.chance", "ex_seed": "1"}, make("training.chance", PipelineSpec(), 1)),
}


def panel(page, lang: str):
    """The lab's "Check yourself" expander (a lesson's checklist in the sidebar has the same heading)."""
    boxes = page.locator("[data-testid='stMain'] [data-testid='stExpander']")
    return boxes.filter(has_text=t("exercises.panel.title", lang)).first


def give(page, lang: str, question, text: str) -> None:
    """Type (or pick) an answer in the panel and press Check."""
    box = panel(page, lang)
    if question.answer.__class__.__name__ == "Choice":
        label = say(dict(zip(question.answer.options, question.answer.labels(), strict=True))[text], lang)
        box.get_by_text(label, exact=True).click()
    else:
        box.get_by_role("textbox").fill(text)
    box.get_by_role("button", name=t("exercises.panel.check", lang)).click()
    wait_idle(page)


@pytest.mark.parametrize("lab, locale", [("image", "en-US"), ("steps", "en-US"), ("layers", "zh-CN"), ("training", "en-US")])
def test_a_wrong_answer_then_the_right_one_on_the_real_page(new_page, app_url, lab, locale):
    lang = "zh" if locale.startswith("zh") else "en"
    path, query, q = CASES[lab]
    page = new_page(locale)
    page.goto(f"{app_url}/{path}?" + "&".join(f"{k}={v}" for k, v in query.items()))
    wait_idle(page)
    box = panel(page, lang)
    box.get_by_text(say(q.prompt, lang)).wait_for()  # the link opened the panel on its question
    address = page.url
    wrong = check(q, wrong_text(q), 1)
    give(page, lang, q, wrong_text(q))
    box.get_by_text(f"{say(wrong.headline, lang)} {say(wrong.hint, lang)}").wait_for()
    give(page, lang, q, right_text(q))
    box.locator("[data-testid='stAlertContentSuccess']").filter(has_text=t("exercises.verdict.right", lang)).wait_for()
    assert box.get_by_text(say(q.working[-1], lang)[:20]).count() >= 1  # the working comes with it
    assert re.sub(r"#.*", "", page.url) == address, "answering changed the settings in the address"
