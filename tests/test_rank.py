"""Relevance: what the model learns from stars, keywords and exclusions; that it is repeatable."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

import pytest

from radar.paper import Paper, normalize_name
from radar.rank.model import Model, squash
from tests.conftest import heavy_imports, invoke
from tests.rank_samples import about, fill_corpus, star, stored_scores

SKLEARN = ("sklearn", "scipy")  # numpy comes with any write (sqlite-utils imports it)


@pytest.fixture
def corpus(monkeypatch: pytest.MonkeyPatch) -> list[Paper]:
    monkeypatch.setenv("RADAR_TODAY", "2026-11-28")
    return fill_corpus()


def ranked_ids(*args: str) -> list[str]:
    result = invoke("list", "--sort", "relevance", "--limit", "0", *args)
    assert result.exit_code == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_no_interests_is_one_clear_line_and_exit_1(corpus: list[Paper]) -> None:
    result = invoke("list", "--sort", "relevance")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "radar star" in lines[0] and "radar follow keyword" in lines[0]


def test_stars_move_similar_papers_up(corpus: list[Paper]) -> None:
    entangled = [p.id for p in corpus if "entangle" in p.title.lower()]
    starred, held_out = entangled[::2], entangled[1::2]
    assert len(held_out) >= 4
    star(*starred)
    order = ranked_ids("--date", "2025-04-28")
    others = [i for i in order if i not in entangled]
    # The unstarred papers about entanglement rank well above the day's other papers.
    assert mean(order.index(i) for i in held_out) < mean(order.index(i) for i in others) - 15
    assert set(order[: len(starred)]) == set(starred)


def test_ranking_is_deterministic(corpus: list[Paper]) -> None:
    star(*about(corpus, "entangle")[:4])
    first = invoke("rank", "--format", "json")
    order = ranked_ids()
    scores = stored_scores()
    second = invoke("rank", "--format", "json")
    assert json.loads(first.stdout)["model"] == json.loads(second.stdout)["model"]
    assert ranked_ids() == order
    assert stored_scores() == scores


def test_an_excluded_phrase_moves_papers_down(corpus: list[Paper], radar_home: Path) -> None:
    star(*about(corpus, "entangle")[:4])
    invoke("rank")
    ranked_ids()  # scores every paper (rank itself rescores the last 30 days)
    before = stored_scores()
    assert invoke("follow", "keyword", "--exclude", "photon").exit_code == 0
    invoke("rank")
    order = ranked_ids()  # rescores them (older papers than rank's 30 days are scored on read)
    after = stored_scores()
    hit = [p.id for p in corpus if re.search(r"\bphoton\b", f"{p.title} {p.abstract}", re.I)]
    assert len(hit) >= 2
    for paper_id in hit:
        assert after[paper_id] < before[paper_id] / 3
        assert order.index(paper_id) >= len(order) - 10  # among the last of the 93
    assert after[about(corpus, "entangle")[5]] > 0  # other papers are still listed
    assert {p.id for p in corpus} <= set(ranked_ids())  # nothing removed, only moved down


def test_a_keyword_alone_ranks_without_stars(corpus: list[Paper], radar_home: Path) -> None:
    result = invoke("follow", "keyword", "Rydberg")
    assert result.exit_code == 0
    order = ranked_ids()
    rydberg = about(corpus, "rydberg")
    assert set(order[: len(rydberg)]) == set(rydberg)
    status = invoke("rank", "--status")
    assert "too few positives" in status.stdout
    assert "keywords and followed authors alone rank" in status.stdout


def test_a_new_star_makes_the_model_stale_and_rank_refreshes_it(corpus: list[Paper]) -> None:
    entangled = about(corpus, "entangle")
    star(*entangled[:3])
    invoke("rank")
    assert "state: current" in invoke("rank", "--status").stdout
    star(entangled[3])
    stale = invoke("rank", "--status")
    assert "state: stale" in stale.stdout
    listed = invoke("list", "--sort", "relevance")
    assert "interests changed" in listed.stderr
    invoke("rank")
    assert "state: current" in invoke("rank", "--status").stdout


def test_why_names_real_terms_of_the_paper(corpus: list[Paper]) -> None:
    entangled = about(corpus, "entangle")
    star(*entangled[:4])
    paper = next(p for p in corpus if p.id == entangled[5])
    result = invoke("why", paper.id, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    text = f"{paper.title} {paper.abstract}".lower()
    assert data["terms_for"]
    for term in data["terms_for"] + data["terms_against"]:
        words = term["term"]
        assert words.removeprefix("author ").removeprefix("category ").lower() in (
            text + " " + " ".join(paper.authors).lower() + " " + " ".join(paper.categories).lower()
        )
    assert 1 <= data["day_rank"] <= data["day_papers"] == 81
    assert data["score"] == pytest.approx(stored_scores()[paper.id], abs=1e-4)
    table = invoke("why", paper.id).stdout
    assert f"#{data['day_rank']} of 81" in table and data["terms_for"][0]["term"] in table


def test_scores_are_in_json_csv_and_min_score_keeps_the_best(corpus: list[Paper]) -> None:
    star(*about(corpus, "entangle")[:4])
    rows = json.loads(invoke("list", "--sort", "relevance", "-f", "json").stdout)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    kept = json.loads(invoke("list", "--min-score", "0.5", "-n", "0", "-f", "json").stdout)
    assert kept and all(row["score"] >= 0.5 for row in kept)
    days = [row["day"] for row in kept]
    assert days == sorted(days, reverse=True)  # --min-score alone keeps the date order
    assert len(kept) == sum(s >= 0.5 for s in stored_scores().values())
    csv_text = invoke("list", "--sort", "relevance", "-f", "csv").stdout
    assert csv_text.splitlines()[0].endswith(",score")
    plain = json.loads(invoke("list", "-f", "json").stdout)
    assert "score" not in plain[0]  # reading by date says nothing about scores


def test_search_and_shuffle_by_relevance(corpus: list[Paper]) -> None:
    entangled = about(corpus, "entangle")
    star(*entangled[:4])
    result = invoke("search", "quantum", "--sort", "relevance", "-n", "0", "-f", "json")
    found = json.loads(result.stdout)
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
    assert found[0]["id"] in entangled
    assert all("quantum" in r["snippet"].lower() for r in found)  # snippets by relevance too
    draws = [invoke("shuffle", "--weighted", "-n", "3", "--seed", str(s)).stdout for s in range(3)]
    assert draws[0] == invoke("shuffle", "--weighted", "-n", "3", "--seed", "0").stdout
    assert all(len(d.splitlines()) == 3 for d in draws)


def test_score_is_a_squashed_blend_of_documented_parts() -> None:
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=0, negatives=0,
        keywords=("knowledge distillation",), exclude=("survey",), authors=("yantao li",),
    )  # fmt: skip
    plain = Paper(id="1", title="Graph theory")
    liked = Paper(id="2", title="Knowledge  Distillation for vision", authors=("Li, Yantao",))
    survey = Paper(id="3", title="A survey of graph theory")
    assert model.score(plain) == pytest.approx(squash(-1.0))
    assert model.score(liked) == pytest.approx(squash(1.0))
    assert model.score(survey) == pytest.approx(squash(-2.5))
    assert squash(0.0) == 0.5


def test_listing_without_ranking_imports_no_scikit_learn(
    corpus: list[Paper], radar_home: Path
) -> None:
    star(*about(corpus, "entangle")[:4])
    invoke("rank")
    for args in (["list", "--today"], ["list"], ["search", "quantum"], ["--help"]):
        imported, result = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)}, heavy=SKLEARN)
        assert imported == [], args
    for args in (["list", "--sort", "relevance"], ["list", "--sort", "relevance", "-f", "json"]):
        imported, result = heavy_imports(*args, env={"RADAR_HOME": str(radar_home)}, heavy=SKLEARN)
        assert imported == [] and result.stdout.strip(), result.stderr  # stored scores and terms


def test_follow_keyword_edits_interests_keeping_comments(radar_home: Path) -> None:
    config = radar_home / "radar.toml"
    config.write_text('# mine\n[interests]\nkeywords = ["diffusion"]  # kept\n')
    assert invoke("follow", "keyword", "Knowledge  Distillation", "diffusion").exit_code == 0
    assert invoke("follow", "keyword", "survey", "--exclude").exit_code == 0
    text = config.read_text()
    assert "# mine" in text and "# kept" in text
    data = json.loads(invoke("follows", "--format", "json").stdout)
    assert data["keywords"] == ["diffusion", "Knowledge Distillation"]
    assert data["exclude"] == ["survey"]
    assert invoke("unfollow", "keyword", "knowledge distillation", "SURVEY").exit_code == 0
    data = json.loads(invoke("follows", "--format", "json").stdout)
    assert (data["keywords"], data["exclude"]) == (["diffusion"], [])
    missing = invoke("unfollow", "keyword", "graphs")
    assert missing.exit_code == 1 and "not following keyword 'graphs'" in missing.stderr
    assert "# mine" in config.read_text()


def test_scoring_and_explaining_agree_with_scikit_learn(corpus: list[Paper]) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    from radar.rank import train
    from radar.rank.text import features

    entangled = [p for p in corpus if "entangle" in p.title.lower()]
    rest = [p for p in corpus if p not in entangled]
    terms, intercept = train.fit(entangled, rest)
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=len(entangled),
        negatives=len(rest), terms=terms, intercept=intercept,
    )  # fmt: skip
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2)
    matrix = vectorizer.fit_transform([*entangled, *rest])
    svm = LinearSVC(C=train.C, class_weight="balanced", random_state=train.SEED, max_iter=10_000)
    svm.fit(
        matrix,
        [1] * len(entangled) + [0] * len(rest),
    )
    expected = svm.decision_function(vectorizer.transform(corpus))
    for paper, decision in zip(corpus, expected, strict=True):
        assert model.explain(paper).text == pytest.approx(decision, abs=1e-4)
        assert model.score(paper) == pytest.approx(model.explain(paper).score, abs=1e-12)


def fitted(corpus: list[Paper], *, keywords: tuple[str, ...] = ()) -> Model:
    from radar.rank import train

    entangled = [p for p in corpus if "entangle" in p.title.lower()]
    terms, intercept = train.fit(entangled, [p for p in corpus if p not in entangled])
    return Model(
        interests="x", trained_at="t", latest_day=None, positives=len(entangled), negatives=1,
        terms=terms, intercept=intercept, keywords=keywords,
    )  # fmt: skip


def test_a_paper_scores_the_same_in_any_page(corpus: list[Paper]) -> None:
    model = fitted(corpus, keywords=("quantum",))
    alone = [model.score(p) for p in corpus]
    assert len(set(alone)) > 40  # real, different scores
    # Sync scores a page at a time, `radar rank` batches of 2,000, `why` one paper: the same.
    assert model.scores(corpus) == alone
    assert model.scores(corpus[::-1]) == alone[::-1]
    assert model.scores(corpus[:7] + corpus) == alone[:7] + alone
    assert [model.explain(p).score for p in corpus[:10]] == alone[:10]
    assert model.scores([]) == []


def test_scores_survive_unusual_text(corpus: list[Paper]) -> None:
    model = fitted(corpus)
    odd = [
        Paper(id="1", title="", abstract=""),
        Paper(id="2", title="A", abstract="x y z"),  # no word of two letters
        Paper(id="3", title="Entanglement entanglement " * 300, abstract="the of and " * 500),
        Paper(id="4", title="Ĳssel Σίσυφος ﬁeld ＥＮＴＡＮＧＬＥ", abstract="qubit\x00qubit"),
    ]
    scores = model.scores(odd)
    assert scores == [model.score(p) for p in odd]
    assert all(0 < s < 1 for s in scores)
    assert scores[0] == scores[1] == squash(model.intercept)  # no known word: the intercept


def test_keywords_match_whole_words_only() -> None:
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=0, negatives=0,
        keywords=("graph", "knowledge distillation"), exclude=("survey",),
    )  # fmt: skip
    cases = {
        "Graph neural networks": ["graph"],
        "A subgraph and graphene": [],
        "A subgraph, then a graph-based method": ["graph"],
        "x_graph graph2 graph": ["graph"],  # found after two near misses
        "KNOWLEDGE\n  Distillation, a survey": ["knowledge distillation"],
        "knowledge distillations": [],
    }
    for title, expected in cases.items():
        explanation = model.explain(Paper(id="1", title=title))
        assert explanation.keywords == expected, title
    assert model.explain(Paper(id="1", title="t", abstract="A SURVEY.")).excluded == ["survey"]
    assert model.explain(Paper(id="1", title="t", abstract="surveys")).excluded == []


TRICKY = [
    "snake_case x_1 a b c 42 7 ab",
    "ĳssel σίσυφος ﬁeld ｅｎｔａｎｇｌｅ 量子纠缠 qubit\x00qubit",
    "e\u0301te\u0301 naïve café",  # a combining accent is no word character
    "𝐀𝐁c 𝑥𝑦 \U0001f600\U0001f600 mid𝐀word",  # astral letters are; emoji are not
    "lone \ud800 surrogate \udfff",
    "",
    " ",
]


def test_words_found_as_numbers_are_the_words_the_model_reads(corpus: list[Paper]) -> None:
    from radar.rank.text import TOKEN
    from radar.rank.words import Hasher

    hasher = Hasher()
    texts = [f"{p.title}\n{p.abstract}".lower() for p in corpus] + TRICKY
    seen: dict[int, str] = {}
    for text in texts:
        words = TOKEN.findall(text)
        owners, hashes = hasher.words([text])
        assert hashes.tolist() == [int(hasher.words([w])[1][0]) for w in words]
        assert owners.tolist() == [0] * len(words)
        for word, number in zip(words, hashes.tolist(), strict=True):
            assert seen.setdefault(number, word) == word  # one word, one number
    assert len(seen) > 1500
    owners, _ = hasher.words(["ab cd", "", "x", "ef gh_ ij", "é1"])
    assert owners.tolist() == [0, 0, 3, 3, 3, 4]


def test_the_lookup_table_finds_every_key_and_only_them() -> None:
    import numpy as np

    from radar.rank.words import Table

    rng = np.random.default_rng(7)
    keys = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    keys = np.concatenate([keys, np.arange(50, dtype=np.uint64) << np.uint64(40)])  # clustered
    table = Table(keys, np.arange(len(keys), dtype=np.int64))
    assert table.get(keys, -1).tolist() == list(range(len(keys)))
    absent = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    absent = absent[~np.isin(absent, keys)]
    assert set(table.get(absent, -1).tolist()) == {-1}
    empty = Table(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64))
    assert empty.get(keys[:3], -7).tolist() == [-7, -7, -7]


def test_the_relevance_table_and_json_show_each_papers_strongest_terms(
    corpus: list[Paper], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli_layout import visible

    star(*about(corpus, "entangle")[:4])
    invoke("rank")
    rows = json.loads(invoke("list", "--sort", "relevance", "-n", "8", "-f", "json").stdout)
    for row in rows:  # the first terms `radar why` gives for the paper
        why = json.loads(invoke("why", row["id"], "--format", "json").stdout)
        assert row["terms"] == [t["term"] for t in why["terms_for"][:2]] and row["terms"]
    assert "terms" not in json.loads(invoke("list", "-n", "1", "-f", "json").stdout)[0]
    piped = invoke("list", "--sort", "relevance", "-n", "1").stdout
    assert len(piped.rstrip("\n").split("\t")) == 7  # the piped fields stay as they were

    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "200")
    wide = visible(invoke("--no-pager", "list", "--sort", "relevance", "-n", "8").stdout)
    assert wide[0].split()[-2:] == ["score", "terms"]
    for line, row in zip(wide[1:], rows, strict=True):
        assert line.startswith(row["id"]) and line.endswith(", ".join(row["terms"]))
    monkeypatch.setenv("COLUMNS", "80")
    narrow = visible(invoke("--no-pager", "list", "--sort", "relevance", "-n", "8").stdout)
    assert "terms" not in narrow[0] and all(len(line) <= 80 for line in narrow)
    start = narrow[0].index("title")
    for line, row in zip(narrow[1:], rows, strict=True):
        shown = line[start:].split("  ")[0].rstrip(" ★")
        assert shown == row["title"] or len(shown) >= 50  # titles keep 50 cells at 80 columns


def test_terms_shrink_to_what_fits() -> None:
    from radar.render.columns import Row, plan, terms_text

    assert terms_text(("entanglement", "qubit"), 40) == "entanglement, qubit"
    assert terms_text(("entanglement", "qubit"), 15) == "entanglement"
    assert terms_text(("entanglement", "qubit"), 8) == "entangl…"
    row = Row("2504.17965", "2025-04-28", "quant-ph", "x" * 90, ("A B",), "", "0.65")
    with_terms = replace(row, terms=("superpositions", "permutations"))
    assert plan([row], 200).terms == 0
    assert plan([with_terms], 200).terms == len("superpositions, permutations")
    assert plan([with_terms], 80).terms == 0 and plan([with_terms], 80).title >= 50


def test_a_model_stored_before_rank_terms_existed_keeps_its_terms(
    corpus: list[Paper], radar_home: Path
) -> None:
    import sqlite3

    star(*about(corpus, "entangle")[:4])
    invoke("rank")
    expected = json.loads(invoke("list", "--sort", "relevance", "-n", "5", "-f", "json").stdout)
    with sqlite3.connect(radar_home / "radar.db") as conn:  # as a cache of schema m006 was
        conn.execute("DROP TABLE rank_terms")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_rank_terms'")
    result = invoke("list", "--sort", "relevance", "-n", "5", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["terms"] for r in json.loads(result.stdout)] == [r["terms"] for r in expected]
    with sqlite3.connect(radar_home / "radar.db") as conn:
        assert conn.execute("SELECT count(*) FROM rank_terms").fetchone()[0] > 1000


def test_why_parts_add_up_to_the_text_score_strongest_first(corpus: list[Paper]) -> None:
    # `radar why` lists terms "for" and "against": each is that term's real share of the score
    model = fitted(corpus)
    shown = 0
    for paper in corpus:
        whole = model.explain(paper, top=100_000)
        parts = [c for _, c in whole.terms_for + whole.terms_against]
        if not parts:
            continue
        shown += 1
        assert sum(parts) + model.intercept == pytest.approx(whole.text, abs=1e-6)
        assert all(c > 0 for _, c in whole.terms_for) and all(c < 0 for _, c in whole.terms_against)
        assert [c for _, c in whole.terms_for] == sorted(
            (c for _, c in whole.terms_for), reverse=True
        )
        assert [c for _, c in whole.terms_against] == sorted(c for _, c in whole.terms_against)
        brief = model.explain(paper, top=3)
        assert brief.terms_for == whole.terms_for[:3]
        assert brief.terms_against == whole.terms_against[:3]
        assert brief.score == pytest.approx(squash(brief.decision))
        assert brief.decision == pytest.approx(brief.text)  # no keyword, author or date here
    assert shown > len(corpus) // 2


def test_an_older_paper_costs_up_to_a_quarter_a_year() -> None:
    latest = date(2026, 11, 20)
    model = Model(
        interests="x", trained_at="t", latest_day=latest, positives=0, negatives=0
    )  # fmt: skip

    def recency(day: date | None) -> float:
        return model.explain(Paper(id="1", title="Graph theory", announced=day)).recency

    assert recency(latest) == 0.0 and recency(None) == 0.0
    assert recency(latest - timedelta(days=73)) == pytest.approx(0.05)
    assert recency(latest - timedelta(days=730)) == pytest.approx(0.25)  # capped at a year
    old = Paper(id="2", title="Graph theory", announced=latest - timedelta(days=365))
    assert model.score(old) == pytest.approx(squash(-1.0 - 0.25))


def test_at_most_two_keywords_and_two_exclusions_count_and_why_names_them() -> None:
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=0, negatives=0,
        keywords=("graph", "flow", "cut"), exclude=("survey", "review", "tutorial"),
        authors=(normalize_name("Yantao Li"),),
    )  # fmt: skip
    three = Paper(id="1", title="Graph flow cut", authors=("Ann Other", "Yantao Li"))
    why = model.explain(three)
    assert why.keywords == ["cut", "flow", "graph"] and why.authors == ["Yantao Li"]
    assert why.decision == pytest.approx(-1.0 + 2 * 1.0 + 1.0)
    assert model.score(three) == pytest.approx(squash(2.0))
    panned = Paper(id="2", title="A survey, review and tutorial")
    assert model.explain(panned).excluded == ["review", "survey", "tutorial"]
    assert model.score(panned) == pytest.approx(squash(-1.0 - 2 * 1.5))


def test_what_the_model_learned_lists_the_strongest_terms_each_way() -> None:
    terms = {"alpha": (1.0, 2.0), "beta": (1.0, 0.5), "zero": (1.0, 0.0)}
    terms |= {"gamma": (1.0, -0.3), "delta": (1.0, -2.0)}
    terms |= {f"w{n:02d}": (1.0, 3.0 + n) for n in range(10)}  # ten stronger than alpha
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=5, negatives=5, terms=terms
    )  # fmt: skip
    best, worst = model.top_terms(10)
    assert best == [f"w{n:02d}" for n in reversed(range(10))]
    assert worst == ["delta", "gamma"]
    assert model.top_terms(12)[0][-2:] == ["alpha", "beta"]
    assert model.top_terms(20) == ([*best, "alpha", "beta"], ["delta", "gamma"])


def test_a_stored_model_reads_back_and_another_format_is_retrained() -> None:
    model = Model(
        interests="x", trained_at="t", latest_day=None, positives=3, negatives=4,
        terms={"graph": (1.5, 0.25)}, intercept=-0.5,
    )  # fmt: skip
    again = Model.from_json(model.to_json())
    assert again is not None and again.version == model.version and again.latest_day is None
    paper = Paper(id="1", title="Graph theory")
    assert again.score(paper) == model.score(paper)
    data = json.loads(model.to_json())
    del data["format"]  # a model stored before formats were numbered
    assert Model.from_json(json.dumps(data)) is None
    data["format"] = 1
    assert Model.from_json(json.dumps(data)) is None


def test_a_feature_no_page_word_can_be_never_counts() -> None:
    def model(terms: dict[str, tuple[float, float]]) -> Model:
        return Model(
            interests="x", trained_at="t", latest_day=None, positives=3, negatives=3, terms=terms
        )

    plain = {"entanglement": (1.0, 0.5), "qubit": (2.0, -0.25), "qubit entanglement": (1.5, 1.0)}
    odd = {**plain, "odd-term": (1.0, 5.0), "x": (1.0, 5.0)}  # two words; one letter
    papers = [Paper(id="1", title="Qubit entanglement", abstract="odd-term x entanglement")]
    assert model(odd).scores(papers) == model(plain).scores(papers)
    assert model(plain).scores(papers)[0] > 0.5
