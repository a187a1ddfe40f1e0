"""How long `radar sync` holds cron when upstreams fail: network down, a hung arXiv.

Each scenario runs the real `python -m radar sync` in a subprocess with 10 follows (3 authors,
7 categories) against loopback servers that refuse or never answer, and prints a markdown
table: wall time, error lines, hint lines, exit code. The arXiv API and RSS sit on two ports
(two hosts, as export.arxiv.org and rss.arxiv.org are). Run: python benchmarks/bench_failures.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLLOWS = (
    '[follow]\nauthors = ["Ann Author", "Bo Author", "Cy Author"]\n'
    'categories = ["cs.AI", "cs.CV", "quant-ph", "math.AG", "cs.LG", "hep-th", "cs.RO"]\n'
)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def hung_server() -> tuple[int, socket.socket]:
    """Accepts connections and never answers (a hung upstream)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return int(server.getsockname()[1]), server


def run(api_port: int, rss_port: int, extra: str) -> tuple[float, list[str], int]:
    with tempfile.TemporaryDirectory() as home:
        Path(home, "radar.toml").write_text(
            f'[arxiv]\napi_url = "http://127.0.0.1:{api_port}/api/query"\n'
            f'rss_url = "http://127.0.0.1:{rss_port}/rss/"\n{extra}\n{FOLLOWS}'
        )
        env = {**os.environ, "RADAR_HOME": home, "PYTHONPATH": str(ROOT / "src")}
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "radar", "sync"],
            capture_output=True,
            text=True,
            env=env,
            timeout=1800,
            check=False,
        )
        return time.monotonic() - began, done.stderr.splitlines(), done.returncode


def main() -> None:
    scenarios = []
    scenarios.append(
        ("network down (connection refused), defaults", closed_port(), closed_port(), "")
    )
    hung_api, keep_a = hung_server()
    hung_rss, keep_b = hung_server()
    scenarios.append(("hung arXiv, timeout_seconds = 1", hung_api, hung_rss, "timeout_seconds = 1"))
    scenarios.append(("hung arXiv, defaults (timeout_seconds = 30)", hung_api, hung_rss, ""))
    print("| scenario (10 follows) | wall time | error lines | hint lines | exit |")
    print("|---|---|---|---|---|")
    for name, api, rss, extra in scenarios:
        print(f"running: {name}", file=sys.stderr)
        seconds, lines, code = run(api, rss, extra)
        errors = sum(line.startswith("error:") for line in lines)
        hints = sum(line.startswith("hint:") for line in lines)
        print(f"| {name} | {seconds:.1f} s | {errors} | {hints} | {code} |")
    keep_a.close()
    keep_b.close()


if __name__ == "__main__":
    main()
