"""Sync: follows -> sources -> store, one transaction per page with its high-water mark.

`follows` picks what a run syncs; `run` orchestrates and holds the `lock`; `arxiv`, `feeds`
and `people` sync each kind of follow through the shared `steps`; `walk` pages through an
arXiv API query, resumably.
"""

from radar.sync.follows import select_follows
from radar.sync.run import FollowResult, SyncSummary, run_sync

__all__ = ["FollowResult", "SyncSummary", "run_sync", "select_follows"]
