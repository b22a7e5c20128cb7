"""A zip of many blank 4000×4000 PNGs (7.9 MB, 500 pictures, minutes of one core to decode): what reading
it costs now (refused from the headers), against decoding its pictures, and how soon a read stops once its
tab is gone (the budget switched off so that decoding runs).

    PYTHONPATH=. python bench/bench_zip_budget.py --pictures 500
"""
from __future__ import annotations

import argparse
import io
import os
import threading
import time
import zipfile

import cv2
import numpy as np

from playground.image.decode import decode_image
from playground.training import zipset
from playground.training.ownset import OwnSetError


def blank_zip(pictures: int) -> tuple[bytes, bytes]:
    """(zip bytes, one member): pictures blank 4000×4000 PNGs in two class folders."""
    png = cv2.imencode(".png", np.zeros((4000, 4000, 3), np.uint8), [cv2.IMWRITE_PNG_COMPRESSION, 9])[1].tobytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(pictures):
            zf.writestr(f"set/{'ab'[i % 2]}/{i:03d}.png", png)
    return buf.getvalue(), png


def refused_in(data: bytes) -> tuple[float, str]:
    """CPU seconds of read_zip until it refuses the zip, and the key."""
    start = time.process_time()
    try:
        zipset.read_zip(data)
        key = "accepted"
    except OwnSetError as exc:
        key = exc.key
    return time.process_time() - start, key


def stop_after(data: bytes, delay: float) -> tuple[float, int]:
    """With the budget off: close the "tab" after delay s; seconds from then until read_zip returned, pictures read."""
    gone, decoded, done = threading.Event(), [], threading.Event()
    real = zipset.decode_image
    zipset.decode_image = lambda b: decoded.append(1) or real(b)
    saved, zipset.MAX_BATCH_PIXELS = zipset.MAX_BATCH_PIXELS, 10**15
    try:
        worker = threading.Thread(target=lambda: (_read(data, gone), done.set()))
        worker.start()
        done.wait(delay)
        closed = time.perf_counter()
        gone.set()
        worker.join()
        return time.perf_counter() - closed, len(decoded)
    finally:
        zipset.decode_image, zipset.MAX_BATCH_PIXELS = real, saved


def _read(data: bytes, gone: threading.Event) -> None:
    try:
        zipset.read_zip(data, gone)
    except OwnSetError:
        pass


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pictures", type=int, default=500)
    p.add_argument("--decodes", type=int, default=3, help="pictures decoded for the per-picture baseline")
    args = p.parse_args()
    print("load average", os.getloadavg())
    data, png = blank_zip(args.pictures)
    print(f"zip: {len(data) / 2**20:.1f} MB, {args.pictures} pictures of 4000×4000, one PNG {len(png) / 1024:.1f} KB")
    seconds, key = refused_in(data)
    times = []
    for _ in range(args.decodes):
        start = time.process_time()
        decode_image(png)
        times.append(time.process_time() - start)
    one = float(np.median(times))
    print(f"read_zip now: {key} after {seconds * 1000:.0f} ms of CPU")
    print(f"decoding one picture: {one:.2f} s of CPU (median of {args.decodes}); all {args.pictures}: "
          f"≈ {one * args.pictures:.0f} s, ratio {one * args.pictures / seconds:.0f}x")
    waited, read = stop_after(data, 2.0)
    print(f"budget off, tab closed after 2 s: read_zip returned {waited:.2f} s later, after {read} pictures "
          f"(one picture: {one:.2f} s)")


if __name__ == "__main__":
    main()
