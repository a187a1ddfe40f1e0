"""`radar brief` (a day's papers as an LLM-written, grounded markdown briefing) and `radar briefs`.

stdout carries only the markdown; progress, token counts and cost go to stderr.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.common import DataFormat, FormatOption, invocation, note, out
from radar.commands.filter_options import filter_options
from radar.filters import Filters

if TYPE_CHECKING:
    from radar.brief.writer import Brief, BriefRequest, Plan
    from radar.config.settings import Settings
    from radar.paper import Paper
    from radar.store import Store

PANEL = "Brief"

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        metavar="MODEL",
        rich_help_panel=PANEL,
        help="Any litellm model string (else [llm] model), e.g. ollama/llama3.1.",
    ),
]
PromptOption = Annotated[
    Path | None,
    typer.Option(
        "--prompt-file",
        metavar="FILE",
        dir_okay=False,
        rich_help_panel=PANEL,
        help="Your prompt template (else [llm] prompt_file, else the built-in one).",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        dir_okay=False,
        rich_help_panel=PANEL,
        help="Write the markdown to FILE atomically instead of stdout.",
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        rich_help_panel=PANEL,
        help="No LLM call: show papers, batches, token and cost estimate.",
    ),
]
NoLLMOption = Annotated[
    bool,
    typer.Option(
        "--no-llm",
        rich_help_panel=PANEL,
        help="An offline digest, no model: papers grouped by follow and category.",
    ),
]
RefreshOption = Annotated[
    bool,
    typer.Option(
        "--refresh", rich_help_panel=PANEL, help="Ask the model again even if this brief is stored."
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        rich_help_panel=PANEL,
        help="Let -o replace an existing file that is not a brief radar wrote.",
    ),
]
ShowOption = Annotated[
    int | None,
    typer.Option(
        "--show",
        metavar="ID",
        rich_help_panel=PANEL,
        help="Reprint stored brief ID (see `radar briefs`); filters are ignored.",
    ),
]


TopOption = Annotated[
    int | None,
    typer.Option(
        "--top",
        metavar="N",
        min=1,
        rich_help_panel=PANEL,
        help="Brief the N most relevant papers in depth; the rest by title only (see radar rank).",
    ),
]


@filter_options(limit=0)
def brief(
    ctx: typer.Context,
    filters: Filters,
    model: ModelOption = None,
    prompt_file: PromptOption = None,
    output: OutputOption = None,
    dry_run: DryRunOption = False,
    no_llm: NoLLMOption = False,
    refresh: RefreshOption = False,
    show: ShowOption = None,
    force: ForceOption = False,
    top: TopOption = None,
) -> None:
    """Write a markdown briefing of the selected papers with any LLM (litellm).

    Examples:
      radar brief --today -o brief.md
      radar brief --today --top 15 --dry-run
      radar brief --today --no-llm
    """
    settings = invocation(ctx).settings()
    if output is not None:
        _check_output(output, settings, prompt_file, force=force)
    reading = show is not None or no_llm or dry_run  # these store nothing: never create a cache
    with invocation(ctx).open_store(readonly=reading) as store:
        if show is not None:
            from radar.store.briefs import get_brief

            _emit(get_brief(store, show).markdown, output)
            return
        papers = _select(store, filters, settings)
        rest: list[Paper] = []
        if top is not None:
            papers, rest = _top(store, settings, papers, top)
        settings = _with_people(store, settings)
        if no_llm:
            from radar.brief.digest import digest, titles_appendix
            from radar.brief.plan import require_papers

            require_papers(papers)
            _emit(digest(papers, settings.follow) + (titles_appendix(rest) if rest else ""), output)
            return
        request = replace(_request(settings, model, prompt_file), titles_only=tuple(rest))
        if dry_run:
            _dry_run(ctx, store, papers, request)
            return
        from radar.brief.writer import brief_with_cache

        result = brief_with_cache(store, papers, request, refresh=refresh, events=_progress)
    _report(result)
    _emit(result.markdown, output)


def _check_output(
    output: Path, settings: Settings, prompt_file: Path | None, *, force: bool
) -> None:
    from radar.brief.output import check_output, protected_files

    protected = protected_files(
        db_path=settings.db_path,
        config_path=settings.config_path,
        prompt_file=prompt_file or settings.llm.prompt_file,
    )
    check_output(output, protected, force=force)


def _select(store: Store, filters: Filters, settings: Settings) -> list[Paper]:
    from radar.store.queries import resolve, select_papers

    if filters.is_empty:
        note("note: no filter given: briefing the latest announcement day (as --today)")
        filters = replace(filters, today=True)
    window = resolve(store, filters)
    if window.note:
        note(window.note)
    return select_papers(store, window.filters, follow=settings.follow)


def _top(
    store: Store, settings: Settings, papers: list[Paper], count: int
) -> tuple[list[Paper], list[Paper]]:
    """The `count` most relevant new papers (for depth, plus the replaced ones, which the brief
    lists apart) and the rest, both best first."""
    from radar.brief.digest import split_updates
    from radar.rank.engine import by_relevance

    news, updated = split_updates(papers)
    ranked = by_relevance(store, settings, news, note)
    return ranked[:count] + updated, ranked[count:]


def _with_people(store: Store, settings: Settings) -> Settings:
    """Settings whose follows know which papers count as each followed person's (pins, ids)."""
    from radar.store.queries import followed_people

    return replace(settings, follow=followed_people(store, settings.follow))


