"""The sidebar every page shares: language, projector mode, lessons, share link, files, summary."""
