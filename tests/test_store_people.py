"""store/people.py, read through a real cache file (mutation-checked: docs/testing.md)."""
