"""Ranking quality on real abstracts: radar's relevance model against plain tf-idf + SVM.

    python benchmarks/bench_rank.py [--seeds 20] [--markdown]

The corpus is every arXiv paper recorded in tests/data (the 81-paper quant-ph RSS day, the
arXiv API pages) plus the bioRxiv feed's 30 papers, parsed by radar's own sources. For each
arXiv category with at least 8 papers, and each seed: star a random half of that category's
papers, rank every other paper, and score the ranking by average precision against the held-out
label "is in that category". Both rankers train on the same split: the starred half against
every unstarred paper (what the cache offers), so only the model differs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from radar.paper import Paper  # noqa: E402

DATA = ROOT / "tests" / "data"
MIN_CATEGORY = 8
Ranker = Callable[[Sequence[Paper], Sequence[Paper], Sequence[Paper]], list[float]]


def corpus() -> list[Paper]:
    """Every distinct paper of the recorded responses (arXiv first, then the bioRxiv feed)."""
    import json

    from radar.sources.arxiv_api import parse_page
    from radar.sources.arxiv_rss import parse_feed as parse_rss
    from radar.sources.feeds import parse_feed

    papers: dict[str, Paper] = {}
    rss = DATA / "arxiv-rss" / "rss2024_quant-ph_2025-04-28_81items_new_cross_replace.xml"
    for paper in parse_rss(rss.read_bytes(), ["quant-ph"]).papers:
        papers.setdefault(paper.id, paper)
    for path in sorted((DATA / "arxiv-api").iterdir()):
        if path.suffix not in (".xml", ".json"):
            continue
        body = path.read_bytes()
        if path.suffix == ".json":
            body = json.loads(body)["body"].encode()
        try:
            page = parse_page(body)
        except Exception:  # the recorded error responses
            continue
        for paper in page.papers:
            papers.setdefault(paper.id, paper)
    feed = DATA / "feeds" / "biorxiv_plant-biology_2019_rss1.0_rdf_prism_30items.rdf"
    for paper in parse_feed(feed.read_bytes(), name="bioRxiv").papers:
        papers.setdefault(paper.id, paper)
    return [p for p in papers.values() if p.abstract.strip()]


def plain_text(paper: Paper) -> str:
    return f"{paper.title} {paper.abstract} {' '.join(paper.authors)}"


def baseline(c: float) -> Ranker:
    """tf-idf (1-2-grams, sublinear tf) over title + abstract + authors, linear SVM."""

    def rank(pos: Sequence[Paper], neg: Sequence[Paper], todo: Sequence[Paper]) -> list[float]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        matrix = vectorizer.fit_transform([plain_text(p) for p in [*pos, *neg]])
        labels = [1] * len(pos) + [0] * len(neg)
        svm = LinearSVC(C=c, class_weight="balanced", max_iter=10_000, random_state=0)
        svm.fit(matrix, labels)
        return list(svm.decision_function(vectorizer.transform([plain_text(p) for p in todo])))

    return rank


def radar_ranker(*, categories: bool, c: float | None = None) -> Ranker:
    """radar's model: its analyzer, SVM and blend (recency off: the corpus's dates follow its
    sources, so they would leak the labels)."""

    def rank(pos: Sequence[Paper], neg: Sequence[Paper], todo: Sequence[Paper]) -> list[float]:
        from radar.rank import train
        from radar.rank.model import Model

        strip = (lambda p: p) if categories else (lambda p: replace(p, categories=()))
        options = {} if c is None else {"c": c}
        terms, intercept = train.fit([strip(p) for p in pos], [strip(p) for p in neg], **options)
        model = Model(
            interests="bench", trained_at="", latest_day=None, positives=len(pos),
            negatives=len(neg), terms=terms, intercept=intercept,
        )  # fmt: skip
        return [model.score(strip(p)) for p in todo]

    return rank


def evaluate(papers: list[Paper], rankers: dict[str, Ranker], seeds: int) -> dict[str, list[float]]:
    """Average precision of each ranker over every (category, seed) split."""
    from sklearn.metrics import average_precision_score

    counts: dict[str, int] = {}
    for paper in papers:
        for code in set(paper.categories):
            counts[code] = counts.get(code, 0) + 1
    chosen = sorted(c for c, n in counts.items() if n >= MIN_CATEGORY and n < len(papers) // 2)
    chosen += ["quant-ph"] if "quant-ph" not in chosen and counts.get("quant-ph") else []
    results: dict[str, list[float]] = {name: [] for name in rankers}
    results["(random)"] = []
    for category in chosen:
        members = [p for p in papers if category in p.categories]
        for seed in range(seeds):
            rng = random.Random(seed)
            starred = set(p.id for p in rng.sample(members, len(members) // 2))
            pos = [p for p in papers if p.id in starred]
            rest = [p for p in papers if p.id not in starred]
            # The held-out label: the category itself is hidden from every model.
            todo = [replace(p, categories=tuple(c for c in p.categories if c != category))
                    for p in rest]  # fmt: skip
            labels = [category in p.categories for p in rest]
            results["(random)"].append(sum(labels) / len(labels))
            for name, ranker in rankers.items():
                scores = ranker(pos_hidden(pos, category), todo, todo)
                results[name].append(float(average_precision_score(labels, scores)))
    print(f"categories: {', '.join(f'{c} ({counts[c]})' for c in chosen)}", file=sys.stderr)
    return results


def pos_hidden(papers: Sequence[Paper], category: str) -> list[Paper]:
    return [replace(p, categories=tuple(c for c in p.categories if c != category)) for p in papers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    args = parser.parse_args()
    papers = corpus()
    print(f"corpus: {len(papers)} papers with abstracts", file=sys.stderr)
    rankers = {
        "tf-idf + SVM (C=1, sklearn default)": baseline(1.0),
        "tf-idf + SVM (C=0.1)": baseline(0.1),
        "radar: words + authors": radar_ranker(categories=False),
        "radar: words + authors + other categories": radar_ranker(categories=True),
    }
    results = evaluate(papers, rankers, args.seeds)
    print("| ranker | mean AP | median AP | splits |")
    print("|---|---|---|---|")
    for name, values in results.items():
        print(
            f"| {name} | {statistics.mean(values):.3f} | {statistics.median(values):.3f} "
            f"| {len(values)} |"
        )


if __name__ == "__main__":
    main()
