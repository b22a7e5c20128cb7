"""Lesson presets: each sets the whole pipeline in one click; goal and what-to-try texts live in [lessons.<id>]."""
from __future__ import annotations

from dataclasses import dataclass

from playground.spec import LayerSpec as L
from playground.spec import PipelineSpec
from playground.training.divergence import slider_lr


@dataclass(frozen=True)
class Lesson:
    """One preset: the whole pipeline (image, augment, norm, net, train) as a JSON-shaped dict."""

    id: str
    pipeline: dict
    exercises: tuple[str, ...] = ()  # "Check yourself" exercise ids (playground/exercises/registry.py)

    def spec(self) -> PipelineSpec:
        """The full, validated pipeline of this lesson."""
        return PipelineSpec.from_dict(self.pipeline)

    @property
    def needs_training(self) -> bool:
        """True when the lesson's point is a training run (it sets the train section)."""
        return "train" in self.pipeline

    def text_params(self) -> dict[str, str]:
        """Numbers the lesson's texts name: its learning rate and the slider's stops about 10× and 100× lower."""
        lr = self.pipeline.get("train", {}).get("lr")
        if lr is None:
            return {}
        lower = slider_lr(lr / 10, below=lr)
        lowest = slider_lr(lr / 100, below=lower) if lower is not None else None
        return {"lr": f"{lr:g}", "lower": f"{lower or lr:g}", "lowest": f"{lowest or lower or lr:g}"}


def _net(*layers: L, seed: int = 0) -> dict:
    return {"layers": PipelineSpec().set("net.layers", layers).to_dict()["net"]["layers"], "seed": seed}


def _img(sample: str = "china", long_side: int = 256, grayscale: bool = False) -> dict:
    return {"source": "sample", "sample": sample, "long_side": long_side, "grayscale": grayscale}


_SMALL_CNN = _net(L("conv", 8, 3, padding=1), L("relu"), L("maxpool", kernel=2, stride=2),
                  L("conv", 16, 3, padding=1), L("relu"), L("maxpool", kernel=2, stride=2))

LESSONS: dict[str, Lesson] = {
    # One hand-designed edge kernel on one grey channel; min-max keeps the map's numbers readable.
    "sobel_edges": Lesson("sobel_edges", {
        "image": _img(grayscale=True), "norm": {"method": "minmax01"},
        "net": _net(L("conv", 1, 3, init="sobel_x"))}, exercises=("steps.next_value", "layers.params")),
    # Conv + 2×2 max pool; the Layer lab's compare shows the stride-2 stack next to it.
    "stride_vs_pool": Lesson("stride_vs_pool", {
        "image": _img("stripes"), "norm": {"method": "minmax01"},
        "net": _net(L("conv", 8, 3), L("relu"), L("maxpool", kernel=2, stride=2))},
        exercises=("layers.out_shape", "steps.out_size", "steps.window")),
    # Six 3×3 convs and two poolings on a small image: the receptive field grows to a large patch.
    "receptive_field": Lesson("receptive_field", {
        "image": _img("checkerboard", 128), "norm": {"method": "zscore"},
        "net": _net(L("conv", 8, 3, padding=1), L("conv", 8, 3, padding=1), L("maxpool", kernel=2, stride=2),
                    L("conv", 8, 3, padding=1), L("conv", 8, 3, padding=1), L("maxpool", kernel=2, stride=2),
                    L("conv", 8, 3, padding=1), L("conv", 8, 3, padding=1), L("relu"))},
        exercises=("layers.receptive_field", "layers.out_shape")),
    # One conv and one activation layer whose kind the student switches.
    "activations": Lesson("activations", {
        "image": _img("flower"), "norm": {"method": "zscore"},
        "net": _net(L("conv", 4, 3, padding=1), L("sigmoid"))}, exercises=("layers.params",)),
    # Normalization on, plain SGD (which feels unscaled inputs most); the student trains again with "none".
    "normalize": Lesson("normalize", {
        "image": _img("flower"), "norm": {"method": "zscore"}, "net": _SMALL_CNN,
        "train": {"dataset": "digits", "optimizer": "sgd", "lr": 0.01, "epochs": 6}},
        exercises=("image.normalize", "training.chance")),
    # Adam's usual step is about 0.001: 0.3 (a stop of the slider) overshoots: the loss jumps to hundreds in one
    # step, falls back to about 2.3 (guessing) and stays there; 10× and 100× lower are the follow-ups.
    "high_lr": Lesson("high_lr", {
        "image": _img("digit", 64, grayscale=True), "norm": {"method": "zscore"}, "net": _SMALL_CNN,
        "train": {"dataset": "digits", "optimizer": "adam", "lr": 0.3, "epochs": 6}},
        exercises=("training.diverge", "training.chance")),
}


def lesson_of(lesson_id: str | None) -> Lesson | None:
    """The lesson with this id, or None for free exploration / an unknown id from a link."""
    return LESSONS.get(lesson_id or "")
