"""Hypothesis profiles: "dev" (the numbers the tests ask for) and "ci" (a quarter of the examples, for speed).

CI sets CI=true and gets "ci"; HYPOTHESIS_PROFILE=dev (or ci) chooses explicitly.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

CI_SHARE = 4  # the ci profile runs one example in four


def profile() -> str:
    """The profile this run uses."""
    chosen = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no") else "dev"


def load() -> None:
    """Register both profiles and load the chosen one (tests/conftest.py calls this before any test module)."""
    settings.register_profile("dev", deadline=None)
    settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(profile())


def examples(n: int) -> int:
    """A test's example count under the current profile: `n` in dev, a quarter of it (at least 10) in ci."""
    return n if profile() != "ci" else max(10, n // CI_SHARE)
