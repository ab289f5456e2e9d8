"""One module per concern of the picture, each with one Layer (found by stackyard.module_registry)."""
