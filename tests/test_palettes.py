"""Every colour map and chart palette against colour-vision deficiencies.

colorspacious simulates protan, deutan and tritan vision at full severity (Machado et al. 2009) and measures
distances in CAM02-UCS, where a ΔE of about 1 is just noticeable. Maps for magnitudes must keep getting lighter
(order readable by lightness alone), the signed map must be light at zero and dark at both ends with ends that
stay far apart, and the colours of one chart must stay far apart from each other.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert

from playground.colours import PALETTES, lut

VISIONS = {"normal": None, **{k: {"name": "sRGB1+CVD", "cvd_type": f"{k}anomaly", "severity": 100}
                              for k in ("prot", "deuter", "trit")}}
MIN_APART = 20.0  # CAM02-UCS ΔE between any two colours of one chart, in every vision


def seen(rgb: np.ndarray, vision: str) -> np.ndarray:
    """(N, 3) sRGB in 0..1 -> (N, 3) CAM02-UCS J'a'b' as a person with that vision sees it."""
    cvd = VISIONS[vision]
    if cvd is not None:
        rgb = np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def hex_rgb(colours) -> np.ndarray:
    return np.array([[int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)] for c in colours])


def closest_pair(colours, vision: str) -> float:
    jab = seen(hex_rgb(colours), vision)
    return min(float(np.linalg.norm(jab[i] - jab[j])) for i, j in itertools.combinations(range(len(jab)), 2))


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", ["grey", "viridis"])
def test_magnitude_maps_get_lighter_all_the_way(name, vision):
    lightness = seen(lut(name)[::8] / 255, vision)[:, 0]  # 32 steps along the map
    assert np.all(np.diff(lightness) > 0.5), f"{name} is not monotonic in lightness for {vision} vision"


@pytest.mark.parametrize("vision", VISIONS)
def test_the_signed_map_is_light_at_zero_and_its_ends_stay_apart(vision):
    table = lut("diverging")
    jab = seen(table[::8] / 255, vision)
    lightness, middle = jab[:, 0], len(jab) // 2
    assert np.all(np.diff(lightness[:middle + 1]) > 0) and np.all(np.diff(lightness[middle:]) < 0)
    ends = seen(table[[0, 255]] / 255, vision)
    assert np.linalg.norm(ends[0] - ends[1]) >= MIN_APART, f"negative and positive ends merge for {vision} vision"
    blue, red = table[0].astype(int), table[255].astype(int)
    assert blue[2] > blue[0] and red[0] > red[2] and abs(red[1] - blue[1]) < 60  # blue–red, not red–green


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", PALETTES)
def test_chart_colours_stay_apart(name, vision):
    assert closest_pair(PALETTES[name], vision) >= MIN_APART, f"{name}: {PALETTES[name]} merge for {vision} vision"


def test_the_check_catches_a_red_green_pair():
    red_green = ("#d62728", "#2ca02c")  # plotly's default red and green
    assert closest_pair(red_green, "normal") >= MIN_APART
    assert closest_pair(red_green, "deuter") < MIN_APART
