"""Edits the follows in radar.toml in place, keeping the user's comments and ordering.

The file is created from radar.toml.example on the first edit; nothing invalid is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from radar.config.schema import check_author, check_category, validate_text
from radar.config.settings import Settings, example_text, parse_config
from radar.errors import ConfigError
from radar.files import write_atomic
from radar.paper import normalize_name

Kind = Literal["author", "category", "keyword", "exclude"]
# Where each kind of follow lives in radar.toml: (table, key).
_PLACES: dict[str, tuple[str, str]] = {
    "author": ("follow", "authors"),
    "category": ("follow", "categories"),
    "keyword": ("interests", "keywords"),
    "exclude": ("interests", "exclude"),
}


@dataclass(frozen=True)
class FollowChange:
    changed: tuple[str, ...]  # added or removed
    unchanged: tuple[str, ...]  # already followed (add) / not followed (remove)
    created: Path | None = None  # the config file, when this edit created it


def add_follows(settings: Settings, kind: Kind, values: list[str]) -> FollowChange:
    """Follow authors or categories; values already followed are reported, not duplicated."""
    clean = _clean(kind, values)
    doc, created = _load(settings)
    array = _array(doc, kind)
    present = {_key(kind, str(v)) for v in array}
    added, already = [], []
    for value in clean:
        if _key(kind, value) in present:
            already.append(value)
        else:
            array.append(value)
            present.add(_key(kind, value))
            added.append(value)
    if added or created:
        _save(settings.config_path, doc)
    return FollowChange(tuple(added), tuple(already), settings.config_path if created else None)


def remove_follows(settings: Settings, kind: Kind, values: list[str]) -> FollowChange:
    """Unfollow; raises ConfigError (and writes nothing) if a value is not followed."""
    doc, created = _load(settings, keep_defaults=True)
    array = _array(doc, kind)
    followed = {_key(kind, str(v)): i for i, v in enumerate(array)}
    missing = [v for v in values if _key(kind, v) not in followed]
    if missing:
        names = ", ".join(str(v) for v in array) or "nothing"
        raise ConfigError(
            f"not following {kind} {missing[0]!r}",
            hint=f"followed {_PLACES[kind][1]}: {names} (see `radar follows`)",
        )
    indexes = sorted({followed[_key(kind, v)] for v in values}, reverse=True)
    removed = [str(array[i]) for i in indexes][::-1]
    for index in indexes:
        del array[index]
    _save(settings.config_path, doc)
    return FollowChange(tuple(removed), (), settings.config_path if created else None)


def add_feed(
    settings: Settings, url: str, name: str | None = None, kind: str | None = None
) -> FollowChange:
    """Follow an RSS/Atom feed as a `[[feeds]]` table; the name defaults to the URL's host.

    The same URL already followed is reported, not duplicated; a name taken by another URL is
    a ConfigError. Nothing is written unless the whole file still validates.
    """
    url = _check_feed_url(url)
    name = " ".join((name or _host(url)).split())
    if not name:
        raise ConfigError("the feed name is empty", hint='e.g. --name "Nature"')
    doc, created = _load(settings)
    feeds = _feeds(doc, create=True)
    for feed in feeds:
        if str(feed.get("url", "")).strip() == url:
            return FollowChange((), (str(feed.get("name")),), None)
        if str(feed.get("name", "")).casefold() == name.casefold():
            raise ConfigError(
                f"a feed named {name!r} already exists ({feed.get('url')})",
                hint="choose another --name, or `radar unfollow feed` it first",
            )
    _append_feed(doc, feeds, {"name": name, "url": url, **({"kind": kind} if kind else {})})
    _save(settings.config_path, doc)
    return FollowChange((name,), (), settings.config_path if created else None)


def remove_feed(settings: Settings, name: str) -> FollowChange:
    """Stop following the feed with this name (any case) or URL; ConfigError if there is none."""
    doc, created = _load(settings)
    feeds = _feeds(doc, create=False)
    wanted = name.strip()
    for index, feed in enumerate(feeds or ()):
        if wanted.casefold() == str(feed.get("name", "")).casefold() or wanted == feed.get("url"):
            removed = str(feed.get("name"))
            del feeds[index]
            if not len(feeds):
                del doc["feeds"]
            _save(settings.config_path, doc)
            return FollowChange((removed,), (), settings.config_path if created else None)
    names = ", ".join(repr(str(f.get("name"))) for f in feeds or ()) or "none"
    raise ConfigError(
        f"not following a feed named {wanted!r}",
        hint=f"followed feeds: {names} (see `radar follows`)",
    )


def _check_feed_url(url: str) -> str:
    from urllib.parse import urlsplit

    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{url!r} is not a feed URL", hint="give the http(s) address of an RSS or Atom feed"
        )
    return url


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "").removeprefix("www.")


def _feeds(doc: Any, *, create: bool) -> Any:
    import tomlkit

    if "feeds" not in doc:
        if not create:
            return None
        if not doc.as_string().endswith("\n\n"):
            doc.add(tomlkit.nl())
        doc.append("feeds", tomlkit.aot())
    return doc["feeds"]


def _append_feed(doc: Any, feeds: Any, values: dict[str, str]) -> None:
    """Add a [[feeds]] table, one blank line from its neighbours as a person would write it."""
    import tomlkit

    if len(feeds) and not feeds[-1].as_string().endswith("\n\n"):
        feeds[-1].add(tomlkit.nl())
    table = tomlkit.table()
    for key, value in values.items():
        table[key] = value
    if list(doc.keys())[-1] != "feeds":
        table.add(tomlkit.nl())
    feeds.append(table)


def remove_keywords(settings: Settings, phrases: list[str]) -> FollowChange:
    """Drop phrases from [interests] keywords or exclude, wherever each is; ConfigError (and
    nothing written) if one is in neither."""
    doc, created = _load(settings)
    lists = [_array(doc, "keyword"), _array(doc, "exclude")]
    removed = []
    for phrase in phrases:
        for array in lists:
            index = next(
                (
                    i
                    for i, v in enumerate(array)
                    if _key("keyword", str(v)) == _key("keyword", phrase)
                ),
                None,
            )
            if index is not None:
                removed.append(str(array[index]))
                del array[index]
                break
        else:
            known = ", ".join(repr(str(v)) for array in lists for v in array) or "none"
            raise ConfigError(
                f"not following keyword {phrase!r}",
                hint=f"keywords and exclusions: {known} (see `radar follows`)",
            )
    _save(settings.config_path, doc)
    return FollowChange(tuple(removed), (), settings.config_path if created else None)


def _clean(kind: Kind, values: list[str]) -> list[str]:
    if not values:
        raise ConfigError(f"no {kind} given", hint=f"e.g. radar follow {kind} ...")
    if kind in ("keyword", "exclude"):
        return [_check_phrase(v) for v in values]
    check = check_author if kind == "author" else check_category
    return [check(v) for v in values]


def _check_phrase(phrase: str) -> str:
    if not phrase.split():
        raise ConfigError("a keyword is empty", hint='e.g. radar follow keyword "diffusion models"')
    return " ".join(phrase.split())


def _key(kind: Kind, value: str) -> str:
    if kind == "author":
        return normalize_name(value)
    return " ".join(value.split()).casefold()


def _load(settings: Settings, *, keep_defaults: bool = False) -> tuple[Any, bool]:
    """The config as an editable document; a new one from the example when there is none.

    A new file follows only what this edit adds: the example's own follows are samples. An
    unfollow (`keep_defaults`) starts from the built-in follows in use, minus the one removed.
    """
    import tomlkit

    path = settings.config_path
    if path.is_file():
        parse_config(path)  # refuse to edit a file that is already invalid
        return tomlkit.parse(path.read_text(encoding="utf-8")), False
    doc = tomlkit.parse(example_text())
    doc["follow"]["authors"] = list(settings.follow.authors) if keep_defaults else []
    doc["follow"]["categories"] = list(settings.follow.categories) if keep_defaults else []
    return doc, True


def _array(doc: Any, kind: Kind) -> Any:
    import tomlkit

    name, key = _PLACES[kind]
    if name not in doc:
        doc[name] = tomlkit.table()
    table = doc[name]
    if key not in table:
        table[key] = tomlkit.array()
    return table[key]


def _save(path: Path, doc: Any) -> None:
    """Validate, then replace the file atomically: a crash never leaves half a config."""
    import tomlkit

    text = tomlkit.dumps(doc).rstrip("\n") + "\n"  # edits never pile up blank lines at the end
    validate_text(text, path)
    write_atomic(path, text)
