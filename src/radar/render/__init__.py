"""Rendering: what radar prints. `console` (Rich on a terminal, plain when piped, JSON),
`terminal` (paper tables and cards) and `export` (json/csv/bibtex/markdown, no Rich).
"""

from radar.render.console import make_console, print_json, print_records, safe

__all__ = ["make_console", "print_json", "print_records", "safe"]
