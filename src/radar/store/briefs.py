"""Stored briefs (table `briefs` of m001): one row per paper set, model, prompt and parameters.

`radar brief` reuses a row whose key matches; `radar briefs` lists them; `--show ID` reprints one.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from radar.errors import NotFoundError
from radar.store.records import Brief, now_iso

if TYPE_CHECKING:
    from radar.store.core import Store

_COLUMNS = (
    "id, key, created_at, title, model, paper_ids, params, markdown, calls, "
    "input_tokens, output_tokens, cost"
)


def _to_brief(row: dict[str, Any]) -> Brief:

    params = json.loads(row["params"] or "{}")
    grounding = params.pop("grounding", {})
    return Brief(
        markdown=row["markdown"],
        title=row["title"],
        model=row["model"],
        paper_ids=tuple(json.loads(row["paper_ids"] or "[]")),
        calls=row["calls"],
        input_tokens=row["input_tokens"],
        output_tokens=row["output_tokens"],
        cost=row["cost"],
        unknown_ids=tuple(grounding.get("unknown_ids", ())),
        removed=int(grounding.get("removed", 0)),
        cached=True,
        brief_id=row["id"],
        key=row["key"],
        params=params,
        created_at=row["created_at"],
    )


def _select(store: Store, where: str, params: list[Any], suffix: str = "") -> list[Brief]:
    cursor = store.conn.execute(f"SELECT {_COLUMNS} FROM briefs WHERE {where} {suffix}", params)
    return [_to_brief(dict(row)) for row in cursor]


def find_brief(store: Store, key: str) -> Brief | None:
    """The stored brief with this cache key, if any."""
    found = _select(store, "key = ?", [key])
    return found[0] if found else None


def get_brief(store: Store, brief_id: int) -> Brief:
    found = _select(store, "id = ?", [brief_id])
    if not found:
        raise NotFoundError(
            f"no stored brief with id {brief_id}", hint="`radar briefs` lists the stored briefs"
        )
    return found[0]


def list_briefs(store: Store, *, limit: int | None = None) -> list[Brief]:
    """Stored briefs, newest first."""
    suffix = "ORDER BY created_at DESC, id DESC"
    params: list[Any] = []
    if limit is not None:
        suffix += " LIMIT ?"
        params.append(limit)
    return _select(store, "1", params, suffix)


def save_brief(store: Store, brief: Brief) -> Brief:
    """Store a written brief under its key (replacing an older one with the same key)."""
    from dataclasses import replace

    params = {
        **brief.params,
        "grounding": {"unknown_ids": list(brief.unknown_ids), "removed": brief.removed},
    }
    row = {
        "key": brief.key,
        "created_at": now_iso(),
        "title": brief.title,
        "model": brief.model,
        "paper_ids": json.dumps(list(brief.paper_ids)),
        "params": json.dumps(params, sort_keys=True),
        "markdown": brief.markdown,
        "calls": brief.calls,
        "input_tokens": brief.input_tokens,
        "output_tokens": brief.output_tokens,
        "cost": brief.cost,
    }
    with store.transaction():
        store.upsert_row("briefs", row, key="key")
        brief_id = store.conn.execute(
            "SELECT id FROM briefs WHERE key = ?", (brief.key,)
        ).fetchone()[0]
    return replace(brief, brief_id=brief_id, created_at=str(row["created_at"]))
