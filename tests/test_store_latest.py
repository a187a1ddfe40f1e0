"""store/latest.py, read through a real cache file (mutation-checked: docs/testing.md)."""
