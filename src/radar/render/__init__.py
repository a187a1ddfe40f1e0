"""Rendering: what radar prints. `console` (Output: plain when piped, Rich only on a terminal;
JSON), `papers` (papers in any format, Rich-free), `terminal` (Rich tables and cards), `export`.
"""

from radar.render.console import Output, make_console, print_json, print_records, safe

__all__ = ["Output", "make_console", "print_json", "print_records", "safe"]
