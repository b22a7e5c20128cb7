"""Tests for playground/untrusted.py and inputs that would crash a naive parser: every one is a SpecError."""
from __future__ import annotations

import json

import pytest

from playground.errors import Message, SpecError
from playground.i18n import tm
from playground.spec import PipelineSpec
from playground.untrusted import MAX_DEPTH, MAX_TEXT_CHARS, SHORT, load_json, nesting_depth, short


def refused(call, value, key: str) -> SpecError:
    """Assert call(value) raises SpecError(key) whose message reads in both languages."""
    with pytest.raises(SpecError) as info:
        call(value)
    assert info.value.key == key, info.value
    for lang in ("en", "zh"):
        assert tm(info.value.message, lang)
    return info.value


def nested(depth: int):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("raw", ["1.e400", "1e400", "inf", "-Infinity", "1" + "0" * 5000], ids=str.__len__)
def test_infinite_or_huge_int_in_the_link_is_out_of_range(raw):
    """Was OverflowError: int(float("1.e400"))."""
    err = refused(PipelineSpec.from_query, {"image.long_side": raw}, "spec.out_of_range")
    assert err.params["path"] == "image.long_side" and len(err.params["value"]) <= SHORT


@pytest.mark.parametrize("token", ["Infinity", "-Infinity", "1e400", "1" + "0" * 400])
def test_infinity_inside_the_layer_json_of_a_link(token):
    """Was OverflowError: json reads Infinity and 1e400 as float inf."""
    err = refused(PipelineSpec.from_query, {"net.layers": f'[{{"kind":"conv","kernel":{token}}}]'}, "spec.out_of_range")
    assert err.params["path"] == Message("spec.layer_path", {"layer": 1, "field": "kernel"})


def test_nan_is_a_wrong_type_everywhere():
    refused(PipelineSpec.from_json, '{"train": {"lr": NaN}}', "spec.bad_type")
    refused(PipelineSpec.from_query, {"net.layers": '[{"kind":"conv","out_channels":NaN}]'}, "spec.bad_type")
    refused(PipelineSpec.from_dict, {"augment": {"p_hflip": float("nan")}}, "spec.bad_type")


def test_python_ints_beyond_float_range():
    """Was OverflowError: float(10**400) in the int check."""
    refused(PipelineSpec.from_dict, {"image": {"long_side": 10**400}}, "spec.out_of_range")
    refused(PipelineSpec.from_dict, {"image": {"long_side": 10**5000}}, "spec.out_of_range")  # no str() of it either
    refused(PipelineSpec.from_dict, {"net": {"layers": [{"kind": "conv", "custom": [10**400]}]}}, "spec.bad_type")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 90_000])
def test_deep_json_is_refused_before_parsing(depth):
    """Was RecursionError from json.loads at about 1,000 levels."""
    text = "[" * depth + "]" * depth
    assert refused(PipelineSpec.from_json, text, "spec.too_deep").params == {"depth": depth, "max": MAX_DEPTH}
    refused(PipelineSpec.from_json, '{"version": 1, "net": ' + text + "}", "spec.too_deep")
    refused(PipelineSpec.from_query, {"net.layers": text}, "spec.too_deep")


def test_deep_python_values_are_refused_without_recursing():
    """Was RecursionError from str() of a deeply nested value put into the message."""
    err = refused(PipelineSpec.from_dict, {"net": {"layers": {"a": nested(50_000)}}}, "spec.bad_type")
    assert len(err.params["value"]) <= SHORT
    refused(PipelineSpec.from_dict, {"version": nested(50_000)}, "spec.bad_version")


def test_oversize_text_is_refused_before_parsing():
    text = json.dumps({"image": {"sample": "china"}, "pad": " " * MAX_TEXT_CHARS})
    assert refused(PipelineSpec.from_json, text, "spec.too_long").params["max"] == MAX_TEXT_CHARS
    refused(PipelineSpec.from_json, text.encode(), "spec.too_long")
    refused(PipelineSpec.from_query, {"net.layers": "[" + " " * MAX_TEXT_CHARS + "]"}, "spec.too_long")


