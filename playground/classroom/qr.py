"""QR codes of share and join links, drawn here (segno, offline) as PNG bytes for st.image."""
from __future__ import annotations

import io

import segno

SCALE = 6  # pixels per module: a version-4 code of a join link is about 250 px wide
BORDER = 4  # the quiet zone the QR standard asks for, in modules


def qr_png(text: str, scale: int = SCALE) -> bytes | None:
    """A QR code of text as PNG bytes, or None when text is too long for any QR code."""
    try:
        code = segno.make(text, error="m", micro=False)  # segno raises the level when the size allows it
    except segno.DataOverflowError:
        return None
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()
