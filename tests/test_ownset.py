"""The tab's own picture set: names, pictures through the safe decoder, the stored copy, caps, readiness."""
import io

import cv2
import numpy as np
import pytest
from PIL import Image

from playground.errors import PlaygroundError
from playground.training import ownset
from playground.training.ownset import SIDE, OwnSet, OwnSetError, clean_name, normalize_picture
from playground.training.zipset import png_bytes


def photo(seed: int, h: int = 48, w: int = 80) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def filled(per_class: int = 5, names=("cat", "dog")) -> OwnSet:
    own = OwnSet(list(names))
    for k in range(len(names)):
        for i in range(per_class):
            own.add_pixels(k, photo(100 * k + i))
    return own


def test_stored_copy_is_the_centre_square_resized_with_cv2():
    wide = photo(1, 90, 150)
    expected = cv2.resize(np.ascontiguousarray(wide[:, 30:120]), (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    assert np.array_equal(normalize_picture(wide), expected)
    tall = photo(2, 200, 100)
    assert np.array_equal(normalize_picture(tall), cv2.resize(np.ascontiguousarray(tall[50:150]), (SIDE, SIDE),
                                                              interpolation=cv2.INTER_AREA))
    tiny = photo(3, 8, 8)
    assert np.array_equal(normalize_picture(tiny), cv2.resize(tiny, (SIDE, SIDE), interpolation=cv2.INTER_LINEAR))
    exact = photo(4, SIDE, SIDE)
    assert np.array_equal(normalize_picture(exact), exact)


def test_upload_bytes_are_decoded_safely_and_kept_only_small():
    own = OwnSet(["a", "b"])
    buf = io.BytesIO()
    Image.fromarray(photo(5, 300, 400)).save(buf, "JPEG", quality=90)
    picture = own.add_picture(0, buf.getvalue(), "holiday.jpg")
    assert picture.pixels.shape == (SIDE, SIDE, 3) and picture.pixels.dtype == np.uint8
    assert not picture.pixels.flags.writeable and picture.file == "holiday.jpg"
    assert vars(picture).keys() <= {"id", "pixels", "digest", "file", "thumbnail"}  # no original bytes kept
    back = cv2.cvtColor(cv2.imdecode(np.frombuffer(picture.thumbnail, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    assert np.array_equal(back, picture.pixels)
    assert own.stored_bytes == SIDE * SIDE * 3 + len(picture.thumbnail)


def test_exif_rotated_camera_photo_is_stored_upright():
    upright = np.zeros((60, 40, 3), np.uint8)
    upright[:20] = 255  # white band on top
    sideways = np.ascontiguousarray(np.rot90(upright, 1))  # as the camera wrote it (40 × 60)
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    Image.fromarray(sideways).save(buf, "PNG", exif=exif)
    pic = OwnSet().add_picture(0, buf.getvalue(), "cam.png").pixels
    assert pic[:5].mean() > 200 and pic[-5:].mean() < 50  # centre square of the upright picture: band on top


@pytest.mark.parametrize("data, key", [(b"", "decode.empty"), (b"hello, not a picture", "decode.not_image"),
                                       (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "decode.svg")])
def test_refused_uploads_name_the_file(data, key):
    own = OwnSet()
    with pytest.raises(OwnSetError) as err:
        own.add_picture(1, data, "../../secret/notes.txt")
    assert err.value.key == key and err.value.params["file"] == "notes.txt"
    problem = err.value.problem
    assert problem.file == "notes.txt" and problem.message.key == key and "file" not in problem.message.params
    assert own.total == 0


def test_add_files_collects_problems_and_keeps_the_good_ones():
    own = OwnSet()
    files = [("a.png", png_bytes(photo(1))), ("b.txt", b"text"), ("c.png", png_bytes(photo(2))),
             ("again.png", png_bytes(photo(1)))]
    problems = own.add_files(0, files)
    assert own.counts == (2, 0)
    assert [(p.file, p.message.key) for p in problems] == [("b.txt", "decode.not_image"), ("again.png", "ownset.duplicate")]
    assert problems[1].message.params == {"cls": "A"}


def test_oversized_upload_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(ownset, "MAX_FILE_BYTES", 100)
    with pytest.raises(OwnSetError) as err:
        OwnSet().add_picture(0, png_bytes(photo(1)), "big.png")
    assert err.value.key == "ownset.file_too_big"


@pytest.mark.parametrize("text, key", [("", "ownset.name_empty"), ("   ", "ownset.name_empty"), (None, "ownset.name_empty"),
                                       ("x" * 25, "ownset.name_too_long"), ("a/b", "ownset.name_bad_char"),
                                       ("<b>cat</b>", "ownset.name_bad_char"), ("tab\tname\x07", "ownset.name_bad_char"),
                                       ("..", "ownset.name_reserved"), (".hidden", "ownset.name_reserved"),
                                       ("CON", "ownset.name_reserved"), ("nul.txt", "ownset.name_reserved")])
def test_bad_class_names_are_refused(text, key):
    with pytest.raises(OwnSetError) as err:
        clean_name(text)
    assert err.value.key == key


def test_names_are_text_cleaned_and_unique():
    assert clean_name("  red \n  apple ") == "red apple"
    assert clean_name("_x_ #1 [a](b) &lt;") == "_x_ #1 [a](b) &lt;"  # markup characters stay text; the page never renders it
    assert clean_name("苹果") == "苹果" and clean_name("x" * 24) == "x" * 24
    own = OwnSet(["Cat", "dog"])
    with pytest.raises(OwnSetError) as err:
        own.rename_class(1, "CAT")
    assert err.value.key == "ownset.name_taken"
    with pytest.raises(OwnSetError):
        own.add_class("ｃａｔ")  # full-width letters are the same name
    assert own.rename_class(0, "cat") == "cat" and own.names == ("cat", "dog")  # a class may re-case its own name
    with pytest.raises(OwnSetError):
        OwnSet(["a", "A"])


def test_classes_between_two_and_ten():
    own = OwnSet()
    assert own.names == ("A", "B")
    for _ in range(8):
        own.add_class()
    assert own.names == tuple("ABCDEFGHIJ")
    with pytest.raises(OwnSetError) as err:
        own.add_class("more")
    assert err.value.key == "ownset.too_many_classes"
    own.remove_class(0)
    assert own.add_class() == 9 and own.names[-1] == "A"  # the first free default letter
    small = OwnSet()
    with pytest.raises(OwnSetError) as err:
        small.remove_class(0)
    assert err.value.key == "ownset.too_few_classes"
    for bad in (5, -1, "0", True, 1.0):
        with pytest.raises(OwnSetError):
            small.pictures(bad)
    with pytest.raises(OwnSetError):
        OwnSet(["only"])


def test_missing_says_what_stops_training():
    own = filled(per_class=5)
    assert own.ready and own.missing() == []
    own.add_class("bird")
    own.add_pixels(2, photo(999))
    assert [(m.key, m.params) for m in own.missing()] == [("ownset.missing", {"cls": "bird", "have": 1, "need": 5})]
    assert not own.ready


def test_delete_and_remove_give_back_the_bytes():
    own = filled(per_class=5, names=("cat", "dog", "bird"))
    before, total = own.stored_bytes, own.total
    victim = own.pictures(1)[2]
    assert own.delete_picture(victim.id) and not own.delete_picture(victim.id)
    assert own.total == total - 1 and own.stored_bytes == before - victim.nbytes
    assert victim.id not in [p.id for p in own.pictures(1)]
    own.add_pixels(0, photo(102))  # the deleted picture's twin may come back
    own.remove_class(1)
    assert own.counts == (6, 5) and own.stored_bytes == sum(p.nbytes for k in (0, 1) for p in own.pictures(k))


def test_caps_on_pictures_and_bytes(monkeypatch):
    monkeypatch.setattr(ownset, "MAX_PICTURES", 3)
    own = OwnSet()
    for i in range(3):
        own.add_pixels(i % 2, photo(i))
    with pytest.raises(OwnSetError) as err:
        own.add_picture(0, png_bytes(photo(7)), "fourth.png")
    assert err.value.key == "ownset.full" and err.value.params == {"file": "fourth.png", "max": 3}
    monkeypatch.setattr(ownset, "MAX_PICTURES", 100)
    monkeypatch.setattr(ownset, "MAX_BYTES", own.stored_bytes + 100)
    with pytest.raises(OwnSetError) as err:
        own.add_pixels(1, photo(8), "big.png")
    assert err.value.key == "ownset.full_bytes" and own.total == 3


def test_arrays_and_fingerprint_follow_the_set():
    own = filled(per_class=5)
    images, labels, names = own.arrays()
    assert images.shape == (10, SIDE, SIDE, 3) and labels.tolist() == [0] * 5 + [1] * 5 and names == ("cat", "dog")
    assert np.array_equal(images[7], own.pictures(1)[2].pixels)
    prints = {own.fingerprint()}
    own.rename_class(0, "kitten")
    prints.add(own.fingerprint())
    own.delete_picture(own.pictures(0)[0].id)
    prints.add(own.fingerprint())
    assert len(prints) == 3 and filled().fingerprint() == filled().fingerprint()


def test_random_bytes_only_ever_raise_our_errors():
    rng, own = np.random.default_rng(0), OwnSet()
    good = png_bytes(photo(1))
    for i in range(60):
        data = bytearray(good)
        for j in rng.integers(0, len(data), size=rng.integers(1, 20)):
            data[j] = rng.integers(0, 256)
        try:
            own.add_picture(0, bytes(data[: rng.integers(1, len(data) + 1)]), f"f{i}")
        except PlaygroundError:
            pass


def test_every_key_the_own_set_code_raises_is_in_the_catalogues():
    import re
    from pathlib import Path

    from playground.i18n import catalogue

    root = Path(__file__).resolve().parent.parent / "playground" / "training"
    source = "".join((root / f).read_text() for f in ("ownset.py", "zipset.py", "datasets.py"))
    keys = set(re.findall(r"""(?:OwnSetError|Message)\("(ownset\.[a-z_.]+)""", source))
    assert len(keys) > 25
    for lang in ("en", "zh"):
        missing = sorted(k for k in keys | {"ownset.problem"} if k not in catalogue(lang))
        assert not missing, (lang, missing)
