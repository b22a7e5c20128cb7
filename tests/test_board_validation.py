"""Hostile input to the board: nicknames, forged specs, odd numbers and curves. Refused input changes nothing."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.board import BoardError, Store, ensure_schema
from playground.board import validate as check
from testkit.boarddata import SPEC, sample_entry
from testkit.hypo import examples


@pytest.fixture
def store(engine):
    ensure_schema(engine)
    return Store(engine)


@pytest.fixture
def code(store):
    return store.create_board()[0]


HOSTILE = [  # (typed, stored)
    ("<b>hi</b>", "<b>hi</b>"),  # markup stays literal text: escaping is the page's job
    ("<script>x</script>", "<script>x</script>"),
    ("**bold** [a](js:x)", "**bold** [a](js:x)"),
    ("\u202eevil\u202c", "evil"),  # RTL override (and its pop) removed
    ("\u2067abc\u2069\u200f", "abc"),  # isolates and RLM removed
    ("مرحبا", "مرحبا"),  # right-to-left letters themselves are fine
    ("🦊 👩\u200d💻", "🦊 👩\u200d💻"),  # emoji, ZWJ sequence kept
    ("a\tb\n\nc\u00a0 d", "a b c d"),  # any white space run -> one space
    ("nul\x00bell\x07", "nulbell"),
    ("\ud800ab", "ab"),  # a lone surrogate cannot be stored as UTF-8
    ("Zoe\u0301", "Zo\u00e9"),  # NFC: e + combining acute -> é
    ("x" * 24, "x" * 24),
    ("\u3164Bo\u2800", "Bo"),  # Hangul filler, braille blank: letters that draw nothing
    ("x\u0301\u0302\u0303\u0304\u0305\u0306\u0307y", "x\u0301\u0302\u0303\u0304y"),  # marks past four dropped
    ("Vi\u1ec7t", "Vi\u1ec7t"),
]


def test_hostile_nicknames_round_trip_as_text(store, code):
    for typed, stored in HOSTILE:
        assert store.publish(code, typed, sample_entry()).nickname == stored
    assert [e.nickname for e in store.entries(code, sort="new")] == [stored for _, stored in reversed(HOSTILE)]


BAD_NICKS = [("", "board.nick_empty"), ("   ", "board.nick_empty"), ("\u202e\u200b\u2066", "board.nick_empty"),
             ("\u3164\u3164", "board.nick_empty"),
             (None, "board.nick_empty"), (42, "board.nick_empty"), ("x" * 25, "board.nick_too_long"),
             ("x" * 2000, "board.nick_too_long"), ("🦊" * 25, "board.nick_too_long")]


@pytest.mark.parametrize(("typed", "key"), BAD_NICKS)
def test_bad_nicknames_are_refused(typed, key):
    with pytest.raises(BoardError) as err:
        check.nickname(typed)
    assert err.value.key == key


def test_refused_input_stores_nothing(store, code):
    bad_entries = [sample_entry(spec_json=FORGED[0]), sample_entry(val_acc=float("nan")), sample_entry(curve=())]
    calls = [lambda t=t: store.publish(code, t, sample_entry()) for t, _ in BAD_NICKS]
    calls += [lambda e=e: store.publish(code, "Ann", e) for e in bad_entries]
    for call in calls:
        with pytest.raises(BoardError):
            call()
    assert store.entries(code) == []


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


FORGED = [
    "not json", "", "[]", "null", '{"version": 2}', '{"hacker": 1}', '{"train": {"epochs": 1e309}}',
    '{"train": {"lr": "0.1; DROP TABLE entries"}}', '{"net": {"layers": [{"kind": "conv", "kernel": 99}]}}',
    '{"net": {"layers": [' + ",".join(['{"kind": "relu"}'] * 13) + "]}}", _nested(100_000)[:99_000],
    '{"net": ' + _nested(5000) + "}", "{" * 50_000, "x" * 200_000]


@pytest.mark.parametrize("spec_json", FORGED, ids=range(len(FORGED)))
def test_forged_specs_are_refused(spec_json):
    with pytest.raises(BoardError) as err:
        check.entry_row(sample_entry(spec_json=spec_json))
    assert err.value.key == "board.bad_spec"


def test_forged_specs_reach_neither_entries_nor_links(store, code):
    for spec_json in FORGED[:4]:
        with pytest.raises(BoardError):
            store.publish(code, "Ann", sample_entry(spec_json=spec_json))
        with pytest.raises(BoardError):
            store.store_spec(spec_json)
    assert store.entries(code) == []


def test_entry_that_contradicts_its_spec_is_refused():
    for entry in (sample_entry(dataset="shapes"), sample_entry(epochs=SPEC.train.epochs + 1)):
        with pytest.raises(BoardError) as err:
            check.entry_row(entry)
        assert err.value.key == "board.spec_mismatch"


def test_stored_spec_is_the_canonical_one(store, code):
    loose = json.dumps(json.loads(SPEC.to_json()), indent=7)
    e = store.publish(code, "Ann", sample_entry(spec_json=loose))
    assert e.spec_json == check.canonical_spec(SPEC.set("train.seed", 0)) != loose


@pytest.mark.parametrize(("field", "value"), [
    ("params", 0), ("params", 10**10), ("params", True), ("params", 3.0), ("params", "12"),
    ("epochs", 0), ("epochs", 51), ("seconds", -1.0), ("seconds", float("nan")),
    ("seconds", 10**400), ("curve", (10**400,)), ("seconds", float("inf")),
    ("val_acc", 1.01), ("val_acc", -0.1), ("val_acc", float("nan")), ("val_acc", None), ("dataset", "cifar10"),
    ("stack", "x" * 301), ("stack", None), ("lesson", "nope"), ("curve", ()), ("curve", "2.3"),
    ("curve", (1.0, float("nan"))), ("curve", (1.0, -0.5)), ("curve", (1e7,)), ("curve", (True,)),
    ("curve", {"a": 1}), ("curve", [0.5] * 100_001), ("curve", 5)])
def test_out_of_range_fields_are_refused(field, value):
    with pytest.raises(BoardError) as err:
        check.entry_row(sample_entry(**{field: value}))
    assert err.value.key.startswith("board.")


def test_numpy_numbers_and_dict_entries_are_accepted(store, code):
    entry = asdict(sample_entry(params=np.int64(1234), val_acc=np.float32(0.75), curve=np.linspace(2, 1, 500)))
    e = store.publish(code, "Ann", entry)
    assert (e.params, e.val_acc, len(e.curve)) == (1234, 0.75, 100)
    for bad in ({**entry, "email": "a@b.c"}, {k: v for k, v in entry.items() if k != "params"}, ["list"]):
        with pytest.raises(BoardError) as err:
            store.publish(code, "Ann", bad)
        assert err.value.key == "board.bad_field"


def test_downsample_means_equal_slices_and_keeps_the_ends():
    values = np.random.default_rng(0).uniform(0, 3, 1000)
    out = check.downsample(list(values))
    means = values.reshape(100, 10).mean(axis=1)  # numpy as the oracle for ten-point slices
    assert len(out) == 100 and out[0] == values[0] and out[-1] == values[-1]
    np.testing.assert_allclose(out[1:-1], means[1:-1], rtol=1e-12)
    assert check.downsample([1.0, 2.0]) == (1.0, 2.0)
    assert len(check.downsample(list(range(101)))) == 100


_ALLOWED_FORMAT = {"\u200c", "\u200d"}


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_a_clean_nickname_or_a_board_error(text):
    try:
        nick = check.nickname(text)
    except BoardError as err:
        assert err.key in ("board.nick_empty", "board.nick_too_long")
        return
    assert 1 <= len(nick) <= 24 and nick == nick.strip() and "  " not in nick
    assert all(c in _ALLOWED_FORMAT or unicodedata.category(c)[0] != "C" for c in nick)
    nick.encode("utf-8")  # storable everywhere
    assert check.nickname(nick) == nick  # cleaning is idempotent


@settings(max_examples=examples(100), deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)))
def test_any_json_is_a_spec_or_a_board_error(value):
    for doc in (value, {"train": value}, {"net": {"layers": [value]}}):
        try:
            check.spec(json.dumps(doc))
        except BoardError as err:
            assert err.key == "board.bad_spec"
