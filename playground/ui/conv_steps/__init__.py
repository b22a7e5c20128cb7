"""Convolution step by step UI: controls, the stepping stage, SVG grids."""
