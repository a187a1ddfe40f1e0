"""Rendering: what radar prints. `console` (Output: plain when piped, Rich only on a terminal;
JSON), `papers` (papers in any format, Rich-free), `terminal` (Rich tables and cards), `export`,
`page` (the HTML page from templates/page.html.j2) and `markdown` (a brief's markdown for it).
"""

from radar.render.console import Output, make_console, print_json, print_records, safe

__all__ = ["Output", "make_console", "print_json", "print_records", "safe"]
