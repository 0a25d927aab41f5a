"""The innovation app's writes, one module per area (services.<area>)."""
