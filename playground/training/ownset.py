""""Your pictures": a per-tab set of 2–10 named classes filled from uploads and camera shots.

Every picture is decoded by the Image lab's safe decoder, then kept only as a small normalized copy: the
middle square of the picture (centre crop of the shorter side, as a phone's square mode does), resized to
SIDE × SIDE RGB uint8 (12,288 bytes). Cropping can cut an object at the far edge of a wide photo; padding
would keep it but add bars that occur only in wide pictures, something a network would happily learn from.
The thumbnail is that copy's PNG (made once, about 4–13 KB): the page shows it and the zip export writes
it, so no original bytes are ever kept. The set mutates through its methods; it lives in the tab's session.

Caps per tab: MAX_PICTURES pictures and MAX_BYTES stored bytes. A full set is at most MAX_BYTES (12 MiB),
so 30 tabs hold at most 360 MiB (bench/bench_ownset.py prints the measured figure).
"""
from __future__ import annotations

import hashlib
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import cv2
import numpy as np

from playground.errors import ImageError, Message, PlaygroundError
from playground.image.decode import MAX_PIXELS, decode_image, header_pixels, looks_like_image

SIDE = 64  # stored side: twice the largest training input (train.size ≤ 32)
MIN_CLASSES, MAX_CLASSES = 2, 10
MIN_PER_CLASS = 5  # before training is allowed
MAX_PICTURES = 500  # per tab, over all classes
MAX_BYTES = 12 * 1024 * 1024  # per tab: pixels + thumbnails
MAX_FILE_BYTES = 20 * 1024 * 1024  # one upload or zip member, before decoding
# One zip or one multi-file upload, summed from the pictures' headers before any is decoded: decoding costs
# about 31 ns a pixel on one core (a 16 MP picture ≈ 0.5 s), so this is about 10 s of one core.
MAX_BATCH_PIXELS = 300_000_000
HEADER_BYTES = 1 << 18  # enough for a JPEG's EXIF and colour profile before its size
MAX_NAME = 24  # characters in a class name
SHOWN_FILE = 60  # characters of a file name quoted in a message
FORBIDDEN = '/\\:*?"<>|'  # a class name is a folder in the exported zip: keep it valid on every OS
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
DEFAULT_NAMES = tuple("ABCDEFGHIJ")  # language-free names for new classes; students rename them


class OwnSetError(PlaygroundError):
    """A picture, a class name or the whole set was refused; params["file"] names the file when there is one."""

    @property
    def problem(self) -> Problem:
        """The error as a (file, message) pair; the message's params leave the file out."""
        params = {k: v for k, v in self.params.items() if k != "file"}
        return Problem(str(self.params.get("file", "")), Message(self.key, params))


def decode_cost(head: bytes) -> int:
    """Pixels decoding a file would cost, from its first bytes: the header's size; the decoder's cap for a
    picture whose size is not in these bytes; 0 for a file that is no picture (refused without decoding)."""
    pixels = header_pixels(head)
    if pixels is not None:
        return pixels
    return MAX_PIXELS if looks_like_image(head) else 0


def check_cancel(cancel: threading.Event | None) -> None:
    """OwnSetError("ownset.cancelled") once cancel is set: the tab that asked is gone."""
    if cancel is not None and cancel.is_set():
        raise OwnSetError("ownset.cancelled")


@dataclass(frozen=True)
class Problem:
    """One file that was not added and why (an ownset.*, decode.* or sample.* message); the set itself is fine."""

    file: str
    message: Message


@dataclass(frozen=True, eq=False)
class Picture:
    """One stored picture: an id for delete buttons, the normalized copy, its digest and where it came from."""

    id: int
    pixels: np.ndarray  # (SIDE, SIDE, 3) uint8 RGB, read-only
    digest: str  # SHA-256 of the pixels: finds the same picture added twice
    file: str  # the user's file name, shortened, for messages only (text, never markup, never a path)

    @cached_property
    def thumbnail(self) -> bytes:
        """PNG bytes of the stored copy: what the page shows and what the zip export writes."""
        ok, png = cv2.imencode(".png", cv2.cvtColor(self.pixels, cv2.COLOR_RGB2BGR))
        return png.tobytes()

    @property
    def nbytes(self) -> int:
        """Memory held: pixels plus thumbnail."""
        return self.pixels.nbytes + len(self.thumbnail)


@dataclass
class _Class:
    name: str
    pictures: list[Picture] = field(default_factory=list)


