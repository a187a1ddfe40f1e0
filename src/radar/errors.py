"""Errors a user can meet, each with a one-line message, a hint and an exit code.

The core raises these; `radar.cli` catches them in one place and prints `error: ... (hint: ...)`.
"""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """Every exit code radar uses (README, "Exit codes"); nothing else exits with a bare number."""

    SUCCESS = 0
    ERROR = 1  # a foreseeable problem: config, input, network, LLM, some follows failed
    USAGE = 2  # a command line that cannot be used (Click's own usage errors exit 2 as well)
    LOCKED = 3  # `radar sync`: another sync holds the lock
    STORAGE = 4  # a file radar must write cannot be: read-only, disk full, no such folder
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class RadarError(Exception):
    """A foreseeable problem, reported to the user without a traceback."""

    exit_code: ExitStatus = ExitStatus.ERROR
    default_hint: str | None = None

    def __init__(
        self, message: str, *, hint: str | None = None, exit_code: ExitStatus | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class ConfigError(RadarError):
    """radar.toml (or an option that edits it) is invalid."""

    # No `radar` command here: with a broken file every command stops at this same error.
    default_hint = "edit that line of the file; radar.toml.example explains every key"


class UsageError(RadarError):
    """A value given on the command line cannot be used (bad date, unknown id, ...)."""


class NotFoundError(RadarError):
    """A paper or brief the user named is not in the cache."""

    default_hint = "run `radar sync`, or `radar search` to find the id"


class StoreError(RadarError):
    """The SQLite cache cannot be opened or is from a newer radar."""


class NoCacheError(StoreError):
    """A reading command found no cache file where it looked (nothing is created for it)."""


class StorageError(RadarError):
    """A file radar needs cannot be written: read-only, a full disk, a missing folder."""

    exit_code = ExitStatus.STORAGE


class NetworkError(RadarError):
    """An upstream (arXiv, a feed, an LLM provider) could not be reached or answered badly."""

    default_hint = "check your network connection and the endpoint URLs in radar.toml"


class SyncLockedError(RadarError):
    """Another `radar sync` holds the lock."""

    exit_code = ExitStatus.LOCKED
    default_hint = "wait for the other sync to finish; a lock left by a dead process is taken over"


class LLMError(RadarError):
    """The language model could not produce a brief."""

    default_hint = "check [llm] in radar.toml and the provider's API key, or use --no-llm"


class FeedError(RadarError):
    """One followed feed could not be used (a 404, an HTML page, not RSS/Atom); others go on."""

    default_hint = "check the feed's url in radar.toml (open it in a browser: it should be XML)"
