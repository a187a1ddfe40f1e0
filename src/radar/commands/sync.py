"""`radar sync`: fetch followed authors and categories from arXiv, and feeds, into the cache.

Progress and a summary line on a terminal, silence under cron, failures always on stderr.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from radar.commands import complete
from radar.commands.common import (
    announce_default_follows,
    err,
    invocation,
    note,
    note_upgrade,
    out,
    plural,
)
from radar.errors import ExitStatus, UsageError
from radar.filters import parse_date
from radar.render.console import print_json, safe

INTERRUPTED = (
    "interrupted: what was fetched so far is kept (the page in progress is not); "
    "the next `radar sync` continues where this one stopped"
)

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from radar.config.settings import Settings
    from radar.render.console import Output
    from radar.sync.run import Follow, FollowResult, SyncSummary


def sync(
    ctx: typer.Context,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            "-a",
            metavar="NAME",
            help="Sync only this followed author.",
            autocompletion=complete.followed_authors,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            metavar="CODE",
            help="Sync only this followed category.",
            autocompletion=complete.followed_categories,
        ),
    ] = None,
    feed: Annotated[
        str | None,
        typer.Option(
            "--feed",
            metavar="NAME",
            help="Sync only this followed feed (its name).",
            autocompletion=complete.feed_names,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Fetch everything submitted since this day through the arXiv API.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the requests sync would make; fetch nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print per-follow results, even under cron.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress or summary; failures only.")
    ] = False,
) -> None:
    """Fetch new papers of followed authors, categories and feeds into the cache.

    Examples:
      radar sync
      radar sync --author "Yantao Li" --since 2026-01-01
      radar sync --feed Nature
    """
    from radar.sync.follows import select_follows
    from radar.sync.run import run_sync

    settings = invocation(ctx).settings()
    announce_default_follows(settings)
    try:  # sync's bad options are usage errors (exit 2): cron should not retry them
        since_day = parse_date(since, "--since") if since is not None else None
        follows = select_follows(settings, author=author, category=category, feed=feed)
    except UsageError as exc:
        raise UsageError(exc.message, hint=exc.hint, exit_code=ExitStatus.USAGE) from None
    stdout, stderr = out(ctx), err(ctx)
    show_progress = stderr.is_terminal and not (quiet or as_json or dry_run)
    # What the client is doing (retries, hosts given up): on a terminal, or when asked for.
    talk = (verbose or stderr.is_terminal) and not quiet
    first = set() if dry_run else _authors_never_synced(settings, follows)
    try:
        with _Display(stderr, enabled=show_progress, talk=talk) as display:
            summary = run_sync(
                settings,
                follows,
                since=since_day,
                dry_run=dry_run,
                observer=display,
                announce=display.announce if talk else None,
                on_upgrade=note_upgrade,
            )
    except KeyboardInterrupt:
        if dry_run or os.environ.get("RADAR_DEBUG"):
            raise
        # Not "nothing written": every finished page (and the day's RSS) is committed.
        note(f"\n{INTERRUPTED}")
        raise typer.Exit(ExitStatus.INTERRUPTED) from None
    _report(summary, stdout, as_json=as_json, verbose=verbose, quiet=quiet)
    if not quiet:
        for name in _authors_still_empty(settings, summary, first):
            note(_no_papers_line(name))
    if summary.hosts_down:
        note(f"hint: {hosts_hint(summary, settings)}")
    raise typer.Exit(summary.exit_code)


def hosts_hint(summary: SyncSummary, settings: Settings) -> str:
    """What to do about the hosts that stopped answering: the network when none of them ever
    answered (nothing came back: no network, DNS, a firewall), else the sites' status."""
    from radar.sources.http import host_of

    arxiv = {host_of(settings.arxiv.api_url), host_of(settings.arxiv.rss_url)}
    down = set(summary.hosts_down)
    unreached = down & summary.hosts_unreachable
    if not summary.hosts_answered and unreached == down:
        return f"{_names(down, arxiv)} could not be reached: check your network"
    said = []
    arxiv_down = down & arxiv
    if arxiv_down:
        if arxiv_down <= unreached and not arxiv & summary.hosts_answered:
            said.append("arXiv could not be reached: check your network")
        else:
            said.append("arXiv is not answering: check arXiv's status (https://status.arxiv.org)")
    others = sorted(down - arxiv)
    if others:
        verb = "could not be reached" if set(others) <= unreached else "is not answering"
        if len(others) > 1:
            verb = verb.replace("is not", "are not")
        said.append(f"{', '.join(others)} {verb}: check your network or the site's status")
    return "; ".join(said) + "; the next sync tries again"


def _names(hosts: set[str], arxiv: set[str]) -> str:
    """`arXiv`, `nature.com`, `arXiv and 2 other hosts` (what a user recognises)."""
    names = (["arXiv"] if hosts & arxiv else []) + sorted(hosts - arxiv)
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]} and {len(names) - 1} other hosts"


_SKIPPED = re.compile(r"skipped: (\S+) is not answering")


def error_lines(summary: SyncSummary) -> list[str]:
    """One line per failure, not per follow: follows that failed alike share a line, and
    follows skipped because their host stopped answering join the line of that host."""
    from radar.sources.http import host_of

    skipped: dict[str, list[str]] = {}
    alike: dict[str, list[str]] = {}
    for result in summary.failed:
        for message in result.errors:
            match = _SKIPPED.fullmatch(message)
            into = (
                skipped.setdefault(match.group(1), []) if match else alike.setdefault(message, [])
            )
            if result.follow.key not in into:
                into.append(result.follow.key)
    lines = []
    for message, keys in alike.items():
        line = f"error: {', '.join(keys)}: {safe(message)}"
        host = host_of(message.split(" ", 1)[0].rstrip(":"))
        more = [key for key in skipped.pop(host, []) if key not in keys]
        if more:
            line += f"; {host} is not answering, so {len(more)} more skipped: {', '.join(more)}"
        lines.append(line)
    for host, keys in skipped.items():
        lines.append(f"error: {', '.join(keys)}: skipped: {host} is not answering")
    return lines


