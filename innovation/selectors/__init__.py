"""The innovation app's reads, one module per area (selectors.<area>)."""
