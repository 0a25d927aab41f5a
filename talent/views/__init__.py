"""The talent app's public pages (技术英才网, TAL-7), one module per area."""
