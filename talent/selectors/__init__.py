"""The talent app's reads, one module per area (CONVENTIONS: selectors for reads)."""
