"""Fuzzed pipeline JSON: PipelineSpec.from_json / from_dict / from_query raise SpecError and nothing else."""
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_spec import specs

from playground.errors import SpecError
from playground.spec import PipelineSpec

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCALARS = st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | st.text(max_size=20)
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner,
                                                                                             max_size=5),
                       max_leaves=25)


def _only_spec_error(call, value):
    """The call returns a PipelineSpec or raises SpecError with a catalogue key."""
    try:
        result = call(value)
    except SpecError as exc:
        assert exc.message.key, "a SpecError must carry a translatable message"
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
