"""A picture set from a zip in torchvision's ImageFolder layout (root/<class>/<picture>), and back.

The zip is untrusted. Refused as a whole (OwnSetError "ownset.zip.*"): not a zip, too many entries or too
large a central directory (read from the end record before zipfile parses anything), a total uncompressed
size above the cap (summed from the headers before extracting, and counted again while reading in case they
lie), path traversal or absolute names, symbolic links, encrypted members, nested zips, fewer than 2 or
more than 10 class folders. Anything else wrong with one file (not a picture, too big, outside a class
folder, a duplicate) becomes a Problem naming the file, and the rest of the zip is still read.

Layout as ImageFolder reads it: one folder per class, sorted by name; a picture may sit deeper inside its
class folder. One top folder around the class folders is allowed. macOS and Windows clutter (__MACOSX,
names starting with ".", Thumbs.db, desktop.ini) is skipped silently.
"""
from __future__ import annotations

import io
import re
import stat
import struct
import threading
import zipfile
import zlib

import cv2

from playground.errors import ImageError, Message
from playground.image.decode import decode_image
from playground.training.ownset import (
    HEADER_BYTES,
    MAX_BATCH_PIXELS,
    MAX_CLASSES,
    MAX_FILE_BYTES,
    MIN_CLASSES,
    OwnSet,
    OwnSetError,
    Problem,
    check_cancel,
    decode_cost,
    shown_file,
)

MAX_ZIP_BYTES = 64 * 1024 * 1024  # the archive itself
MAX_ENTRIES = 2000  # members, folders included
MAX_DIRECTORY_BYTES = MAX_ENTRIES * 1024  # the central directory zipfile would parse
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all members together
CHUNK = 1 << 16
_JUNK = {"__macosx", "thumbs.db", "desktop.ini"}
_NESTED = (".zip", ".jar", ".apk", ".docx", ".xlsx", ".pptx", ".odt")  # zip containers by name
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_EOCD, _EOCD64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
_BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error,
           NotImplementedError, RuntimeError, KeyError, zlib.error)
EXPORT_TOP = "pictures"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed member dates: the same set exports to the same bytes


def _directory_size(data: bytes) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record (zip64 too); OwnSetError when there is none."""
    tail_start = max(0, len(data) - (1 << 16) - 22)
    at = data.rfind(_EOCD, tail_start)
    if at < 0 or len(data) < at + 22:
        raise OwnSetError("ownset.zip.bad")
    entries, size = struct.unpack("<HI", data[at + 10:at + 16])
    locator = at - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == _EOCD64_LOCATOR:
        offset = struct.unpack("<Q", data[locator + 8:locator + 16])[0]
        record = data[offset:offset + 56]
        if len(record) < 56:
            raise OwnSetError("ownset.zip.bad")
        entries, size = struct.unpack("<QQ", record[32:48])
    return entries, size


def _open(data: bytes) -> zipfile.ZipFile:
    """The archive, after the cheap checks that bound what zipfile will parse."""
    if len(data) > MAX_ZIP_BYTES:
        raise OwnSetError("ownset.zip.too_large", mb=round(len(data) / 2**20, 1), max_mb=MAX_ZIP_BYTES // 2**20)
    entries, size = _directory_size(data)
    if entries > MAX_ENTRIES or size > MAX_DIRECTORY_BYTES:
        raise OwnSetError("ownset.zip.too_many", count=entries, max=MAX_ENTRIES)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except _BROKEN:
        raise OwnSetError("ownset.zip.bad") from None
    if len(zf.infolist()) > MAX_ENTRIES:  # the end record may understate the count
        raise OwnSetError("ownset.zip.too_many", count=len(zf.infolist()), max=MAX_ENTRIES)
    return zf


def _parts(info: zipfile.ZipInfo) -> list[str] | None:
    """The member's path parts; None for clutter; OwnSetError for a hostile name or member."""
    name = info.filename
    shown = shown_file(name, path=True)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise OwnSetError("ownset.zip.absolute", file=shown)
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise OwnSetError("ownset.zip.traversal", file=shown)
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        raise OwnSetError("ownset.zip.symlink", file=shown)
    if info.flag_bits & 0x1:
        raise OwnSetError("ownset.zip.encrypted", file=shown)
    if name.lower().endswith(_NESTED):
        raise OwnSetError("ownset.zip.nested", file=shown)
    if info.is_dir() or not parts or any(p.startswith(".") or p.lower() in _JUNK for p in parts):
        return None
    return parts


