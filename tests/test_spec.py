"""PipelineSpec: JSON and URL-query round trips, validation against the limits table."""
import dataclasses
import json
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.errors import Message, SpecError
from playground.i18n import catalogue, tm
from playground.limits import CHOICES, LIMITS
from playground.spec import LayerSpec, PipelineSpec
from testkit.hypo import examples


def _value(path):
    """A hypothesis strategy for one field's valid values."""
    if path in CHOICES:
        return st.sampled_from(CHOICES[path])
    lim = LIMITS[path]
    if path == "train.lr":  # log scale down to 1e-5: rounding to 3 decimals would leave the range
        return st.floats(lim.min, lim.max, allow_nan=False)
    if isinstance(lim.default, int):
        return st.integers(int(lim.min), int(lim.max))
    return st.floats(lim.min, lim.max, allow_nan=False).map(lambda v: round(v, 3))


PATHS = sorted(p for p in set(LIMITS) | set(CHOICES) if not p.startswith(("layer.", "steps.")))  # steps.*: view settings
LAYER_FIELDS = sorted(p for p in set(LIMITS) | set(CHOICES) if p.startswith("layer."))


@st.composite
def layers(draw):
    values = {p.split(".")[1]: draw(_value(p)) for p in LAYER_FIELDS if draw(st.booleans())}
    if draw(st.booleans()):
        values["custom"] = tuple(draw(st.lists(st.integers(-5, 5).map(float), max_size=9)))
    return LayerSpec(**values)


@st.composite
def specs(draw):
    spec = PipelineSpec()
    for path in PATHS:
        if draw(st.booleans()):
            spec = spec.set(path, draw(_value(path)))
    for path in ("image.grayscale", "augment.expand", "train.colour", "train.augment"):
        spec = spec.set(path, draw(st.booleans()))
    return spec.set("net.layers", tuple(draw(st.lists(layers(), max_size=4))))


@settings(max_examples=examples(60), deadline=None)
@given(specs())
def test_json_round_trip(spec):
    assert PipelineSpec.from_json(spec.to_json()) == spec


@settings(max_examples=examples(60), deadline=None)
@given(specs())
def test_query_round_trip(spec):
    query = spec.to_query()
    assert all(isinstance(v, str) for v in query.values())
    assert PipelineSpec.from_query(query) == spec


def test_default_spec_has_empty_query_and_known_values():
    assert PipelineSpec().to_query() == {}
    assert PipelineSpec().image.long_side == LIMITS["image.long_side"].default


def test_query_ignores_foreign_keys():
    assert PipelineSpec.from_query({"utm_source": "x", "a.b.c": "1"}) == PipelineSpec()


@pytest.mark.parametrize("data, key", [
    ("[1, 2]", "spec.not_object"),
    ("{not json", "spec.bad_json"),
    ('{"version": 99}', "spec.bad_version"),
    ('{"image": {"colour": 1}}', "spec.unknown_field"),
    ('{"image": 5}', "spec.not_object"),
    ('{"image": {"long_side": 5000}}', "spec.out_of_range"),
    ('{"image": {"long_side": 64.5}}', "spec.bad_type"),
    ('{"image": {"grayscale": "yes"}}', "spec.bad_type"),
    ('{"augment": {"angle": true}}', "spec.bad_type"),
    ('{"augment": {"p_hflip": NaN}}', "spec.bad_type"),
    ('{"norm": {"method": "l2"}}', "spec.bad_choice"),
    ('{"net": {"layers": {"kind": "conv"}}}', "spec.bad_type"),
    ('{"net": {"layers": [{"kind": "conv", "kernel": 13}]}}', "spec.out_of_range"),
    ('{"net": {"layers": [{"kind": "pool"}]}}', "spec.bad_choice"),
    ('{"net": {"layers": [{"kind": "conv", "size": 3}]}}', "spec.unknown_field"),
    ('{"net": {"layers": [{"kind": "conv", "custom": [1, "x"]}]}}', "spec.bad_type"),
    ('{"net": {"layers": [3]}}', "spec.not_object"),
    ('{"net": {"layers": [{"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"},'
     '{"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"}, {"kind": "relu"},'
     '{"kind": "relu"}, {"kind": "relu"}]}}', "spec.too_many_layers"),
])
def test_bad_json_raises_spec_error_with_translatable_key(data, key):
    with pytest.raises(SpecError) as info:
        PipelineSpec.from_json(data)
    assert info.value.key == key
    for lang in ("en", "zh"):
        template = catalogue(lang)[key]
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert names <= set(info.value.params), (template, info.value.params)
        template.format(**info.value.params)


@pytest.mark.parametrize("query", [{"augment.angle": "abc"}, {"image.grayscale": "maybe"}, {"augment.angle": "999"}])
def test_bad_query_raises(query):
    with pytest.raises(SpecError):
        PipelineSpec.from_query(query)


def test_set_validates_and_returns_new_frozen_copy():
    spec = PipelineSpec()
    changed = spec.set("augment.angle", 45)
    assert changed.augment.angle == 45 and spec.augment.angle == 0
    with pytest.raises(SpecError):
        spec.set("augment.angle", 181)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.augment.angle = 3  # frozen


def test_json_is_plain_and_versioned():
    data = json.loads(PipelineSpec().to_json())
    assert data["version"] == 1 and set(data) == {"version", "image", "augment", "norm", "net", "train"}


def test_limits_defaults_inside_ranges_and_steps_positive():
    for path, lim in LIMITS.items():
        assert lim.min <= lim.default <= lim.max, path
        assert lim.step > 0, path


def test_layer_error_names_the_layer():
    with pytest.raises(SpecError) as info:
        PipelineSpec.from_json('{"net": {"layers": [{"kind": "relu"}, {"kind": "conv", "stride": 9}]}}')
    assert info.value.params["path"] == Message("spec.layer_path", {"layer": 2, "field": "stride"})


def test_train_section_round_trips_and_old_json_without_it_still_loads():
    spec = PipelineSpec().set("train.lr", 2e-05).set("train.optimizer", "rmsprop").set("train.colour", True)
    assert PipelineSpec.from_query(spec.to_query()) == spec
    assert PipelineSpec.from_json(spec.to_json()).train.lr == 2e-05
    assert PipelineSpec.from_json('{"version": 1, "norm": {"method": "zscore"}}').train == PipelineSpec().train
    with pytest.raises(SpecError):
        spec.set("train.lr", 2.0)


def test_a_layer_error_reads_layer_numbers_from_one_in_both_languages():
    with pytest.raises(SpecError) as info:
        PipelineSpec.from_json('{"net": {"layers": [{"kind": "relu"}, {"kind": "relu"}, {"kind": "conv", "kernel": 99}]}}')
    assert "layer 3 · kernel" in tm(info.value.message, "en") and "[2]" not in tm(info.value.message, "en")
    assert "第 3 层 · kernel" in tm(info.value.message, "zh")
