"""Load: --uploads N tabs each upload the largest picture the Image lab accepts, at the same moment:
the case that sets the server's peak memory (docs/benchmarks.md has the figures).

Each tab gets its own 16-megapixel RGBA PNG (4618×3464, the decoder's pixel cap; noise in a corner so every
file differs and no cache entry is shared): the costliest accepted decode per byte uploaded (≈ 115 MB peak
each in bench/bench_decode.py) while the file stays far under the 10 MB upload cap.
"""
from __future__ import annotations

import asyncio
import io

import numpy as np
from PIL import Image

SIDE = (4618, 3464)  # 15.997 MP: just under playground.image.decode.MAX_PIXELS
SOURCE_UPLOAD = 1  # "Upload" in the Image lab's source radio (limits: sample, upload, camera)


def largest_png(seed: int) -> bytes:
    """A distinct RGBA PNG at the pixel cap, a few hundred KB."""
    rgba = np.full((SIDE[1], SIDE[0], 4), 200, np.uint8)
    rng = np.random.default_rng(seed)
    rgba[:64, :64] = rng.integers(0, 256, (64, 64, 4), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG", compress_level=6)
    return buf.getvalue()


async def upload_largest(student, data: bytes) -> bool:
    """Open the Image lab, choose Upload, send the file; True when the page handed the picture on."""
    tab = student.tab
    if await student.act("open_link", tab.open("")) is None:
        return False
    if await student.act("choose_upload", tab.set("w.image.source", SOURCE_UPLOAD)) is None:
        return False
    key = tab.key_starting("w.input.upload.")
    run = await student.act("upload_photo", tab.upload(key, [("largest.png", data, "image/png")]))
    return run is not None and not run.exceptions


async def uploads(args, rec, student_cls) -> None:
    """--uploads tabs at once, each uploads its file, all hold their pictures --hold s, then close."""
    files = await asyncio.to_thread(lambda: [largest_png(n) for n in range(args.uploads)])
    done: list[bool] = []
    everyone = asyncio.Event()

    async def one(n: int):
        student = student_cls(n, args, rec)
        try:
            done.append(await upload_largest(student, files[n]))
        except Exception as exc:  # noqa: BLE001 - a failure is a finding to report
            rec.error("upload_photo", f"session {n}: {type(exc).__name__}: {exc}")
            done.append(False)
        finally:
            if len(done) == len(files):
                everyone.set()
        await everyone.wait()
        await asyncio.sleep(args.hold)
        await student.tab.close()

    await asyncio.gather(*(one(n) for n in range(len(files))))
    rec.message("uploads", f"{sum(done)} of {len(files)} tabs had their upload handled without an exception")
