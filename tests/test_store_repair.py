"""store/repair.py, read through a real cache file (mutation-checked: docs/testing.md)."""
