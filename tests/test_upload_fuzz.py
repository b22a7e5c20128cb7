"""Random bytes uploaded through the pages under every image extension: a clear message each time, never a traceback."""
import random

import pytest
from streamlit.testing.v1 import AppTest

from testkit.apptest import uploader

EXTENSIONS = ("png", "jpg", "jpeg", "jpe", "bmp", "webp", "gif", "tif", "tiff", "mpo", "PNG", "heic", "svg", "")
MAGIC = {  # a real header followed by junk reaches each decoder's own parser
    "png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff\xe0", "gif": b"GIF89a", "bmp": b"BM",
    "webp": b"RIFF\x10\x00\x00\x00WEBPVP8 ", "tiff": b"II*\x00", "mpo": b"\xff\xd8\xff\xe1",
}


def blobs(seed: int) -> list[bytes]:
    """Plain random bytes, and random bytes behind every known header."""
    rng = random.Random(seed)
    junk = lambda n: bytes(rng.randrange(256) for _ in range(n))  # noqa: E731
    return [junk(rng.randrange(1, 3000))] + [magic + junk(rng.randrange(0, 600)) for magic in MAGIC.values()]


@pytest.fixture(scope="module")
def image_lab():
    """The Image lab in upload mode (one app for the whole module: each upload replaces the last)."""
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    at.radio(key="w.image.source").set_value("upload").run()
    return at


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_random_bytes_under_an_image_extension_give_a_message(image_lab, ext):
    for i, data in enumerate(blobs(sum(ext.encode()))):
        name = f"junk{i}.{ext}" if ext else f"junk{i}"
        uploader(image_lab).set_value((name, data, "application/octet-stream")).run()
        assert not image_lab.exception, f"{name}: {image_lab.exception[0].value}"
        errors = [e.value for e in image_lab.error]
        assert len(errors) == 1, f"{name} ({data[:12]!r}…): {errors}"
        assert "Traceback" not in errors[0] and "Error:" not in errors[0] and "playground/" not in errors[0]
        assert not image_lab.success, "no image may be handed on after a refused upload"


def test_random_bytes_as_settings_json_give_a_message():
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.run()
    for i, data in enumerate(blobs(7)):
        at.file_uploader(key="w.ui.import").set_value((f"settings{i}.json", data, "application/json")).run()
        assert not at.exception
        assert at.error and "Traceback" not in at.error[-1].value
