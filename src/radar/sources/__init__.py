"""Upstreams: each module turns network bytes into `Paper` records, with no database access.

`arxiv_api` (search results), `arxiv_rss` (announcements), `arxiv_author` (own listings).
"""

from __future__ import annotations

from radar.errors import NetworkError


class MalformedResponse(NetworkError):
    """An upstream answered, but not with a complete document radar can read."""

    default_hint = "a transient upstream problem; the next sync retries it"


class UpstreamError(NetworkError):
    """An upstream rejected the request and said why (e.g. arXiv's HTTP 400 error feed)."""

    default_hint = "check the follow's spelling and the endpoint URLs in radar.toml"
