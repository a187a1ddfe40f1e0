"""Import budget: everyday commands must not pay for the network or LLM stacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SRC

HEAVY = ("litellm", "arxiv", "feedparser", "requests", "httpx", "openai")

PROBE = """
import json, sys
from radar.cli import app
try:
    app(args=sys.argv[1:], prog_name="radar", standalone_mode=False)
except SystemExit:
    pass
print("\\n" + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


@pytest.mark.parametrize("args", [["--help"], ["follows"], ["path"], ["config"]])
def test_command_does_not_import_heavy_modules(args: list[str], radar_home: Path) -> None:
    code = PROBE.replace("{heavy}", repr(set(HEAVY)))
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC), "RADAR_HOME": str(radar_home), "PATH": ""},
        check=True,
    )
    imported = json.loads(result.stdout.strip().splitlines()[-1])
    assert imported == []
