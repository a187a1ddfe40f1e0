"""How a brief is cut to fit the model: per-call token budgets and the fewest balanced batches.

Also the prompts of every call of one brief (`Prompter`), so planning counts what is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from radar.brief import digest, prompts
from radar.brief.prompts import PromptTemplate
from radar.config.settings import Follows, LLMSettings
from radar.errors import LLMError, UsageError
from radar.paper import Paper

if TYPE_CHECKING:
    from radar.brief.llm import ModelLimits


MAX_NOTES_TOKENS = 1500
MIN_NOTES_TOKENS = 200
SAFETY = 0.95  # tokenizers differ a little between litellm's count and the provider's


@dataclass(frozen=True, kw_only=True)
class BriefRequest:
    """Everything a brief depends on besides the papers."""

    llm: LLMSettings
    follows: Follows
    template: PromptTemplate
    # `--top N`: the papers below the cut, listed by title in the appendix, never sent to the model
    titles_only: tuple[Paper, ...] = ()


@dataclass(frozen=True, kw_only=True)
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


def require_papers(papers: Sequence[Paper]) -> None:
    if not papers:
        raise UsageError(
            "no papers match: nothing to brief",
            hint="widen the filters (e.g. --since), or run `radar sync` first",
        )


# --- planning -------------------------------------------------------------------------------


def _categories(papers: Sequence[Paper]) -> str:
    """arXiv category codes with counts, for the system message. Everything else (a feed's
    journal name, its own category words) is network text: it stays in the data records."""
    from radar.config.schema import arxiv_categories

    known = arxiv_categories()
    counts, others = [], 0
    for label, count in digest.category_counts(papers):
        if label.casefold() in known:
            counts.append(f"{known[label.casefold()]} ({count})")
        else:
            others += count
    if others:
        counts.append(f"papers from other sources ({others})")
    return ", ".join(counts) or "none"


def _values(papers: Sequence[Paper], follows: Follows, task: str) -> dict[str, str]:
    cats = _categories(papers)
    return {
        "paper_count": str(len(papers)),
        "date_range": digest.date_range(papers),
        "categories": cats,
        "followed_authors": ", ".join(dict.fromkeys([*follows.authors, *follows.identities]))
        or "none",
        "followed_categories": ", ".join(follows.categories) or "none",
        "task": task,
    }


class Prompter:
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


def plan_brief(papers: Sequence[Paper], request: BriefRequest, *, estimate: bool = False) -> Plan:
    """Fit the papers into the fewest calls the model's context allows (plus one synthesis).

    `estimate` counts tokens and prices without litellm (`radar.brief.estimate`, for --dry-run);
    otherwise litellm's own counting decides, as the calls will.
    """
    if estimate:
        from radar.brief.estimate import check_model, cost_of, count_tokens, model_limits
    else:
        from radar.brief.llm import check_model, cost_of, count_tokens, model_limits

    require_papers(papers)
    papers = digest.split_updates(papers)[0]  # the day's news; replacements are listed apart
    check_model(request.llm)
    model = request.llm.model
    limits = model_limits(request.llm)
    prompter = Prompter(papers, request)
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
        papers=tuple(papers),
        batches=batches,
        batch_tokens=tokens,
        limits=limits,
        budget=budget,
        notes_tokens=max(notes, MIN_NOTES_TOKENS),
        final_tokens=final,
        system_tokens=system,
        estimated_cost=None,
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
