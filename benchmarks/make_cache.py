"""Generate a synthetic but realistic radar cache of N papers, deterministically for a seed.

    python benchmarks/make_cache.py --papers 1000000 --db /tmp/radar-1m.db [--seed 7]

Papers go through radar's own store package (`benchmarks/bulk.py`, or `Store.upsert_papers` with
`--method upsert`), so the file has exactly radar's schema. Beside the database it writes
`PATH.probes.json`: the authors, category, id and search terms `benchmarks/run.py` queries.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # benchmarks.bulk, when run as a script

from radar.paper import Paper, Sighting, normalize_name  # noqa: E402

# The last announcement day of a generated cache: fixed, so a seed alone fixes the content.
END_DAY = date(2026, 11, 20)
YEARS = 10
YEARLY_GROWTH = 1.10  # arXiv's submissions grow roughly 10% a year
NAME_POOL = 300_000
# Zipf-Mandelbrot ranks: weight 1 / (rank + offset). With ~4.5 authors a paper and 1M papers the
# most prolific name has ~2,000 papers and the tail ~3, close to arXiv's real spread.
NAME_OFFSET = 300
VOCABULARY = 60_000
WORD_EXPONENT = 1.07
# Probe author placed at a rank with a few hundred papers at 1M (a busy but real author).
PROBE_AUTHOR = "Yantao Li"
PROBE_AUTHOR_RANK = 3_000

# Share of primary submissions (percent, roughly arXiv 2023-2025); other categories share a tail.
PRIMARY_SHARE = {
    "cs.LG": 8.0, "cs.CV": 7.0, "cs.CL": 5.0, "quant-ph": 4.0, "cs.AI": 3.0, "cs.RO": 2.2,
    "hep-ph": 2.5, "hep-th": 2.0, "astro-ph.GA": 1.8, "astro-ph.CO": 1.4, "astro-ph.SR": 1.4,
    "astro-ph.HE": 1.3, "astro-ph.EP": 0.8, "astro-ph.IM": 0.7, "cond-mat.mtrl-sci": 2.2,
    "cond-mat.str-el": 1.3, "cond-mat.mes-hall": 1.5, "cond-mat.stat-mech": 1.1,
    "cond-mat.soft": 0.9, "cond-mat.supr-con": 0.6, "cond-mat.quant-gas": 0.5, "gr-qc": 1.6,
    "math.AP": 1.6, "math.PR": 1.3, "math.CO": 1.5, "math.OC": 1.5, "math.NA": 1.3,
    "math.AG": 1.1, "math.NT": 1.0, "math.DG": 0.9, "math.DS": 0.9, "math.FA": 0.8,
    "stat.ME": 1.2, "stat.ML": 0.9, "eess.SP": 1.2, "eess.SY": 1.0, "eess.IV": 0.8,
    "eess.AS": 0.5, "cs.CR": 1.5, "cs.SE": 0.9, "cs.IR": 0.8, "cs.HC": 0.8, "cs.DC": 0.7,
    "cs.NI": 0.6, "cs.IT": 0.8, "physics.optics": 1.1, "physics.flu-dyn": 0.9,
    "physics.chem-ph": 0.5, "physics.comp-ph": 0.4, "hep-ex": 0.6, "nucl-th": 0.6,
}  # fmt: skip
TAIL_SHARE = 8.0  # percent spread over every other category, falling off by rank
CATEGORY_COUNT_WEIGHTS = (45, 33, 15, 7)  # 1, 2, 3 or 4 categories
AUTHOR_COUNT_WEIGHTS = (6, 13, 17, 16, 13, 10, 8, 6, 4, 3, 2, 2)  # 1..12 authors
VERSION_WEIGHTS = (65, 22, 8, 3, 2)  # v1..v5
CROSS_SAME_ARCHIVE = 0.7  # a cross-list usually stays in the primary's archive


def _split(text: str) -> list[str]:
    return text.split()


COMMON_WORDS = _split("""
the of and a in to we is for that with on this by are an as from our which be model can
these it results show at method based using data learning two between paper also such
new approach problem network models its has study performance time used proposed than
into analysis framework non systems not one state function large high both present energy
where methods system field quantum neural training or different over their under theory
first work find information structure order task process approach however well more via
demonstrate existing provide general properties dynamics distribution effect single
tasks language graph networks local finite linear optimal space small low algorithm known
spectral observations evidence significant novel efficient robust accuracy prediction
dataset benchmark inference estimation parameters simulation experimental experiments
phase matrix equation equations solutions solution bound bounds group groups mass galaxy
galaxies star stars magnetic spin temperature density scattering particle particles
optical laser image images video visual segmentation detection generation generative
diffusion transformer attention representation representations feature features policy
reinforcement agent agents reasoning retrieval text semantic multimodal robot control
stochastic random variables regression classification clustering sparse convex convergence
gradient descent loss objective kernel gaussian bayesian posterior prior sampling
entanglement qubit qubits circuit circuits gate error correction noise measurement
topological superconducting lattice electron electronic band crystal thermal transport
fluid flow turbulence wave waves gravitational black hole holes cosmological dark matter
""")

GIVEN_NAMES = _split("""
Wei Jing Li Yan Hao Xin Yu Lei Jun Ming Hui Tao Yang Chen Lin Jie Qi Rui Bo Kai Zhen Peng
Anna Maria John David Michael Daniel Thomas Paul Peter James Robert Andrea Marco Luca Sara
Laura Elena Sofia Alexander Alexey Dmitry Sergey Ivan Olga Natalia Hiroshi Takeshi Yuki
Kenji Akira Haruka Min-jun Ji-woo Seo-yeon Priya Rahul Amit Anil Sanjay Deepak Neha Arjun
Mohammed Ahmed Fatima Omar Ali Hassan Sophie Julien Pierre Camille Lucas Hugo Emma Lena
Jonas Felix Lukas Jan Tobias Katharina Joao Ana Pedro Carlos Jose Miguel Lucia Pablo Diego
Ole Lars Erik Ingrid Mikko Aino Kofi Ama Chinedu Ngozi Tomasz Piotr Agnieszka Jiri Eva
""")

SURNAMES = _split("""
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Kim Lee
Park Choi Jung Kang Cho Yoon Tanaka Suzuki Sato Takahashi Watanabe Ito Yamamoto Nakamura
Kobayashi Kato Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore
Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen Wright Scott Green
Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker
Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell
Kumar Singh Sharma Gupta Patel Reddy Rao Iyer Nair Das Ghosh Bose Mukherjee Chatterjee
Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo
García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores
Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Ivanov Smirnov Kuznetsov Popov
Petrov Volkov Novak Dvořák Kowalski Nowak Wiśniewski Dubois Lefebvre Moreau Laurent
Bernard Girard Bonnet Dupont Nguyen Tran Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong
""")

SYLLABLES = _split("""
ka ri to na mi lo sa ve ti ra no el an ar en or in us al il um on et is at ex ph th qu
ch st pr tr gr bl cl fl br cr dr sp sc str ion ate ive ous ism ity oid ane ene yl ase
""")

NAME_SYLLABLES = _split("""
an bo cha da el fa ga ha i jo ka la ma na o pa ra sa ta u va wa ya za len mir tan ros
vik son berg ner ski ova ez ich ard
""")


@dataclass(frozen=True)
class Probes:
    """What run.py asks the generated cache: all of it exists in the cache."""

    top_author: str
    author: str
    category: str
    paper_id: str
    common_terms: str
    rare_terms: str
    last_day: str


def zipf_cumulative(count: int, *, exponent: float = 1.0, offset: float = 0.0) -> list[float]:
    weights = ((rank + offset) ** -exponent for rank in range(1, count + 1))
    return list(itertools.accumulate(weights))


def pseudo_words(
    rng: random.Random, count: int, syllables: Sequence[str], taken: set[str]
) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def category_codes() -> list[str]:
    """Assignable arXiv categories: every code in radar's list except archive-only names."""
    path = ROOT / "src" / "radar" / "data" / "arxiv_categories.txt"
    codes = [c.strip() for c in path.read_text().splitlines() if c.strip() and c[0] != "#"]
    parents = {c.split(".")[0] for c in codes if "." in c}
    return [c for c in codes if c not in parents]


