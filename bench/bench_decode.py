"""Decode memory: peak RSS growth of one decode_image call per kind of large upload, each in a fresh process.

Run from the repo root:  python bench/bench_decode.py [--megapixels 16] [--parallel 4]
For each file kind (float32 TIFF, 16-bit PNG and TIFF, RGB and RGBA PNG, grey PNG, JPEG) at the pixel cap:
the growth of the child's peak RSS (VmHWM after /proc/self/clear_refs, imports excluded), its wall time and
the outcome; then `--parallel` decodes of the float TIFF started at once in one process (the decode slots
bound how many hold their pixels together). The files are written once to /tmp/playground-bench-decode.
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("/tmp/playground-bench-decode")

CHILD = """
import sys, threading, time
from playground.errors import ImageError
from playground.image.decode import decode_image

def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

data, parallel, outcome = open(sys.argv[1], "rb").read(), int(sys.argv[2]), []
open("/proc/self/clear_refs", "w").write("5")  # peak (VmHWM) := current RSS: imports and the file bytes don't count
before = status_kib("VmRSS")

def one():
    try:
        decode_image(data)
        outcome.append("decoded")
    except ImageError as err:
        outcome.append(err.key)

t0 = time.perf_counter()
threads = [threading.Thread(target=one) for _ in range(parallel)]
for t in threads: t.start()
for t in threads: t.join()
print(",".join(sorted(set(outcome))), (status_kib("VmHWM") - before) // 1024, round(time.perf_counter() - t0, 2))
"""


def encode(array: np.ndarray, fmt: str, mode: str | None = None, **kwargs) -> bytes:
    buf = io.BytesIO()
    (Image.fromarray(array, mode) if mode else Image.fromarray(array)).save(buf, fmt, **kwargs)
    return buf.getvalue()


def files(megapixels: float) -> dict[str, Path]:
    """One file per kind, width:height 4:3, with smooth content plus noise (compressible but not trivial)."""
    w = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    h = int(megapixels * 1e6 / w)
    rng = np.random.default_rng(0)
    ramp = (np.add.outer(np.arange(h), np.arange(w)) % 256).astype(np.float32)
    kinds = {
        "float32 TIFF (F)": lambda: encode(ramp * 0.37 + rng.normal(0, 1, (h, w)).astype(np.float32), "TIFF"),
        "16-bit PNG (I;16)": lambda: encode((ramp * 250).astype(np.uint16), "PNG"),
        "16-bit TIFF (I;16)": lambda: encode((ramp * 250).astype(np.uint16), "TIFF"),
        "RGB PNG": lambda: encode(np.stack([ramp, ramp.T[:h, :w] if h == w else ramp, ramp], 2).astype(np.uint8), "PNG"),
        "RGBA PNG": lambda: encode(np.stack([ramp] * 3 + [ramp * 0 + 128], 2).astype(np.uint8), "PNG"),
        "grey PNG (L)": lambda: encode(ramp.astype(np.uint8), "PNG"),
        "RGB JPEG": lambda: encode(np.stack([ramp] * 3, 2).astype(np.uint8), "JPEG", quality=90),
    }
    CACHE.mkdir(exist_ok=True)
    out = {}
    for name, make in kinds.items():
        path = CACHE / f"{megapixels:g}mp-{name.split()[0]}-{name.split()[1]}.bin"
        if not path.exists():
            path.write_bytes(make())
        out[f"{name}, {w}×{h}"] = path
    return out


def measure(path: Path, parallel: int = 1) -> tuple[str, int, float]:
    """(outcome, peak RSS growth in MB, wall seconds) of decoding the file in a fresh process."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(parallel)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600, check=True).stdout.split()
    return out[0], int(out[1]), float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megapixels", type=float, default=16.0)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    paths = files(args.megapixels)
    print("| file | size | outcome | peak RSS growth | wall |\n| --- | --- | --- | --- | --- |")
    for name, path in paths.items():
        outcome, mb, secs = measure(path)
        print(f"| {name} | {path.stat().st_size / 2 ** 20:.1f} MB | {outcome} | {mb} MB | {secs:.2f} s |")
    name, path = next(iter(paths.items()))
    outcome, mb, secs = measure(path, args.parallel)
    print(f"| {args.parallel} × {name} at once | | {outcome} | {mb} MB | {secs:.2f} s |")


if __name__ == "__main__":
    main()
