"""Pages of the journeys capability, one module per concept."""
