"""Training lab UI: settings, start / stop, the live panel, results."""
