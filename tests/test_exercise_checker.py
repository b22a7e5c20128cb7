"""Tests for playground/exercises/checker.py: right / wrong / unreadable, and the specific hint of each typical mistake."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.exercises.checker import check
from playground.exercises.model import ExerciseError
from playground.exercises.registry import EXERCISES, make
from playground.exercises.text import say
from playground.exercises.training import settle_runs
from playground.spec import AugmentSpec, LayerSpec, NetSpec, NormSpec, PipelineSpec
from playground.steps.problem import make_problem
from testkit.hypo import examples

GRID = np.arange(49, dtype=np.float64).reshape(1, 7, 7) % 10


def steps_question(exercise: str, step: int = 0, **geometry):
    """A step-through question on a fixed 7×7 grid with a 3×3 kernel of ones (or a 3×3 pooling window)."""
    op = geometry.pop("op", "conv")
    weight = np.ones((1, 3, 3)) if op == "conv" else None
    pr = make_problem(op, GRID, weight, kernel=3, **geometry)
    return make(exercise, PipelineSpec(), 0, problem=pr, step=step)


def hint_key(question, text, attempt=1):
    verdict = check(question, text, attempt)
    assert verdict.status == "wrong", verdict
    return verdict.hint.key


def test_output_size_right_answer_and_each_typical_mistake():
    q = steps_question("steps.out_size", padding=1, stride=2, dilation=2)  # ⌊(7 + 2 − 4 − 1) / 2⌋ + 1 = 3
    assert check(q, "3").right and check(q, "3×3").right and check(q, "３").right
    assert hint_key(q, "2") == "exercises.hints.size_forgot_padding"  # ⌊(7 − 4 − 1) / 2⌋ + 1
    assert "2p = 2" in say(check(q, "2").hint)
    assert hint_key(q, "4") == "exercises.hints.size_forgot_dilation"  # ⌊(7 + 2 − 2 − 1) / 2⌋ + 1
    q1 = steps_question("steps.out_size", padding=1)  # 7 + 2 − 2 − 1 = 6, + 1 = 7
    assert hint_key(q1, "6") == "exercises.hints.size_padding_once"
    assert hint_key(q1, "5") == "exercises.hints.size_forgot_padding"
    q2 = steps_question("steps.out_size", stride=2)  # ⌊4 / 2⌋ + 1 = 3
    assert hint_key(q2, "2") == "exercises.hints.size_off_by_one"
    assert hint_key(q2, "5") == "exercises.hints.size_forgot_stride"
    assert hint_key(q2, "7") == "exercises.hints.size_input_size"
    assert hint_key(q2, "11") == "exercises.hints.size_generic"


def test_rounding_up_is_recognised():
    q = steps_question("steps.out_size", stride=3)  # ⌊4 / 3⌋ + 1 = 2; rounding up gives 3
    assert hint_key(q, "3") == "exercises.hints.size_rounded_up"


def test_second_wrong_answer_reveals_the_working():
    q = steps_question("steps.out_size", padding=1)
    first, second = check(q, "5", 1), check(q, "5", 2)
    assert first.working == () and second.working == q.working and second.hint == first.hint
    assert check(q, "7", 1).working == q.working  # right: always with the working
    assert check(q, "7", "junk").right  # a bad attempt number is read as 1


def test_unreadable_input_gets_a_format_hint_never_wrong():
    q = steps_question("steps.out_size")
    for text in ("", "five", "5.5", "5×6", "1,500,000,000,000,000,000", None, "🙂"):
        verdict = check(q, text)
        assert verdict.status == "unreadable" and verdict.hint.key.startswith("exercises.formats.")
        assert not verdict.counts


def shape_question():
    net = NetSpec((LayerSpec("conv", 16, 5, stride=2, padding=1), LayerSpec("relu")))
    return make("layers.out_shape", replace(PipelineSpec(), net=net), 0, in_shape=(3, 170, 256), layer=1)


@pytest.mark.parametrize("text", ["16x84x127", "16 × 84 × 127", "16,84,127", "16 84 127", "(16, 84, 127)", "１６×８４×１２７",
                                  "16，84，127", "16*84*127"])
def test_layer_shape_accepts_the_usual_forms(text):
    assert check(shape_question(), text).right


def test_layer_shape_mistakes():
    q = shape_question()  # ⌊(170 + 2 − 4 − 1) / 2⌋ + 1 = 84, ⌊(256 + 2 − 4 − 1) / 2⌋ + 1 = 127
    assert hint_key(q, "84×127") == "exercises.hints.shape_no_channels"
    assert hint_key(q, "3×84×127") == "exercises.hints.shape_channels_in"
    assert hint_key(q, "16×83×126") == "exercises.hints.size_forgot_padding"
    assert hint_key(q, "16×127×84") == "exercises.hints.shape_swapped"
    assert hint_key(q, "3×170×256") == "exercises.hints.shape_input"
    assert hint_key(q, "16×168×254") == "exercises.hints.size_forgot_stride"
    odd = check(q, "12×34")  # two numbers that match no slip: say what the box expects
    assert odd.status == "unreadable" and odd.hint.key == "exercises.formats.integers" and odd.hint.params["count"] == 3


def test_one_side_off_is_a_plain_wrong():
    verdict = check(shape_question(), "16×83×127")
    assert verdict.status == "wrong" and verdict.mistake is None
    assert verdict.hint.key == "exercises.hints.layers_out_shape_generic"


def test_parameter_count_mistakes():
    net = NetSpec((LayerSpec("conv", 8, 3, dilation=2),))
    q = make("layers.params", replace(PipelineSpec(), net=net), 0, in_shape=(2, 32, 32))
    assert q.answer.value == 8 * 2 * 9 + 8 and check(q, "152").right and check(q, "152 parameters").right
    assert hint_key(q, "144") == "exercises.hints.params_bias"
    assert hint_key(q, "80") == "exercises.hints.params_in_channels"  # 8 × 3 × 3 + 8
    assert hint_key(q, "19") == "exercises.hints.params_filters"  # one filter: 2 × 3 × 3 + 1
    assert hint_key(q, "56") == "exercises.hints.params_square"  # 8 × 2 × 3 + 8
    assert hint_key(q, "408") == "exercises.hints.params_dilation"  # 8 × 2 × 5 × 5 + 8


def test_receptive_field_mistakes():
    net = NetSpec((LayerSpec("conv", 4, 3), LayerSpec("maxpool", kernel=2, stride=2), LayerSpec("conv", 4, 3, dilation=2)))
    q = make("layers.receptive_field", replace(PipelineSpec(), net=net), 0, in_shape=(1, 40, 40), layer=3)
    assert q.answer.value == 3 + 1 + 2 * 2 * 2 and check(q, "12x12").right  # 3, then 4 (jump 2), then 4 + 4 × 2
    assert hint_key(q, "8") == "exercises.hints.rf_dilation"  # 4 + 2 × 2
    assert hint_key(q, "11") == "exercises.hints.rf_plus_one"
    assert hint_key(q, "5") == "exercises.hints.rf_own_kernel"
    plain = NetSpec((LayerSpec("conv", 4, 3), LayerSpec("maxpool", kernel=2, stride=2), LayerSpec("conv", 4, 3)))
    q = make("layers.receptive_field", replace(PipelineSpec(), net=plain), 0, in_shape=(1, 40, 40), layer=3)
    assert q.answer.value == 8 and hint_key(q, "6") == "exercises.hints.rf_jumps"  # 1 + 2 + 1 + 2 without the jump


def test_next_value_mistakes():
    pr = make_problem("conv", GRID, np.ones((1, 3, 3)), bias=2.0, padding=1)
    q = make("steps.next_value", PipelineSpec(), 0, problem=pr, step=3)  # next: step 5 = output (0, 4)
    window = np.pad(GRID[0], 1)[0:3, 4:7]
    assert q.answer.value == window.sum() + 2 and check(q, f"{window.sum() + 2:g}").right
    assert hint_key(q, f"{window.sum():g}") == "exercises.hints.value_bias"
    current = np.pad(GRID[0], 1)[0:3, 3:6].sum() + 2
    assert hint_key(q, f"{current:g}") == "exercises.hints.value_current"
    assert hint_key(q, f"{GRID[0, 0:3, 4:7].sum() + 2:g}") == "exercises.hints.value_padding"


def test_average_pooling_divides_by_the_whole_window():
    pr = make_problem("avgpool", GRID, kernel=3, padding=1)
    q = make("steps.next_value", PipelineSpec(), 0, problem=pr)
    st = q.figure["step"]
    r, c = divmod(st, pr.out_shape[1])
    padded = np.pad(GRID[0], 1)[r:r + 3, c:c + 3]
    assert check(q, f"{padded.sum() / 9:.2f}").right
    assert hint_key(q, f"{padded.sum():g}") == "exercises.hints.value_avg_divide"


def test_window_cells_mistakes():
    pr = make_problem("conv", GRID, np.ones((1, 3, 3)), dilation=2, padding=1)
    q = make("steps.window", PipelineSpec(), 0, problem=pr, step=1)  # output (0, 1): padded rows 0, 2, 4, cols 1, 3, 5
    assert q.answer.value == frozenset((r, c) for r in (2, 4) for c in (1, 3, 5))
    assert check(q, "rows 2, 4; columns 1, 3, 5").right and check(q, "第 2、4 行，第 1、3、5 列").right
    assert hint_key(q, "rows 1-2, columns 1-3") == "exercises.hints.cells_forgot_dilation"
    assert hint_key(q, "rows 1, 3, 5; columns 2, 4, 6") == "exercises.hints.cells_padded_coords"
    assert hint_key(q, "rows 1, 3; columns 0, 2, 4") == "exercises.hints.cells_zero_based"
    assert hint_key(q, "rows 1, 3, 5; columns 2, 4") == "exercises.hints.cells_swapped"
    assert check(q, "rows 2, 4").status == "unreadable"


def test_corner_mistakes():
    spec = replace(PipelineSpec(), augment=AugmentSpec(flip="horizontal", angle=90))
    q = make("image.corner", spec, 0)
    assert not q.variant and q.figure["flip"] == "horizontal" and q.figure["angle"] == 90
    assert check(q, q.answer.value.replace("_", " ")).right
    assert "wrong_direction" in {m.id for m in q.mistakes}
    for m in q.mistakes:  # every other corner a student might give has its own hint
        assert check(q, m.value).hint == m.hint
    others = set(q.answer.options) - {q.answer.value} - {m.value for m in q.mistakes}
    assert len(q.mistakes) >= 2 and all(check(q, o).hint.key == "exercises.hints.corner_generic" for o in others)
    flipped = make("image.corner", replace(PipelineSpec(), augment=AugmentSpec(flip="vertical")), 0)
    assert [m.id for m in flipped.mistakes][0] == "flip_mixed_up"
    assert check(q, "middle").status == "unreadable"


def test_normalization_mistakes():
    spec = replace(PipelineSpec(), norm=NormSpec("zscore"))
    q = make("image.normalize", spec, 0, values=[10, 20, 30, 60], stat="max")
    x = np.array([10, 20, 30, 60.0])
    assert check(q, f"{(60 - x.mean()) / x.std():.2f}").right
    assert hint_key(q, f"{(60 - x.mean()) / x.std(ddof=1):.2f}") == "exercises.hints.norm_sample_std"
    assert hint_key(q, "60") == "exercises.hints.norm_unchanged"
    assert hint_key(q, f"{60 - x.mean():g}") == "exercises.hints.norm_no_scale"


def test_chance_level_answers():
    digits = make("training.chance", PipelineSpec(), 0)
    assert all(check(digits, t).right for t in ("10%", "10", "0.1", "1/10", "１０％"))
    assert hint_key(digits, "90%") == "exercises.hints.chance_error"
    shapes = make("training.chance", PipelineSpec().set("train.dataset", "shapes"), 0)
    assert check(shapes, "25%").right and hint_key(shapes, "4") == "exercises.hints.chance_classes"
    assert hint_key(shapes, "50%") == "exercises.hints.chance_two"


def test_a_prediction_is_recorded_then_settled_by_the_runs():
    spec = PipelineSpec().set("train.optimizer", "adam").set("train.lr", 0.5)
    q = make("training.diverge", spec, 0)
    high = "a" if q.runs[0].train.lr == 0.5 else "b"
    assert q.figure["likely"] == high
    recorded = check(q, "0.5")
    assert recorded.status == "recorded" and recorded.value == high and recorded.counts
    observed = (True, False) if high == "a" else (False, True)
    assert settle_runs(q, high, observed).right
    wrong = settle_runs(q, "neither", observed)
    assert wrong.status == "wrong" and wrong.hint.key == f"exercises.hints.observed_{high}" and wrong.working
    assert settle_runs(q, "both", (True, True)).right
    with pytest.raises(ExerciseError):
        settle_runs(q, "maybe", observed)
    assert check(q, "maybe").status == "unreadable"


QUESTIONS = [make(e, PipelineSpec(), s, v) for e in sorted(EXERCISES) for s in (0, 1) for v in (False, True)]


@settings(max_examples=examples(300), deadline=None)
@given(which=st.integers(0, len(QUESTIONS) - 1),
       text=st.one_of(st.text(max_size=80), st.text("0123456789x×,. -−%/()rowsc行列", max_size=40)),
       attempt=st.one_of(st.integers(-5, 5), st.none(), st.text(max_size=3)))
def test_check_never_raises(which, text, attempt):
    verdict = check(QUESTIONS[which], text, attempt)
    assert verdict.status in ("right", "wrong", "unreadable", "recorded")
    if verdict.status == "unreadable":
        assert verdict.hint is not None


def test_answering_never_changes_the_spec():
    spec = replace(PipelineSpec(), net=NetSpec((LayerSpec("conv", 4, 3),)))
    before = spec.to_json()
    for exercise in EXERCISES:
        q = make(exercise, spec, 1, in_shape=(1, 20, 20))
        check(q, "3")
        check(q, str(getattr(q.answer, "value", "")))
    assert spec.to_json() == before


@pytest.mark.parametrize("flip, angle", [("both", 0), ("vertical", 0), ("none", 90), ("none", 180)])
def test_a_flip_or_a_turn_alone_never_praises_the_step_that_was_not_there(flip, angle):
    """Only a flip (or only a turn): the unchanged corner is "unchanged", not "you rotated / flipped correctly"."""
    spec = replace(PipelineSpec(), augment=AugmentSpec(flip=flip, angle=angle))
    for seed in range(8):
        q = make("image.corner", spec, seed)
        ids = {m.id for m in q.mistakes}
        assert not ids & {"forgot_turn", "forgot_flip"}
        start = q.given[0].params["corner"].key.rsplit(".", 1)[1]
        if start != q.answer.value:
            assert check(q, start).hint.key == "exercises.hints.corner_unchanged"
