"""Select -> prompt -> litellm (map/reduce) -> grounded markdown, with a cache of finished briefs.

Nothing here prints: progress goes to an `events` callback, the markdown is returned.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, TypeVar

from radar.brief import digest
from radar.brief.grounding import Grounded, ground
from radar.brief.plan import BriefRequest, Plan, Prompter, plan_brief, require_papers
from radar.config.settings import Follows, LLMSettings
from radar.errors import LLMError
from radar.paper import Paper
from radar.store.records import Brief

if TYPE_CHECKING:
    from radar.brief.llm import Client, Reply, Usage
    from radar.store import Store

BRIEF_FORMAT = 2  # bump when the markdown layout changes, so cached briefs are not reused
Events = Callable[[str], None]
_Running = dict["Future[Reply]", tuple[tuple[int, ...], list[Paper]]]


# --- writing --------------------------------------------------------------------------------


class _MapReduce:
    """Runs the calls of one plan: map batches concurrently, split on context errors, reduce."""

    def __init__(self, plan: Plan, request: BriefRequest, client: Client, events: Events) -> None:
        from radar.brief.llm import Usage

        self.plan = plan
        self.prompter = Prompter(plan.papers, request)
        self.client = client
        self.events = events
        self.usage: Usage = Usage()
        self.total = len(plan.batches)

    def body(self) -> str:
        batches = [list(b) for b in self.plan.batches]
        if len(batches) == 1:
            from radar.brief.llm import ContextTooLong

            try:
                reply = self.client.complete(
                    self.prompter.single(batches[0]), max_tokens=self.plan.final_tokens
                )
            except ContextTooLong:
                self.events("the model's context is smaller than expected: splitting the papers")
                batches = _halves(batches[0])
            else:
                return self._final(reply)
        return self.reduce(self.map(batches))

    def map(self, batches: list[list[Paper]]) -> list[str]:
        """Notes for every batch, in batch order; calls overlap up to [llm] concurrency."""
        self.total = len(batches)
        notes: dict[tuple[int, ...], str] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.client.settings.concurrency)) as pool:
            running: _Running = {}
            for number, batch in enumerate(batches):
                self._submit(pool, running, (number,), batch)
            try:
                while running:
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        order, batch = running.pop(future)
                        reply = self._collect(future, order, batch, pool, running)
                        if reply is not None:
                            notes[order] = reply.text
                            done_count = f"{len(notes)} answered"
                            self.events(f"batch {order[0] + 1} of {self.total} done ({done_count})")
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        return [notes[key] for key in sorted(notes)]

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        running: _Running,
        order: tuple[int, ...],
        batch: list[Paper],
    ) -> None:
        messages = self.prompter.map(batch, order[0] + 1, self.total, self.words())
        future = pool.submit(self.client.complete, messages, max_tokens=self.plan.notes_tokens)
        running[future] = (order, batch)

    def _collect(
        self,
        future: Future[Reply],
        order: tuple[int, ...],
        batch: list[Paper],
        pool: ThreadPoolExecutor,
        running: _Running,
    ) -> Reply | None:
        """The batch's reply; on a context-length error, its two halves go back in the queue."""
        from radar.brief.llm import ContextTooLong

        try:
            reply = future.result()
        except ContextTooLong:
            if len(batch) == 1:
                raise _one_paper_too_long(batch[0], self.plan) from None
            self.events(f"batch {order[0] + 1}: too long for the model, splitting it")
            for part, half in enumerate(_halves(batch)):
                self._submit(pool, running, (*order, part), half)
            return None
        self.usage.add(reply)
        if reply.truncated:
            self.events(f"batch {order[0] + 1}: notes reached the output token limit")
        return reply

    def reduce(self, notes: list[str]) -> str:
        from radar.brief.llm import ContextTooLong

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
        return self._final(reply)

    def _final(self, reply: Reply) -> str:
        self.usage.add(reply)
        if reply.truncated:
            self.events("warning: the answer reached the output token limit and may end abruptly")
        if not reply.text.strip():
            raise LLMError(
                f"{self.client.settings.model} returned an empty brief",
                hint="try again with --refresh, another --model, or --no-llm",
            )
        return reply.text

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
_FENCED = re.compile(r"\A\s*```(?:markdown|md)?\s*\n(?P<body>.*)\n```\s*\Z", re.DOTALL)


