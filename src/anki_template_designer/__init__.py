"""Anki Template Designer: design, preview, lint and share Anki card templates."""

__version__ = "0.1.0"
