"""`radar status` (per follow: papers, unread, last sync, last error; the cache) and `radar pdf`."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from radar.config.settings import load_settings
from radar.paper import Paper, Sighting
from radar.store import Store
from tests.conftest import invoke
from tests.reading_samples import fill_cache

PDF = b"%PDF-1.5\n% a tiny test document\n"


@pytest.fixture
def pdf_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1: /paper.pdf is a PDF, /login is an HTML page."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = PDF if self.path == "/paper.pdf" else b"<html>log in</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_status_per_follow_and_cache(radar_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (radar_home / "radar.toml").write_text(
        '[follow]\nauthors = ["Adrian Del Maestro"]\ncategories = ["cs.RO"]\n', encoding="utf-8"
    )
    fill_cache()
    invoke("read", "2510.14968")
    with Store.open(load_settings().db_path) as store:
        state = store.sync_state("category:cs.RO")
        from dataclasses import replace

        store.save_sync_state(
            replace(state, last_success="2026-11-27T06:00:00+00:00", last_error="HTTP 503")
        )
    data = json.loads(invoke("status", "--format", "json").stdout)
    by_key = {f["follow"]: f for f in data["follows"]}
    assert by_key["category:cs.RO"]["papers"] == 2 and by_key["category:cs.RO"]["unread"] == 1
    assert by_key["category:cs.RO"]["last_error"] == "HTTP 503"
    assert by_key["author:Adrian Del Maestro"]["papers"] == 6  # as list -a finds
    assert by_key["author:Adrian Del Maestro"]["last_success"] is None
    assert data["cache"]["papers"] == 12 and data["cache"]["bytes"] > 0
    assert data["cache"]["path"] == str(radar_home / "radar.db")
    assert data["relevance"] is None
    assert data["last_sync"] is None  # papers put there without a sync
    table = invoke("status").stdout
    assert "category:cs.RO\t2\t1\t2026-11-27T06:00:00+00:00\tHTTP 503" in table
    assert "relevance model: none yet" in table
    assert "last sync: none recorded yet (`radar sync`)" in table


def test_status_names_the_last_finished_sync_that_list_new_lists() -> None:
    from radar.store.runs import finish_run, start_run

    with Store.open(load_settings().db_path) as store:
        run = start_run(store, started_at="2026-11-27T06:00:00+00:00")
        finish_run(store, run, status="failed", new=1, finished_at="2026-11-27T06:02:00+00:00")
        start_run(store, started_at="2026-11-28T06:00:00+00:00")  # still running (or killed)
    data = json.loads(invoke("status", "--format", "json").stdout)
    assert data["last_sync"] == {
        "started_at": "2026-11-27T06:00:00+00:00",
        "finished_at": "2026-11-27T06:02:00+00:00",
        "status": "failed",
        "new": 1,
    }
    assert (
        "last sync: finished 2026-11-27T06:02:00+00:00 (failed), 1 new paper (`radar list --new`)"
        in invoke("status").stdout
    )


def test_pdf_downloads_once_through_the_client(
    radar_home: Path, pdf_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, seen = pdf_server
    (radar_home / "radar.toml").write_text("[arxiv]\ndelay_seconds = 0\n", encoding="utf-8")
    papers = [
        Paper(
            id="url:example.org/a",
            title="A",
            pdf_url=f"{base}/paper.pdf",
            published=date(2026, 1, 1),
            sources=(Sighting("feed:X", "X"),),
        ),
        Paper(
            id="url:example.org/b",
            title="B",
            pdf_url=f"{base}/login",
            published=date(2026, 1, 1),
            sources=(Sighting("feed:X", "X"),),
        ),
    ]
    fill_cache(papers)
    folder = tmp_path / "pdfs"
    first = invoke("pdf", "url:example.org/a", "-o", str(folder))
    assert first.exit_code == 0, first.stderr
    saved = list(folder.glob("*.pdf"))
    assert len(saved) == 1 and saved[0].read_bytes() == PDF
    again = invoke("pdf", "url:example.org/a", "-o", str(folder))
    assert again.exit_code == 0 and "kept" in again.stderr and len(seen) == 1
    refused = invoke("pdf", "url:example.org/b", "-o", str(folder))
    assert refused.exit_code == 1 and "did not answer with a PDF" in refused.stderr
    assert len(list(folder.iterdir())) == 1  # nothing half-written
