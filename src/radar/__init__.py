"""radar: a command-line research radar over a local SQLite cache of papers."""

__version__ = "0.1.0"
