"""Tests for playground/classroom/lock.py: lock / hide names from a link, what they cover, the link's query."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from playground.classroom.lock import IMPLIES, Classroom, covers, implied, link_code, lockable, parse_paths, student_query
from playground.spec import PipelineSpec


def test_sections_and_fields_are_lockable():
    names = lockable()
    assert {"image", "augment", "norm", "net", "train"} <= set(names)
    assert {"augment.angle", "norm.method", "net.layers", "train.lr"} <= set(names)


def test_unknown_names_from_a_hand_edited_link_are_dropped():
    assert parse_paths("augment, norm.method,bogus,,net.layers.x") == {"augment", "norm.method"}
    assert parse_paths(None) == frozenset()


def test_a_section_covers_its_fields_and_layer_paths():
    names = frozenset({"augment", "net.layers"})
    assert covers(names, "augment.angle") and covers(names, "net.layers.2.kernel")
    assert not covers(names, "norm.method") and not covers(names, "augmentation.x")


def test_hidden_wins_over_locked():
    room = Classroom.from_query({"lock": "augment", "hide": "augment.angle"})
    assert room.is_hidden("augment.angle") and not room.is_locked("augment.angle")
    assert room.is_locked("augment.flip") and room.restricted


def test_query_round_trip_and_plain_link_has_no_classroom_keys():
    room = Classroom.from_query({"lock": "norm,augment.angle", "hide": "net", "lesson": "high_lr", "projector": "1"})
    assert Classroom.from_query(room.to_query()) == room
    assert room.to_query()["lock"] == "norm,augment.angle"  # sections first, in spec order
    assert Classroom().to_query() == {}


def test_student_query_carries_spec_and_lock():
    spec = PipelineSpec().set("augment.angle", 30)
    query = student_query(spec, Classroom(locked=frozenset({"augment.angle"})))
    assert query == {"augment.angle": "30", "lock": "augment.angle"}
    assert PipelineSpec.from_query(query) == spec  # the spec parser ignores the classroom keys


@given(st.sets(st.sampled_from(lockable())), st.sets(st.sampled_from(lockable())), st.booleans())
def test_any_lock_set_round_trips(locked, hidden, projector):
    room = Classroom(frozenset(locked), frozenset(hidden), "", projector)
    assert Classroom.from_query(room.to_query()) == room


def test_locking_the_angle_locks_the_mode_and_the_random_fields():
    room = Classroom(locked=frozenset({"augment.angle"}))
    for path in ("augment.angle", "augment.mode", "augment.max_angle", "augment.p_hflip", "augment.seed"):
        assert room.is_locked(path), path
    assert not room.is_locked("augment.border") and not room.is_locked("norm.method")


def test_a_hidden_value_locks_what_could_change_it_and_a_section_implies_through_its_fields():
    room = Classroom(hidden=frozenset({"augment.flip"}))
    assert room.is_hidden("augment.flip") and room.is_locked("augment.mode") and not room.is_hidden("augment.mode")
    assert Classroom(locked=frozenset({"image"})).is_locked("image.source")
    assert implied(frozenset({"train.augment"})) == {"augment.p_hflip", "augment.p_vflip", "augment.max_angle"}


def test_every_implication_names_lockable_fields():
    for key, paths in IMPLIES.items():
        assert key in lockable() and set(paths) <= set(lockable()), key


def test_class_and_short_keys_round_trip_and_the_teacher_key_is_read_but_never_written():
    room = Classroom.from_query({"class": "abcde-fghjk", "teacher": " K3Y ", "s": "XYZ", "lock": "norm"})
    assert (room.board, room.teacher, room.short) == ("ABCDEFGHJK", "K3Y", "XYZ")
    assert room.to_query() == {"lock": "norm", "class": "ABCDEFGHJK"}  # s: student_query's part; no key
    assert "teacher" not in student_query(PipelineSpec(), room) and "K3Y" not in str(student_query(PipelineSpec(), room))
    assert Classroom.from_query({"teacher": "K3Y"}).teacher == ""
    assert Classroom.from_query({"class": "<script>"}).board == "" and link_code("x" * 41) == ""


def test_a_short_link_stays_short_while_the_spec_is_its_own():
    stored = PipelineSpec().set("augment.angle", 30)
    room = Classroom(short="ABC", short_spec=stored, board="K")
    assert student_query(stored, room) == {"s": "ABC", "class": "K"}
    moved = stored.set("augment.angle", 10)
    assert student_query(moved, room) == {"augment.angle": "10", "class": "K"}
    pending = Classroom(short="ABC")  # the database was down: the link is kept for a reload
    assert student_query(PipelineSpec(), pending) == {"s": "ABC"}
