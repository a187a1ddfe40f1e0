"""Import budget: everyday commands must not pay for the network or LLM stacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import heavy_imports


@pytest.mark.parametrize("args", [["--help"], ["follows"], ["path"], ["config"]])
def test_command_does_not_import_heavy_modules(args: list[str], radar_home: Path) -> None:
    imported, _ = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)})
    assert imported == []
