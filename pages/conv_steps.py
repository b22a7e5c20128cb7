"""Convolution step by step: a small window slides over a grid, multiplies, adds and fills the output."""
from playground.ui import boot
from playground.ui.conv_steps import page

boot.require_app()
page.main()
