"""Sync: follows -> sources -> store, one transaction per page with its high-water mark.

`run` orchestrates and holds the `lock`; `arxiv` and `feeds` plan and store each kind of follow.
"""

from radar.sync.run import FollowResult, SyncSummary, run_sync, select_follows

__all__ = ["FollowResult", "SyncSummary", "run_sync", "select_follows"]
