"""The agency registry: one place that knows every unit by all its names."""