class SyntheticArxiv:
    """Deterministic generator of arXiv-like papers for one seed, oldest first."""

    def __init__(self, *, papers: int, seed: int = 0, end_day: date = END_DAY) -> None:
        self.total = papers
        self.seed = seed
        self.end_day = end_day
        rng = random.Random(f"radar-bench-pools-{seed}")
        self.vocabulary = self._vocabulary(rng)
        self.word_cum = zipf_cumulative(len(self.vocabulary), exponent=WORD_EXPONENT)
        self.names = self._names(rng)
        self.name_cum = zipf_cumulative(len(self.names), offset=NAME_OFFSET)
        self.categories, self.category_cum = self._category_weights()
        self.days = self._days()
        self.middle: Paper | None = None  # the middle paper, known once iterated

    # --- pools ----------------------------------------------------------------------------

    def _vocabulary(self, rng: random.Random) -> list[str]:
        head = list(dict.fromkeys(COMMON_WORDS))
        return head + pseudo_words(rng, VOCABULARY - len(head), SYLLABLES, set(head))

    def _names(self, rng: random.Random) -> list[str]:
        given = GIVEN_NAMES + [
            w.capitalize() for w in pseudo_words(rng, 2_000, NAME_SYLLABLES, set())
        ]
        taken = {s.lower() for s in SURNAMES}
        surnames = SURNAMES + [
            w.capitalize() for w in pseudo_words(rng, 40_000, NAME_SYLLABLES, taken)
        ]
        seen = {normalize_name(PROBE_AUTHOR)}
        names: list[str] = []
        while len(names) < NAME_POOL - 1:
            # Real surnames are far more common than invented ones, as real names repeat.
            family = rng.choice(SURNAMES) if rng.random() < 0.5 else rng.choice(surnames)
            first = rng.choice(GIVEN_NAMES) if rng.random() < 0.5 else rng.choice(given)
            if rng.random() < 0.15:
                first = f"{first} {rng.choice('ABCDEFGHJKLMNPRST')}."
            name = f"{first} {family}"
            norm = normalize_name(name)
            if norm not in seen:
                seen.add(norm)
                names.append(name)
        names.insert(PROBE_AUTHOR_RANK - 1, PROBE_AUTHOR)
        return names

    @staticmethod
    def _category_weights() -> tuple[list[str], list[float]]:
        codes = category_codes()
        tail = [c for c in codes if c not in PRIMARY_SHARE]
        tail_weights = [1 / rank for rank in range(1, len(tail) + 1)]
        scale = TAIL_SHARE / sum(tail_weights)
        weights = [PRIMARY_SHARE[c] for c in PRIMARY_SHARE] + [w * scale for w in tail_weights]
        return list(PRIMARY_SHARE) + tail, list(itertools.accumulate(weights))

    def _days(self) -> list[tuple[date, int]]:
        """(announcement day, paper count) for every weekday of the last YEARS years."""
        start = self.end_day - timedelta(days=365 * YEARS)
        days = [
            start + timedelta(n)
            for n in range((self.end_day - start).days + 1)
            if (start + timedelta(n)).weekday() < 5
        ]
        weights = [YEARLY_GROWTH ** ((d - start).days / 365) for d in days]
        cumulative = list(itertools.accumulate(weights))
        total, counts, done = cumulative[-1], [], 0
        for cum in cumulative:
            upto = round(self.total * cum / total)
            counts.append(upto - done)
            done = upto
        return list(zip(days, counts, strict=True))

    # --- papers ---------------------------------------------------------------------------

    def __iter__(self) -> Iterator[Paper]:
        rng = random.Random(f"radar-bench-papers-{self.seed}")
        serial: dict[str, int] = {}
        made = 0
        for day, count in self.days:
            month = day.strftime("%y%m")
            for _ in range(count):
                serial[month] = serial.get(month, 0) + 1
                if serial[month] > 99_999:
                    raise ValueError("more than 99,999 papers in a month: use fewer papers")
                paper = self._paper(rng, f"{month}.{serial[month]:05d}", day)
                made += 1
                if made == self.total // 2 + 1:
                    self.middle = paper
                yield paper

    def _words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.vocabulary, cum_weights=self.word_cum, k=count)

    def _title(self, rng: random.Random) -> str:
        words = self._words(rng, max(4, round(rng.gauss(12, 3))))
        return " ".join([words[0].capitalize(), *words[1:]])

    def _abstract(self, rng: random.Random) -> str:
        remaining = max(40, round(rng.gauss(180, 50)))
        sentences = []
        while remaining > 0:
            words = self._words(rng, min(remaining, rng.randint(12, 30)))
            remaining -= len(words)
            sentences.append(" ".join([words[0].capitalize(), *words[1:]]) + ".")
        return " ".join(sentences)

    def _authors(self, rng: random.Random) -> tuple[str, ...]:
        count = rng.choices(range(1, 13), weights=AUTHOR_COUNT_WEIGHTS)[0]
        authors: dict[str, None] = {}
        while len(authors) < count:
            authors.update(dict.fromkeys(rng.choices(self.names, cum_weights=self.name_cum)))
        return tuple(authors)

    def _categories(self, rng: random.Random) -> tuple[str, ...]:
        count = rng.choices(range(1, 5), weights=CATEGORY_COUNT_WEIGHTS)[0]
        chosen = rng.choices(self.categories, cum_weights=self.category_cum)
        archive = chosen[0].split(".")[0]
        siblings = [c for c in self.categories if c.split(".")[0] == archive and c not in chosen]
        for _ in range(20 * count):
            if len(chosen) == count:
                break
            if siblings and rng.random() < CROSS_SAME_ARCHIVE:
                pick = rng.choice(siblings)
            else:
                pick = rng.choices(self.categories, cum_weights=self.category_cum)[0]
            if pick not in chosen:
                chosen.append(pick)
        return tuple(chosen)

    def _paper(self, rng: random.Random, arxiv_id: str, day: date) -> Paper:
        version = rng.choices(range(1, 6), weights=VERSION_WEIGHTS)[0]
        published = day - timedelta(days=rng.randint(1, 3))
        categories = self._categories(rng)
        primary = categories[0]
        has_doi = rng.random() < 0.12
        return Paper(
            id=arxiv_id,
            version=version,
            title=self._title(rng),
            abstract=self._abstract(rng),
            authors=self._authors(rng),
            categories=categories,
            published=published,
            updated=published + timedelta(days=30 * (version - 1)),
            announced=day,
            comment=f"{rng.randint(4, 40)} pages, {rng.randint(1, 15)} figures"
            if rng.random() < 0.45
            else None,
            journal_ref=f"Phys. Rev. D {rng.randint(90, 112)}, {rng.randint(1, 9999)} ({day.year})"
            if has_doi
            else None,
            # Unique, as real DOIs are (radar folds papers sharing a DOI into one).
            doi=f"10.1103/PhysRevD.{rng.randint(90, 112)}.{arxiv_id.replace('.', '')}"
            if has_doi
            else None,
            url=f"https://arxiv.org/abs/{arxiv_id}v{version}",
            pdf_url=f"https://arxiv.org/pdf/{arxiv_id}v{version}",
            sources=(Sighting(f"arxiv-rss:{primary}", f"arXiv ({primary})", "new", day),),
        )

    def probes(self) -> Probes:
        """Query parameters for run.py; call after iterating (they come from the middle paper)."""
        if self.middle is None:
            raise RuntimeError("iterate over the generator before asking for its probes")
        rank = {word: n for n, word in enumerate(self.vocabulary)}
        words = {w.strip(".").lower() for w in self.middle.abstract.split()}
        rarest = sorted(words, key=lambda w: rank.get(w, -1))[-2:]
        return Probes(
            top_author=self.names[0],
            author=PROBE_AUTHOR,
            category="cs.LG",
            paper_id=self.middle.id,
            common_terms="neural network",
            # The two rarest words of one abstract: a handful of papers match both.
            rare_terms=" ".join(rarest),
            last_day=self.end_day.isoformat(),
        )


