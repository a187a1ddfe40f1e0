"""How every `--help` reads: words instead of Typer's type names, choices that wrap, examples.

`tidy(command)` runs on each command as it is loaded (see `radar.cli.load_command`), so an
option added anywhere gets the same treatment: `--limit N`, never `<int range> [x>=0]`.
Help is click's plain text, on a terminal too (Typer's Rich help costs ~80 ms of imports), with
the sections Rich would draw as panels: Arguments, Options, Filters, ..., Commands.
"""

from __future__ import annotations

import inspect
import re
from enum import Enum
from pathlib import Path
from typing import Any

from typer._click.utils import make_default_short_help
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


def split_examples(text: str) -> tuple[str, str | None]:
    """The docstring without its examples, and the examples as an epilog, one a line.

    As an epilog they end the help, after the options; click rewraps paragraphs unless they
    start with \\b, so the examples keep one command a line.
    """
    matches = list(_EXAMPLES.finditer(text))
    if not matches:
        return text, None
    match = matches[-1]
    head, body = text[: match.start()], text[match.end() :]
    split = (re.split(r";\s+(?=radar )", line) for line in body.split("\n"))
    lines = [part.strip() for parts in split for part in parts if part.strip()]
    return head, f"\x08\n{match.group(1)}\n" + "\n".join(lines)


def format_options(command: Any, ctx: Any, formatter: Any) -> None:
    """Arguments, Options, then each option panel (Filters, Output, ...), then Commands.

    The sections Typer's Rich help draws as panels, in its order, as plain click sections.
    """
    sections: dict[str, list[tuple[str, str]]] = {"Arguments": [], "Options": []}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        default = "Arguments" if param.param_type_name == "argument" else "Options"
        sections.setdefault(getattr(param, "rich_help_panel", None) or default, []).append(record)
    for title, rows in sections.items():
        if rows:
            with formatter.section(title):
                formatter.write_dl(rows)
    if hasattr(command, "list_commands"):
        _format_commands(command, ctx, formatter)


def _format_commands(group: Any, ctx: Any, formatter: Any) -> None:
    """Each subcommand with its help's first sentence, whole (click would cut it at ~45)."""
    rows = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            text = command.short_help or make_default_short_help(command.help or "", 10**6)
            rows.append((name, " ".join(inspect.cleandoc(text).split())))
    if rows:
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def tidy(command: Any) -> None:
    """Apply the above to a command, its parameters and its subcommands (once)."""
    if getattr(command, "_radar_tidy", False):
        return
    for param in command.params:
        tidy_param(param)
    build_help_option = command.get_help_option  # --help itself is built on demand

    def help_option(ctx: Any) -> Any:
        option = build_help_option(ctx)
        if option is not None:
            tidy_param(option)
        return option

    command.get_help_option = help_option
    command.help, examples = split_examples(inspect.cleandoc(command.help or ""))
    if examples:
        command.epilog = examples
    command.format_options = lambda ctx, formatter: format_options(command, ctx, formatter)
    command._radar_tidy = True
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
