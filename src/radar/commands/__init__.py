"""The Typer command groups of `radar`, one module per group, registered by `radar.cli`."""
