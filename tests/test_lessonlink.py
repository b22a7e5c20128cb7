"""The lesson link, lock clashes and the answers' tally (core, no streamlit)."""
from __future__ import annotations

from collections import Counter

import numpy as np

from playground.classroom.lessonlink import Clash, clashes, lesson_query, tally
from playground.classroom.lock import Classroom
from playground.describe import count_facts
from playground.lessons import builtin


def test_the_one_link_carries_class_lesson_and_locks_never_a_key():
    query = lesson_query("ABCDEFGHJK", "convolution", ("norm", "augment.angle"))
    room = Classroom.from_query(query)
    assert (room.board, room.lesson, room.locked) == ("ABCDEFGHJK", "convolution", frozenset({"norm", "augment.angle"}))
    assert "teacher" not in query and query["lock"] == "norm,augment.angle"  # sections first, as share links


def test_a_lock_on_a_control_a_scene_opens_clashes_others_do_not():
    for lesson in builtin().values():
        opened = [(i, c) for i, s in enumerate(lesson.scenes) for c in s.open_controls if not c.startswith("view.")]
        for index, control in opened:
            section = control.split(".")[0]
            found = clashes(lesson, (section,))
            assert Clash(section, index, control) in found
        untouched = {"image", "augment", "norm", "net", "train"} - {c.split(".")[0] for _, c in opened}
        for section in untouched:  # a section no scene opens may be locked (unless a lock there implies one)
            assert all(Classroom(locked=frozenset({section})).is_locked(c.control) for c in clashes(lesson, (section,)))


def test_choices_are_counted_in_their_order_with_zeros():
    values = ("b", "a", "b", "b")
    counted = tally(values, ("a", "b", "c"))
    assert counted.counts == tuple(Counter(values)[o] for o in ("a", "b", "c")) == (1, 3, 0)
    assert counted.bar_of("b") == 1 and counted.bar_of(None) is None


def test_few_numbers_get_a_bar_each_many_are_binned_like_numpy():
    few = tally(("3", "10", "3", "2.5", "8,8"))
    assert few.labels == ("2.5", "3", "10", "8,8") and few.counts == (1, 2, 1, 1)
    many_values = tuple(str(v) for v in range(40))
    many = tally(many_values)
    expected, _ = np.histogram(np.arange(40, dtype=float), bins=10)
    assert many.binned and many.counts == tuple(int(c) for c in expected) and many.total == 40
    assert many.bar_of("39") == 9 and many.bar_of("0") == 0


def test_count_facts_for_the_alt_text():
    facts = count_facts(("2", "3", "4"), (1, 3, 1))
    assert (facts.total, facts.bars, facts.top, facts.top_count) == (5, 3, "3", 3)
    assert count_facts((), ()) is None
