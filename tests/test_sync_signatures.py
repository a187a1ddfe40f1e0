"""The note after an author sync: papers signed like the followed name but left out."""

from __future__ import annotations

import pytest

from radar.paper import Paper
from radar.sync.signatures import Signatures, signed_like

FOLLOWED = "Adrian Del Maestro"


@pytest.mark.parametrize(
    "name",
    [
        "A. Del Maestro",  # an initial for the given name
        "Del Maestro, A.",  # surname first
        "Adrian D. Maestro",  # an initial in the middle
        "A D Maestro",
    ],
)
def test_initials_of_the_same_names_may_be_the_followed_author(name: str) -> None:
    assert signed_like(FOLLOWED, name)


def test_an_initial_in_the_followed_name_matches_the_full_name() -> None:
    assert signed_like("A. Del Maestro", "Adrian Del Maestro")
    assert signed_like("Adrian D. Maestro", "Adrian Del Maestro")
    assert not signed_like("A. Del Maestro", "Bob Del Maestro")  # only names with that initial


@pytest.mark.parametrize(
    "name",
    [
        "Adrian Del Maestro",  # the followed name itself is not "another spelling"
        "adrian  del MAESTRO",  # nor is it once folded
        "Del Maestro, Adrian",
        "A. Maestro",  # fewer names
        "A. B. Del Maestro",  # more names
        "B. Del Maestro",  # another initial
        "Ad Del Maestro",  # a shortened name is not an initial
        "Adrianne Del Maestro",  # nor is a longer one the name
        "Adrian Del M.",  # the surname is never an initial
        "Adrian Del Castro",  # another surname
        "",
    ],
)
def test_other_names_are_not_the_followed_author(name: str) -> None:
    assert not signed_like(FOLLOWED, name)


def test_an_empty_followed_name_matches_nobody() -> None:
    assert not signed_like("", "A. Del Maestro")
    assert not signed_like("", "")


def paper(pid: str, *authors: str) -> Paper:
    return Paper(id=pid, title=f"Paper {pid}", abstract="", authors=authors)


def test_left_out_papers_are_counted_once_per_spelling_most_first_with_the_alias_command() -> None:
    signatures = Signatures(FOLLOWED, aliases=("A. Del Maestro",))
    signatures.add(
        [
            paper("1", "A. Del Maestro", "Bob Smith"),  # an alias: counted as his already
            paper("2", "Adrian D. Maestro", "Carol Jones"),
            paper("3", "A. D. Maestro"),
            paper("4", "Adrian D Maestro"),
        ]
    )
    signatures.add([paper("2", "Adrian D. Maestro"), paper("5", "Adrian D. Maestro", "Bob Smith")])
    assert signatures.papers == {
        "Adrian D. Maestro": {"2", "5"},
        "A. D. Maestro": {"3"},
        "Adrian D Maestro": {"4"},
    }
    assert signatures.notes() == [  # most papers first, then by spelling
        "2 papers signed 'Adrian D. Maestro' were not counted as Adrian Del Maestro's; "
        "if they are theirs: radar follow alias 'Adrian Del Maestro' 'Adrian D. Maestro'",
        "1 paper signed 'A. D. Maestro' was not counted as Adrian Del Maestro's; "
        "if they are theirs: radar follow alias 'Adrian Del Maestro' 'A. D. Maestro'",
        "1 paper signed 'Adrian D Maestro' was not counted as Adrian Del Maestro's; "
        "if they are theirs: radar follow alias 'Adrian Del Maestro' 'Adrian D Maestro'",
    ]


def test_an_alias_is_known_in_any_spelling_and_the_command_is_shell_quoted() -> None:
    aliased = Signatures("Yves O'Neil", aliases=("o'neil, y.",))
    aliased.add([paper("1", "Y. O’Neil"), paper("2", "Y O'Neil")])
    assert aliased.notes() == []
    signatures = Signatures("Yves O'Neil")
    signatures.add([paper("1", "Y. O’Neil"), paper("3", "Einstein")])
    assert signatures.notes() == [
        "1 paper signed 'Y. O’Neil' was not counted as Yves O'Neil's; "
        "if they are theirs: radar follow alias 'Yves O'\"'\"'Neil' 'Y. O’Neil'"
    ]


def test_nothing_left_out_says_nothing() -> None:
    signatures = Signatures(FOLLOWED)
    signatures.add([paper("1", "Bob Smith")])
    assert signatures.papers == {} and signatures.notes() == []
