"""People behind author names: `radar author NAME`, and following a person by id or paper.

`radar follow author NAME --arxiv-id/--orcid/--paper` and `radar unfollow author` call in here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from radar.commands.common import DataFormat, FormatOption, invocation, note, note_upgrade, out
from radar.errors import NotFoundError, UsageError
from radar.render.console import print_json, print_records

if TYPE_CHECKING:
    from radar.config.settings import Follows, Settings
    from radar.people import Person


def people_rows(follow: Follows) -> list[tuple[str, str]]:
    """`radar follows` rows telling name follows, identity follows and pins apart."""
    from radar.config.person_ids import is_orcid
    from radar.paper import normalize_name

    pins = {normalize_name(name): ids for name, ids in follow.pins.items()}
    rows = []
    for name in follow.authors:
        pinned = pins.pop(normalize_name(name), ())
        rows.append(("author", f"{name} · pinned to {', '.join(pinned)}" if pinned else name))
    for name, person_id in follow.identities.items():
        how = "ORCID" if is_orcid(person_id) else "arXiv author id"
        rows.append(("person", f"{name} · {how} {person_id}"))
    for name, ids in follow.pins.items():
        if normalize_name(name) in pins:  # pins of a name that is not followed by name
            rows.append(("pins", f"{name} · {', '.join(ids)} (name not followed)"))
    return rows


def follow_person(
    ctx: typer.Context,
    names: list[str],
    *,
    arxiv_id: str | None,
    orcid: str | None,
    papers: list[str],
) -> None:
    """`radar follow author NAME --arxiv-id ID | --orcid X | --paper ID...`."""
    from radar.config.follows import add_follows
    from radar.config.people import add_pins, set_identity
    from radar.config.person_ids import check_arxiv_author_id, check_orcid, check_pins

    if len(names) != 1:
        raise UsageError(
            "--arxiv-id, --orcid and --paper describe one person: give one name",
            hint='e.g. radar follow author "Yantao Li" --arxiv-id li_y_1',
        )
    if arxiv_id is not None and orcid is not None:
        raise UsageError("give --arxiv-id or --orcid, not both (one identity per person)")
    name = names[0]
    settings = invocation(ctx).settings()
    identity = check_arxiv_author_id(arxiv_id) if arxiv_id is not None else None
    identity = check_orcid(orcid) if orcid is not None else identity
    pins = check_pins(papers)
    if pins:
        _check_signed(settings, name, pins)
    if identity is not None:
        change = set_identity(settings, name, identity)
        _created(change.created)
        for value in change.added:
            was = f" (was {change.replaced})" if change.replaced else ""
            note(f"following {change.name!r} as {value}{was}: their own arXiv listing")
        for value in change.already:
            note(f"already following {change.name!r} as {value}: nothing to do")
    if pins:
        follow = add_follows(settings, "author", [name])
        _created(follow.created)
        for value in follow.changed:
            note(f"following author {value!r}")
        change = add_pins(settings, name, list(pins))
        if change.added:
            note(
                f"pinned {change.name!r} to {', '.join(change.added)}: papers signed so count "
                f"when they join that person's co-authors or categories (see radar author)"
            )
        for value in change.already:
            note(f"{change.name!r} is already pinned to {value}: nothing to do")


def _check_signed(settings: Settings, name: str, pins: tuple[str, ...]) -> None:
    """A pinned paper already in the cache must carry the name (or one of its aliases)."""
    from radar.paper import normalize_name
    from radar.store import Store

    if not settings.db_path.exists():
        return
    spellings = {normalize_name(name)}
    for key, aliases in settings.follow.aliases.items():
        if normalize_name(key) in spellings:
            spellings |= {normalize_name(a) for a in aliases}
    with Store.open(settings.db_path, on_upgrade=note_upgrade) as store:
        for paper_id in pins:
            paper = store.get_paper(paper_id)
            if paper is None:
                note(f"note: {paper_id} is not in the cache yet; `radar sync` fetches it")
            elif not spellings & {normalize_name(a) for a in paper.authors}:
                authors = ", ".join(paper.authors[:6]) or "no authors"
                raise UsageError(
                    f"{paper_id} is not signed {name!r} (its authors: {authors})",
                    hint=f"pin a paper {name} wrote; `radar author {name!r}` lists them",
                )


def unfollow_people(ctx: typer.Context, names: list[str]) -> list[str]:
    """Drop the identities and pins of `names`; the names still to unfollow by name."""
    from radar.config.people import forget_person
    from radar.paper import normalize_name

    settings = invocation(ctx).settings()
    by_name = {normalize_name(n) for n in settings.follow.authors}
    rest = []
    for name in names:
        change = forget_person(settings, name) if settings.config_exists else None
        for what in change.added if change else ():
            note(f"unfollowed {name!r} ({what})")
        if normalize_name(name) in by_name or not (change and change.added):
            rest.append(name)
    return rest


def _created(path: object) -> None:
    if path:
        note(f"created {path} from radar.toml.example")


def author(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A full author name, e.g. "Yantao Li".')],
    fetch: Annotated[
        bool,
        typer.Option("--fetch", help="First fetch the papers signed NAME from arXiv."),
    ] = False,
    fmt: FormatOption = DataFormat.table,
) -> None:
    """Show who is behind an author name: its papers grouped into people.

    Papers sharing a co-author are one person's; so are papers sharing a category within a few
    years.

    Examples:
      radar author "Yantao Li"
      radar author "Yantao Li" --fetch
    """
    settings = invocation(ctx).settings()
    if fetch:
        _fetch_history(settings, name)
    elif not settings.db_path.exists():
        raise NotFoundError(
            "the cache is empty", hint=f"radar author {name!r} --fetch, or radar sync"
        )
    people, followed = _people(ctx, settings, name)
    if not fetch and sum(len(p.papers) for p in people) < FEW and fmt is not DataFormat.json:
        note(f"note: few papers signed {name!r} are cached; --fetch gets the name's history")
    if fmt is DataFormat.json:
        print_json(out(ctx), [_person_json(n, p) for n, p in enumerate(people, 1)])
        return
    rows = [_person_row(n, p) for n, p in enumerate(people, 1)]
    headers = ["person", "papers", "years", "main categories", "frequent co-authors", "recent"]
    if followed is not None:  # followed as a person: say which group the follow lists
        rows = [(*r, _follows(p, followed)) for r, p in zip(rows, people, strict=True)]
        headers.append("follow")
    print_records(out(ctx), rows, headers, title=f"Papers signed {name!r}")


def _people(
    ctx: typer.Context, settings: Settings, name: str
) -> tuple[list[Person], set[str] | None]:
    """The name's papers grouped into people, and, when the name is followed as a person (an
    id or pins), the ids the follow counts as theirs."""
    from radar.filters import Filters
    from radar.people import author_rule, namesakes, spellings
    from radar.store.people import signed_papers
    from radar.store.queries import select_papers

    with invocation(ctx).open_store() as store:
        people = namesakes(signed_papers(store, spellings(settings.follow, name)))
        followed = None
        if not author_rule(settings.follow, name).plain:
            chosen = select_papers(store, Filters(authors=(name,)), follow=settings.follow)
            followed = {p.id for p in chosen}
    if not people:
        raise NotFoundError(
            f"no paper signed {name!r} in the cache",
            hint=f"radar author {name!r} --fetch gets the name's papers from arXiv",
        )
    return people, followed


def _follows(person: Person, followed: set[str]) -> str:
    count = sum(p.id in followed for p in person.papers)
    if not count:
        return "set aside"
    return "followed" if count == len(person.papers) else f"{count} followed"


FEW = 5  # fewer cached papers than this and grouping says little: suggest --fetch


def _fetch_history(settings: Settings, name: str) -> None:
    from radar.errors import NetworkError
    from radar.people import spellings
    from radar.sync.run import Follow, run_sync

    aliases = tuple(spellings(settings.follow, name)[1:])
    summary = run_sync(settings, [Follow("author", name, aliases)], on_upgrade=note_upgrade)
    for result in summary.failed:
        raise NetworkError(f"fetching papers signed {name!r} failed: {result.errors[0]}")
    note(f"fetched papers signed {name!r}: {summary.new} new, {summary.updated} updated")


def _person_json(number: int, person: Person) -> dict[str, object]:
    first, last = person.years
    return {
        "person": number,
        "papers": [p.id for p in person.papers],
        "categories": person.categories(),
        "coauthors": person.coauthors(),
        "years": [first, last],
    }


def _person_row(number: int, person: Person) -> tuple[object, ...]:
    first, last = person.years
    years = "undated" if first is None else str(first) if first == last else f"{first}-{last}"
    cats = ", ".join(f"{c} ({n})" for c, n in list(person.categories().items())[:3])
    recent = " / ".join(p.title for p in person.papers[:2])
    return (number, len(person.papers), years, cats, ", ".join(person.coauthors(3)), recent)


app = typer.Typer()
app.command("author")(author)
