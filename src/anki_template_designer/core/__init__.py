"""Domain core: pure, no I/O."""