def _request(settings: Settings, model: str | None, prompt_file: Path | None) -> BriefRequest:
    from radar.brief.prompts import load_template
    from radar.brief.writer import BriefRequest

    llm = settings.llm
    llm = replace(llm, model=model or llm.model, prompt_file=prompt_file or llm.prompt_file)
    return BriefRequest(llm=llm, follows=settings.follow, template=load_template(llm.prompt_file))


def _progress(message: str) -> None:
    note(f"brief: {message}")


def _money(cost: float | None, *, estimate: bool = False) -> str:
    if cost is None:
        return "cost unknown (model not in litellm's cost map)"
    return f"{'~' if estimate else ''}${cost:.4f}"


def _report(result: Brief) -> None:
    if result.cached:
        note(
            f"brief #{result.brief_id}: from the cache (written {result.created_at}), no LLM call; "
            "--refresh asks the model again"
        )
    else:
        note(
            f"brief #{result.brief_id}: {result.calls} call{'s' if result.calls != 1 else ''}, "
            f"{result.input_tokens:,} tokens in, {result.output_tokens:,} out, "
            f"{_money(result.cost)}"
        )
    if result.unknown_ids:
        shown = ", ".join(result.unknown_ids[:10])
        note(
            f"warning: the model cited {len(result.unknown_ids)} arXiv id(s) not among the "
            f"papers ({shown}); {result.removed} citation(s) struck through in the brief"
        )


