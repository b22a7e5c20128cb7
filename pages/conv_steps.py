"""Convolution step by step: a small window slides over a grid, multiplies, adds and fills the output."""
from playground.ui.conv_steps import page
from playground.ui.runtime import boot

boot.require_app()
page.main()
