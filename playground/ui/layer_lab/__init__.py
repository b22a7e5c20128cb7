"""Layer lab UI: the stack editor, the run, the feature-map pictures, the close-up."""
