"""Every kind of bad file, uploaded through the Image lab page: a message, no traceback, nothing lost."""
import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest
from test_decode import crafted_png, encode, exif_orientation, photo

from playground.i18n import t
from testkit.apptest import uploader

GOOD = encode(photo(30, 50), "PNG")


def _gif() -> bytes:
    frames = [Image.fromarray(np.full((12, 16, 3), v, np.uint8)) for v in (20, 200)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buf.getvalue()


def _float_tiff() -> bytes:
    arr = np.linspace(0, 1, 64, dtype=np.float32).reshape(8, 8)
    arr[0, 0] = np.nan
    return encode(Image.fromarray(arr, mode="F"), "TIFF")


REFUSED = {
    "empty": b"",
    "text_as_png": b"just some notes, renamed to .png",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    "truncated_png": encode(photo(), "PNG")[: len(encode(photo(), "PNG")) // 2],
    "truncated_jpeg": encode(photo(), "JPEG")[: len(encode(photo(), "JPEG")) // 2],
    "zero_png": crafted_png(0, 0),
    "bomb_20000": crafted_png(20000, 20000),
    "big_10000": crafted_png(10000, 10000),
}
ACCEPTED = {
    "one_pixel": (encode(np.zeros((1, 1, 3), np.uint8), "PNG"), (1, 1)),
    "strip": (encode(np.zeros((1, 100000), np.uint8), "PNG"), (1, 256)),
    "animated_gif": (_gif(), (12, 16)),
    "png16": (encode((np.arange(48 * 64, dtype=np.uint16).reshape(48, 64) * 20), "PNG"), (48, 64)),
    "cmyk_jpeg": (encode(Image.fromarray(photo()).convert("CMYK"), "JPEG"), (48, 64)),
    "palette_png": (encode(Image.fromarray(photo()).convert("P"), "PNG"), (48, 64)),
    "exif_jpeg": (encode(Image.fromarray(photo()), "JPEG", exif=exif_orientation(6)), (64, 48)),
    "float_tiff_nan": (_float_tiff(), (8, 8)),
}


@pytest.fixture
def at():
    """The page in upload mode, rotated 15°, with a good image already in use."""
    app = AppTest.from_file("../app.py", default_timeout=60)
    app.session_state["ui.lang"] = "zh"
    app.run()
    next(s for s in app.slider if s.label == t("image.angle", "zh")).set_value(15).run()
    app.radio(key="w.image.source").set_value("upload").run()
    uploader(app).set_value(("good.png", GOOD, "image/png")).run()
    assert any("(1, 3, 30, 50)" in s.value for s in app.success)
    return app


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_file_gives_a_message_and_keeps_everything(at, name):
    uploader(at).set_value((f"{name}.png", REFUSED[name], "image/png")).run()
    assert not at.exception
    assert len(at.error) == 1 and t("image.upload_failed", "zh") in at.error[0].value
    assert "Traceback" not in at.error[0].value
    assert any("(1, 3, 30, 50)" in s.value for s in at.success), "the previous image must stay in use"
    assert at.session_state["spec"].augment.angle == 15


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_odd_but_valid_file_is_used(at, name):
    data, (h, w) = ACCEPTED[name]
    uploader(at).set_value((f"{name}.bin", data, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert any(f"(1, 3, {h}, {w})" in s.value for s in at.success)


def test_html_and_path_in_file_name_shown_as_plain_text(at):
    name = "<img src=x onerror=alert(1)>../../etc/passwd.png"
    uploader(at).set_value((name, encode(photo(20, 20), "PNG"), "image/png")).run()
    assert [x.value for x in at.text if x.value == name], "the name is shown with st.text (never as HTML)"
    assert not any(name in m.value for m in at.markdown)


def test_a_photo_over_the_cap_gets_a_message_naming_it_in_the_page_language(at):
    """An 11 MB photo gets our message saying what is wrong and with which file, not only Streamlit's red icon."""
    big = GOOD + b"\0" * (11 * 2 ** 20)  # a valid PNG header, 11 MB in all: refused by size before decoding
    uploader(at).set_value(("holiday.png", big, "image/png")).run()
    text = at.error[0].value
    assert "holiday" in text and "11" in text and "10 MiB" in text and "没有被使用" in text
    assert any("(1, 3, 30, 50)" in s.value for s in at.success)  # the previous image is still in use


def test_an_old_refusal_goes_away_when_a_new_good_file_is_chosen(at):
    uploader(at).set_value(("notes.png", b"not a picture", "image/png")).run()
    assert at.error and "notes" in at.error[0].value
    uploader(at).set_value(("second.png", encode(photo(20, 40), "PNG"), "image/png")).run()
    assert not at.error  # the message described the old file: gone with it
    assert any("(1, 3, 20, 40)" in s.value for s in at.success)


def test_the_upload_box_empties_after_each_file_so_refused_files_do_not_pile_up(at):
    first = uploader(at).key
    uploader(at).set_value(("notes.png", b"not a picture", "image/png")).run()
    assert uploader(at).key != first and not uploader(at).value  # a fresh, empty box
    assert any(t.value == "good.png" for t in at.text)  # the file in use is still named
