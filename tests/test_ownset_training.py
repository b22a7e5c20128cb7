"""Training on the own set: size and colour, the stratified split, per-batch augmentation, train-only normalization."""
import cv2
import numpy as np
import pytest
import torch
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.image import augment as aug
from playground.spec import PipelineSpec, TrainSpec
from playground.training import datasets
from playground.training.experiment import AugmentExperiment
from playground.training.ownset import OwnSet, OwnSetError, small_set_defaults
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer, augment_batch
from testkit.pictures import own_set

OWN = own_set(per_class=10, seed=5)  # balls, boxes and sticks: 10 each
SPEC = TrainSpec(dataset="yours", size=16, colour=True, val_fraction=0.2, seed=3)


def test_stratified_split_puts_every_class_in_both_parts_and_is_seeded():
    labels = np.repeat(np.arange(4), [5, 9, 20, 6])
    train, val = datasets.stratified_split(labels, 0.25, seed=1)
    assert not set(train) & set(val) and len(train) + len(val) == len(labels)
    assert np.bincount(labels[val]).tolist() == [1, 2, 5, 2]  # round(n × 0.25) per class, at least 1
    assert np.all(np.bincount(labels[train], minlength=4) >= 1)
    again = datasets.stratified_split(labels, 0.25, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip((train, val), again, strict=True))
    assert not np.array_equal(val, datasets.stratified_split(labels, 0.25, seed=2)[1])
    tiny = np.array([0, 0, 1, 1, 1])
    _, val = datasets.stratified_split(tiny, 0.1, seed=0)
    assert np.bincount(tiny[val]).tolist() == [1, 1]  # at least one of each class is validated
    _, val = datasets.stratified_split(tiny, 0.9, seed=0)
    assert np.bincount(tiny[val]).tolist() == [1, 2]  # and at least one of each stays for training


def test_own_data_set_has_the_chosen_size_colour_and_split():
    ds = datasets.load(SPEC, "none", own=OWN)
    assert ds.shape == (3, 16, 16) and ds.classes == ("ball", "box", "stick")
    assert datasets.split_counts(ds) == [(8, 2), (8, 2), (8, 2)]
    images, labels, _ = OWN.arrays()
    train, val = datasets.stratified_split(labels, 0.2, 3)
    expected = cv2.resize(images[val[0]], (16, 16), interpolation=cv2.INTER_AREA)
    assert np.array_equal(ds.val_pixels[0], expected) and ds.val_labels[0] == labels[val[0]]
    grey = datasets.load(TrainSpec(dataset="yours", size=8, colour=False, seed=3), "none", own=OWN)
    assert grey.shape == (1, 8, 8)
    oracle = cv2.cvtColor(cv2.resize(images[train[0]], (8, 8), interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY)
    assert np.array_equal(grey.train_pixels[0, ..., 0], oracle)


def test_missing_or_unready_set_is_our_error():
    with pytest.raises(OwnSetError) as err:
        datasets.load(SPEC, "none")
    assert err.value.key == "ownset.none"
    short = OwnSet(["a", "b"])
    short.add_pixels(0, np.zeros((8, 8, 3), np.uint8))
    with pytest.raises(OwnSetError) as err:
        datasets.load(SPEC, "none", own=short)
    assert err.value.key == "ownset.not_ready" and err.value.params == {"classes": 2, "need": 5}


def _with_val_replaced(own: OwnSet, val: np.ndarray) -> OwnSet:
    """The same set, picture for picture, except that the validation pictures are inverted."""
    images, labels, names = own.arrays()
    other = OwnSet(list(names))
    for i, (img, k) in enumerate(zip(images, labels, strict=True)):
        other.add_pixels(int(k), 255 - img if i in set(val.tolist()) else img)
    return other


@pytest.mark.parametrize("method, scaler", [("minmax01", MinMaxScaler()), ("minmax11", MinMaxScaler((-1, 1))),
                                            ("zscore", StandardScaler())])
def test_normalization_is_fitted_on_the_training_split_only(method, scaler):
    ds = datasets.load(SPEC, method, own=OWN)
    train_flat = ds.train_pixels.reshape(-1, 3).astype(np.float64)
    expected = scaler.fit(train_flat).transform(ds.val_pixels.reshape(-1, 3).astype(np.float64))
    got = ds.to_input(ds.val_pixels).transpose(0, 2, 3, 1).reshape(-1, 3)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    _, val = datasets.stratified_split(OWN.arrays()[1], SPEC.val_fraction, SPEC.seed)
    changed = datasets.load(SPEC, method, own=_with_val_replaced(OWN, val))
    assert not np.array_equal(changed.val_pixels, ds.val_pixels)
    assert np.array_equal(changed.train_pixels, ds.train_pixels)
    np.testing.assert_array_equal(changed.scale, ds.scale)  # validation pixels do not move the statistics
    np.testing.assert_array_equal(changed.offset, ds.offset)


def _cv2_augment(img: np.ndarray, params: aug.AugParams) -> np.ndarray:
    """The oracle: cv2.flip, then cv2.warpAffine about the centre with a black border."""
    codes = {"horizontal": 1, "vertical": 0, "both": -1}
    out = cv2.flip(img, codes[params.flip]) if params.flip != "none" else img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), params.angle, 1.0)
    out = cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return out.reshape(img.shape)


