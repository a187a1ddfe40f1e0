"""Brief benchmarks for run.py: prompt assembly for 600 papers, map-reduce against a slow model.

The 600 papers are the newest of the benchmark cache. They are copied into a small scratch
cache for the `radar brief` runs, so the stored briefs never touch the benchmark cache.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fake_upstreams import fake_chat, url
from harness import run_command

from radar.store import Store

NOT_BUILT = "n/a (not built yet)"
PAPERS = 600
BATCHES = 8
LATENCY = 1.0
MODEL = "openai/radar-bench"
MAX_OUTPUT = 2048
IMPORT_LITELLM = "from radar.brief.llm import load_litellm; load_litellm()"


def _newest(db: Path) -> list[Any]:
    from radar.filters import Filters
    from radar.store.queries import select_papers

    with Store.open(db) as store:
        return select_papers(store, Filters(limit=PAPERS))


def _request(max_input: int) -> Any:
    from radar.brief.plan import BriefRequest
    from radar.brief.prompts import load_template
    from radar.config.settings import Follows, LLMSettings

    llm = LLMSettings(model=MODEL, max_input_tokens=max_input, max_output_tokens=MAX_OUTPUT)
    return BriefRequest(llm=llm, follows=Follows(), template=load_template(None))


def _assemble(papers: list[Any], max_input: int) -> Any:
    """Plan the brief (token counts included) and build every call's messages, as brief does."""
    from radar.brief.plan import Prompter, plan_brief

    request = _request(max_input)
    plan = plan_brief(papers, request)
    prompter = Prompter(papers, request)
    for number, batch in enumerate(plan.batches, 1):
        prompter.map(batch, number, len(plan.batches), 300)
    return plan


def _max_input_for(papers: list[Any], batches: int) -> int:
    """An [llm] max_input_tokens that makes plan_brief cut the papers into `batches` calls."""
    from radar.brief.plan import plan_brief

    low, high = 2_000, 2_000_000
    while low < high:  # the smallest context that still needs no more than `batches` calls
        middle = (low + high) // 2
        if len(plan_brief(papers, _request(middle)).batches) <= batches:
            high = middle
        else:
            low = middle + 1
    return low


def measure_brief(db: Path, runs: int, log: Callable[[str], None]) -> str:
    try:
        from radar.brief import plan
        from radar.brief.llm import load_litellm
    except ImportError:
        return NOT_BUILT
    papers = _newest(db)
    load_litellm()  # seconds, once: not part of assembling prompts
    log("brief: finding the context size that gives 8 batches")
    max_input = _max_input_for(papers, BATCHES)
    assembly = []
    for _ in range(runs):
        started = time.perf_counter()
        plan = _assemble(papers, max_input)
        assembly.append(time.perf_counter() - started)
    lines = [
        f"| brief of the newest {len(papers)} papers | median (min-max) | target | |",
        "|---|---|---|---|",
        f"| prompt assembly in-process (plan with litellm token counts, every map prompt; "
        f"{len(plan.batches)} batches) | {_ms(assembly)} | | |",
    ]
    lines += _processes(papers, max_input, runs, log)
    return "\n".join(lines)


def _processes(
    papers: list[Any], max_input: int, runs: int, log: Callable[[str], None]
) -> list[str]:
    """`radar brief --dry-run` and a real map-reduce against the slow local chat server."""
    with tempfile.TemporaryDirectory(prefix="radar-brief-") as tmp, fake_chat(LATENCY) as chat:
        home = Path(tmp)
        db = home / "brief.db"
        with Store.open(db) as store:
            store.upsert_papers(papers)
        (home / "radar.toml").write_text(
            "[follow]\nauthors = []\ncategories = []\n\n[llm]\n"
            f'model = "{MODEL}"\napi_base = "{url(chat)}/v1"\n'
            f"max_input_tokens = {max_input}\nmax_output_tokens = {MAX_OUTPUT}\n"
        )
        env = {"OPENAI_API_KEY": "sk-radar-bench"}
        since = min(p.day for p in papers).isoformat()
        base = [sys.executable, "-m", "radar", "--db", str(db), "brief", "--since", since]
        dry, whole, llm_phase, in_flight, imports = [], [], [], [], []
        failure = ""
        for number in range(runs):
            log(f"brief: run {number + 1}/{runs}")
            imports.append(run_command([sys.executable, "-c", IMPORT_LITELLM], home).seconds)
            outcome = run_command([*base, "--dry-run"], home, env=env, tty=False)
            if outcome.returncode != 0:
                failure = f"dry run: exit {outcome.returncode}: {outcome.tail()}"
                break
            dry.append(outcome.seconds)
            chat.calls.clear()
            outcome = run_command([*base, "--refresh"], home, env=env, tty=False)
            if outcome.returncode != 0:
                failure = f"brief: exit {outcome.returncode}: {outcome.tail()}"
                break
            whole.append(outcome.seconds)
            calls = list(chat.calls)
            llm_phase.append(max(end for _, end in calls) - min(start for start, _ in calls))
            in_flight.append(_most_in_flight(calls))
    if failure:
        return [f"| `radar brief` | failed: {failure} | | |"]
    calls_made = len(calls)
    llm = statistics.median(llm_phase)
    return [
        f"| `radar brief --dry-run` (whole process: select, plan, estimate; no litellm) | "
        f"{_ms(dry)} | <= 0.5 s | {'met' if statistics.median(dry) <= 0.5 else '**missed**'} |",
        f"| map-reduce: first call sent to last answer ({calls_made} calls, {LATENCY:.0f} s "
        f"each, at most {max(in_flight)} in flight) | {_ms(llm_phase)} | ~2-3 s | "
        f"{'met' if llm <= 3.5 else '**missed**'} |",
        f"| `radar brief` whole process (same run) | {_ms(whole)} | | |",
        f"| diagnostic: a process that only imports litellm as radar does | {_ms(imports)} | | |",
    ]


def _most_in_flight(calls: list[tuple[float, float]]) -> int:
    events = sorted([(start, 1) for start, _ in calls] + [(end, -1) for _, end in calls])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


def _ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    return (
        f"{statistics.median(values) * 1000:,.0f} ms "
        f"({min(values) * 1000:,.0f}-{max(values) * 1000:,.0f})"
    )
