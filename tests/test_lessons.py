"""Tests for playground/classroom/lessons.py: every preset is a full, valid pipeline with texts in both languages."""
from __future__ import annotations

import pytest

from playground.classroom.lessons import LESSONS, lesson_of
from playground.i18n import catalogue
from playground.layers.shapes import validate
from playground.spec import PipelineSpec

REQUIRED = {"sobel_edges", "stride_vs_pool", "receptive_field", "activations", "normalize", "high_lr"}


def test_every_lesson_sets_its_own_pipeline():
    assert REQUIRED <= set(LESSONS)
    specs = {lesson_id: lesson.spec() for lesson_id, lesson in LESSONS.items()}
    assert all(spec != PipelineSpec() for spec in specs.values())  # loading a lesson changes something
    assert len(set(specs.values())) == len(specs)  # and no two lessons are the same setting


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_lesson_spec_is_valid_and_round_trips(lesson_id):
    spec = LESSONS[lesson_id].spec()
    assert PipelineSpec.from_json(spec.to_json()) == spec
    assert PipelineSpec.from_query(spec.to_query()) == spec
    assert spec.net.layers, "every lesson sets a layer stack"
    assert set(LESSONS[lesson_id].pipeline) >= {"image", "norm", "net"}


@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_lesson_stack_fits_its_image(lesson_id):
    """The stack's shapes work on the lesson's image size (no error shown right after loading)."""
    spec = LESSONS[lesson_id].spec()
    c = 1 if spec.image.grayscale else 3
    side = spec.image.long_side
    validate(spec.net, (c, side // 2, side))  # the landscape samples are about 3:2; half is a safe floor


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson_id", sorted(LESSONS))
def test_lesson_has_title_goal_and_what_to_try(lesson_id, lang):
    cat = catalogue(lang)
    for part in ("title", "goal", "try"):
        assert cat[f"lessons.{lesson_id}.{part}"].strip()
    assert len(cat[f"lessons.{lesson_id}.goal"]) > 60, "a goal is a paragraph, not a word"


def test_training_lessons_set_the_training_section():
    assert LESSONS["high_lr"].spec().train.lr >= 100 * PipelineSpec().train.lr
    assert LESSONS["normalize"].spec().norm.method != "none"
    assert LESSONS["high_lr"].needs_training and not LESSONS["sobel_edges"].needs_training


def test_sobel_lesson_uses_the_sobel_kernel():
    assert LESSONS["sobel_edges"].spec().net.layers[0].init == "sobel_x"


def test_unknown_lesson_id_is_none():
    assert lesson_of("nope") is None and lesson_of(None) is None and lesson_of("high_lr") is LESSONS["high_lr"]


def _last_map(spec):
    from playground.image.decode import to_working
    from playground.image.pipeline import prepare
    from playground.image.samples import load_sample
    from playground.model import feature_maps

    working, _ = to_working(load_sample(spec.image.sample), spec.image.long_side, spec.image.grayscale)
    return feature_maps(spec.net, prepare(spec, working).tensor)[-1]


def test_lesson_one_edges_are_the_photo_s_not_the_border():
    """Zero padding must not draw a frame brighter than every edge of the photo."""
    m = _last_map(LESSONS["sobel_edges"].spec())
    inner = abs(m[:, 3:-3, 3:-3]).max()
    assert abs(m).max() <= inner + 1e-6


def test_the_sobel_ready_stack_does_not_saturate():
    from playground.layers.stacks import READY_STACKS

    m = _last_map(PipelineSpec().set("net.layers", READY_STACKS["sobel"]))
    assert (abs(m) > 0.95).mean() < 0.2  # was 94 % of all values with tanh on raw 0..255 responses
