"""Familiarity of a new picture (playground/training/familiar.py): sklearn's NearestNeighbors is the oracle."""
import numpy as np
from sklearn.neighbors import NearestNeighbors

from playground.spec import TrainSpec
from playground.training import datasets, familiar


def test_nearest_distance_matches_sklearn():
    rng = np.random.default_rng(0)
    train, x = rng.random((700, 48), dtype=np.float32), rng.random((1100, 48), dtype=np.float32)
    got = familiar.nearest(train, x)  # more rows than one CHUNK
    dist, _ = NearestNeighbors(n_neighbors=1).fit(train).kneighbors(x)
    np.testing.assert_allclose(got, dist[:, 0] / np.sqrt(48), rtol=1e-4, atol=1e-5)
    assert familiar.nearest(train, train[:5]).max() < 1e-3  # a training picture is at distance 0


def test_features_shrink_large_pictures_to_at_most_16_per_side():
    pics = np.random.default_rng(1).integers(0, 256, (3, 32, 32, 3), dtype=np.uint8)
    feats = familiar.features(pics)
    assert feats.shape == (3, 16 * 16 * 3) and 0.0 <= feats.min() and feats.max() <= 1.0
    assert familiar.features(pics[:, :8, :8]).shape == (3, 8 * 8 * 3)


def test_limits_come_from_the_validation_pictures_and_the_verdicts_follow_them():
    ds = datasets.load(TrainSpec(size=8), "none")
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.ones(10) * 0.3, size=len(ds.val_labels))
    fam = familiar.fit(ds, ds.val_pixels, probs)
    dist = familiar.nearest(fam.train, familiar.features(np.asarray(ds.val_pixels)))
    assert 0 < np.mean(dist > fam.distance_limit) <= 0.02  # about 1 % of real unseen pictures lie beyond
    assert np.isclose(fam.confidence_limit, np.quantile(probs.max(1), 0.05))
    digit = np.asarray(ds.val_pixels[0])
    sure = np.eye(10)[3]
    assert familiar.judge(fam, digit, sure).kind in ("like", "unlike")
    inside = np.asarray(ds.train_pixels[0])
    assert familiar.judge(fam, inside, sure).kind == "like"
    assert familiar.judge(fam, inside, np.full(10, 0.1)).kind == "unsure"
    noise = rng.integers(0, 256, (8, 8, 1), dtype=np.uint8)
    verdict = familiar.judge(fam, noise, sure)
    assert verdict.kind == "unlike" and verdict.distance > verdict.distance_limit and verdict.confidence == 1.0
