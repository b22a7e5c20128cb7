"""Every page, in both languages, shows only catalogue text (AppTest).

The rule, applied to every visible string (titles, headers, markdown, captions, alerts, widget labels,
options and help, image captions and alt text, expander labels, table headers, chart titles):
  * Chinese page: every Latin word must be one the zh catalogue itself uses (technical tokens the
    translators kept, such as ReLU, Conv2d, RGB), so a hard-coded English literal fails.
  * English page: no Chinese characters, and every word must occur somewhere in the en catalogue.
Numbers, symbols, HTML tags, icons and code blocks are not words; the language names in the selector are user-facing data.
"""
from __future__ import annotations

import json
import re
import tomllib
from functools import cache

import pytest
from streamlit.testing.v1 import AppTest

from playground.i18n import catalogue
from playground.labs import LABS
from playground.layers.kinds import KINDS
from playground.layers.stacks import DIGIT_NET
from playground.lessons.library import FILES as LESSON_FILES
from playground.limits import LAYER_KINDS, MAX_LAYERS
from playground.spec import LayerSpec, PipelineSpec
from playground.ui.state import widget_key

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
ICON = re.compile(r":material/[a-z_]+:")
TAG = re.compile(r"<[^>]*>")
STYLE = re.compile(r"<(style|script)>.*?</(style|script)>", re.S)  # CSS and our scripts are not shown: no language
SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e[-+]?\d+")  # 1e-05 is a number, not the word "e"
CJK = re.compile(r"[\u3400-\u9fff]")
TEXT_FIELDS = {"body", "label", "help", "options", "caption", "alt", "placeholder"}
SKIP_TYPES = {"code", "json", "latex"}  # code and formulas are written in Python / LaTeX, not a language
DATA = {"English", "中文"}  # the language selector names each language in itself


def skey(name: str) -> str:
    """The widget key of a step-through setting (bound to view.steps.<name>)."""
    return widget_key(f"view.steps.{name}")


PAGES = [lab.page for lab in LABS]  # the default page first: it is what the first run shows


@cache
def vocabulary(lang: str) -> frozenset[str]:
    """Lower-cased Latin words a catalogue uses, plus the PyTorch layer names (Conv2d, MaxPool2d, ...)."""
    words = {w.lower() for text in catalogue(lang).values() for w in LATIN.findall(text)}
    words |= {w.lower() for text in lesson_texts(lang) for w in LATIN.findall(text)}
    return frozenset(words | {k.torch_name.lower() for k in KINDS.values()})


def lesson_texts(lang: str) -> list[str]:
    """Every text of the built-in lesson files in lang: their words are the lessons' own, like the catalogue's."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == lang and isinstance(value, str):
                    out.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(LESSON_FILES.glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return out


def _proto_texts(msg) -> list[str]:
    """Every string in the text-like fields of a protobuf message, recursively."""
    out = []
    for field, value in msg.ListFields():
        if field.type == field.TYPE_MESSAGE:
            items = [value] if hasattr(value, "ListFields") else list(value)
            for item in items:
                out += _proto_texts(item)
        elif field.name in TEXT_FIELDS and field.type == field.TYPE_STRING:
            out += [value] if isinstance(value, str) else list(value)
    return out


def _figure_texts(spec: str) -> list[str]:
    """Titles, axis titles, trace names and annotations of a plotly figure's JSON."""
    fig = json.loads(spec)
    out = [tr.get("name", "") for tr in fig.get("data", [])]
    layout = fig.get("layout", {})
    for _key, part in layout.items():
        if isinstance(part, dict) and isinstance(part.get("title"), dict):
            out.append(part["title"].get("text", ""))
    if isinstance(layout.get("title"), dict):
        out.append(layout["title"].get("text", ""))
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    return out


