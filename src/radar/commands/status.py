"""`radar status`: per follow, what the cache holds and how its last sync went; the cache itself.

Reads radar.toml and the cache only (no network); `--format json` for scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from radar.commands.common import DataFormat, FormatOption, invocation, out
from radar.paper import normalize_name
from radar.render.console import print_json, print_records

if TYPE_CHECKING:
    from radar.config.settings import Settings
    from radar.store import Store


def status(ctx: typer.Context, fmt: FormatOption = DataFormat.table) -> None:
    """Show each follow's cached papers, unread count, last sync and last error.

    Examples:
      radar status
      radar status --format json
    """
    settings = invocation(ctx).settings()
    with invocation(ctx).open_store() as store:
        record = status_record(store, settings)
    if fmt is DataFormat.json:
        print_json(out(ctx), record)
        return
    rows = [
        (
            f["follow"],
            "-" if f["papers"] is None else f"{f['papers']:,}",
            "-" if f["unread"] is None else f"{f['unread']:,}",
            f["last_success"] or "never",
            f["last_error"] or "",
        )
        for f in record["follows"]
    ]
    console = out(ctx)
    if rows:
        print_records(console, rows, ["follow", "papers", "unread", "last success", "last error"])
    else:
        console.out("nothing is followed (hint: radar follow category cs.AI)", highlight=False)
    cache = record["cache"]
    console.out(
        f"cache: {cache['papers']:,} papers, {_size(cache['bytes'])}, {cache['path']}",
        highlight=False,
    )
    console.out(f"relevance model: {_relevance_line(record['relevance'])}", highlight=False)
    console.out(f"last sync: {_last_sync_line(record['last_sync'])}", highlight=False)


def status_record(store: Store, settings: Settings) -> dict[str, Any]:
    """The documented `radar status --format json` object (see README, "radar status")."""
    from radar.store.status import cache_bytes, follow_counts

    follows = []
    for kind, name, values in _follows(settings):
        counts = follow_counts(store, kind, values)
        state = store.sync_state(f"{kind}:{name}")
        follows.append(
            {
                "follow": f"{kind}:{name}",
                "kind": kind,
                "name": name,
                "papers": counts.papers if counts else None,
                "unread": counts.unread if counts else None,
                "last_success": state.last_success,
                "last_attempt": state.last_attempt,
                "last_error": state.last_error,
            }
        )
    return {
        "follows": follows,
        "cache": {
            "path": str(store.path),
            "bytes": cache_bytes(store.path),
            "papers": store.count_papers(),
        },
        "relevance": relevance(store, settings),
        "last_sync": last_sync(store),
    }


def last_sync(store: Store) -> dict[str, Any] | None:
    """The sync that finished last (what `radar list --new` lists), or None before one."""
    from radar.store.runs import last_finished_run

    run = last_finished_run(store)
    if run is None:
        return None
    return {
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status,
        "new": run.new,
    }


def _last_sync_line(record: dict[str, Any] | None) -> str:
    if record is None:
        return "none recorded yet (`radar sync`)"
    new = record["new"] or 0
    return (
        f"finished {record['finished_at']} ({record['status']}), "
        f"{new:,} new {'paper' if new == 1 else 'papers'} (`radar list --new`)"
    )


def _follows(settings: Settings) -> list[tuple[str, str, list[str]]]:
    """(kind, name, lookup values) for every follow in radar.toml."""
    follow = settings.follow
    found = []
    for name in follow.authors:
        spellings = [name, *_aliases(settings, name)]
        found.append(("author", name, sorted({normalize_name(n) for n in spellings})))
    found += [("category", code, [code]) for code in follow.categories]
    found += [("feed", feed.name, [f"feed:{feed.name}"]) for feed in follow.feeds]
    return found


def _aliases(settings: Settings, name: str) -> list[str]:
    wanted = normalize_name(name)
    return [
        alias
        for key, values in settings.follow.aliases.items()
        if normalize_name(key) == wanted
        for alias in values
    ]


def relevance(store: Store, settings: Settings) -> dict[str, Any] | None:
    """The relevance model's state (`radar rank`), or None before one was trained.

    The hook between status and rank: rank owns what "current" means.
    """
    from radar.store.scores import load_model

    if load_model(store) is None:  # no model: do not load the ranking code at all
        return None
    from radar.rank.engine import status as rank_status

    state = rank_status(store, settings)
    model = state.model
    return {
        "version": model.version if model else None,
        "trained_at": model.trained_at if model else None,
        "current": state.current,
        "scored": state.scored,
    }


def _relevance_line(record: dict[str, Any] | None) -> str:
    if record is None:
        return "none yet (`radar rank`, or `radar list --sort relevance`, trains one)"
    state = "current" if record["current"] else "stale (`radar rank` retrains it)"
    return f"{state}, trained {record['trained_at']}, {record['scored']:,} papers scored"


def _size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:,.1f} GB"


app = typer.Typer()
app.command("status")(status)
