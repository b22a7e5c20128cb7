"""The lessons shipped with the app: every files/*.toml, read with the same loader a teacher's file goes through."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from playground.lessons.model import Lesson
from playground.lessons.parse import load

FILES = Path(__file__).parent / "files"
# Old share links named a preset (?lesson=sobel_edges); each opens the lesson and scene that took it over.
# No lesson id is also a preset id, so a link to a lesson always opens its first scene.
LEGACY: dict[str, tuple[str, str]] = {
    "sobel_edges": ("convolution", "kernel_picks"),
    "receptive_field": ("convolution", "deep_field"),
    "stride_vs_pool": ("pooling", "halves"),
    "activations": ("activation_functions", "sigmoid_zero"),
    "normalize": ("normalization", "why_network"),
    "high_lr": ("loss_optimizers", "diverge"),
}


@cache
def builtin() -> dict[str, Lesson]:
    """lesson id -> Lesson, in file-name order (the files are numbered in syllabus order)."""
    lessons: dict[str, Lesson] = {}
    for path in sorted(FILES.glob("*.toml")):
        lesson = load(path.read_text(encoding="utf-8"), f"builtin:{path.name}")
        lessons[lesson.id] = lesson
    return lessons


def legacy(preset_id: str | None) -> tuple[str, str] | None:
    """(lesson id, scene id) that an old preset link's id now opens, or None."""
    return LEGACY.get(preset_id or "")