def shown_file(name: object, path: bool = False) -> str:
    """A file name as quoted in messages: the last path part (or the whole path), no control characters, capped."""
    text = str(name) if path else str(name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return text if len(text) <= SHOWN_FILE else "…" + text[1 - SHOWN_FILE:]


def clean_name(text: object) -> str:
    """A class name as stored: NFC, spaces collapsed; OwnSetError when empty, too long or not a valid folder."""
    if not isinstance(text, str):
        raise OwnSetError("ownset.name_empty")
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise OwnSetError("ownset.name_empty")
    if len(name) > MAX_NAME:
        raise OwnSetError("ownset.name_too_long", name=name[:MAX_NAME] + "…", max=MAX_NAME)
    bad = sorted({ch for ch in name if ch in FORBIDDEN or unicodedata.category(ch).startswith("C")})
    if bad:
        shown = " ".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad)
        raise OwnSetError("ownset.name_bad_char", name=shown_file(name, path=True), chars=shown)
    if name.startswith(".") or name.split(".")[0].casefold() in _RESERVED:
        raise OwnSetError("ownset.name_reserved", name=name)
    return name


def normalize_picture(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> the stored (SIDE, SIDE, 3) copy: centre square, then INTER_AREA (or linear to enlarge)."""
    h, w = rgb.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    square = np.ascontiguousarray(rgb[top:top + s, left:left + s, :3])
    if s != SIDE:
        square = cv2.resize(square, (SIDE, SIDE), interpolation=cv2.INTER_AREA if s > SIDE else cv2.INTER_LINEAR)
    return square.reshape(SIDE, SIDE, 3).astype(np.uint8, copy=False)


def small_set_defaults() -> dict[str, object]:
    """Spec changes the page applies when "Your pictures" is chosen (measured: bench/bench_ownset.py)."""
    return {"train.dataset": "yours", "train.size": 32, "train.colour": True, "train.augment": True,
            "train.optimizer": "adam", "train.lr": 0.003, "train.batch": 16, "train.epochs": 30,
            "train.val_fraction": 0.2, "norm.method": "minmax11", "augment.p_hflip": 0.5, "augment.p_vflip": 0.0,
            "augment.max_angle": 15}


class OwnSet:
    """The tab's picture set: classes in order, each a name and its pictures. Mutate only through the methods."""

    def __init__(self, names: tuple[str, ...] | list[str] = DEFAULT_NAMES[:MIN_CLASSES]):
        if not MIN_CLASSES <= len(names) <= MAX_CLASSES:
            raise OwnSetError("ownset.class_count", count=len(names), min=MIN_CLASSES, max=MAX_CLASSES)
        self._classes: list[_Class] = []
        self._next_id, self._bytes, self._digests = 1, 0, {}
        for name in names:
            self._classes.append(_Class(self._free(clean_name(name))))

    # -- reading ---------------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """Class names, in order (label k is names[k])."""
        return tuple(c.name for c in self._classes)

    @property
    def counts(self) -> tuple[int, ...]:
        """Pictures per class."""
        return tuple(len(c.pictures) for c in self._classes)

    @property
    def total(self) -> int:
        """Pictures in the whole set."""
        return sum(self.counts)

    @property
    def stored_bytes(self) -> int:
        """Memory held by the pictures (pixels and thumbnails)."""
        return self._bytes

    def pictures(self, index: int) -> tuple[Picture, ...]:
        """The pictures of class index, oldest first."""
        return tuple(self._class(index).pictures)

    def missing(self) -> list[Message]:
        """What stops training: one message per class with fewer than MIN_PER_CLASS pictures; [] when ready."""
        return [Message("ownset.missing", {"cls": c.name, "have": len(c.pictures), "need": MIN_PER_CLASS})
                for c in self._classes if len(c.pictures) < MIN_PER_CLASS]

    @property
    def ready(self) -> bool:
        """True when every class has at least MIN_PER_CLASS pictures."""
        return not self.missing()

    def arrays(self) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
        """(N, SIDE, SIDE, 3) uint8 pictures, (N,) int64 labels and the class names."""
        pics = [p.pixels for c in self._classes for p in c.pictures]
        labels = [k for k, c in enumerate(self._classes) for _ in c.pictures]
        images = np.stack(pics) if pics else np.zeros((0, SIDE, SIDE, 3), np.uint8)
        return images, np.asarray(labels, np.int64), self.names

    def fingerprint(self) -> str:
        """Changes whenever a name, a picture or the order does: tells a run's data from the set as it is now."""
        text = "\n".join(f"{c.name}\t{','.join(p.digest for p in c.pictures)}" for c in self._classes)
        return hashlib.sha256(text.encode()).hexdigest()

    # -- classes ---------------------------------------------------------------------------------
    def add_class(self, name: str | None = None) -> int:
        """Append a class (a free default letter when no name is given); its index."""
        if len(self._classes) >= MAX_CLASSES:
            raise OwnSetError("ownset.too_many_classes", max=MAX_CLASSES)
        if name is None:
            taken = {n.casefold() for n in self.names}
            name = next(n for n in DEFAULT_NAMES if n.casefold() not in taken)
        self._classes.append(_Class(self._free(clean_name(name))))
        return len(self._classes) - 1

    def rename_class(self, index: int, name: str) -> str:
        """Give class index a new name; the stored name (cleaned)."""
        target = self._class(index)
        target.name = self._free(clean_name(name), skip=target)
        return target.name

    def remove_class(self, index: int) -> None:
        """Drop class index and its pictures (never below MIN_CLASSES classes)."""
        self._class(index)
        if len(self._classes) <= MIN_CLASSES:
            raise OwnSetError("ownset.too_few_classes", min=MIN_CLASSES)
        for p in self._classes.pop(index).pictures:
            self._forget(p)

    # -- pictures --------------------------------------------------------------------------------
    def add_picture(self, index: int, data: bytes, file: str = "") -> Picture:
        """Decode untrusted bytes (upload or camera) and add them to class index; OwnSetError names the file."""
        shown = shown_file(file)
        self._class(index)
        self._room(shown)
        if len(data) > MAX_FILE_BYTES:
            raise OwnSetError("ownset.file_too_big", file=shown, mb=round(len(data) / 2**20, 1),
                              max_mb=MAX_FILE_BYTES // 2**20)
        try:
            rgb = decode_image(data).pixels
        except ImageError as exc:
            raise OwnSetError(exc.key, file=shown, **exc.params) from None
        return self.add_pixels(index, rgb, shown)

    def add_files(self, index: int, files, cancel: threading.Event | None = None) -> list[Problem]:
        """Add several (file name, bytes) uploads to class index; the ones refused, each with its reason.

        Nothing is added when their headers hold more than MAX_BATCH_PIXELS together; cancel (the tab is gone)
        is checked between files and ends the batch with OwnSetError("ownset.cancelled").
        """
        files = list(files)
        total = sum(decode_cost(data[:HEADER_BYTES]) for _, data in files)
        if total > MAX_BATCH_PIXELS:
            return [Problem("", Message("ownset.batch_pixels", {"files": len(files), "mp": round(total / 1e6),
                                                                "max_mp": MAX_BATCH_PIXELS // 10**6}))]
        problems = []
        for name, data in files:
            check_cancel(cancel)
            try:
                self.add_picture(index, data, name)
            except OwnSetError as exc:
                problems.append(exc.problem)
        return problems

    def add_pixels(self, index: int, rgb: np.ndarray, file: str = "") -> Picture:
        """Add an already decoded (H, W, 3) uint8 RGB picture to class index (file: as shown in messages)."""
        shown = shown_file(file, path=True)
        target = self._class(index)
        self._room(shown)
        pixels = normalize_picture(rgb)
        pixels.flags.writeable = False
        digest = hashlib.sha256(pixels.tobytes()).hexdigest()
        if digest in self._digests:
            raise OwnSetError("ownset.duplicate", file=shown, cls=self._digests[digest].name)
        picture = Picture(self._next_id, pixels, digest, shown)
        if self._bytes + picture.nbytes > MAX_BYTES:
            raise OwnSetError("ownset.full_bytes", file=shown, max_mb=MAX_BYTES // 2**20)
        target.pictures.append(picture)
        self._next_id += 1
        self._bytes += picture.nbytes
        self._digests[digest] = target
        return picture

    def delete_picture(self, picture_id: int) -> bool:
        """Remove the picture with this id; False when there is none (a second click on a stale button)."""
        for c in self._classes:
            for i, p in enumerate(c.pictures):
                if p.id == picture_id:
                    self._forget(c.pictures.pop(i))
                    return True
        return False

    # -- internals -------------------------------------------------------------------------------
    def _class(self, index: int) -> _Class:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self._classes):
            raise OwnSetError("ownset.no_class", index=str(index)[:12])
        return self._classes[index]

    def _free(self, name: str, skip: _Class | None = None) -> str:
        """name, unless another class has it already (case and width ignored)."""
        key = unicodedata.normalize("NFKC", name).casefold()
        if any(unicodedata.normalize("NFKC", c.name).casefold() == key for c in self._classes if c is not skip):
            raise OwnSetError("ownset.name_taken", name=name)
        return name

    def _room(self, shown: str) -> None:
        if self.total >= MAX_PICTURES:
            raise OwnSetError("ownset.full", file=shown, max=MAX_PICTURES)

    def _forget(self, picture: Picture) -> None:
        self._bytes -= picture.nbytes
        self._digests.pop(picture.digest, None)