def test_the_largest_real_spec_is_well_under_the_caps():
    """12 convs with 11×11 custom kernels of long floats, pretty-printed: what an export can hold."""
    layer = {"kind": "conv", "kernel": 11, "init": "custom", "custom": [-0.123456789012345] * 121}
    spec = PipelineSpec.from_dict({"net": {"layers": [layer] * 12}})
    text = spec.to_json()
    assert len(text) < MAX_TEXT_CHARS / 2 and nesting_depth(text) < MAX_DEPTH
    assert PipelineSpec.from_json(text) == spec == PipelineSpec.from_query(spec.to_query())


def test_field_names_and_version_in_messages_are_cut_short():
    """User text that reaches st.warning / st.error is at most SHORT characters, on one line."""
    name = "# SERVER HACKED\n![x](http://evil.example/x.png)" + "x" * 200
    err = refused(PipelineSpec.from_dict, {"image": {name: 1}}, "spec.unknown_field")
    assert err.params["path"].startswith("image.# SERVER") and len(err.params["path"]) == len("image.") + SHORT
    assert "\n" not in err.params["path"]
    err = refused(PipelineSpec.from_dict, {"version": name}, "spec.bad_version")
    assert len(err.params["version"]) == SHORT and err.params["version"].endswith("…")
    err = refused(PipelineSpec.from_dict, {"net": {"layers": [{name: 1, 7: 2}]}}, "spec.unknown_field")
    assert len(err.params["path"].params["field"]) <= SHORT  # keys of mixed types: no TypeError


@pytest.mark.parametrize("version", [True, 1.0, "1", [1], None])
def test_only_the_int_1_is_version_1(version):
    refused(PipelineSpec.from_dict, {"version": version}, "spec.bad_version")


@pytest.mark.parametrize("value", [3, 3.0, ["sgd"], {"a": 1}, None, True, "SGD"])
def test_forged_choice_values(value):
    """A select widget sending a number (or anything but one of its strings) is refused, never a crash."""
    refused(lambda v: PipelineSpec().set("train.optimizer", v), value, "spec.bad_choice")
    refused(PipelineSpec.from_dict, {"net": {"layers": [{"kind": value}]}}, "spec.bad_choice")


def test_set_of_an_unknown_path_is_a_spec_error():
    refused(lambda p: PipelineSpec().set(p, 1), "image.nope", "spec.unknown_field")
    refused(lambda p: PipelineSpec().set(p, 1), "a.b.c", "spec.unknown_field")
    refused(lambda p: PipelineSpec().set(p, 1), 5, "spec.unknown_field")


def test_from_query_needs_a_mapping_of_strings():
    refused(PipelineSpec.from_query, 5, "spec.not_object")
    refused(PipelineSpec.from_query, {"image.long_side": 5}, "spec.bad_value")
    assert PipelineSpec.from_query({5: "x", ("a", "b"): "y"}) == PipelineSpec()  # not spec fields: ignored


def test_from_json_with_non_text_and_undecodable_bytes():
    refused(PipelineSpec.from_json, None, "spec.bad_json")
    refused(PipelineSpec.from_json, b"\xff\xfe\xff\xdb", "spec.bad_json")
    assert PipelineSpec.from_json(PipelineSpec().to_json().encode("utf-16")) == PipelineSpec()


def test_nesting_depth_ignores_brackets_inside_strings():
    assert nesting_depth('{"a": "[[[[{{{{", "b": ["\\"[[["]}') == 2
    assert nesting_depth("") == 0 and nesting_depth("[[]][[[]]]") == 3
    assert load_json('{"x": "' + "[" * 5000 + '"}') == {"x": "[" * 5000}


def test_short_never_raises_and_never_breaks_lines():
    class Broken:
        def __repr__(self):
            raise RuntimeError("no")

    assert short(Broken()).startswith("<Broken")
    assert short(10**5000) == "<int>"  # beyond Python's digit limit: repr itself raises
    assert short("a\nb\tc") == "a b c"
    assert len(short("x" * 1000)) == SHORT and len(short(nested(10_000))) <= SHORT


def test_a_byte_order_mark_before_json_text_or_bytes_is_not_an_error():
    assert load_json("\ufeff{\"a\": 1}") == {"a": 1}
    assert load_json(b"\xef\xbb\xbf{\"a\": 1}") == {"a": 1}
    with pytest.raises(SpecError):
        load_json("{\"a\": 1}\ufeff")  # only a leading mark is dropped