def _dry_run(ctx: typer.Context, store: Store, papers: list[Paper], request: BriefRequest) -> None:
    from radar.brief.digest import category_counts, date_range
    from radar.brief.estimate import missing_credentials
    from radar.brief.writer import cached_brief, plan_brief

    plan = plan_brief(papers, request, estimate=True)
    cats = ", ".join(f"{c} {n}" for c, n in category_counts(papers)[:8])
    lines = [f"papers:   {len(papers)} ({date_range(papers)}; {cats})"]
    if request.titles_only:
        total = len(papers) + len(request.titles_only)
        lines = [
            f"top:      the {len(plan.papers)} most relevant of {total} papers in depth; "
            f"{len(request.titles_only)} more by title only (not sent to the model)",
            f"papers:   {len(plan.papers)} in depth ({date_range(papers)}; {cats})",
        ]
    if len(plan.papers) < len(papers):
        lines.append(
            f"updated:  {len(papers) - len(plan.papers)} replaced by a new version, listed "
            "apart under 'Updated today' (not sent to the model)"
        )
    lines += [
        f"model:    {request.llm.model}: {plan.limits.max_input_tokens:,} tokens in, "
        f"{plan.limits.max_output_tokens:,} out ({plan.limits.source})",
        f"prompt:   {request.template.source}",
        _batches_line(plan),
        f"calls:    {plan.calls}"
        + (f" ({len(plan.batches)} batches + 1 synthesis)" if plan.calls > 1 else "")
        + f", concurrency {request.llm.concurrency}",
        f"tokens:   ~{plan.input_tokens:,} in (estimated at 4 characters a token), "
        f"at most {plan.output_tokens:,} out",
        f"cost:     {_money(plan.estimated_cost, estimate=True)}"
        + (" at most" if plan.estimated_cost is not None else ""),
    ]
    hit = cached_brief(store, papers, request)
    if hit is not None:
        lines.append(f"cache:    stored brief #{hit.brief_id} matches: no call without --refresh")
    missing = missing_credentials(request.llm)
    if missing:
        lines.append(f"api key:  {', '.join(missing)} not set in the environment")
    console = out(ctx)
    for line in lines:
        console.out(line, highlight=False)


def _batches_line(plan: Plan) -> str:
    sizes = " / ".join(
        f"{len(b)} papers ~{t:,} tokens"
        for b, t in zip(plan.batches, plan.batch_tokens, strict=True)
    )
    return f"batches:  {len(plan.batches)} ({sizes}; at most {plan.budget:,} data tokens each)"


def _emit(markdown: str, output: Path | None) -> None:
    """The markdown to stdout, or atomically to `output` (temp file + rename)."""
    from radar.render.console import safe

    # Abstracts and model output are network text: no terminal escape sequence gets through.
    markdown = safe(markdown)
    if output is None:
        try:
            sys.stdout.write(markdown if markdown.endswith("\n") else markdown + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # `radar brief | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    write_brief_file(output, markdown)
    note(f"wrote {output}")


def write_brief_file(path: Path, text: str) -> None:
    """The brief to `path`, all or nothing (see radar.files)."""
    from radar.files import write_atomic
    from radar.store.failures import explain_os

    path = path.expanduser()
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise explain_os(exc, path) from exc


LimitOption = Annotated[
    int, typer.Option("--limit", "-n", min=0, metavar="N", help="At most N briefs (0: all).")
]


def briefs(
    ctx: typer.Context, fmt: FormatOption = DataFormat.table, limit: LimitOption = 20
) -> None:
    """List stored briefs, newest first.

    Examples:
      radar briefs
      radar brief --show 3
    """
    from radar.render.console import print_json, print_records
    from radar.store.briefs import list_briefs

    with invocation(ctx).open_store(readonly=True) as store:
        stored = list_briefs(store, limit=limit or None)
    if fmt is DataFormat.json:
        print_json(out(ctx), [_brief_json(b) for b in stored])
        return
    if not stored:
        note("no stored briefs (hint: radar brief --today)")
        return
    rows = [
        (
            b.brief_id,
            b.created_at,
            b.model or "",
            len(b.paper_ids),
            b.calls,
            f"{b.input_tokens + b.output_tokens:,}",
            "" if b.cost is None else f"${b.cost:.4f}",
            b.title,
        )
        for b in stored
    ]
    print_records(
        out(ctx), rows, ["id", "created", "model", "papers", "calls", "tokens", "cost", "title"]
    )


def _brief_json(b: Brief) -> dict[str, object]:
    return {
        "id": b.brief_id,
        "created_at": b.created_at,
        "title": b.title,
        "model": b.model,
        "papers": len(b.paper_ids),
        "paper_ids": list(b.paper_ids),
        "calls": b.calls,
        "input_tokens": b.input_tokens,
        "output_tokens": b.output_tokens,
        "cost": b.cost,
        "unknown_ids": list(b.unknown_ids),
        "params": b.params,
    }


app = typer.Typer()
app.command("brief")(brief)
app.command("briefs")(briefs)