def _body(text: str) -> str:
    """The model's answer without a wrapping code fence or a title of its own."""
    fenced = _FENCED.match(text)
    if fenced:
        text = fenced.group("body")
    return _H1.sub("", text.strip() + "\n")


def assemble(
    papers: Sequence[Paper],
    body: str,
    follows: Follows,
    model: str,
    *,
    titles_only: Sequence[Paper] = (),
) -> tuple[str, Grounded]:
    """Title + grounded model body + followed-authors section + the papers replaced by a new
    version ("Updated today", which the model never sees) + appendix of the news (and, after
    `--top N`, the papers below the cut by title)."""
    grounded = ground(_body(body), {p.id for p in papers})
    parts = [f"# {digest.title(papers)}\n", grounded.markdown.strip() + "\n"]
    followed = digest.followed_section(papers, digest.FollowIndex(follows))
    if followed:
        parts.append(followed)
    news, updated = digest.split_updates(papers)
    if updated:
        parts.append(digest.updated_section(updated))
    parts.append(digest.appendix(news, grounded.cited))
    if titles_only:
        parts.append(digest.titles_appendix(titles_only))
    parts.append(
        f"---\n*Written by {model} from {len(news)} abstracts. radar checked every cited "
        "arXiv id against the papers listed above.*\n"
    )
    return "\n".join(parts), grounded


def compose_brief(
    papers: Sequence[Paper],
    request: BriefRequest,
    *,
    events: Events | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Brief:
    """Ask the model for a brief of `papers` (no cache): plan, map/reduce, ground, assemble."""
    from radar.brief.llm import Client, missing_credentials

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
    run = _MapReduce(plan, request, client, events)
    body = run.body()
    markdown, grounded = assemble(
        papers, body, request.follows, request.llm.model, titles_only=request.titles_only
    )
    usage = run.usage
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
        "api_base": _shown_url(llm.api_base),
        "temperature": llm.temperature,
        "max_input_tokens": llm.max_input_tokens,
        "max_output_tokens": llm.max_output_tokens,
        "prompt": request.template.source,
        "follows": {
            "authors": list(request.follows.authors),
            "categories": list(request.follows.categories),
            "aliases": {k: list(v) for k, v in sorted(request.follows.aliases.items())},
        },
        # only with --top, so the keys of other briefs stay what they were
        **({"titles_only": [p.id for p in request.titles_only]} if request.titles_only else {}),
    }


def _shown_url(url: str | None) -> str | None:
    from radar.brief.llm import shown_url

    return shown_url(url)


def brief_key(papers: Sequence[Paper], request: BriefRequest) -> str:
    """A hash of the paper set (ids, versions, content), model, prompt text and parameters."""
    hasher = hashlib.sha256()
    params = {**brief_params(request), "prompt_text": request.template.text}
    hasher.update(json.dumps(params, sort_keys=True).encode())
    for paper in sorted(papers, key=lambda p: p.id):
        content = f"{paper.id}\0{paper.version}\0{paper.title}\0{paper.abstract}\0{paper.authors}"
        hasher.update(hashlib.sha256(content.encode()).digest())
    return hasher.hexdigest()


def cached_brief(store: Store, papers: Sequence[Paper], request: BriefRequest) -> Brief | None:
    from radar.store.briefs import find_brief

    return find_brief(store, brief_key(papers, request))


def brief_with_cache(
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
    written = compose_brief(papers, request, events=events, sleep=sleep)
    return save_brief(store, written)
