"""Select -> prompt -> litellm (map/reduce) -> grounded markdown, with a cache of finished briefs.

Nothing here prints: progress goes to an `on_event` callback, the markdown is returned.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, TypeVar

from radar import digest, prompts
from radar.config import Follows, LLMSettings
from radar.errors import LLMError, UsageError
from radar.grounding import Grounded, ground
from radar.paper import Paper
from radar.prompts import PromptTemplate

if TYPE_CHECKING:
    from radar.llm import Client, ModelLimits, Reply, Usage
    from radar.store import Store

BRIEF_FORMAT = 1  # bump when the markdown layout changes, so cached briefs are not reused
MAX_NOTES_TOKENS = 1500
MIN_NOTES_TOKENS = 200
SAFETY = 0.95  # tokenizers differ a little between litellm's count and the provider's
Events = Callable[[str], None]


@dataclass(frozen=True)
class BriefRequest:
    """Everything a brief depends on besides the papers."""

    llm: LLMSettings
    follows: Follows
    template: PromptTemplate


@dataclass(frozen=True)
class Plan:
    """How a brief will be written: batches, per-call limits and an estimate of what it costs."""

    papers: tuple[Paper, ...]
    batches: tuple[tuple[Paper, ...], ...]  # one batch: a single call, no synthesis
    batch_tokens: tuple[int, ...]
    limits: ModelLimits
    budget: int  # data tokens one call may carry
    notes_tokens: int  # output allowed per batch's notes
    final_tokens: int  # output allowed for the brief body
    system_tokens: int
    estimated_cost: float | None

    @property
    def calls(self) -> int:
        return 1 if len(self.batches) == 1 else len(self.batches) + 1

    @property
    def input_tokens(self) -> int:
        total = sum(self.batch_tokens) + self.system_tokens * len(self.batches)
        if len(self.batches) > 1:
            total += self.system_tokens + self.notes_tokens * len(self.batches)
        return total

    @property
    def output_tokens(self) -> int:
        """The most the calls may write (a cap, not a prediction)."""
        notes = self.notes_tokens * len(self.batches) if len(self.batches) > 1 else 0
        return notes + self.final_tokens


@dataclass(frozen=True)
class Brief:
    """A finished brief and what it took; `cached` when it came from the database."""

    markdown: str
    title: str
    model: str | None
    paper_ids: tuple[str, ...]
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    unknown_ids: tuple[str, ...] = ()
    removed: int = 0
    retries: int = 0
    cached: bool = False
    brief_id: int | None = None
    key: str = ""
    params: dict[str, object] = field(default_factory=dict)
    created_at: str | None = None


def require_papers(papers: Sequence[Paper]) -> None:
    if not papers:
        raise UsageError(
            "no papers match: nothing to brief",
            hint="widen the filters (e.g. --since), or run `radar sync` first",
        )


# --- planning -------------------------------------------------------------------------------


def _values(papers: Sequence[Paper], follows: Follows, task: str) -> dict[str, str]:
    cats = ", ".join(f"{c} ({n})" for c, n in digest.category_counts(papers)) or "none"
    return {
        "paper_count": str(len(papers)),
        "date_range": digest.date_range(papers),
        "categories": cats,
        "followed_authors": ", ".join(follows.authors) or "none",
        "followed_categories": ", ".join(follows.categories) or "none",
        "task": task,
    }


class _Prompter:
    """Builds the messages of every call of one brief (the same key and values throughout)."""

    def __init__(self, papers: Sequence[Paper], request: BriefRequest) -> None:
        self.papers = papers
        self.request = request
        self.key = prompts.run_key(papers, request.template)
        self.index = digest.FollowIndex(request.follows)

    def block(self, paper: Paper) -> str:
        return prompts.paper_block(paper, self.key, self.index.labels(paper))

    def system(self, task: str, *, notes: bool = False) -> str:
        values = _values(self.papers, self.request.follows, task)
        return prompts.system_prompt(self.request.template, values, self.key, notes=notes)

    def single(self, batch: Sequence[Paper]) -> list[dict[str, str]]:
        return self._papers(self.system(prompts.TASK_SINGLE), batch)

    def map(
        self, batch: Sequence[Paper], number: int, total: int, words: int
    ) -> list[dict[str, str]]:
        task = prompts.TASK_MAP.format(batch=number, batches=total, words=words)
        return self._papers(self.system(task), batch)

    def reduce(self, notes: Sequence[str]) -> list[dict[str, str]]:
        task = prompts.TASK_REDUCE.format(batches=len(notes), paper_count=len(self.papers))
        system = self.system(task, notes=True)
        return prompts.messages(system, prompts.notes_block(notes, self.key))

    def _papers(self, system: str, batch: Sequence[Paper]) -> list[dict[str, str]]:
        return prompts.messages(system, "\n\n".join(self.block(p) for p in batch))


def plan_brief(papers: Sequence[Paper], request: BriefRequest) -> Plan:
    """Fit the papers into the fewest calls the model's context allows (plus one synthesis)."""
    from radar.llm import cost_of, count_tokens, model_limits

    require_papers(papers)
    model = request.llm.model
    limits = model_limits(request.llm)
    prompter = _Prompter(papers, request)
    final = min(limits.max_output_tokens, max(512, limits.max_input_tokens // 4), 4096)
    system = count_tokens(
        model, text=prompter.system(prompts.TASK_MAP.format(batch=999, batches=999, words=9999))
    )
    budget = int(limits.max_input_tokens * SAFETY) - final - system - 16
    sizes = [count_tokens(model, text=prompter.block(p)) + 2 for p in papers]
    if budget < max(sizes):
        raise LLMError(
            f"{model}: a single paper does not fit its context of {limits.max_input_tokens} tokens",
            hint="set [llm] max_input_tokens / max_output_tokens for this model, or use --no-llm",
        )
    groups = _balanced(sizes, budget)
    notes = final if len(groups) == 1 else min(MAX_NOTES_TOKENS, final, budget // len(groups))
    batches = tuple(tuple(papers[i] for i in group) for group in groups)
    tokens = tuple(sum(sizes[i] for i in group) for group in groups)
    plan = Plan(
        tuple(papers),
        batches,
        tokens,
        limits,
        budget,
        max(notes, MIN_NOTES_TOKENS),
        final,
        system,
        None,
    )
    cost = cost_of(model, plan.input_tokens, plan.output_tokens) if limits.known else None
    return replace(plan, estimated_cost=cost)


def _greedy(sizes: Sequence[int], cap: int) -> list[list[int]]:
    groups: list[list[int]] = [[]]
    used = 0
    for index, size in enumerate(sizes):
        if groups[-1] and used + size > cap:
            groups.append([])
            used = 0
        groups[-1].append(index)
        used += size
    return groups


def _balanced(sizes: Sequence[int], budget: int) -> list[list[int]]:
    """The fewest contiguous batches under `budget`, with the largest batch as small as possible.

    Greedy filling gives the fewest batches for papers kept in order; a binary search on the cap
    then spreads them evenly, so concurrent calls take about the same time.
    """
    fewest = len(_greedy(sizes, budget))
    low, high = max(sizes), budget
    while low < high:
        middle = (low + high) // 2
        if len(_greedy(sizes, middle)) <= fewest:
            high = middle
        else:
            low = middle + 1
    return _greedy(sizes, low)


# --- writing --------------------------------------------------------------------------------


class _Writer:
    """Runs the calls of one plan: map batches concurrently, split on context errors, reduce."""

    def __init__(self, plan: Plan, request: BriefRequest, client: Client, events: Events) -> None:
        from radar.llm import Usage

        self.plan = plan
        self.prompter = _Prompter(plan.papers, request)
        self.client = client
        self.events = events
        self.usage: Usage = Usage()

    def write(self) -> str:
        batches = [list(b) for b in self.plan.batches]
        if len(batches) == 1:
            from radar.llm import ContextTooLong

            try:
                reply = self.client.complete(
                    self.prompter.single(batches[0]), max_tokens=self.plan.final_tokens
                )
            except ContextTooLong:
                self.events("the model's context is smaller than expected: splitting the papers")
                batches = _halves(batches[0])
            else:
                self.usage.add(reply)
                return reply.text
        return self.reduce(self.map(batches))

    def map(self, batches: list[list[Paper]]) -> list[str]:
        from radar.llm import ContextTooLong

        total = len(batches)
        notes: dict[tuple[int, ...], str] = {}
        with ThreadPoolExecutor(max_workers=self.plan_concurrency()) as pool:
            running: dict[Future[Reply], tuple[tuple[int, ...], list[Paper]]] = {}

            def submit(order: tuple[int, ...], batch: list[Paper]) -> None:
                messages = self.prompter.map(batch, order[0] + 1, total, self.words())
                future = pool.submit(
                    self.client.complete, messages, max_tokens=self.plan.notes_tokens
                )
                running[future] = (order, batch)

            for number, batch in enumerate(batches):
                submit((number,), batch)
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    order, batch = running.pop(future)
                    try:
                        reply = future.result()
                    except ContextTooLong:
                        if len(batch) == 1:
                            raise _one_paper_too_long(batch[0], self.plan) from None
                        self.events(f"batch {order[0] + 1}: too long for the model, splitting it")
                        for part, half in enumerate(_halves(batch)):
                            submit((*order, part), half)
                        continue
                    except BaseException:
                        pool.shutdown(wait=False, cancel_futures=True)
                        raise
                    self.usage.add(reply)
                    notes[order] = reply.text
                    self.events(f"batch {order[0] + 1} of {total} done ({len(notes)} answered)")
        return [notes[key] for key in sorted(notes)]

    def reduce(self, notes: list[str]) -> str:
        from radar.llm import ContextTooLong

        self.events(f"synthesis of {len(notes)} batch notes")
        try:
            reply = self.client.complete(
                self.prompter.reduce(notes), max_tokens=self.plan.final_tokens
            )
        except ContextTooLong:
            if len(notes) == 1:
                raise LLMError("the batch notes do not fit the model's context") from None
            self.events("notes too long for one synthesis: combining them in two rounds")
            halves = _halves(notes)
            return self.reduce([self.reduce(half) for half in halves])
        self.usage.add(reply)
        return reply.text

    def plan_concurrency(self) -> int:
        return max(1, self.client.settings.concurrency)

    def words(self) -> int:
        return max(60, int(self.plan.notes_tokens * 0.6))


T = TypeVar("T")


def _halves(items: list[T]) -> list[list[T]]:
    middle = (len(items) + 1) // 2
    return [items[:middle], items[middle:]]


def _one_paper_too_long(paper: Paper, plan: Plan) -> LLMError:
    return LLMError(
        f"paper {paper.id} alone does not fit the model's context "
        f"(radar assumed {plan.limits.max_input_tokens} tokens)",
        hint="set [llm] max_input_tokens to the model's real context, or use --no-llm",
    )


_H1 = re.compile(r"\A\s*#\s[^\n]*\n+")


def assemble(
    papers: Sequence[Paper], body: str, follows: Follows, model: str
) -> tuple[str, Grounded]:
    """Title + grounded model body + followed-authors section + appendix of every paper."""
    grounded = ground(_H1.sub("", body.strip() + "\n"), {p.id for p in papers})
    parts = [f"# {digest.title(papers)}\n", grounded.markdown.strip() + "\n"]
    followed = digest.followed_section(papers, digest.FollowIndex(follows))
    if followed:
        parts.append(followed)
    parts.append(digest.appendix(papers, grounded.cited))
    parts.append(
        f"---\n*Written by {model} from {len(papers)} abstracts. radar checked every cited "
        "arXiv id against the papers listed above.*\n"
    )
    return "\n".join(parts), grounded


def write_brief(
    papers: Sequence[Paper],
    request: BriefRequest,
    *,
    events: Events | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Brief:
    """Ask the model for a brief of `papers` (no cache): plan, map/reduce, ground, assemble."""
    from radar.llm import Client, missing_credentials

    events = events or (lambda message: None)
    plan = plan_brief(papers, request)
    missing = missing_credentials(request.llm)
    if missing:
        raise LLMError(
            f"{request.llm.model} needs {', '.join(missing)} in the environment, which is not set",
            hint=f"export {missing[0]}=... (radar never stores keys), or use --no-llm",
        )
    events(_plan_line(plan, request.llm))
    client = Client(request.llm, sleep=sleep, on_event=events)
    writer = _Writer(plan, request, client, events)
    body = writer.write()
    markdown, grounded = assemble(papers, body, request.follows, request.llm.model)
    usage = writer.usage
    return Brief(
        markdown=markdown,
        title=digest.title(papers),
        model=request.llm.model,
        paper_ids=tuple(p.id for p in papers),
        calls=usage.calls,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cost=usage.cost if plan.limits.known else None,
        unknown_ids=grounded.unknown,
        removed=grounded.removed,
        key=brief_key(papers, request),
        params=brief_params(request),
    )


def _plan_line(plan: Plan, llm: LLMSettings) -> str:
    shape = "1 call" if plan.calls == 1 else f"{len(plan.batches)} batches + 1 synthesis"
    return (
        f"briefing {len(plan.papers)} papers with {llm.model}: {shape}, "
        f"up to {plan.budget:,} data tokens per call, concurrency {llm.concurrency}"
    )


# --- cache ----------------------------------------------------------------------------------


def brief_params(request: BriefRequest) -> dict[str, object]:
    llm = request.llm
    return {
        "format": BRIEF_FORMAT,
        "model": llm.model,
        "api_base": llm.api_base,
        "temperature": llm.temperature,
        "max_input_tokens": llm.max_input_tokens,
        "max_output_tokens": llm.max_output_tokens,
        "prompt": request.template.source,
        "follows": {
            "authors": list(request.follows.authors),
            "categories": list(request.follows.categories),
            "aliases": {k: list(v) for k, v in sorted(request.follows.aliases.items())},
        },
    }


def brief_key(papers: Sequence[Paper], request: BriefRequest) -> str:
    """A hash of the paper set (ids, versions, content), model, prompt text and parameters."""
    digest_ = hashlib.sha256()
    params = {**brief_params(request), "prompt_text": request.template.text}
    digest_.update(json.dumps(params, sort_keys=True).encode())
    for paper in sorted(papers, key=lambda p: p.id):
        content = f"{paper.id}\0{paper.version}\0{paper.title}\0{paper.abstract}\0{paper.authors}"
        digest_.update(hashlib.sha256(content.encode()).digest())
    return digest_.hexdigest()


def cached_brief(store: Store, papers: Sequence[Paper], request: BriefRequest) -> Brief | None:
    from radar.store.briefs import find_brief

    return find_brief(store, brief_key(papers, request))


def brief(
    store: Store,
    papers: Sequence[Paper],
    request: BriefRequest,
    *,
    refresh: bool = False,
    events: Events | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Brief:
    """The brief of `papers`: from the cache unless `refresh`, else written and stored."""
    from radar.store.briefs import save_brief

    require_papers(papers)
    if not refresh:
        hit = cached_brief(store, papers, request)
        if hit is not None:
            return hit
    written = write_brief(papers, request, events=events, sleep=sleep)
    return save_brief(store, written)
