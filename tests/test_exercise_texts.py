"""Every text an exercise can show exists in both languages and renders: prompts, facts, working, hints, notes, formats."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from playground.errors import Message
from playground.exercises.answers import Choice
from playground.exercises.checker import check
from playground.exercises.registry import EXERCISES, make
from playground.exercises.text import say
from playground.exercises.training import settle_runs
from playground.i18n import catalogue
from playground.spec import AugmentSpec, LayerSpec, NetSpec, NormSpec, PipelineSpec
from playground.steps.problem import make_problem

SPECS = [
    PipelineSpec(),
    replace(PipelineSpec(), augment=AugmentSpec(flip="both", angle=-90), norm=NormSpec("zscore"),
            net=NetSpec((LayerSpec("conv", 8, 3, padding=1, dilation=2), LayerSpec("batchnorm"),
                         LayerSpec("avgpool", kernel=3, stride=2), LayerSpec("conv", 4, 4, same=True, bias=False),
                         LayerSpec("adaptiveavgpool", out_size=2)))),
    replace(PipelineSpec(), augment=AugmentSpec(mode="random"), norm=NormSpec("minmax11"), net=NetSpec((LayerSpec("relu"),))),
]


def messages(question):
    """Every Message a question (and the verdicts on it) can show."""
    out = [question.prompt, question.hint, question.format, *question.given, *question.working]
    out += [m.hint for m in question.mistakes] + ([question.note] if question.note else [])
    if isinstance(question.answer, Choice):
        out += list(question.answer.labels())
    for text in ("", "?", "1", "2x3x4"):
        verdict = check(question, text, 2)
        out += [verdict.headline] + ([verdict.hint] if verdict.hint else []) + list(verdict.working)
    return out


def nested(message):
    yield message
    for value in message.params.values():
        if isinstance(value, Message):
            yield from nested(value)


GRID = np.arange(75, dtype=np.float64).reshape(3, 5, 5) % 7 - 2
PROBLEMS = [make_problem("conv", GRID, np.ones((3, 3, 3)), bias=1.5, padding=1, dilation=2),
            make_problem("maxpool", GRID, kernel=2, padding=1), make_problem("avgpool", GRID[:1], kernel=3, stride=2, padding=1)]
QUESTIONS = [make(e, spec, seed, variant, in_shape=(3, 40, 60)) for e in sorted(EXERCISES) for spec in SPECS
             for seed in range(6) for variant in (False, True)]
QUESTIONS += [make(e, PipelineSpec(), seed, problem=pr, step=step) for e in sorted(EXERCISES) if e.startswith("steps.")
              for pr in PROBLEMS for seed in range(3) for step in (0, 2)]
QUESTIONS += [make("image.corner", replace(PipelineSpec(), augment=AugmentSpec(flip=f, angle=a)), s)
              for f in ("none", "horizontal", "vertical", "both") for a in (0, 90, 180, -90, 45) for s in range(2)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_exercise_text_is_in_the_catalogue_and_renders(lang):
    cat, keys = catalogue(lang), set()
    for q in QUESTIONS:
        for message in messages(q):
            keys |= {m.key for m in nested(message)}
            text = say(message, lang)
            assert text.strip() and "{" not in text and "Message(" not in text, (message, text)
    assert {k for k in keys if k not in cat} == set()
    assert len(keys) > 150


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_settled_predictions_have_text(lang):
    q = make("training.diverge", PipelineSpec(), 4)
    for diverged in ((True, False), (False, True), (True, True), (False, False)):
        for guess in ("a", "b", "both", "neither"):
            v = settle_runs(q, guess, diverged)
            for message in (v.headline, v.hint, *v.working):
                if message is not None:
                    assert say(message, lang).strip()


def test_every_exercise_has_a_title_in_both_languages():
    for lang in ("en", "zh"):
        assert all(catalogue(lang).get(f"exercises.titles.{e}") for e in EXERCISES)



ERRORS = [
    lambda: make("nope", PipelineSpec(), 0),
    lambda: make("steps.window", "spec", 0),
    lambda: make("layers.params", PipelineSpec(), -1),
    lambda: make("layers.params", PipelineSpec(), True),
    lambda: make("steps.window", PipelineSpec(), 0, problem="grid"),
    lambda: make("steps.window", PipelineSpec(), 0, problem=PROBLEMS[0], step=999),
    lambda: make("layers.out_shape", PipelineSpec(), 0, in_shape=(3, 0, 5)),
    lambda: make("layers.out_shape", PipelineSpec(), 0, layer="2"),
    lambda: make("image.normalize", PipelineSpec(), 0, values=[5, 5, 5]),
    lambda: make("image.normalize", PipelineSpec(), 0, values=["a", 1]),
    lambda: settle_runs(make("training.chance", PipelineSpec(), 0), "a", (True, False)),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("bad", range(len(ERRORS)))
def test_bad_requests_raise_our_error_with_text(bad, lang):
    from playground.exercises.model import ExerciseError

    with pytest.raises(ExerciseError) as info:
        ERRORS[bad]()
    assert info.value.key.startswith("exercises.errors.") and say(info.value.message, lang).strip()
