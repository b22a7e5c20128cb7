"""Read a lesson file (TOML, format in docs/lessons.md) into a Lesson; every failure is a LessonError with its line."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from numbers import Integral, Real
from typing import Any

from playground.errors import SpecError
from playground.exercises.answers import Choice, Decimal, Integer, Integers
from playground.exercises.model import SEED_MAX, ExerciseError
from playground.exercises.registry import EXERCISES, make
from playground.image.decode import to_working
from playground.image.samples import load_sample
from playground.lessons.lines import key_lines, line_of
from playground.lessons.model import KINDS, VIEWS, Lesson, LessonError, Option, Prediction, Scene, Text
from playground.lessons.steps import STEP_VIEW, steps_problem
from playground.spec import LayerSpec, PipelineSpec
from playground.untrusted import MAX_TEXT_CHARS, short

FORMAT = 1
MAX_SCENES = 40
MAX_CHOICES = 6
MAX_TEXT = 4000  # characters of one text in one language
SCENE_MINUTES = (1, 30)
_ID = re.compile(r"[a-z0-9][a-z0-9_\-]{0,39}")
_LESSON_KEYS = {"format", "id", "title", "settings", "scene"}
_SCENE_KEYS = {"id", "title", "text", "notes", "view", "minutes", "open", "settings", "view_settings", "prediction"}
_PREDICTION_KEYS = {"kind", "exercise", "seed", "context", "question", "given", "answer", "tolerance", "working", "choice"}
_CHOICE_KEYS = {"id", "label", "settings"}
_CONTEXT_KEYS = {"layer", "values", "stat"}
_LAYER_FIELDS = tuple(LayerSpec.__dataclass_fields__)
OPEN_SPEC_FIELDS = ("augment.flip", "augment.angle", "augment.border", "augment.mode", "norm.method", "image.sample",
                    "train.optimizer", "train.lr", "train.epochs", "train.augment", "train.dataset")
OPEN_STEP_FIELDS = ("op", "multi", "preset", "size", "seed", "bias", "stride", "padding", "dilation", "kernel")


class _Reader:
    """Walks the parsed table; fail() raises a LessonError naming the line of a key path."""

    def __init__(self, text: str):
        self.lines = key_lines(text)

    def fail(self, path: tuple, error: str, **params) -> LessonError:
        return LessonError(f"lesson.errors.{error}", line=line_of(self.lines, path),
                           where=".".join(str(p + 1) if isinstance(p, int) else p for p in path) or "(file)", **params)

    def table(self, value, path: tuple, allowed: set[str], required: tuple[str, ...] = ()) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, "not_table")
        for name in value:
            if name not in allowed:
                raise self.fail((*path, name), "unknown_key", name=short(name), allowed=", ".join(sorted(allowed)))
        for name in required:
            if name not in value:
                raise self.fail(path, "missing_key", name=name)
        return value

    def text(self, value, path: tuple) -> Text:
        self.table(value, path, {"en", "zh"}, ("en", "zh"))
        for lang in ("en", "zh"):
            v = value[lang]
            if not isinstance(v, str) or not v.strip():
                raise self.fail((*path, lang), "empty_text")
            if len(v) > MAX_TEXT:
                raise self.fail((*path, lang), "text_too_long", chars=len(v), max=MAX_TEXT)
        return Text(value["en"].strip(), value["zh"].strip())

    def ident(self, value, path: tuple) -> str:
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise self.fail(path, "bad_id", value=short(value))
        return value

    def integer(self, value, path: tuple, lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, Integral) or not lo <= value <= hi:
            raise self.fail(path, "bad_int", value=short(value), min=lo, max=hi)
        return int(value)

    def spec(self, data: dict, path: tuple) -> PipelineSpec:
        try:
            return PipelineSpec.from_dict(data)
        except SpecError as exc:
            raise self.fail(self._spec_path(path, exc), "settings", reason=exc.message) from None

    @staticmethod
    def _spec_path(path: tuple, exc: SpecError) -> tuple:
        where = exc.params.get("path")
        if isinstance(where, str) and "." in where and " " not in where:
            return (*path, *where.split("."))
        return path


def _merge(base: dict, over: dict) -> dict:
    """over written onto base, table by table; lists (the layers) and values replace."""
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load(text: str, source: str = "") -> Lesson:
    """The lesson written in text; LessonError (with a line where there is one) for anything else."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise LessonError("lesson.errors.not_utf8", line=0, where="(file)") from None
    if not isinstance(text, str):
        raise LessonError("lesson.errors.not_text", line=0, where="(file)")
    if len(text) > MAX_TEXT_CHARS:
        raise LessonError("lesson.errors.too_long", line=0, where="(file)", chars=len(text), max=MAX_TEXT_CHARS)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
        raise LessonError("lesson.errors.syntax", line=line, column=column, where="(file)") from None
    except (RecursionError, ValueError):
        raise LessonError("lesson.errors.syntax", line=0, column=0, where="(file)") from None
    r = _Reader(text)
    r.table(data, (), _LESSON_KEYS, ("format", "id", "title", "scene"))
    if data["format"] != FORMAT or isinstance(data["format"], bool):
        raise r.fail(("format",), "bad_format", value=short(data["format"]), expected=FORMAT)
    lesson_id = r.ident(data["id"], ("id",))
    title = r.text(data["title"], ("title",))
    base = data.get("settings", {})
    r.table(base, ("settings",), set(PipelineSpec.__dataclass_fields__))
    r.spec(base, ("settings",))
    scenes_data = data["scene"]
    if not isinstance(scenes_data, list) or not scenes_data:
        raise r.fail(("scene",), "no_scenes")
    if len(scenes_data) > MAX_SCENES:
        raise r.fail(("scene",), "too_many_scenes", count=len(scenes_data), max=MAX_SCENES)
    scenes: list[Scene] = []
    for i, raw in enumerate(scenes_data):
        scene = _scene(r, raw, ("scene", i), base)
        if any(s.id == scene.id for s in scenes):
            raise r.fail(("scene", i, "id"), "repeated_id", value=scene.id)
        scenes.append(scene)
    return Lesson(lesson_id, title, sum(s.minutes for s in scenes), tuple(scenes), source)


