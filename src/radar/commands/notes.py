"""`radar note`: write, print or edit (in $EDITOR) your note on a paper.

Notes live with stars and read marks; `show`, JSON, CSV and markdown exports carry them.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from radar.commands.common import invocation, note, out
from radar.errors import UsageError


def note_command(
    ctx: typer.Context,
    paper: Annotated[str, typer.Argument(metavar="ID", help="The paper, in any id spelling.")],
    text: Annotated[
        str | None,
        typer.Argument(metavar="TEXT", help='The note (replaces the old one; "" removes it).'),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", "-e", help="Write the note in $VISUAL / $EDITOR.")
    ] = False,
) -> None:
    """Write your note on a paper, or print it.

    Examples:
      radar note 2602.22495 "compare with the RDD baseline"
      radar note 2602.22495
      radar note 2602.22495 --edit
    """
    from radar.commands.reading import cached_paper

    if edit and text is not None:
        raise UsageError("give the note as TEXT or --edit, not both")
    with invocation(ctx).open_store() as store:
        found = cached_paper(store, paper)
        if text is None and not edit:
            if found.note:
                out(ctx).out(found.note, highlight=False)
            else:
                note(f'no note on {found.id} (hint: radar note {found.id} "your text")')
            return
        new = edited(found.note or "") if edit else text or ""
        store.set_user_state(found.id, note=new)
    note(f"note {'saved' if new.strip() else 'removed'} for {found.id}: {found.title}")


def edited(current: str) -> str:
    """The text after the user's editor ran on `current` ($VISUAL, $EDITOR, else vi)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="radar-note-") as folder:
        path = Path(folder) / "note.md"
        path.write_text(current, encoding="utf-8")
        try:
            status = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise UsageError(
                f"cannot start the editor {editor!r}: {exc.strerror or exc}",
                hint="set $EDITOR, e.g. export EDITOR=nano",
            ) from None
        if status != 0:
            raise UsageError(f"the editor {editor!r} exited with {status}; note unchanged")
        return path.read_text(encoding="utf-8").strip()


app = typer.Typer()
app.command("note")(note_command)
