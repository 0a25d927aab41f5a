"""The talent app's writes, one module per area (CONVENTIONS: services for writes)."""
