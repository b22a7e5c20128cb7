"""Training lab core: data sets, the worker-thread trainer, the queue, divergence rules, results."""
