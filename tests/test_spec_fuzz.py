"""Fuzzed pipeline JSON: PipelineSpec.from_json / from_dict / from_query raise SpecError and nothing else.

Besides random JSON, the strategies aim at what breaks naive parsers: infinities and NaN
(as JSON tokens, as Python floats, as query text), ints beyond float range and beyond Python's digit
limit, nesting far deeper than the recursion limit, wrong types in every field and forged choice values.
"""
import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_spec import specs

from playground.errors import Message, SpecError
from playground.i18n import tm
from playground.limits import CHOICES
from playground.spec import PipelineSpec
from playground.untrusted import MAX_DEPTH, MAX_TEXT_CHARS, SHORT
from testkit.hypo import examples

FUZZ = settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | st.text(max_size=20)
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                                                             max_size=5),
                       max_leaves=25)


def _only_spec_error(call, value):
    """The call returns a PipelineSpec or raises SpecError whose message reads in both languages."""
    try:
        result = call(value)
    except SpecError as exc:
        assert exc.message.key, "a SpecError must carry a translatable message"
        for lang in ("en", "zh"):
            assert tm(exc.message, lang)
        for name in ("path", "value", "version"):  # user text in messages is cut short, on one line
            value = exc.params.get(name, "")
            text = str(value.params.get("field", "") if isinstance(value, Message) else value)
            assert len(text) <= SHORT + len("image.") and "\n" not in text, (name, text)
        return None
    assert isinstance(result, PipelineSpec)
    return result


def _paths(tree, prefix=""):
    """Every key path (a.b.0.c) inside a nested dict / list."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        path = f"{prefix}{key}"
        yield path
        yield from _paths(value, path + ".")


def _replace(tree, path, value):
    """A copy of tree with the value at path replaced."""
    tree = json.loads(json.dumps(tree))
    *parents, last = path.split(".")
    node = tree
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return tree


@FUZZ
@given(JSONISH)
def test_from_dict_with_any_json_value(value):
    _only_spec_error(PipelineSpec.from_dict, value)


@FUZZ
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_from_json_with_any_text_or_bytes(text):
    _only_spec_error(PipelineSpec.from_json, text)


@FUZZ
@given(specs(), st.data())
def test_one_field_of_a_valid_spec_replaced_by_junk(spec, data):
    tree = spec.to_dict()
    path = data.draw(st.sampled_from(sorted(_paths(tree))))
    broken = _replace(tree, path, data.draw(JSONISH))
    result = _only_spec_error(PipelineSpec.from_json, json.dumps(broken))
    if result is not None:  # accepted: it must be a valid spec that round-trips
        assert PipelineSpec.from_json(result.to_json()) == result


@FUZZ
@given(st.dictionaries(st.text(max_size=30), st.text(max_size=30), max_size=8))
def test_from_query_with_any_strings(query):
    _only_spec_error(PipelineSpec.from_query, query)


@FUZZ
@given(specs())
def test_valid_specs_round_trip_through_dict_json_and_query(spec):
    assert PipelineSpec.from_dict(json.loads(spec.to_json())) == spec
    assert PipelineSpec.from_query(spec.to_query()) == spec


# --- values that break naive parsers -------------------------------------------------------------------

def _nested(depth: int, leaf=0):
    """A list nested depth deep (built by a loop: a literal that deep would not even compile)."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


HUGE = st.sampled_from([10**400, -10**400, 10**5000, 2**64, -(2**63) - 1]) | st.integers(-10**500, 10**500)
NONFINITE = st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1e308, 5e-324])
DEEP = st.integers(MAX_DEPTH + 1, 3000).map(_nested)
WRONG = (HUGE | NONFINITE | DEEP | st.booleans() | st.none() | st.text(max_size=60)
         | st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
         | st.sampled_from([c for choices in CHOICES.values() for c in choices]) | st.sampled_from(["1", "3", "3.0"]))
TOKENS = st.sampled_from(["Infinity", "-Infinity", "NaN", "1e400", "-1e400", "1.e400", "1" + "0" * 400,
                          "1" + "0" * 5000, "[" * 1000 + "]" * 1000, "{" * 900 + "}" * 900, '"' + "x" * 500 + '"',
                          '"' + "x" * MAX_TEXT_CHARS + '"'])  # oversize


@FUZZ
@given(specs(), st.data())
def test_any_field_replaced_by_a_nasty_python_value(spec, data):
    tree = spec.to_dict()
    path = data.draw(st.sampled_from(sorted(_paths(tree))))
    broken = _replace(tree, path, "__mark__")
    _set_mark(broken, data.draw(WRONG))
    _only_spec_error(PipelineSpec.from_dict, broken)


def _set_mark(tree, value):
    """Replace the "__mark__" leaf by value in place (value need not be JSON: 10**5000, deep lists, NaN)."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, child in list(items):
        if child == "__mark__":
            tree[key] = value
        else:
            _set_mark(child, value)


@FUZZ
@given(specs(), st.data())
def test_any_field_replaced_by_a_nasty_json_token(spec, data):
    tree = spec.to_dict()
    path = data.draw(st.sampled_from(sorted(_paths(tree))))
    text = json.dumps(_replace(tree, path, "__mark__")).replace('"__mark__"', data.draw(TOKENS))
    _only_spec_error(PipelineSpec.from_json, text)
    _only_spec_error(PipelineSpec.from_json, text.encode("utf-16"))


QUERY_TEXT = (TOKENS | st.sampled_from(["inf", "-inf", "nan", "1e5", "1.5", "+3", "-0", " 7 ", "0x10", "true"])
              | st.text(max_size=12))
FIELDS = st.sampled_from(sorted(PipelineSpec().to_dict().keys() - {"version"})).flatmap(
    lambda s: st.sampled_from([f"{s}.{k}" for k in PipelineSpec().to_dict()[s]]))


@FUZZ
@given(st.dictionaries(FIELDS, QUERY_TEXT, max_size=6))
def test_query_with_nasty_numbers_and_deep_json(query):
    _only_spec_error(PipelineSpec.from_query, query)


@FUZZ
@given(st.sampled_from(sorted(CHOICES)), WRONG | st.integers() | st.floats())
def test_forged_choice_values_are_refused_or_valid(path, value):
    """A select widget forged to send a number, a list or an unknown string."""
    section, name = path.split(".")
    if section == "layer":
        tree = {"net": {"layers": [{"kind": "conv", name: value}]}}
    else:
        tree = {section: {name: value}}
    result = _only_spec_error(PipelineSpec.from_dict, tree)
    assert result is None or value in CHOICES[path]


@FUZZ
@given(st.sampled_from([None, 5, 1.5, [], ["a"], b"\xff\xfe\x00", object()]) | st.binary(max_size=40))
def test_from_json_and_from_query_with_non_text(value):
    _only_spec_error(PipelineSpec.from_json, value)
    _only_spec_error(PipelineSpec.from_query, value)
    _only_spec_error(PipelineSpec.from_query, {"image.long_side": value, "net.layers": value})