def _scene(r: _Reader, raw, path: tuple, base: dict) -> Scene:
    r.table(raw, path, _SCENE_KEYS, ("id", "title", "text", "view", "minutes"))
    scene_id = r.ident(raw["id"], (*path, "id"))
    view = raw["view"]
    if view not in VIEWS:
        raise r.fail((*path, "view"), "bad_view", value=short(view), allowed=", ".join(VIEWS))
    over = raw.get("settings", {})
    r.table(over, (*path, "settings"), set(PipelineSpec.__dataclass_fields__))
    settings = r.spec(_merge(base, over), (*path, "settings"))
    view_settings = _view_settings(r, raw.get("view_settings", {}), (*path, "view_settings"), view)
    notes = r.text(raw["notes"], (*path, "notes")) if "notes" in raw else Text("", "")
    scene = Scene(scene_id, r.text(raw["title"], (*path, "title")), r.text(raw["text"], (*path, "text")), view,
                  settings, _open(r, raw.get("open", []), (*path, "open"), settings), notes,
                  r.integer(raw["minutes"], (*path, "minutes"), *SCENE_MINUTES), None, view_settings)
    if "prediction" in raw:
        scene = Scene(**{**scene.__dict__, "prediction": _prediction(r, raw["prediction"], (*path, "prediction"), scene)})
    return scene


def _view_settings(r: _Reader, raw, path: tuple, view: str) -> tuple[tuple[str, Any], ...]:
    if not raw:
        return ()
    if view != "steps":
        raise r.fail(path, "view_settings_view", view=view)
    r.table(raw, path, set(STEP_VIEW))
    for name, value in raw.items():
        kind = type(STEP_VIEW[name])
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float and isinstance(value, Integral) and not isinstance(value, bool):
            ok = True
        if not ok:
            raise r.fail((*path, name), "bad_value", value=short(value))
    items = tuple(sorted(raw.items()))
    try:
        steps_problem(dict(items))
    except SpecError as exc:
        raise r.fail(path, "settings", reason=exc.message) from None
    return items


def _open(r: _Reader, raw, path: tuple, settings: PipelineSpec) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > 4:
        raise r.fail(path, "bad_open")
    out = []
    for item in raw:
        if not isinstance(item, str) or not _control_known(item, settings):
            raise r.fail(path, "unknown_control", value=short(item))
        out.append(item)
    return tuple(out)


def _control_known(name: str, settings: PipelineSpec) -> bool:
    parts = name.split(".")
    if parts[0] == "view":
        return len(parts) == 3 and parts[1] == "steps" and parts[2] in OPEN_STEP_FIELDS
    if len(parts) == 4 and parts[:2] == ["net", "layers"]:
        return parts[2].isdigit() and int(parts[2]) < len(settings.net.layers) and parts[3] in _LAYER_FIELDS
    return name in OPEN_SPEC_FIELDS


