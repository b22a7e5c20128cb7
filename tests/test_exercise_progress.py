"""Tests for playground/exercises/progress.py and the exercises lessons carry (playground/classroom/lessons.py)."""
from __future__ import annotations

import json

import pytest

from playground.classroom.lessons import LESSONS
from playground.exercises.checker import check
from playground.exercises.progress import Record, progress
from playground.exercises.registry import EXERCISES, make
from playground.exercises.text import say
from playground.exercises.training import settle_runs
from playground.spec import PipelineSpec


def size_question(seed=0):
    return make("steps.out_size", PipelineSpec(), seed)


def test_attempts_count_readable_answers_and_unreadable_ones_do_not():
    q = size_question()
    rec = Record()
    assert rec.attempt(q) == 1
    rec = rec.add(q, check(q, "banana"))
    assert rec.attempt(q) == 1 and rec.get(q.id).attempts == 0
    wrong = str(q.answer.value + 10)
    rec = rec.add(q, check(q, wrong, rec.attempt(q)))
    assert rec.attempt(q) == 2 and not rec.get(q.id).done
    rec = rec.add(q, check(q, str(q.answer.value), rec.attempt(q)))
    assert rec.get(q.id).done and rec.get(q.id).attempts == 2


def test_recognised_mistakes_are_kept_for_the_board():
    q = size_question()
    m = q.mistakes[0]
    rec = Record().add(q, check(q, str(m.value)))
    assert rec.get(q.id).mistakes == (m.id,)
    assert json.loads(json.dumps(rec.to_dict()))[q.id]["mistakes"] == [m.id]


def test_a_new_question_of_the_same_exercise_restarts_the_attempts_but_keeps_done():
    q0, q1 = size_question(0), size_question(1)
    rec = Record().add(q0, check(q0, str(q0.answer.value)))
    rec = rec.add(q1, check(q1, str(q1.answer.value + 10)))
    assert rec.get(q0.id).done and rec.get(q1.id).wrong == 1 and rec.attempt(q1) == 2 and rec.attempt(q0) == 1


def test_a_prediction_is_done_once_settled_right_or_wrong():
    q = make("training.diverge", PipelineSpec(), 0)
    rec = Record().add(q, check(q, "neither"))
    assert rec.get(q.id).prediction == "neither" and not rec.get(q.id).done
    rec = rec.add(q, settle_runs(q, "neither", (True, False)))
    assert rec.get(q.id).done


def test_progress_counts_a_lessons_exercises():
    ids = ["steps.out_size", "layers.params", "training.chance", "image.corner", "steps.window"]
    rec = Record()
    for exercise in ids[:3]:
        q = make(exercise, PipelineSpec(), 2)
        rec = rec.add(q, check(q, _right_text(q)))
    p = progress(rec, ids)
    assert (p.done, p.total) == (3, 5)
    assert say(p.message, "en") == "3 of 5 checked" and "3" in say(p.message, "zh") and "5" in say(p.message, "zh")


def _right_text(q) -> str:
    value = q.answer.value
    return "x".join(map(str, value)) if isinstance(value, tuple) else str(value)


def test_lessons_list_existing_exercises():
    assert any(lesson.exercises for lesson in LESSONS.values())
    for lesson in LESSONS.values():
        assert set(lesson.exercises) <= set(EXERCISES), lesson.id


@pytest.mark.parametrize("lesson_id", [k for k, v in LESSONS.items() if v.exercises])
def test_lesson_exercises_are_built_from_the_lessons_settings(lesson_id):
    lesson = LESSONS[lesson_id]
    spec = lesson.spec()
    for exercise in lesson.exercises:
        q = make(exercise, spec, 0, in_shape=(1 if spec.image.grayscale else 3, 96, 128))
        if exercise.startswith(("layers.", "training.")):
            assert not q.variant, (lesson_id, exercise)