def _report(
    summary: SyncSummary, stdout: Output, *, as_json: bool, verbose: bool, quiet: bool
) -> None:
    for line in error_lines(summary):
        note(line)
    if verbose or (stdout.is_terminal and not quiet and not as_json):
        for result in summary.results:
            for message in result.warnings:
                note(f"warning: {result.follow.key}: {safe(message)}")
            for message in result.notes:
                note(f"note: {result.follow.key}: {safe(message)}")
    if as_json:
        print_json(stdout, summary.to_dict())
        return
    if summary.dry_run:
        for planned in summary.planned:
            stdout.out(
                f"GET {planned.url}  # {', '.join(planned.follows)}: {planned.why}", highlight=False
            )
        return
    if verbose:
        for result in summary.results:
            stdout.out(_follow_line(result), highlight=False)
    if verbose or (stdout.is_terminal and not quiet):
        stdout.out(summary.line(), highlight=False)
        if summary.ranking:
            note(summary.ranking)


def _follow_line(result: FollowResult) -> str:
    state = "failed" if result.failed else "ok"
    return (
        f"{safe(result.follow.key)}: {result.new} new, {result.updated} updated, "
        f"{plural(result.requests, 'request')}, {state}"
    )


def _authors_never_synced(settings: Settings, follows: Sequence[Follow]) -> set[str]:
    """Keys of the author follows no sync has completed yet (their first sync is this one)."""
    from radar.store import Store

    authors = {f.key for f in follows if f.kind == "author"}
    if not authors or not settings.db_path.exists():
        return authors
    with Store.open(settings.db_path, readonly=True, on_upgrade=note_upgrade) as store:
        return {key for key in authors if store.sync_state(key).last_success is None}


def _authors_still_empty(settings: Settings, summary: SyncSummary, first: set[str]) -> list[str]:
    """Authors whose first sync succeeded but left no paper signed by them in the cache."""
    from radar.paper import normalize_name
    from radar.store import Store
    from radar.store.status import follow_counts

    done = [
        r.follow for r in summary.results if r.follow.key in first and not r.failed and r.new == 0
    ]
    if not done or not settings.db_path.exists():
        return []
    empty = []
    with Store.open(settings.db_path, readonly=True, on_upgrade=note_upgrade) as store:
        for follow in done:
            norms = sorted({normalize_name(n) for n in (follow.name, *follow.aliases)})
            counts = follow_counts(store, "author", norms)
            if counts is not None and counts.papers == 0:
                empty.append(follow.name)
    return empty


def _no_papers_line(name: str) -> str:
    """The note for an author whose first sync found nothing: most often a misspelt name."""
    import shlex

    return (
        f"note: author:{safe(name)}: the first sync found no papers signed {safe(name)!r} on "
        f"arXiv (hint: check the spelling; `radar author {shlex.quote(safe(name))} --fetch` "
        "tries a spelling without following it)"
    )


class _Display:
    """A Rich progress row per follow on stderr (a terminal only); an `Observer` of the sync."""

    def __init__(self, console: Output, *, enabled: bool, talk: bool = False) -> None:
        self.console = console
        self.enabled = enabled
        self.talk = talk  # without the Rich rows: plain lines for progress and announcements
        self.progress: Progress | None = None
        self.tasks: dict[str, TaskID] = {}
        self.said: dict[str, str] = {}  # follow -> the last progress line printed plainly

    def __enter__(self) -> _Display:
        if self.enabled:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=self.console.rich,
                transient=False,
            )
            self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.stop()

    def announce(self, message: str) -> None:
        """A line about what the sync is doing (a retry, a host given up), above the rows."""
        line = f"note: {safe(message)}"
        if self.progress is not None:
            from rich.text import Text

            self.progress.console.print(Text(line), highlight=False)
        else:
            note(line)

    def _show(self, result: FollowResult, status: str) -> None:
        if self.progress is None:
            self._plain(result, status)
            return
        from rich.markup import escape

        done = status != "…"
        if not done and result.progress:  # a long step: where it is, not the counts yet
            text = escape(f"{safe(result.follow.key)}: {safe(result.progress)} {status}")
        else:
            text = escape(
                f"{safe(result.follow.key)}: {result.new} new, {result.updated} updated, "
                f"{plural(result.requests, 'request')} {status}"
            )
        key = result.follow.key
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task(text, total=None)
        self.progress.update(
            self.tasks[key], description=text, total=1 if done else None, completed=1 if done else 0
        )

    def _plain(self, result: FollowResult, status: str) -> None:
        """Progress as plain lines (stderr is not a terminal): each new step once."""
        key = result.follow.key
        if (
            self.talk
            and status == "…"
            and result.progress
            and self.said.get(key) != result.progress
        ):
            self.said[key] = result.progress
            note(f"{safe(key)}: {safe(result.progress)}")

    def started(self, result: FollowResult) -> None:
        self._show(result, "…")

    def advanced(self, result: FollowResult) -> None:
        self._show(result, "…")

    def finished(self, result: FollowResult) -> None:
        self._show(result, "failed" if result.failed else "done")


app = typer.Typer()
app.command("sync")(sync)