def _prediction(r: _Reader, raw, path: tuple, scene: Scene) -> Prediction:
    r.table(raw, path, _PREDICTION_KEYS, ("kind",))
    kind = raw["kind"]
    if kind not in KINDS:
        raise r.fail((*path, "kind"), "bad_kind", value=short(kind), allowed=", ".join(KINDS))
    if "exercise" in raw:
        return _from_exercise(r, raw, path, scene, kind)
    for name in ("question", "answer", "working"):
        if name not in raw:
            raise r.fail(path, "missing_key", name=name)
    question = r.text(raw["question"], (*path, "question"))
    working = _texts(r, raw["working"], (*path, "working"))
    given = _texts(r, raw.get("given", []), (*path, "given"))
    if kind == "number":
        if "choice" in raw:
            raise r.fail((*path, "choice"), "choices_with_number")
        answer = raw["answer"]
        if isinstance(answer, bool) or not isinstance(answer, Real):
            raise r.fail((*path, "answer"), "bad_number", value=short(answer))
        tol = raw.get("tolerance", 0)
        if isinstance(tol, bool) or not isinstance(tol, Real) or not 0 <= tol <= abs(answer) + 1:
            raise r.fail((*path, "tolerance"), "bad_tolerance", value=short(tol))
        return Prediction(kind, question, answer, working, (), given, float(tol))
    choices = _choices(r, raw.get("choice"), (*path, "choice"), scene, kind)
    answer = raw["answer"]
    if answer not in [c.id for c in choices]:
        raise r.fail((*path, "answer"), "answer_not_choice", value=short(answer))
    if kind == "map":
        right = next(c for c in choices if c.id == answer)
        if right.settings != scene.settings:
            raise r.fail((*path, "answer"), "map_answer_differs")
    return Prediction(kind, question, answer, working, choices, given)


def input_shape(spec: PipelineSpec) -> tuple[int, int, int] | None:
    """(C, H, W) the first layer gets from a sample picture (None for an upload or an expanding rotation)."""
    if spec.image.source != "sample" or (spec.augment.expand and spec.augment.angle % 180):
        return None
    h, w, c = _sample_shape(spec.image.sample, spec.image.long_side, spec.image.grayscale)
    return c, h, w


@cache
def _sample_shape(sample: str, long_side: int, grayscale: bool) -> tuple[int, int, int]:
    working, _ = to_working(load_sample(sample), long_side, grayscale)
    return working.shape


def _texts(r: _Reader, raw, path: tuple) -> tuple[Text, ...]:
    if not isinstance(raw, list) or len(raw) > 12:
        raise r.fail(path, "bad_list")
    return tuple(r.text(item, (*path, i)) for i, item in enumerate(raw))


def _choices(r: _Reader, raw, path: tuple, scene: Scene, kind: str) -> tuple[Option, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_CHOICES:
        raise r.fail(path, "bad_choices", min=2, max=MAX_CHOICES)
    out: list[Option] = []
    base = scene.settings.to_dict()
    for i, item in enumerate(raw):
        r.table(item, (*path, i), _CHOICE_KEYS, ("id", "label"))
        option_id = r.ident(item["id"], (*path, i, "id"))
        if any(o.id == option_id for o in out):
            raise r.fail((*path, i, "id"), "repeated_id", value=option_id)
        settings = None
        if kind == "map":
            over = item.get("settings", {})
            r.table(over, (*path, i, "settings"), set(PipelineSpec.__dataclass_fields__))
            settings = r.spec(_merge(base, over), (*path, i, "settings"))
        elif "settings" in item:
            raise r.fail((*path, i, "settings"), "settings_not_map")
        out.append(Option(option_id, r.text(item["label"], (*path, i, "label")), settings))
    return tuple(out)


def _from_exercise(r: _Reader, raw, path: tuple, scene: Scene, kind: str) -> Prediction:
    exercise = raw["exercise"]
    if exercise not in EXERCISES:
        raise r.fail((*path, "exercise"), "unknown_exercise", value=short(exercise),
                     allowed=", ".join(EXERCISES))
    for name in ("question", "answer", "working", "choice", "tolerance"):
        if name in raw:
            raise r.fail((*path, name), "exercise_writes", name=name)
    seed = r.integer(raw.get("seed", 0), (*path, "seed"), 0, SEED_MAX)
    ctx = dict(r.table(raw.get("context", {}), (*path, "context"), _CONTEXT_KEYS))
    if ctx.get("values") is not None and isinstance(ctx["values"], list):
        ctx["values"] = tuple(ctx["values"])
    if exercise.startswith("steps.") and scene.view == "steps":
        ctx["problem"] = steps_problem(dict(scene.view_settings))
    if exercise.startswith("layers.") and (shape := input_shape(scene.settings)) is not None:
        ctx["in_shape"] = shape
    try:
        q = make(exercise, scene.settings, seed, **ctx)
    except (ExerciseError, SpecError) as exc:
        raise r.fail((*path, "exercise"), "exercise_failed", reason=exc.message) from None
    if q.variant:  # the question would be about a practice setting, not what the scene shows
        raise r.fail((*path, "exercise"), "exercise_variant", value=exercise)
    answer = q.answer
    if kind == "number" and isinstance(answer, Integer | Integers | Decimal):
        tol = answer.tol if isinstance(answer, Decimal) else 0.0
        return Prediction(kind, q.prompt, answer.value, q.working, (), q.given, tol, exercise, seed, q)
    if kind == "choice" and isinstance(answer, Choice) and answer.value is not None:
        options = tuple(Option(o, label) for o, label in zip(answer.options, answer.labels(), strict=True))
        return Prediction(kind, q.prompt, answer.value, q.working, options, q.given, 0.0, exercise, seed, q)
    raise r.fail((*path, "kind"), "exercise_kind", value=exercise, kind=kind)
