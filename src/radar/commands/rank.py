"""`radar rank` (train the relevance model, rescore, say what it learned) and `radar why ID`.

Training needs scikit-learn, imported only on this path; reading scores never does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from radar.commands.common import DataFormat, FormatOption, invocation, note, out
from radar.render.console import print_json

if TYPE_CHECKING:
    from radar.rank.engine import Status
    from radar.rank.model import Explanation, Model


def rank(
    ctx: typer.Context,
    show_status: Annotated[
        bool, typer.Option("--status", help="Say whether the model is current; train nothing.")
    ] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Rescore every cached paper, not the last 30 days.")
    ] = False,
    fmt: FormatOption = DataFormat.table,
) -> None:
    """Retrain the relevance model on your stars, followed authors and keywords; rescore.

    Examples:
      radar rank
      radar rank --status
    """
    from radar.rank import engine

    settings = invocation(ctx).settings()
    with invocation(ctx).open_store() as store:
        if show_status:
            _print_status(ctx, engine.status(store, settings), fmt)
            return
        report = engine.retrain(store, settings, everything=everything)
    model = report.model
    best, worst = model.top_terms(10)
    if fmt is DataFormat.json:
        print_json(
            out(ctx),
            {
                **_model_record(model),
                "scored": report.scored,
                "seconds": round(report.seconds, 3),
                "top_terms": best,
                "bottom_terms": worst,
            },
        )
        return
    lines = [
        f"positives: {model.positives} (starred papers and papers of followed authors)",
        f"negatives: {model.negatives} (a fixed sample of the cache)",
    ]
    if model.fallback:
        lines.append(_fallback_line(model))
    else:
        lines.append(f"top terms: {', '.join(best) or '(none)'}")
        lines.append(f"against:   {', '.join(worst) or '(none)'}")
    if model.keywords or model.exclude:
        lines.append(
            f"keywords:  {', '.join(model.keywords) or '(none)'}; "
            f"exclude: {', '.join(model.exclude) or '(none)'}"
        )
    lines.append(
        f"rescored {report.scored:,} papers in {report.seconds:.1f}s (model {model.version})"
    )
    console = out(ctx)
    for line in lines:
        console.out(line, highlight=False)


def _fallback_line(model: Model) -> str:
    from radar.rank.train import MIN_POSITIVES

    return (
        f"too few positives for a text model ({model.positives} < {MIN_POSITIVES}): keywords "
        "and followed authors alone rank; star more papers to train one"
    )


def _model_record(model: Model) -> dict[str, Any]:
    return {
        "model": model.version,
        "trained_at": model.trained_at,
        "positives": model.positives,
        "negatives": model.negatives,
        "text_model": not model.fallback,
        "keywords": list(model.keywords),
        "exclude": list(model.exclude),
    }


def _print_status(ctx: typer.Context, status: Status, fmt: DataFormat) -> None:
    model = status.model
    if fmt is DataFormat.json:
        record: dict[str, Any] = {
            "current": status.current,
            "interests": not status.interests.empty,
        }
        if model is not None:
            record |= _model_record(model)
            record |= {"scored": status.scored, "stale_scores": status.stale_scores}
        print_json(out(ctx), record)
        return
    lines = []
    if model is None:
        lines.append("model: none yet (`radar rank` or `radar list --sort relevance` trains one)")
    else:
        lines.append(
            f"model: {model.version}, trained {model.trained_at} on {model.positives} positives "
            f"and {model.negatives} negatives"
        )
        if model.fallback:
            lines.append(_fallback_line(model))
        state = (
            "current"
            if status.current
            else "stale: your stars, followed authors or keywords changed "
            "(`radar rank` or the next `radar sync` retrains it)"
        )
        lines.append(f"state: {state}")
        lines.append(
            f"scores: {status.scored:,} papers scored by this model"
            + (f", {status.stale_scores:,} by older ones" if status.stale_scores else "")
        )
    if status.interests.empty:
        lines.append("interests: none yet (star a few papers, or radar follow keyword ...)")
    console = out(ctx)
    for line in lines:
        console.out(line, highlight=False)


def why(
    ctx: typer.Context,
    paper: Annotated[str, typer.Argument(help="An arXiv id in any spelling, or a feed paper key.")],
    fmt: FormatOption = DataFormat.table,
) -> None:
    """Explain a paper's relevance score: the terms, authors and keywords behind it.

    Examples:
      radar why 2602.22495
    """
    from radar.commands.reading import paper_id
    from radar.errors import NotFoundError
    from radar.filters import Filters
    from radar.rank import engine
    from radar.store.ranked import Ranked
    from radar.store.scores import day_rank, pks_of

    settings = invocation(ctx).settings()
    with invocation(ctx).open_store() as store:
        found = store.get_paper(paper_id(paper))
        if found is None:
            raise NotFoundError(f"paper {paper} is not in the cache")
        current = engine.model_for_reading(store, settings, note)
        model = current.model()
        pk = pks_of(store, [found.id])[found.id]
        engine.score_pks(store, model, [pk])
        if found.day is not None:  # its rank among the papers of its day needs their scores
            day = Ranked(version=model.version, filters=Filters(since=found.day, until=found.day))
            engine.score_unscored(store, current, lambda cap: day.unscored(store, cap), note)
        explanation = model.explain(found)
        place = day_rank(store, model.version, pk)
    if fmt is DataFormat.json:
        print_json(out(ctx), _why_record(found.id, explanation, place, model))
        return
    console = out(ctx)
    for line in _why_lines(found.id, found.title, explanation, place, model):
        console.out(line, highlight=False)


def _why_record(
    paper_id: str, why: Explanation, place: tuple[int, int] | None, model: Model
) -> dict[str, Any]:
    return {
        "id": paper_id,
        "score": round(why.score, 4),
        "decision": round(why.decision, 4),
        "text": round(why.text, 4),
        "terms_for": [{"term": t, "weight": round(w, 4)} for t, w in why.terms_for],
        "terms_against": [{"term": t, "weight": round(w, 4)} for t, w in why.terms_against],
        "keywords": why.keywords,
        "excluded": why.excluded,
        "followed_authors": why.authors,
        "recency": round(why.recency, 4),
        "day_rank": place[0] if place else None,
        "day_papers": place[1] if place else None,
        "model": model.version,
    }


def _why_lines(
    paper_id: str, title: str, why: Explanation, place: tuple[int, int] | None, model: Model
) -> list[str]:
    from radar.rank import model as blend
    from radar.render.export import one_line

    rank_text = f", #{place[0]} of {place[1]:,} papers of its day" if place else ""
    lines = [f"{paper_id}  score {why.score:.2f}{rank_text}", f"  {one_line(title)}"]
    if model.fallback:
        lines.append(f"words: no text model yet (too few positives); base {why.text:+.2f}")
    else:
        lines.append(f"words: {why.text:+.2f} from the model trained on your papers")
        if why.terms_for:
            lines.append("  for:     " + _terms(why.terms_for))
        if why.terms_against:
            lines.append("  against: " + _terms(why.terms_against))
    if why.authors:
        lines.append(
            f"followed authors: {', '.join(one_line(a) for a in why.authors)} "
            f"(+{blend.AUTHOR_WEIGHT:.2f})"
        )
    if why.keywords:
        lines.append(
            f"keywords: {', '.join(why.keywords)} "
            f"(+{blend.KEYWORD_WEIGHT * min(len(why.keywords), 2):.2f})"
        )
    if why.excluded:
        lines.append(
            f"excluded phrases: {', '.join(why.excluded)} "
            f"(-{blend.EXCLUDE_WEIGHT * min(len(why.excluded), 2):.2f})"
        )
    if why.recency:
        lines.append(f"age: -{why.recency:.2f} (older than the newest papers)")
    lines.append(
        f"total {why.decision:+.2f} -> score {why.score:.2f} "
        "(0.50 is the line between papers like yours and the rest)"
    )
    return lines


def _terms(terms: list[tuple[str, float]]) -> str:
    return ", ".join(f"{term} ({weight:+.2f})" for term, weight in terms)


app = typer.Typer()
app.command("rank")(rank)
app.command("why")(why)
