"""Convolution step by step: one window position at a time, on a small grid of numbers."""
