"""The talent app's writes, one module per area (certificates, competitions, …)."""
