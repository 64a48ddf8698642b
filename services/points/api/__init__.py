"""HTTP endpoints of the points service, one module per resource."""
