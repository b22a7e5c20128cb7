"""Class codes, short-link codes and teacher keys: random from `secrets`, in letters nobody misreads.

A code is 10 symbols of a 31-letter alphabet (no 0/O, 1/I/L): 31**10 ≈ 8e14 (49.5 bits), so guessing a
live board at even a thousand tries a second takes centuries. The teacher key is longer (24 symbols,
119 bits) and only its SHA-256 is stored; keys are compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from playground.board.errors import BoardError

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
KEY_LENGTH = 24
_MAX_INPUT = 200  # longer text is not a code or key; refuse before any work


def random_code(length: int = CODE_LENGTH) -> str:
    """A fresh random code (class code or short link)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_teacher_key() -> str:
    """A fresh teacher key; show it once, store only key_hash(key)."""
    return random_code(KEY_LENGTH)


def _clean(text: object, error: str) -> str:
    """Upper case without spaces or dashes (people type 'abcde-fghjk'); anything else refused."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        raise BoardError(error)
    return "".join(text.split()).replace("-", "").upper()


def normalize_code(text: object, error: str = "board.bad_code") -> str:
    """The canonical form of a typed code; a malformed one raises BoardError(error)."""
    code = _clean(text, error)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise BoardError(error)
    return code


def key_hash(key: str) -> str:
    """SHA-256 hex of a teacher key (keys are random and long, so a fast hash is enough)."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def key_matches(key: object, stored_hash: str) -> bool:
    """True when key hashes to stored_hash; the comparison takes the same time wherever they differ."""
    if not isinstance(key, str) or len(key) > _MAX_INPUT:
        return False
    typed = _clean(key, "board.wrong_key")
    return hmac.compare_digest(key_hash(typed), stored_hash)


def group(code: str, size: int = 5) -> str:
    """A code split for reading aloud: 'ABCDE-FGHJK'."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))
