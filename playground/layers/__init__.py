"""The layer stack: kinds (the registry), shapes and validation, hand-designed kernels, ready stacks, code."""
