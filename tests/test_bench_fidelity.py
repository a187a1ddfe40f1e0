"""benchmarks/fidelity.py: radar reads every recorded file as independent parsers do."""

from __future__ import annotations

from benchmarks.fidelity import EXACT, markdown, run, totals

from tests.conftest import DATA


def test_authors_names_and_announce_types_match_the_independent_parsers() -> None:
    reports = run(DATA)
    fields = totals(reports)
    for name in EXACT:
        compared, mismatches = fields[name]
        assert compared > 0 and mismatches == 0, (name, [e for r in reports for e in r.examples])
    assert fields["authors"][0] >= 126  # every API entry and every RSS item of the day
    assert fields["announce_type"][0] == 81
    assert fields["affiliations"] == (fields["authors"][0], 0)
    parsed = {r.path.split("/")[0] for r in reports if r.compared}
    assert {"arxiv-api", "arxiv-rss", "feeds", "feeds-malformed"} <= parsed
    assert "| names | " in markdown(reports)
