"""The ``atd`` command: a thin layer that parses input, calls services and formats output."""
