"""The SQLite cache: the only package that speaks SQL.

`Store` opens and migrates the file and writes papers; query modules beside it read them.
"""

from radar.store.core import Store
from radar.store.records import SyncState, UpsertCounts, merge_papers, now_iso

__all__ = ["Store", "SyncState", "UpsertCounts", "merge_papers", "now_iso"]
