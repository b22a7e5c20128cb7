"""The share link's handed-out question (playground/classroom/lock.py: ex, ex_seed, ex_practice) read and written."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.classroom.lock import Classroom, student_query
from playground.exercises.model import SEED_MAX
from playground.exercises.registry import EXERCISES
from playground.spec import PipelineSpec
from testkit.hypo import examples


def test_a_handed_out_question_round_trips_through_the_link():
    for exercise in EXERCISES:
        for seed, practice in ((0, False), (SEED_MAX, True), (-1, False)):
            room = Classroom(lesson="high_lr", exercise=exercise, exercise_seed=seed, exercise_practice=practice)
            assert Classroom.from_query(room.to_query()) == room
    query = student_query(PipelineSpec(), Classroom(exercise="layers.params", exercise_seed=42))
    assert query == {"ex": "layers.params", "ex_seed": "42"}  # no practice key when it is off
    assert PipelineSpec.from_query(query) == PipelineSpec()  # the spec parser ignores the classroom keys


def test_a_plain_link_hands_out_nothing():
    assert Classroom.from_query({}).exercise == "" and Classroom().to_query() == {}


def test_bad_values_are_dropped_not_raised():
    for query in ({"ex": "<script>"}, {"ex": "layers"}, {"ex": "a." + "b" * 60}, {"ex": "Layers.Params"}):
        assert Classroom.from_query(query).exercise == ""
    for raw in ("-1", "10000", "4.5", "١٢", " 7", "", "99999999999999999999"):
        room = Classroom.from_query({"ex": "layers.params", "ex_seed": raw})
        assert room.exercise == "layers.params" and room.exercise_seed == -1
    assert not Classroom.from_query({"ex": "layers.params", "ex_practice": "yes"}).exercise_practice


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(st.sampled_from(["ex", "ex_seed", "ex_practice", "lesson", "lock"]), st.text(max_size=80)))
def test_any_link_query_reads_without_an_exception(query):
    room = Classroom.from_query(query)
    assert room.exercise == "" or room.exercise == query["ex"]
    assert -1 <= room.exercise_seed <= SEED_MAX
    assert Classroom.from_query(room.to_query()) == room
