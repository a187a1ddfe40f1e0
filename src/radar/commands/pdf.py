"""`radar pdf`: download papers' PDFs through the polite HTTP client, skipping files already there.

Spacing, timeouts, retries and the response size cap are sync's (`[arxiv]` settings).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.common import invocation, note, plural
from radar.errors import ExitStatus, NetworkError, RadarError, UsageError

if TYPE_CHECKING:
    from radar.paper import Paper
    from radar.sources.http import HttpClient


def pdf(
    ctx: typer.Context,
    ids: Annotated[
        list[str], typer.Argument(metavar="ID", help="Papers, in any id spelling or handle.")
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="DIR", file_okay=False, help="Folder to save into."),
    ] = Path("."),
) -> None:
    """Download papers' PDFs (one request every few seconds, as sync does).

    Files are named after the paper and version (2602.22495v2.pdf); one already there is kept.

    Examples:
      radar pdf 2602.22495
      radar pdf 2602.22495 1201.4869 -o ~/papers
    """
    from radar.commands.reading import cached_paper
    from radar.sync.run import http_client

    settings = invocation(ctx).settings()
    with invocation(ctx).open_store() as store:
        papers = [cached_paper(store, text) for text in ids]
    output = output.expanduser()
    output.mkdir(parents=True, exist_ok=True)
    client = http_client(settings, announce=note)
    failed = 0
    for paper in papers:
        try:
            saved = download(client, paper, output)
        except RadarError as exc:
            failed += 1
            note(f"error: {paper.id}: {exc}")
            continue
        note(f"{'kept' if saved is None else 'saved'} {target(paper, output)}")
    if failed:
        note(f"{plural(failed, 'PDF')} not downloaded")
        raise typer.Exit(ExitStatus.ERROR)


def target(paper: Paper, folder: Path) -> Path:
    """`2602.22495v2.pdf`, `cond-mat_0412498v1.pdf`, or a feed paper's handle."""
    from radar.identity import short_handle

    stem = short_handle(paper.id).replace("/", "_").replace(":", "-")
    if paper.is_arxiv and paper.version:
        stem += f"v{paper.version}"
    return folder / (re.sub(r"[^\w.\-]", "_", stem) + ".pdf")


def download(client: HttpClient, paper: Paper, folder: Path) -> Path | None:
    """Fetch the paper's PDF into `folder`; None when the file is already there."""
    path = target(paper, folder)
    if path.exists() and path.stat().st_size > 0:
        return None
    url = paper.pdf_link
    if not url:
        raise UsageError(f"paper {paper.id} has no PDF link", hint=f"radar open {paper.id}")
    response = client.get(url)
    if response.status != 200:
        raise NetworkError(f"{url}: HTTP {response.status}")
    if not response.body.startswith(b"%PDF"):
        raise NetworkError(
            f"{url} did not answer with a PDF", hint="open it in a browser: radar open --pdf"
        )
    fd, tmp = tempfile.mkstemp(prefix=".radar-", suffix=".pdf", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(response.body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


app = typer.Typer()
app.command("pdf")(pdf)
