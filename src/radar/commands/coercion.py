"""Option and argument values coerced without pydantic (Typer 0.29 would build TypeAdapters).

Typer 0.29 converts every non-flag parameter through a pydantic `TypeAdapter` (`typer._adapters`),
importing pydantic (~75 ms) on every run. radar's parameters are plain: str, int/float (with
min/max), paths, enums, lists of those. `install(command)` gives each such parameter of a click
command a coercer with the same results and messages; any other type keeps Typer's own path.
tests/test_coercion.py checks both paths agree for every radar parameter.
"""

from __future__ import annotations

import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

try:  # Typer's own helpers for choices and paths (they do not import pydantic)
    from typer._click.exceptions import BadParameter
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # a Typer without them: leave every parameter on Typer's path
    BadParameter = None  # type: ignore[assignment,misc]

Leaf = Any  # a function (value, param, ctx) -> coerced value


def install(command: Any, ctx: Any) -> None:
    """Give each parameter of `command` (its --help too) radar's coercer where its type allows."""
    if BadParameter is None:
        return
    for param in command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", None) is not None:
            continue
        coercer = native_coercer(descriptor)
        if coercer is not None:
            param._runtime_param = coercer


def native_coercer(descriptor: Any) -> _Coercer | None:
    """A coercer for this parameter's annotation, or None to leave it to Typer."""
    if descriptor.file_annotation is not None:
        return None
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        leaf = _leaf(item, descriptor.parameter_info)
        return None if leaf is None else _Coercer(leaf, many=True)
    leaf = _leaf(annotation, descriptor.parameter_info)
    return None if leaf is None else _Coercer(leaf, many=False)


class _Coercer:
    """What Typer's `RuntimeParam.coerce` does, with a radar leaf instead of a TypeAdapter."""

    def __init__(self, leaf: Leaf, *, many: bool) -> None:
        self.leaf = leaf
        self.many = many

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        is_multi_value = param.multiple or param.nargs == -1
        if value is None:
            return () if is_multi_value else None
        if is_multi_value and isinstance(value, str):
            raise BadParameter("Value must be an iterable.", ctx=ctx, param=param)
        if self.many:
            items = value if isinstance(value, (list, tuple)) else [value]
            return [self.leaf(item, param, ctx) for item in items]
        return self.leaf(value, param, ctx)


def _leaf(annotation: Any, info: Any) -> Leaf | None:
    if info.parser is not None:
        return None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(tuple(annotation), info.case_sensitive)
    if annotation is str:
        return lambda value, param, ctx: _text(value)
    if annotation is bool:
        return _flag
    if annotation is int or annotation is float:
        return _number(annotation, info.min, info.max, clamp=bool(info.clamp))
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return _path(annotation, info)
    return None


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Leaf:
    def coerce(value: Any, param: Any, ctx: Any) -> Any:
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError as exc:
            raise BadParameter(f"Value error, {exc}", ctx=ctx, param=param) from None

    return coerce


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode(sys.getfilesystemencoding())
        except UnicodeError:
            return value.decode("utf-8", "replace")
    return str(value)


_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"", "0", "off", "f", "false", "n", "no"}


def _flag(value: Any, param: Any, ctx: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise BadParameter(
        "Input should be a valid boolean, unable to interpret input", ctx=ctx, param=param
    )


_INTEGER = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0*)?")
_NUMBER_ERRORS = {
    int: "Input should be a valid integer, unable to parse string as an integer",
    float: "Input should be a valid number, unable to parse string as a number",
}


def _number(kind: type, low: float | None, high: float | None, *, clamp: bool) -> Leaf:
    def coerce(value: Any, param: Any, ctx: Any) -> Any:
        number = _parse_number(kind, value)
        if number is None:
            raise BadParameter(_NUMBER_ERRORS[kind], ctx=ctx, param=param)
        if clamp:
            number = max(number, kind(low)) if low is not None else number
            return min(number, kind(high)) if high is not None else number
        if low is not None and number < low:
            raise BadParameter(
                f"Input should be greater than or equal to {low}", ctx=ctx, param=param
            )
        if high is not None and number > high:
            raise BadParameter(
                f"Input should be less than or equal to {high}", ctx=ctx, param=param
            )
        return number

    return coerce


def _parse_number(kind: type, value: Any) -> Any:
    """pydantic's lax parsing: ASCII digits, `_` separators, an int may end in `.0`."""
    if isinstance(value, kind) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if kind is int:
        return int(text.split(".")[0]) if _INTEGER.fullmatch(text) else None
    try:
        return float(text) if text.isascii() else None
    except ValueError:
        return None


def _path(annotation: type, info: Any) -> Leaf:
    path_type = info.path_type or annotation

    def coerce(value: Any, param: Any, ctx: Any) -> Any:
        checked = coerce_cli_path(
            value if isinstance(value, str) else os.fspath(value),
            info,
            path_type=None,  # a str: Typer would build a TypeAdapter for Path itself
            param=param,
            ctx=ctx,
        )
        return checked if isinstance(checked, path_type) else path_type(checked)

    return coerce