def visible_texts(at) -> list[str]:
    """All user-visible strings of the rendered app."""
    out = []
    stack = [at.main, at.sidebar]
    while stack:
        node = stack.pop()
        stack += list(getattr(node, "children", {}).values())
        kind, proto = getattr(node, "type", None), getattr(node, "proto", None)
        if proto is None or kind in SKIP_TYPES:
            continue
        if kind == "plotly_chart":
            out += _figure_texts(proto.spec)
        elif kind == "arrow_data_frame" or type(node).__name__ == "Dataframe":
            out += [str(c) for c in node.value.columns]
        else:
            out += _proto_texts(proto)
    return [s for s in out if s and s not in DATA]


def foreign_words(text: str, lang: str) -> list[str]:
    """Words in text that the lang catalogue never uses (or Chinese on an English page)."""
    text = ICON.sub(" ", TAG.sub(" ", STYLE.sub(" ", re.sub(r"`[^`]*`", "", text))))  # code, CSS, tags, icons
    text = SCIENTIFIC.sub(" ", text)
    if lang == "en" and CJK.search(text):
        return [text]
    allowed = vocabulary(lang)
    return [w for w in LATIN.findall(text) if w.lower() not in allowed]


def render(page: str, query: dict | None, state: dict | None, lang: str) -> AppTest:
    """Run app.py on a page in a language, with a share-link query and session state set before the first run.

    Set up before the first run, not by widget set_value: AppTest formats a selectbox's options outside
    the script on later runs, where the page's language is not known.
    """
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["ui.lang"] = lang
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update(query or {})
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def assert_translated(at, lang: str) -> None:
    """Fail with the offending texts."""
    bad = {text: words for text in visible_texts(at) if (words := foreign_words(text, lang))}
    assert not bad, f"untranslated text on a {lang} page: {bad}"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_only_its_language(page, lang):
    assert_translated(render(page, None, None, lang), lang)


def _every_kind(part: int) -> dict:
    """A share-link query for a stack holding one layer of each kind of a part (at most MAX_LAYERS kinds per
    stack), so between the parts every per-kind text is drawn."""
    kinds = LAYER_KINDS[part * MAX_LAYERS:(part + 1) * MAX_LAYERS]
    layers = tuple(LayerSpec(k, kernel=2, stride=2) if "pool" in k else LayerSpec(k) for k in kinds)
    return PipelineSpec().set("net.layers", layers).to_query()


VARIANTS = {
    "image_random": ("pages/image_lab.py", {"augment.mode": "random"}, None),
    **{f"layers_every_kind_{part}": ("pages/layer_lab.py", _every_kind(part), None)
       for part in range(-(-len(LAYER_KINDS) // MAX_LAYERS))},
    "layers_digit_net": ("pages/layer_lab.py", PipelineSpec().set("net.layers", DIGIT_NET).to_query(), None),
    "steps_max_pool": ("pages/conv_steps.py", None, {skey("op"): "maxpool"}),
    "training_mnist": ("pages/training.py", {"train.dataset": "mnist"}, None),
    "training_yours": ("pages/training.py", {"train.dataset": "yours"}, None),  # filled and trained: test_ownset_page
    # "Check yourself": every exercise a page does not show by default, opened by a share link
    **{f"exercise_{e}": (f"pages/{p}.py", {"ex": e}, None) for p, e in (
        ("image_lab", "image.normalize"), ("conv_steps", "steps.out_size"), ("conv_steps", "steps.window"),
        ("layer_lab", "layers.params"), ("layer_lab", "layers.receptive_field"), ("training", "training.diverge"))},
    "exercise_steps_practice": ("pages/conv_steps.py", {"ex": "steps.next_value", "ex_practice": "1"}, None),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_page_variants_speak_only_their_language(variant, lang):
    assert_translated(render(*VARIANTS[variant], lang), lang)


def test_the_rule_catches_a_hard_coded_english_literal():
    assert foreign_words("Learning rate", "zh") == ["Learning", "rate"]
    assert foreign_words("ReLU 把负数变成 0", "zh") == []
    assert foreign_words("学习率", "en") == ["学习率"]
