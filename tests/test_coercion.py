"""radar's own coercion of option values equals Typer's pydantic path for every radar parameter."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import typer
import typer.main
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from radar.cli import COMMANDS, app, load_command
from radar.commands.coercion import native_coercer

NUMBERS = ["5", "0", "-1", " 7 ", "+3", "1_000", "12.0", "12.5", "1e3", "abc", "", 4, "١٢"]
BOOLS = ["true", "False", "1", "0", "yes", "off", " y ", "", "maybe", True]


def _samples(annotation: Any, tmp: Path) -> list[Any]:
    if get_origin(annotation) is list:
        return [[s] for s in _samples(get_args(annotation)[0], tmp)[:4]] + [["a", "b"], "x"]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [m.value for m in annotation]
        return [*values, *(v.upper() for v in values), "bogus", next(iter(annotation))]
    if annotation in (int, float):
        return NUMBERS
    if annotation is bool:
        return BOOLS
    if isinstance(annotation, type) and issubclass(annotation, Path):
        (tmp / "file.toml").write_text("")
        return [str(tmp / "file.toml"), str(tmp), str(tmp / "missing"), tmp / "file.toml", "-"]
    return ["text", "", "Li, Yantao", "ünïcode", b"bytes"]


def _all_commands() -> list[tuple[str, Any, Any]]:
    group = typer.main.get_command(app)
    ctx = typer.Context(group)
    found = [("radar", group, ctx)]
    for name in COMMANDS:
        command = load_command(ctx, name)
        found.append((name, command, ctx))
        for sub_name, sub in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub_name}", sub, ctx))
    return found


def _outcome(coercer: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        result = coercer.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.message
    return type(result).__name__, result


def test_every_radar_parameter_is_coerced_natively_and_like_typer(tmp_path: Path) -> None:
    checked = 0
    for label, command, ctx in _all_commands():
        for param in command.get_params(ctx):
            descriptor = param.type_descriptor
            native = native_coercer(descriptor)
            assert native is not None, (
                f"{label} {param.name}: {descriptor.annotation} needs pydantic"
            )
            typer_way = build_runtime_param(descriptor)
            for value in [None, *_samples(descriptor.annotation, tmp_path)]:
                ours = _outcome(native, value, param, ctx)
                theirs = _outcome(typer_way, value, param, ctx)
                assert ours == theirs, f"{label} {param.name} {value!r}"
                checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--limit", "x"], "Input should be a valid integer"),
        (["list", "--limit", "-1"], "greater than or equal"),
        (["list", "--format", "yaml"], "'yaml' is not one of"),
    ],
)
def test_bad_values_are_usage_errors(args: list[str], message: str) -> None:
    from tests.conftest import invoke

    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
