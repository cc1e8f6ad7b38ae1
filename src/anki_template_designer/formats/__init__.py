"""Interop: Anki packages, the folder format, CrowdAnki JSON and AnkiConnect."""
