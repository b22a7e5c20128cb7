"""The view settings of a tab: one row per name with its default and what values it may take.

View settings are the choices that are not part of the pipeline spec (colour map, the step-through's
practice grid, which chart to show). They live in session state under state.VIEW; bind.py draws a widget
for "view.<name>" and writes it back through check_view, so a forged widget value never gets in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.classroom.lessons import LESSONS
from playground.classroom.lock import lockable
from playground.colours import COLOUR_MAPS
from playground.errors import SpecError
from playground.exercises.registry import exercises_for
from playground.labs import EXERCISE_LABS
from playground.layers.kernels import SIZE_RULES
from playground.layers.kinds import KIND_IDS
from playground.layers.stacks import READY_STACKS
from playground.limits import CHOICES, LIMITS
from playground.steps.inputs import PATCH_CHANNELS
from playground.steps.problem import OPS
from playground.tiles import SCALINGS

TEXT_MAX = 2000  # characters of a typed grid


@dataclass(frozen=True)
class Row:
    """Default and allowed values: choices (a tuple), an int / float range (lo, hi), bool, or text."""

    default: Any
    choices: tuple = ()
    lo: float | None = None
    hi: float | None = None


def _lim(path: str) -> Row:
    lim = LIMITS[path]
    return Row(type(lim.default)(lim.default), lo=lim.min, hi=lim.max)


def _int(default: int, lo: int, hi: int) -> Row:
    return Row(default, lo=lo, hi=hi)


VIEW: dict[str, Row] = {
    # Layer lab
    "layers.cmap": Row("viridis", COLOUR_MAPS),  # colour-blind-safe default
    "layers.scaling": Row("channel", SCALINGS),
    "layers.ready": Row(next(iter(READY_STACKS)), tuple(READY_STACKS)),
    "layers.new_kind": Row("conv", KIND_IDS),
    "layers.zoom": Row(False),
    "layers.compare": Row(False),
    "layers.compare_stack": Row("strided", tuple(READY_STACKS)),
    "layers.trained": Row(False),
    "layers.shipped": Row(True),  # the ready digit network shows its shipped trained weights
    "layers.digit": Row(7, tuple(range(10))),  # which held-out MNIST digit it is shown
    "layers.formula_layer": _int(1, 1, 12),
    "layers.open": Row((0,), tuple(range(12))),  # open layer editors (0-based); the others show one line
    "layers.large": Row(False),  # large tiles: at most 4 maps per row
    "layers.stage": _int(0, 0, 11),  # the layer the stage shows large (0-based)
    "layers.stage_sized": Row(True),  # the stage's first (random) conv shows blur and edge kernels sized to k
    "layers.stage_only": Row(False),  # the Layer lab shows the stage alone (a projector): its slider reruns little
    "layers.zoom_layer": _int(0, 0, 12),  # 0: the last layer
    "layers.zoom_channel": _int(0, 0, 63),
    "layers.zoom_y": _int(-1, -1, 4096),  # -1: the middle
    "layers.zoom_x": _int(-1, -1, 4096),
    # Convolution step by step: the practice grid
    "steps.op": Row("conv", OPS),
    "steps.multi": Row(False),
    "steps.in_src": Row("random", ("random", "image", "typed")),
    "steps.size": _lim("steps.size"),
    "steps.seed": _lim("steps.seed"),
    "steps.in_text": Row(""),  # "" until the student types: the page shows a seeded example
    "steps.k_src": Row("preset", ("preset", "layer", "random", "typed")),
    "steps.preset": Row("sobel_x", tuple(SIZE_RULES)),
    "steps.preset_k": _int(3, 1, 5),
    "steps.kernel": _lim("steps.kernel"),
    "steps.k_text": Row("1 0 -1\n2 0 -2\n1 0 -1"),
    "steps.bias": _lim("steps.bias"),
    "steps.stride": _lim("steps.stride"),
    "steps.padding": _lim("steps.padding"),
    "steps.dilation": _lim("steps.dilation"),
    "steps.patch_top": _int(-1, -1, 4096),  # -1: centred
    "steps.patch_left": _int(-1, -1, 4096),
    "steps.patch_ch": Row("grey", PATCH_CHANNELS),
    "steps.layer": _int(1, 1, 12),
    "steps.layer_filt": _int(0, 0, 63),
    "steps.pos": _int(1, 1, 1024),
    "steps.playing": Row(False),
    "steps.speed": Row(1.0, (0.5, 1.0, 2.0, 4.0)),
    # Training lab
    "train.per_epoch": Row("acc", ("acc", "loss")),
    "train.live_paused": Row(False),  # the live curves stop redrawing (the run goes on)
    "train.stop_stuck": Row(True),  # a run whose accuracy stays at chance for a few epochs is ended
    "train.filter_epoch": _int(-1, -1, 50),  # -1: the newest
    "train.own_open": Row(True),  # the "Your pictures" panel is open (closed by Start, to show the live curve)
    "train.own_camera": Row(False),  # the camera is on for filling a class
    "train.predict_from": Row("image_lab", ("image_lab", "camera")),  # "Your image": the Image lab's picture or a shot
    # Check yourself (playground/ui/exercises/): each lab's picked exercise and its practice switch
    **{f"ex.pick.{lab}": Row(exercises_for(lab)[0], exercises_for(lab)) for lab in EXERCISE_LABS},
    **{f"ex.practice.{lab}": Row(False) for lab in EXERCISE_LABS},
    # Sidebar
    "ui.lesson_pick": Row("", ("",) + tuple(LESSONS)),
    "ui.lock_pick": Row((), lockable()),  # a multiselect: a tuple of names
    "ui.lock_mode": Row("lock", ("lock", "hide")),
    "ui.share_projector": Row(False),  # the student link switches projector mode on too
    "ui.share_qr": Row(False),  # the share panel draws the link's QR code
    # Class board (playground/ui/board/): the live view's order and filters, the forms' fields
    "board.sort": Row("acc", ("acc", "time", "params", "new")),
    "board.dataset": Row("", ("",) + CHOICES["train.dataset"]),  # "": every data set
    "board.lesson": Row("", ("", "-") + tuple(LESSONS)),  # "": every lesson, "-": free exploration
    "board.pick": _int(0, 0, 2**62),  # the entry id the actions apply to; 0: none yet
    "board.page": _int(1, 1, 1000),  # the live view's page (1-based; a board holds at most 2,000 entries)
    "board.join_code": Row(""),
    "board.key": Row(""),
    "board.nickname": Row(""),
    "board.new_lesson": Row("", ("",) + tuple(LESSONS)),
    "board.days": _int(14, 1, 365),
    "board.ch_params": _int(0, 0, 10**9),  # 0: no limit
    "board.ch_dataset": Row("", ("",) + CHOICES["train.dataset"]),
    "board.ch_epochs": _int(0, 0, int(LIMITS["train.epochs"].max)),
}
VIEW_DEFAULTS = {name: row.default for name, row in VIEW.items()}


def check_view(name: str, value: Any) -> Any:
    """The value if row `name` allows it, else SpecError (a forged or stale widget value)."""
    row = VIEW.get(name)
    if row is None:
        raise SpecError("spec.unknown_field", path=f"view.{str(name)[:40]}")
    if _fits(row, value):
        return tuple(value) if isinstance(row.default, tuple) else value
    raise SpecError("spec.bad_value", path=f"view.{name}", value=str(value)[:40])


def _fits(row: Row, value: Any) -> bool:
    """Type and range of one value against its row."""
    default = row.default
    if isinstance(default, tuple):  # multiselect: every item a known choice
        return isinstance(value, (list, tuple)) and all(v in row.choices for v in value)
    if row.choices:
        return any(value == c and type(value) is type(c) for c in row.choices)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str) and len(value) <= TEXT_MAX
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return False
    if isinstance(default, int) and float(value) != int(value):
        return False
    return row.lo <= value <= row.hi