def build(db: Path, *, papers: int, seed: int, method: str) -> float:
    """Write the cache; returns the seconds the load took."""
    from radar.store import Store

    if db.exists():
        raise SystemExit(f"error: {db} exists; choose a new path (the cache is built from scratch)")
    generator = SyntheticArxiv(papers=papers, seed=seed)
    seen_at = datetime(2026, 11, 20, 12, tzinfo=UTC).isoformat(timespec="seconds")
    started = time.perf_counter()

    def progress(done: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"  {done:>9,} papers  {elapsed:7.1f} s", file=sys.stderr, flush=True)

    with Store.open(db) as store:
        if method == "bulk":
            from benchmarks.bulk import bulk_insert_papers

            bulk_insert_papers(store, generator, seen_at=seen_at, progress=progress)
        else:
            batch: list[Paper] = []
            for number, paper in enumerate(generator, 1):
                batch.append(paper)
                if len(batch) == 2_000:
                    store.upsert_papers(batch, seen_at=seen_at)
                    batch.clear()
                if number % 100_000 == 0:
                    progress(number)
            store.upsert_papers(batch, seen_at=seen_at)
    elapsed = time.perf_counter() - started
    probes_path = db.with_name(db.name + ".probes.json")
    probes_path.write_text(
        json.dumps({"papers": papers, "seed": seed, **generator.probes().__dict__}, indent=2) + "\n"
    )
    return elapsed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, required=True, help="how many papers to generate")
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file to create")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same cache (default 0)")
    parser.add_argument(
        "--method",
        choices=("bulk", "upsert"),
        default="bulk",
        help="bulk: benchmarks/bulk.py (default); upsert: Store.upsert_papers, for comparison",
    )
    args = parser.parse_args(argv)
    elapsed = build(args.db, papers=args.papers, seed=args.seed, method=args.method)
    rate = args.papers / elapsed if elapsed else 0
    print(f"wrote {args.papers:,} papers to {args.db} in {elapsed:.1f} s ({rate:,.0f} papers/s)")


if __name__ == "__main__":
    main()
