"""Image lab UI: source, flip / rotate, normalization."""
