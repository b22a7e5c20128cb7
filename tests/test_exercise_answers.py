"""Tests for playground/exercises/reading.py and answers.py: the answer forms students type, and junk never crashes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.exercises.answers import Cells, Choice, Decimal, Integer, Integers
from playground.exercises.model import AnswerFormatError
from testkit.hypo import examples

SHAPE = Integers((16, 84, 127))


@pytest.mark.parametrize("text", [
    "16x84x127", "16X84X127", "16 × 84 × 127", "16×84×127", "16,84,127", "16, 84, 127", "16 84 127", "(16, 84, 127)",
    "[16, 84, 127]", "16*84*127", "１６×８４×１２７", "16，84，127", "16、84、127", "（16，84，127）", " 16 x 84 x 127. ",
    "16;84;127",
])
def test_shape_forms_are_read(text):
    assert SHAPE.parse(text) == (16, 84, 127)


@pytest.mark.parametrize("text", ["", "   ", "sixteen", "16x84x", "16.5x84x127", "16-84-127", "16x84x127 = big", "x", "(", "∞"])
def test_unreadable_shapes_raise_our_error_only(text):
    with pytest.raises(AnswerFormatError):
        SHAPE.parse(text)


@pytest.mark.parametrize(("text", "value"), [
    ("1216", 1216), ("1,216", 1216), ("1 216", 1216), ("1216.0", 1216), ("１２１６", 1216), ("-3", -3), ("−3", -3),
    ("7 px", 7), ("1216 parameters", 1216), ("1216 个参数", 1216), ("(7)", 7),
])
def test_integer_forms(text, value):
    assert Integer(value).parse(text) == value


def test_square_side_takes_n_by_n_but_not_a_rectangle():
    side = Integer(7, square=True)
    assert side.parse("7×7") == side.parse("7 x 7") == side.parse("7") == 7
    with pytest.raises(AnswerFormatError) as info:
        side.parse("7×5")
    assert info.value.key == "exercises.formats.square"
    with pytest.raises(AnswerFormatError):
        Integer(7).parse("7×7")  # a plain count is one number
    with pytest.raises(AnswerFormatError):
        Integer(3).parse("3.5")


@pytest.mark.parametrize(("text", "value"), [
    ("0.25", 0.25), ("-0.5", -0.5), ("−0.5", -0.5), ("–0.5", -0.5), (".5", 0.5), ("0,25", 0.25), ("1,5", 1.5),
    ("0,375", 0.375), ("３．５", 3.5), ("1/4", 0.25), ("-1.41", -1.41), ("12", 12.0), ("+2", 2.0),
])
def test_decimal_forms(text, value):
    assert Decimal(value).parse(text) == pytest.approx(value)


def test_a_comma_that_could_mean_thousands_gets_its_own_hint():
    with pytest.raises(AnswerFormatError) as info:
        Decimal(1.5).parse("1,500")
    assert info.value.key == "exercises.formats.decimal_comma"
    for bad in ("1,2,3", "1.2.3", "1,2.5", "nan", "inf", "1e5", "1/0", "--1", "0x10"):
        with pytest.raises(AnswerFormatError):
            Decimal(1.0).parse(bad)


@pytest.mark.parametrize(("text", "value"), [("25%", 0.25), ("25 %", 0.25), ("25", 0.25), ("0.25", 0.25), ("1/4", 0.25),
                                             ("２５％", 0.25), ("10", 0.1), ("12.5%", 0.125)])
def test_percent_forms(text, value):
    assert Decimal(0.25, percent=True).parse(text) == pytest.approx(value)


def test_a_bare_one_is_ambiguous_as_a_share():
    with pytest.raises(AnswerFormatError) as info:
        Decimal(0.25, percent=True).parse("1")
    assert info.value.key == "exercises.formats.percent_one"
    assert Decimal(0.25, percent=True).parse("1%") == pytest.approx(0.01)


CORNERS = Choice("top_left", ("top_left", "top_right", "bottom_left", "bottom_right"), "corners")


@pytest.mark.parametrize("text", ["top left", "Top Left", "top-left", "top_left", "TL", "upper left", "左上", "左上角",
                                  "左上方", "  top   left  "])
def test_corner_names_in_both_languages(text):
    assert CORNERS.parse(text) == "top_left"


@pytest.mark.parametrize("text", ["top left corner", "The top-left corner", "in the top left cell", "在左上角", "左上角落"])
def test_corner_answers_framed_in_a_sentence_are_read(text):
    assert CORNERS.parse(text) == "top_left"


def test_unknown_corner_is_unreadable():
    for bad in ("middle", "top", "左", "1", "corner", "the corner", "角", "top corner"):
        with pytest.raises(AnswerFormatError) as info:
            CORNERS.parse(bad)
        assert info.value.key == "exercises.formats.choice_corners"


def test_a_choice_takes_the_questions_own_aliases():
    rates = Choice(None, ("a", "b", "both", "neither"), "diverge", (("lr_a", "0.001"), ("lr_b", "0.5")),
                   (("0.001", "a"), ("0.5", "b")))
    assert [rates.parse(t) for t in ("A", "0.5", "both", "都不会", "Run A (learning rate 0.001)", "B 组（学习率 0.5）")] == \
        ["a", "b", "both", "neither", "a", "b"]


BLOCK = frozenset((r, c) for r in (2, 3, 4) for c in (1, 2, 3))


@pytest.mark.parametrize("text", [
    "rows 2–4, columns 1–3", "rows 2-4 columns 1-3", "Rows 2 to 4, cols 1 to 3", "r2-4 c1-3", "row 2-4; col 1-3",
    "columns 1–3, rows 2–4", "第 2–4 行，第 1–3 列", "第2到4行 第1到3列", "2-4行 1-3列", "行 2~4，列 1~3",
    "rows 2, 3, 4 and columns 1, 2, 3", "rows 4-2, columns 3-1",
    "(2,1) (2,2) (2,3) (3,1) (3,2) (3,3) (4,1) (4,2) (4,3)",
    "（2，1），（2，2），（2，3），（3，1），（3，2），（3，3），（4，1），（4，2），（4，3）",
])
def test_cell_forms(text):
    assert Cells(BLOCK).parse(text) == BLOCK


def test_dilated_cells_as_lists():
    cells = frozenset((r, c) for r in (1, 3, 5) for c in (2, 4))
    assert Cells(cells).parse("rows 1, 3, 5; columns 2, 4") == cells
    assert Cells(cells).parse("第 1、3、5 行，第 2、4 列") == cells


@pytest.mark.parametrize("text", ["rows 2-4", "columns 1-3", "2-4, 1-3", "rows columns 1-3", "rows 2-4 rows 1-3",
                                  "rows 1-500 columns 1-3", "(2,1) and stuff", "rows 2-4, columns 1-3, 5 rows"])
def test_unreadable_cells(text):
    with pytest.raises(AnswerFormatError) as info:
        Cells(BLOCK).parse(text)
    assert info.value.key == "exercises.formats.cells"


def test_too_long_and_non_text_answers():
    with pytest.raises(AnswerFormatError) as info:
        SHAPE.parse("1" * 500)
    assert info.value.key == "exercises.formats.too_long"
    for junk in (None, 12, b"16x84x127", ["16"]):
        with pytest.raises(AnswerFormatError):
            SHAPE.parse(junk)


ANSWERS = [SHAPE, Integer(12), Integer(7, square=True), Decimal(0.5), Decimal(0.25, percent=True), CORNERS, Cells(BLOCK),
           Choice(None, ("a", "b", "both", "neither"), "diverge", (("lr_a", "0.001"), ("lr_b", "0.5")), (("0.5", "b"),))]
# Text drawn from the characters answers are made of, plus anything at all.
ANSWER_CHARS = st.text(alphabet="0123456789 ,.;:x×*-−–~/%()[]（），、：％１２３rowcolumnsabt行列第到和", max_size=60)


@settings(max_examples=examples(400), deadline=None)
@given(text=st.one_of(ANSWER_CHARS, st.text(max_size=300)), which=st.integers(0, len(ANSWERS) - 1))
def test_parsers_only_ever_raise_our_error(text, which):
    """Any text: a value of the answer's type, or AnswerFormatError; never ValueError, OverflowError, KeyError, ..."""
    answer = ANSWERS[which]
    try:
        value = answer.parse(text)
    except AnswerFormatError as exc:
        assert exc.key.startswith("exercises.formats.")
        return
    assert isinstance(value, int | float | tuple | str | frozenset)


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.integers(0, 10 ** 12), min_size=1, max_size=8), st.sampled_from([" x ", "×", ",", " ", "*", "，"]))
def test_any_tuple_of_whole_numbers_round_trips(values, sep):
    assert Integers(tuple(values)).parse(sep.join(map(str, values))) == tuple(values)