def test_each_batch_gets_the_drawn_flips_and_rotations():
    spec = PipelineSpec().set("train.dataset", "yours").set("train.size", 16).set("train.colour", True) \
        .set("train.augment", True).set("augment.p_hflip", 0.5).set("augment.p_vflip", 0.5).set("augment.max_angle", 40)
    data = datasets.load(spec.train, "minmax01", own=OWN)
    trainer = Trainer(spec, queue=TrainQueue(1), data=data)
    idx = torch.tensor([3, 0, 7, 7, 12])
    got = trainer._augmented(idx, np.random.default_rng(42)).numpy()
    rng = np.random.default_rng(42)
    drawn = [aug.sample_params(rng, spec.augment) for _ in idx]
    assert {p.flip for p in drawn} != {"none"} and any(p.angle for p in drawn)
    expected = np.stack([_cv2_augment(data.train_pixels[i], p) for i, p in zip(idx.tolist(), drawn, strict=True)])
    np.testing.assert_allclose(got, data.to_input(expected), atol=1e-6)
    assert augment_batch(data.train_pixels[[3, 0]], spec.augment, np.random.default_rng(42)).shape == (2, 16, 16, 3)


def small_spec(epochs: int = 3) -> PipelineSpec:
    return PipelineSpec().set("train.dataset", "yours").set("train.size", 16).set("train.colour", True) \
        .set("train.batch", 8).set("train.epochs", epochs).set("norm.method", "zscore")


def test_trainer_trains_on_the_own_set():
    spec = small_spec()
    data = datasets.load(spec.train, spec.norm.method, own=OWN)
    trainer = Trainer(spec, queue=TrainQueue(1), data=data).start()
    assert trainer.join(60) and trainer.error is None
    h = trainer.snapshot()
    assert h.state == "done" and len(h.epochs) == 3 and trainer.data.classes == ("ball", "box", "stick")
    assert trainer.trained_model()(torch.from_numpy(data.to_input(data.val_pixels))).shape == (6, 3)


def test_augmentation_experiment_is_two_seeded_runs_that_differ_only_in_augmentation():
    spec = small_spec(epochs=2)
    data = datasets.load(spec.train, spec.norm.method, own=OWN)
    exp = AugmentExperiment(spec, data, TrainQueue(1)).start()
    assert exp.join(120) and exp.error is None
    with_aug, without = exp.snapshots()
    assert with_aug.state == without.state == "done"
    alone = {}
    for flag in (True, False):
        t = Trainer(spec.set("train.augment", flag), queue=TrainQueue(1), data=data).start()
        t.join(60)
        alone[flag] = t.snapshot().step_loss
    assert with_aug.step_loss == alone[True] and without.step_loss == alone[False]
    assert with_aug.step_loss[0] != without.step_loss[0] or with_aug.step_loss[1:] != without.step_loss[1:]
    curves = exp.val_curves()
    assert set(curves) == {"with", "without"} and len(curves["with"]) == len(curves["without"]) == 2


def test_stopping_the_experiment_stops_both_runs():
    spec = small_spec(epochs=50)
    exp = AugmentExperiment(spec, datasets.load(spec.train, spec.norm.method, own=OWN), TrainQueue(1)).start()
    exp.stop()
    assert exp.join(10)
    assert [h.state for h in exp.snapshots()] == ["stopped", "stopped"]


def test_digits_and_shapes_are_unchanged_by_the_own_set_path():
    assert datasets.load(TrainSpec(size=8)).shape == (1, 8, 8)
    assert datasets.load(TrainSpec(dataset="shapes", size=8, colour=True), "none", own=OWN).classes == datasets.SHAPES


def test_small_set_defaults_are_a_valid_spec():
    spec = PipelineSpec()
    for path, value in small_set_defaults().items():
        spec = spec.set(path, value)
    assert spec.train.dataset == "yours" and spec.train.augment and spec.norm.method != "none"


def test_stuck_at_chance_waits_for_enough_steps():
    from playground.training.divergence import STUCK_STEPS, epoch_problem

    at_chance = [{"val_acc": 0.33}] * 3
    assert epoch_problem(at_chance, 3, steps=15) is None  # 3 epochs of a small set are only 15 steps
    assert epoch_problem(at_chance, 3, steps=STUCK_STEPS).key == "train.diverge.stuck"
    assert epoch_problem(at_chance, 3).key == "train.diverge.stuck"  # without a step count: as before


def test_the_own_data_set_is_cached_by_content_and_settings():
    own = own_set(per_class=6, seed=8)
    first = datasets.load(SPEC, "zscore", own=own)
    assert datasets.load(SPEC, "zscore", own=own) is first
    assert datasets.load(SPEC, "minmax01", own=own) is not first
    own.delete_picture(own.pictures(0)[0].id)
    changed = datasets.load(SPEC, "zscore", own=own)
    assert changed is not first and len(changed.train_labels) + len(changed.val_labels) == 17
