"""How every `--help` reads: words instead of Typer's type names, choices that wrap, examples.

`tidy(command)` runs on each command as it is loaded (see `radar.cli.load_command`), so an
option added anywhere gets the same treatment: `--limit N`, never `<int range> [x>=0]`.
"""

from __future__ import annotations

import inspect
import re
from enum import Enum
from pathlib import Path
from typing import Any

from typer.core import TyperArgument, TyperOption

# A docstring's examples: a last paragraph starting "Examples:" (or "Example:"), one command a
# line; "Example: radar a; radar b" on one line is split the same way.
_EXAMPLES = re.compile(r"(?:^|\n\n)(?:\x08\n)?(Examples?:)[ \n]", re.MULTILINE)


class _Option(TyperOption):
    """An option whose help shows a metavar (`N`, `FILE`, `FORMAT`) and no range or type."""

    def display_type_rich(self, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        return self.metavar or _metavar(self)

    def _get_number_range_help_str(self) -> str | None:
        return None  # the help text says what is allowed ("0: all")


class _Argument(TyperArgument):
    """An argument shown as `ID...`, never `{ids}...` or `<list[str]>`."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self._name() + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = self._name()
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 else "")

    def _name(self) -> str:
        return self.metavar or _metavar(self)

    def _get_number_range_help_str(self) -> str | None:
        return None


def _metavar(param: Any) -> str:
    """A word for what the parameter takes: N, NUMBER, FILE, DIR, FORMAT, or its name."""
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    args = getattr(annotation, "__args__", ())
    inner = args[0] if getattr(descriptor, "is_list", False) and args else annotation
    name = (param.name or "value").upper()
    if isinstance(inner, type):
        if issubclass(inner, bool):
            return ""
        if issubclass(inner, int):
            return "N"
        if issubclass(inner, float):
            return "NUMBER"
        if issubclass(inner, Path):
            return "DIR" if "dir" in name.lower() else "FILE"
        if issubclass(inner, Enum):
            return "FORMAT" if name == "FMT" else name
    if name.endswith("S") and getattr(param, "nargs", 1) != 1:
        name = name[:-1]  # ids... -> ID...
    return name


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or not getattr(descriptor, "is_choice", False):
        return []
    return [str(getattr(c, "value", c)) for c in descriptor.choices or ()]


def tidy_param(param: Any) -> None:
    """Swap in the help-friendly class; list a choice's values in its help, wrappable."""
    if isinstance(param, TyperOption) and not isinstance(param, _Option):
        param.__class__ = _Option
    elif isinstance(param, TyperArgument) and not isinstance(param, _Argument):
        param.__class__ = _Argument
    else:
        return
    choices = _choices(param)
    if choices and "One of:" not in (param.help or ""):
        param.help = f"{(param.help or '').rstrip()} One of: {', '.join(choices)}.".strip()


def split_examples(text: str, *, plain: bool) -> tuple[str, str | None]:
    """The docstring without its examples, and the examples as an epilog, one a line.

    As an epilog they end the help, after the options. Click (plain help, when piped) rewraps
    paragraphs unless they start with \\b; Typer's Rich help keeps line breaks but strips the
    indentation, so both get the lines flush.
    """
    matches = list(_EXAMPLES.finditer(text))
    if not matches:
        return text, None
    match = matches[-1]
    head, body = text[: match.start()], text[match.end() :]
    split = (re.split(r";\s+(?=radar )", line) for line in body.split("\n"))
    lines = [part.strip() for parts in split for part in parts if part.strip()]
    marker = "\x08\n" if plain else ""
    return head, f"{marker}{match.group(1)}\n" + "\n".join(lines)


def tidy(command: Any, *, plain: bool) -> None:
    """Apply the above to a command, its parameters and its subcommands (once per mode)."""
    if getattr(command, "_radar_help_mode", None) == plain:
        return
    for param in command.params:
        tidy_param(param)
    if not hasattr(command, "_radar_help"):  # --help itself is built on demand
        build_help_option = command.get_help_option

        def help_option(ctx: Any) -> Any:
            option = build_help_option(ctx)
            if option is not None:
                tidy_param(option)
            return option

        command.get_help_option = help_option
    original = getattr(command, "_radar_help", None)
    if original is None:
        original = inspect.cleandoc(command.help or "")
        command._radar_help = original
    command.help, examples = split_examples(original, plain=plain)
    if examples:
        command.epilog = examples
    command._radar_help_mode = plain
    for sub in getattr(command, "commands", {}).values():
        tidy(sub, plain=plain)
