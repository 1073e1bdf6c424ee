"""Transaction pipeline package (Lambda code lives under this package)."""
