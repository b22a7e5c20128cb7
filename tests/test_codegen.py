"""'Show the code' runs on its own and reproduces the app's tensor for the same settings."""
import cv2
import numpy as np
import pytest

from playground.image import augment as aug
from playground.image.codegen import pipeline_code
from playground.image.decode import decode_image, to_working
from playground.image.pipeline import prepare
from playground.spec import PipelineSpec

CASES = [
    {},
    {"augment.flip": "horizontal", "augment.angle": 30, "norm.method": "minmax01"},
    {"augment.flip": "both", "augment.angle": -75, "augment.border": "reflect", "augment.expand": True, "norm.method": "zscore"},
    {"image.grayscale": True, "augment.angle": 90, "augment.expand": True, "norm.method": "minmax11", "image.long_side": 64},
    {"augment.border": "replicate", "augment.angle": 12, "norm.method": "imagenet"},
    {"image.grayscale": True, "norm.method": "imagenet", "augment.flip": "vertical"},
    {"augment.mode": "random", "augment.seed": 5, "norm.method": "zscore"},
]


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A 300×200 PNG with structure in every channel, written to disk for cv2.imread."""
    yy, xx = np.mgrid[0:200, 0:300]
    rgb = np.stack([(xx * 0.8) % 256, (yy * 1.2) % 256, ((xx + yy) * 0.5) % 256], -1).astype(np.uint8)
    path = tmp_path_factory.mktemp("img") / "photo.png"
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return path


@pytest.mark.parametrize("changes", CASES)
def test_generated_code_reproduces_app_tensor(photo, changes):
    spec = PipelineSpec()
    for path, value in changes.items():
        spec = spec.set(path, value)
    working, _ = to_working(decode_image(photo.read_bytes()).pixels, spec.image.long_side, spec.image.grayscale)
    expected = prepare(spec, working).tensor.numpy()
    a = spec.augment
    params = aug.fixed_params(a) if a.mode == "fixed" else aug.random_params(a)[0]
    namespace = {}
    exec(compile(pipeline_code(spec, params.flip, params.angle, str(photo)), "generated", "exec"), namespace)
    got = namespace["tensor"].numpy()
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_code_mentions_the_seed_article_tools():
    spec = PipelineSpec().set("norm.method", "zscore").set("augment.flip", "vertical").set("augment.angle", 5)
    code = pipeline_code(spec, "vertical", 5.0)
    assert "cv2.flip(img, 0)" in code and "cv2.getRotationMatrix2D" in code and "cv2.warpAffine" in code
    assert "StandardScaler()" in code
