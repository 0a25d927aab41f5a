"""The talent app's reads, one module per area (certificates, competitions, …)."""
