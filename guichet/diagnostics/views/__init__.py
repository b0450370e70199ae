"""Pages of the diagnostics capability: questionnaires (versions), filling, results."""
