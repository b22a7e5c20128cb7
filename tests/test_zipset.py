"""Zip import (ImageFolder layout) against hostile archives, per-file problems, and the export round trip."""
import io
import stat
import struct
import zipfile

import numpy as np
import pytest

from playground.errors import PlaygroundError
from playground.training import ownset, zipset
from playground.training.ownset import OwnSetError
from playground.training.zipset import png_bytes, read_zip, write_zip
from testkit.pictures import own_set


def pic(seed: int) -> bytes:
    return png_bytes(np.random.default_rng(seed).integers(0, 256, (40, 50, 3), dtype=np.uint8))


def make_zip(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    """{name: bytes or ZipInfo-tweaking callable} -> zip bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def two_classes(prefix: str = "", n: int = 2) -> dict:
    return {f"{prefix}{c}/{i}.png": pic(10 * k + i) for k, c in enumerate(("cat", "dog")) for i in range(n)}


def refused(data: bytes) -> str:
    with pytest.raises(OwnSetError) as err:
        read_zip(data)
    return err.value.key


@pytest.mark.parametrize("prefix", ["", "my set/", "./"])
def test_imagefolder_layout_with_or_without_one_top_folder(prefix):
    own, problems = read_zip(make_zip(two_classes(prefix, 3)))
    assert own.names == ("cat", "dog") and own.counts == (3, 3) and problems == []


def test_classes_are_sorted_and_pictures_may_sit_deeper():
    members = {"zebra/a.png": pic(1), "ant/x/y/b.png": pic(2), "ant/c.png": pic(3), "mole/d.png": pic(4)}
    own, problems = read_zip(make_zip(members))
    assert own.names == ("ant", "mole", "zebra") and own.counts == (2, 1, 1) and problems == []


def test_per_file_problems_name_the_file_and_the_rest_is_read():
    members = {**two_classes(), "cat/notes.txt": b"just text", "cat/broken.png": pic(5)[:60], "readme.png": pic(6),
               "dog/twin.png": two_classes()["cat/0.png"], "__MACOSX/cat/._0.png": b"junk", "cat/.DS_Store": b"junk",
               "dog/Thumbs.db": b"junk", "dog/": b""}
    own, problems = read_zip(make_zip(members))
    assert own.counts == (2, 2)
    found = {(p.file, p.message.key) for p in problems}
    assert found == {("cat/notes.txt", "decode.not_image"), ("cat/broken.png", "decode.truncated"),
                     ("readme.png", "ownset.zip.no_folder"), ("dog/twin.png", "ownset.duplicate")}


@pytest.mark.parametrize("name, key", [("../x.png", "ownset.zip.traversal"), ("cat/../../x.png", "ownset.zip.traversal"),
                                       ("cat\\..\\..\\x.png", "ownset.zip.traversal"), ("/etc/x", "ownset.zip.absolute"),
                                       ("\\\\server\\x.png", "ownset.zip.absolute"), ("C:/x.png", "ownset.zip.absolute"),
                                       ("cat/inner.zip", "ownset.zip.nested"), ("dog/Inner.ZIP", "ownset.zip.nested")])
def test_hostile_names_refuse_the_whole_zip(name, key):
    with pytest.raises(OwnSetError) as err:
        read_zip(make_zip({**two_classes(), name: pic(9)}))
    assert err.value.key == key and err.value.params["file"] == name  # the whole name, as the teacher made it


def test_a_zip_inside_under_a_picture_name_refuses_the_whole_zip():
    assert refused(make_zip({**two_classes(), "cat/looks_fine.png": make_zip(two_classes())})) == "ownset.zip.nested"


def test_symlink_member_refuses_the_whole_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in two_classes().items():
            zf.writestr(name, data)
        info = zipfile.ZipInfo("cat/link.png")
        info.create_system, info.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, b"/etc/passwd")
    assert refused(buf.getvalue()) == "ownset.zip.symlink"


def test_encrypted_member_refuses_the_whole_zip():
    data = make_zip({**two_classes(), "cat/secret.png": pic(4)}, zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        flags = zf.getinfo("cat/secret.png").flag_bits | 0x1
    data = _patch(data, b"cat/secret.png", 6, 8, struct.pack("<H", flags))  # general-purpose bit 0: encrypted
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.getinfo("cat/secret.png").flag_bits & 0x1  # zipfile itself now sees it as encrypted
    assert refused(data) == "ownset.zip.encrypted"


def test_ten_thousand_tiny_entries_are_refused_from_the_end_record(monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(10_000):
            zf.writestr(f"cat/{i}.png", b"x")

    def never(*args, **kwargs):
        raise AssertionError("zipfile parsed the directory")
    monkeypatch.setattr(zipset.zipfile, "ZipFile", never)
    with pytest.raises(OwnSetError) as err:
        read_zip(buf.getvalue())
    assert err.value.key == "ownset.zip.too_many" and err.value.params["count"] == 10_000


def test_bomb_with_real_size_is_refused_before_extracting(monkeypatch):
    monkeypatch.setattr(zipset, "MAX_UNCOMPRESSED", 4 * 2**20)
    bomb = make_zip({**two_classes(), "cat/zeros.png": bytes(5 * 2**20)})  # 5 MiB of zeros, ~5 KB compressed
    assert len(bomb) < 50_000
    reads = []
    monkeypatch.setattr(zipset._Budget, "read", lambda *a: reads.append(a) or b"")
    assert refused(bomb) == "ownset.zip.too_big" and reads == []


def _patch(data: bytes, name: bytes, local_at: int, central_at: int, value: bytes) -> bytes:
    """The zip with a field of member `name` rewritten in its local (offset local_at) and central header."""
    out = bytearray(data)
    for sig, field, name_at in ((b"PK\x03\x04", local_at, 30), (b"PK\x01\x02", central_at, 46)):
        at = out.find(sig)
        while at >= 0:
            if out[at + name_at:at + name_at + len(name)] == name:
                out[at + field:at + field + len(value)] = value
            at = out.find(sig, at + 4)
    return bytes(out)


def _patch_sizes(data: bytes, name: bytes, size: int) -> bytes:
    """The zip with the uncompressed size of member `name` rewritten."""
    return _patch(data, name, 22, 24, struct.pack("<I", size))


def test_bomb_with_a_huge_declared_size_is_refused_from_the_headers():
    data = _patch_sizes(make_zip({**two_classes(), "cat/huge.png": pic(3)}), b"cat/huge.png", 0xFFFFFFF0)
    assert refused(data) == "ownset.zip.too_big"


def test_headers_that_understate_the_size_refuse_the_whole_zip():
    real = bytes(2 * 2**20)  # 2 MiB that the headers call 100 bytes
    data = _patch_sizes(make_zip({**two_classes(), "cat/liar.png": real}), b"cat/liar.png", 100)
    assert refused(data) == "ownset.zip.damaged"


@pytest.mark.parametrize("data", [b"", b"not a zip at all", pic(1), make_zip(two_classes())[:-30],
                                  make_zip(two_classes())[:200]],
                         ids=["empty", "text", "a picture", "cut short", "only a header"])  # a zip's bytes hold its time
def test_not_a_zip_or_a_broken_one(data):
    assert refused(data) in ("ownset.zip.bad", "ownset.zip.damaged")


def test_class_counts_outside_two_to_ten_are_refused():
    assert refused(make_zip({"cat/a.png": pic(1), "cat/b.png": pic(2)})) == "ownset.zip.class_count"
    eleven = {f"c{k:02d}/a.png": pic(k) for k in range(11)}
    with pytest.raises(OwnSetError) as err:
        read_zip(make_zip(eleven))
    assert err.value.key == "ownset.zip.class_count" and err.value.params["count"] == 11


def test_a_folder_name_that_is_no_class_name_refuses_the_zip():
    assert refused(make_zip({"x" * 40 + "/a.png": pic(1), "dog/b.png": pic(2)})) == "ownset.name_too_long"
    assert refused(make_zip({"Cat/a.png": pic(1), "cat/b.png": pic(2)})) == "ownset.name_taken"


def test_the_picture_cap_stops_reading_with_a_message(monkeypatch):
    monkeypatch.setattr(ownset, "MAX_PICTURES", 5)
    own, problems = read_zip(make_zip(two_classes(n=4)))
    assert own.total == 5
    assert [p.message.key for p in problems] == ["ownset.full", "ownset.zip.rest"]
    assert problems[1].message.params == {"count": 2}


def test_export_then_import_gives_the_same_set():
    own = own_set(per_class=6, seed=3)
    data = write_zip(own)
    assert data == write_zip(own)  # the same set exports to the same bytes
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist()[:2] == ["pictures/ball/001.png", "pictures/ball/002.png"]
    back, problems = read_zip(data)
    assert problems == [] and back.names == own.names and back.counts == own.counts
    for k in range(len(own.names)):
        assert all(np.array_equal(a.pixels, b.pixels) for a, b in zip(own.pictures(k), back.pictures(k), strict=True))
    assert back.fingerprint() == own.fingerprint()


def test_unicode_class_names_survive_the_round_trip():
    own = ownset.OwnSet(["苹果", "香蕉"])
    for k in range(2):
        own.add_pixels(k, np.full((10, 10, 3), 40 * k + 10, np.uint8))
    back, _ = read_zip(write_zip(own))
    assert back.names == ("苹果", "香蕉")


def test_mangled_zips_only_ever_raise_our_errors():
    good, rng = make_zip(two_classes(n=3)), np.random.default_rng(1)
    for _ in range(150):
        data = bytearray(good)
        for j in rng.integers(0, len(data), size=rng.integers(1, 12)):
            data[j] = rng.integers(0, 256)
        try:
            read_zip(bytes(data))
        except PlaygroundError:
            pass


def test_a_zip_of_blank_huge_pictures_is_refused_from_the_headers_before_any_decoding(monkeypatch):
    import cv2

    blank = cv2.imencode(".png", np.zeros((4000, 4000, 3), np.uint8))[1].tobytes()  # 16 MP, a few KB
    decoded = []
    monkeypatch.setattr(zipset, "decode_image", lambda data: decoded.append(data))
    members = {f"{c}/{i}.png": blank for c in ("cat", "dog") for i in range(10)}  # 20 × 16 MP = 320 MP
    with pytest.raises(OwnSetError) as err:
        read_zip(make_zip(members))
    assert err.value.key == "ownset.zip.too_many_pixels" and decoded == []
    assert err.value.params == {"files": 20, "mp": 320, "max_mp": ownset.MAX_BATCH_PIXELS // 10**6}
    assert 20 * 16_000_000 > ownset.MAX_BATCH_PIXELS >= 18 * 16_000_000  # 18 such pictures would still be read


def test_the_pixel_budget_is_the_sum_of_the_headers(monkeypatch):
    data = make_zip(two_classes(n=2))  # four 50×40 pictures: 8,000 pixels
    monkeypatch.setattr(zipset, "MAX_BATCH_PIXELS", 8000)
    assert read_zip(data)[0].total == 4
    monkeypatch.setattr(zipset, "MAX_BATCH_PIXELS", 7999)
    assert refused(data) == "ownset.zip.too_many_pixels"


def test_a_picture_whose_size_is_not_in_its_first_bytes_counts_as_the_decoders_cap(monkeypatch):
    from playground.image.decode import MAX_PIXELS

    monkeypatch.setattr(ownset, "HEADER_BYTES", 8)  # a PNG signature, no header
    assert ownset.decode_cost(pic(1)[:8]) == MAX_PIXELS and ownset.decode_cost(b"plain text") == 0


def test_reading_stops_between_files_once_the_tab_is_gone(monkeypatch):
    import threading

    gone, decoded = threading.Event(), []
    real = zipset.decode_image

    def decode_then_close(data):
        decoded.append(data)
        gone.set()  # the tab closes while the first picture is decoded
        return real(data)

    monkeypatch.setattr(zipset, "decode_image", decode_then_close)
    with pytest.raises(OwnSetError) as err:
        read_zip(make_zip(two_classes(n=3)), gone)
    assert err.value.key == "ownset.cancelled" and len(decoded) == 1


def test_an_upload_of_many_pictures_is_budgeted_and_stops_with_its_tab(monkeypatch):
    import threading

    own, files = ownset.OwnSet(), [(f"{i}.png", pic(i)) for i in range(4)]
    monkeypatch.setattr(ownset, "MAX_BATCH_PIXELS", 7999)
    problems = own.add_files(0, files)
    assert own.total == 0 and [p.message.key for p in problems] == ["ownset.batch_pixels"]
    assert problems[0].message.params == {"files": 4, "mp": 0, "max_mp": 0}
    monkeypatch.setattr(ownset, "MAX_BATCH_PIXELS", 8000)
    gone = threading.Event()
    gone.set()
    with pytest.raises(OwnSetError) as err:
        own.add_files(0, files, gone)
    assert err.value.key == "ownset.cancelled" and own.total == 0
    assert own.add_files(0, files) == [] and own.total == 4
