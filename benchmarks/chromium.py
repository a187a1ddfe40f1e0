"""How radar's page tests and benchmarks launch Debian's chromium through Playwright.

No browser is downloaded (Playwright's own builds cannot be fetched here): the system chromium,
or the one $RADAR_CHROMIUM names, runs headless with the flags below.
"""

from __future__ import annotations

import os
import shutil

# Headless, no sandbox (CI runs as root), and none of chromium's own network traffic.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def executable() -> str | None:
    """$RADAR_CHROMIUM, else chromium (or chromium-browser) on PATH; None when there is none."""
    return (
        os.environ.get("RADAR_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
