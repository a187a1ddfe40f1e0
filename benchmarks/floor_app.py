"""The floor for radar's start-up benchmarks: the cheapest process radar's stack allows.

A minimal Typer app (the same typer and rich radar uses) whose one command opens the SQLite
cache and prints a two-row Rich table; its `--help` is the floor for `radar --help`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command()
def floor(
    db: Annotated[Path, typer.Option("--db", help="The SQLite cache to read.", dir_okay=False)],
) -> None:
    """Print the first two papers of the cache as a table.

    Example: python benchmarks/floor_app.py --db radar.db
    """
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT id, title FROM papers ORDER BY pk LIMIT 2").fetchall()
    table = Table("id", "title")
    for paper_id, title in rows:
        table.add_row(paper_id, title)
    Console().print(table)


if __name__ == "__main__":
    app()