def _members(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, list[str]]]:
    """Every file member with its path parts, the one top folder removed; the whole-zip checks done."""
    members = [(info, parts) for info in zf.infolist() if (parts := _parts(info)) is not None]
    declared = sum(info.file_size for info, _ in members)
    if declared > MAX_UNCOMPRESSED:
        raise OwnSetError("ownset.zip.too_big", mb=round(declared / 2**20), max_mb=MAX_UNCOMPRESSED // 2**20)
    tops = {parts[0] for _, parts in members if len(parts) >= 2}
    if len(tops) == 1 and any(len(parts) >= 3 for _, parts in members):
        members = [(info, parts[1:] if len(parts) >= 2 else parts) for info, parts in members]
    return sorted(members, key=lambda m: m[1])


class _Budget:
    """Bytes read so far over the whole zip: enforced while reading, whatever the headers said."""

    def __init__(self) -> None:
        self.used = 0

    def read(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str) -> bytes:
        """The member's bytes, never more than it declared, nor beyond the zip's total cap."""
        out = bytearray()
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(CHUNK):
                    out += chunk
                    self.used += len(chunk)
                    if len(out) > info.file_size or self.used > MAX_UNCOMPRESSED:
                        raise OwnSetError("ownset.zip.lied", file=shown)
        except _BROKEN:
            raise OwnSetError("ownset.zip.damaged", file=shown) from None
        return bytes(out)


def _add(own: OwnSet, index: int, data: bytes, shown: str) -> None:
    """Decode one member into class index; a nested zip found by its bytes refuses the whole archive."""
    if data.startswith(_ZIP_MAGIC):
        raise OwnSetError("ownset.zip.nested", file=shown)
    try:
        rgb = decode_image(data).pixels
    except ImageError as exc:
        raise OwnSetError(exc.key, file=shown, **exc.params) from None
    own.add_pixels(index, rgb, shown)


_PER_FILE_STOP = ("ownset.full", "ownset.full_bytes")  # the set is full: the rest of the zip is not read


def _decoded(info: zipfile.ZipInfo, parts: list[str]) -> bool:
    """True for a member read_zip will decode (in a class folder, under the file cap)."""
    return len(parts) >= 2 and info.file_size <= MAX_FILE_BYTES


def _head(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's first HEADER_BYTES (b"" when it cannot be read: the decoding pass reports it)."""
    try:
        with zf.open(info) as fh:
            return fh.read(HEADER_BYTES)
    except _BROKEN:
        return b""


def _check_pixels(zf: zipfile.ZipFile, members, cancel: threading.Event | None) -> None:
    """OwnSetError("ownset.zip.too_many_pixels") when the pictures' headers add up to more than MAX_BATCH_PIXELS."""
    total, files = 0, 0
    for info, parts in members:
        if _decoded(info, parts):
            check_cancel(cancel)
            total, files = total + decode_cost(_head(zf, info)), files + 1
    if total > MAX_BATCH_PIXELS:
        raise OwnSetError("ownset.zip.too_many_pixels", files=files, mp=round(total / 1e6),
                          max_mp=MAX_BATCH_PIXELS // 10**6)


def read_zip(data: bytes, cancel: threading.Event | None = None) -> tuple[OwnSet, list[Problem]]:
    """A new set from zip bytes and the files that were not added; OwnSetError when the zip is refused.

    Decoding is budgeted before it starts (MAX_BATCH_PIXELS from the headers); cancel (the tab is gone) is
    checked between files and ends the read with OwnSetError("ownset.cancelled").
    """
    zf = _open(bytes(data))
    with zf:
        members = _members(zf)
        names = sorted({parts[0] for _, parts in members if len(parts) >= 2})
        if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
            raise OwnSetError("ownset.zip.class_count", count=len(names), min=MIN_CLASSES, max=MAX_CLASSES)
        _check_pixels(zf, members, cancel)
        own, budget, problems = OwnSet(names), _Budget(), []
        for done, (info, parts) in enumerate(members):
            check_cancel(cancel)
            shown = shown_file(info.filename, path=True)
            if len(parts) < 2:
                problems.append(Problem(shown, Message("ownset.zip.no_folder")))
            elif info.file_size > MAX_FILE_BYTES:
                problems.append(Problem(shown, Message("ownset.file_too_big", {
                    "mb": round(info.file_size / 2**20, 1), "max_mb": MAX_FILE_BYTES // 2**20})))
            else:
                try:
                    _add(own, names.index(parts[0]), budget.read(zf, info, shown), shown)
                except OwnSetError as exc:
                    if exc.key.startswith("ownset.zip."):
                        raise
                    problems.append(exc.problem)
                    if exc.key in _PER_FILE_STOP:
                        problems.append(Problem("", Message("ownset.zip.rest", {"count": len(members) - done - 1})))
                        break
    return own, problems


def write_zip(own: OwnSet, top: str = EXPORT_TOP) -> bytes:
    """The set as top/<class>/<nnn>.png (the stored 64×64 copies, lossless): read_zip reads it back."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:  # PNG is compressed already
        for k, name in enumerate(own.names):
            for i, picture in enumerate(own.pictures(k), start=1):
                info = zipfile.ZipInfo(f"{top}/{name}/{i:03d}.png", date_time=_EPOCH)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                zf.writestr(info, picture.thumbnail)
    return buf.getvalue()


def png_bytes(rgb) -> bytes:
    """(H, W, 3) uint8 RGB as PNG bytes (used by tests and the bench to build zips)."""
    ok, png = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return png.tobytes()
