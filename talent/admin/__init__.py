"""The talent app's admin, one module per area; importing the package registers them all."""
