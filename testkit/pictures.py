"""Photo-like generated picture sets for tests and bench: three kinds of objects on varied, noisy backgrounds.

Each picture is a 96×128 RGB "photo" (wider than tall, like a camera frame, so the centre crop matters):
a background (one of a few "rooms": wall, desk, paper, wood, each shifted in colour) with a brightness
gradient and a few soft blotches, one object of its
class at a random place, size and tilt, its colour drawn from a range that overlaps the other classes'
(so colour alone does not tell them apart), then sensor noise. Seeded: the same seed gives the same set.
"""
from __future__ import annotations

import cv2
import numpy as np

KINDS = ("ball", "box", "stick")
HEIGHT, WIDTH = 96, 128


ROOMS = ((170, 160, 140), (90, 100, 120), (200, 200, 205), (120, 90, 70))  # wall, desk, paper, wood


def _background(rng: np.random.Generator) -> np.ndarray:
    """(H, W, 3) float: one of the ROOMS' colours, shifted, with a brightness gradient and three soft blotches."""
    base = np.array(ROOMS[rng.integers(len(ROOMS))]) + rng.normal(0, 20, size=3)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH] / max(HEIGHT, WIDTH)
    gx, gy = rng.uniform(-60, 60, size=2)
    img = base + (gx * xx + gy * yy)[..., None]
    for _ in range(3):
        blot = np.zeros((HEIGHT, WIDTH), np.float32)
        cv2.circle(blot, (int(rng.integers(0, WIDTH)), int(rng.integers(0, HEIGHT))), int(rng.integers(8, 30)), 1.0, -1)
        img = img + cv2.GaussianBlur(blot, (0, 0), 6)[..., None] * rng.uniform(-40, 40, size=3)
    return img


def _object_colour(kind: str, rng: np.random.Generator) -> np.ndarray:
    """A colour leaning towards the kind's own hue, with ranges that overlap between kinds."""
    lean = {"ball": (200, 90, 70), "box": (80, 110, 200), "stick": (110, 190, 90)}[kind]
    return np.clip(np.array(lean) + rng.normal(0, 45, size=3), 0, 255)


def draw_object(kind: str, rng: np.random.Generator) -> np.ndarray:
    """One (HEIGHT, WIDTH, 3) uint8 RGB photo of a ball, a box or a stick."""
    img = _background(rng)
    mask = np.zeros((HEIGHT, WIDTH), np.float32)
    r = rng.uniform(15, 30)
    cx, cy = rng.uniform(WIDTH / 2 - 20, WIDTH / 2 + 20), rng.uniform(r, HEIGHT - r)
    if kind == "ball":
        cv2.circle(mask, (int(cx), int(cy)), int(r), 1.0, -1, cv2.LINE_AA)
    else:
        w, h = (r * 1.6, r * 1.6) if kind == "box" else (r * 2.4, r * 0.5)
        box = cv2.boxPoints(((cx, cy), (w, h), rng.uniform(-30, 30) + (0 if kind == "box" else rng.choice([0, 90]))))
        cv2.fillPoly(mask, [np.round(box).astype(np.int32)], 1.0, cv2.LINE_AA)
    colour = _object_colour(kind, rng)
    shade = 1.0 - 0.35 * cv2.GaussianBlur(mask, (0, 0), r / 3)  # a little shading towards the middle
    img = img * (1 - mask[..., None]) + (colour * shade[..., None]) * mask[..., None]
    img = img + rng.normal(0, 12, size=img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def picture_set(per_class: int = 30, seed: int = 0, kinds: tuple[str, ...] = KINDS) -> dict[str, list[np.ndarray]]:
    """{kind: [photo, ...]} with per_class photos of each kind."""
    rng = np.random.default_rng(seed)
    return {k: [draw_object(k, rng) for _ in range(per_class)] for k in kinds}


def own_set(per_class: int = 30, seed: int = 0, kinds: tuple[str, ...] = KINDS):
    """An OwnSet filled with picture_set(...), each photo going through PNG bytes and the safe decoder."""
    from playground.training.ownset import OwnSet
    from playground.training.zipset import png_bytes

    own = OwnSet(list(kinds))
    for k, photos in enumerate(picture_set(per_class, seed, kinds).values()):
        for i, photo in enumerate(photos):
            own.add_picture(k, png_bytes(photo), f"{kinds[k]}_{i:03d}.png")
    return own


def encode(photo: np.ndarray, fmt: str = "png") -> bytes:
    """One (H, W, 3) uint8 RGB photo as PNG or JPEG (quality 90) bytes."""
    ext, params = (".png", []) if fmt == "png" else (".jpg", [cv2.IMWRITE_JPEG_QUALITY, 90])
    ok, data = cv2.imencode(ext, cv2.cvtColor(photo, cv2.COLOR_RGB2BGR), params)
    return data.tobytes()


def zip_set(per_class: int = 30, seed: int = 0, kinds: tuple[str, ...] = KINDS, fmt: str = "jpg",
            extra: dict[str, bytes] | None = None) -> bytes:
    """picture_set(...) as a zip in the ImageFolder layout (set/<kind>/<kind>_000.jpg), plus extra members."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for kind, photos in picture_set(per_class, seed, kinds).items():
            for i, photo in enumerate(photos):
                zf.writestr(f"set/{kind}/{kind}_{i:03d}.{fmt}", encode(photo, fmt))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


INDEX_BITS = 12  # the frame number, in the clip's top row of blocks (4096 frames at most)
BLOCK = 8


def camera_video(path, frames: int = 600, fps: int = 10) -> None:
    """A Y4M clip for Chromium's --use-file-for-fake-video-capture: every frame a different grid of grey blocks.

    Blocks of 8×8 pixels survive the downscale a camera shot goes through, so no two shots of the looping clip
    (60 s at the defaults) are the same picture. The top row's first INDEX_BITS blocks spell the frame's number
    in black and white (lowest bit first): FRAME_NUMBER_JS reads it off a playing <video>.
    """
    assert frames <= 2 ** INDEX_BITS and WIDTH // BLOCK >= INDEX_BITS
    rng = np.random.default_rng(0)
    chroma = np.full((HEIGHT // 2) * (WIDTH // 2) * 2, 128, np.uint8).tobytes()  # 4:2:0, neutral colour
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for n in range(frames):
            blocks = rng.integers(16, 236, (HEIGHT // BLOCK, WIDTH // BLOCK), dtype=np.uint8)
            blocks[0, :INDEX_BITS] = [235 if n >> bit & 1 else 16 for bit in range(INDEX_BITS)]
            luma = np.kron(blocks, np.ones((BLOCK, BLOCK), np.uint8))
            f.write(b"FRAME\n" + luma.tobytes() + chroma)


# (video) => the number camera_video stamped on the frame the <video> shows now: each of the top row's first
# INDEX_BITS blocks sampled at its centre, at the video's own size (the camera may scale the clip).
FRAME_NUMBER_JS = f"""(video) => {{
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  const g = canvas.getContext('2d', {{ willReadFrequently: true }});
  g.drawImage(video, 0, 0);
  let n = 0;
  for (let bit = 0; bit < {INDEX_BITS}; bit++) {{
    const x = Math.floor((bit + 0.5) * {BLOCK} * canvas.width / {WIDTH});
    const y = Math.floor(0.5 * {BLOCK} * canvas.height / {HEIGHT});
    if (g.getImageData(x, y, 1, 1).data[0] > 128) n |= 1 << bit;
  }}
  return n;
}}"""
