"""Accounts cache: the event accounts found in each article, kept between builds.

The accounts of an article (events.finder: its sentences holding an event word, with
their dates, figures, places, actors and claimant) depend on the article, its parse,
its dates and on which entities its mentions resolved to, nothing else: merging them
into events is done afterwards over all articles. So they are stored one JSON file per
article under `.dossier-cache/accounts/`, keyed by the parse version (model, spaCy, the
event code and lexicon), the date rules, the article and the entity spans of the
article: each span with its entity's type and name, and which spans are the same
entity. A rebuild after one new article finds the accounts of that article only, and of
the articles whose entities changed (a mention resolved to another entity, an entity
renamed): it neither decodes the other articles' parses nor reads their dates. An entry
refers to entities by their rank among the article's entities, given back as the
entities of this build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.cache.files import sealed, try_to_write, unsealed
from generator.cache.store import parse_version, source_texts
from generator.records import Account, Article, DateMention, Entity, Figure

ACCOUNTS_FORMAT = 1  # bump when the stored form of an account changes
_DATE_FIELDS = ("paragraph", "start", "end", "text", "kind", "precision", "basis")


def accounts_version(model: str) -> str:
    """What the accounts depend on, but the article and its entities."""
    digest = hashlib.sha256(f"{parse_version(model)}\0accounts {ACCOUNTS_FORMAT}".encode())
    for text in source_texts(["events/", "data/dates.yml", "text.py", "records.py"]):
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def article_entities(entities: Iterable[Entity]) -> dict[str, list[tuple[int, int, int, Entity]]]:
    """The entity spans of each article: (paragraph, start, end, entity), in text order."""
    spans: dict[str, list[tuple[int, int, int, Entity]]] = {}
    for entity in entities:
        for mention in entity.mentions:
            spans.setdefault(mention.article, []).append(
                (mention.paragraph, mention.start, mention.end, entity)
            )
    for items in spans.values():
        items.sort(key=lambda span: span[:3])
    return spans


class AccountCache:
    """One sealed JSON file per article; an entry that is damaged or is not that of this
    article and these entities is found again (with `read=False`, all are)."""

    def __init__(self, folder: Path, version: str, read: bool = True) -> None:
        self.folder = folder / "accounts"
        self.version = version
        self.read = read
        self.writable = True  # until a write fails: one warning, not one per article

    def key(self, article: Article, spans: list[tuple[int, int, int, Entity]]) -> str:
        ranks = _ranks(spans)
        digest = hashlib.sha256(f"{self.version}\0{article!r}\0".encode("utf-8", "replace"))
        for paragraph, start, end, entity in spans:
            line = f"{paragraph} {start} {end} {ranks[id(entity)]} {entity.type} {entity.name}\0"
            digest.update(line.encode("utf-8", "replace"))
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(
        self, article: Article, spans: list[tuple[int, int, int, Entity]]
    ) -> list[Account] | None:
        if not self.read:
            return None
        key = self.key(article, spans)
        try:
            payload = unsealed(self.path(key).read_bytes())
            if payload.get("key") != key:
                raise ValueError("the entry of another article")
            entities = _distinct(spans)
            return [_account(item, article.slug, entities) for item in payload["accounts"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # found again, and written anew

    def put(
        self,
        article: Article,
        spans: list[tuple[int, int, int, Entity]],
        accounts: list[Account],
    ) -> None:
        key = self.key(article, spans)
        ranks = _ranks(spans)
        stored = [_stored(account, ranks) for account in accounts]
        if self.writable:
            self.writable = try_to_write(self.path(key), sealed({"key": key, "accounts": stored}))


def _distinct(spans: list[tuple[int, int, int, Entity]]) -> list[Entity]:
    """The article's entities, each once, in the order of their first span."""
    return list({id(span[3]): span[3] for span in spans}.values())


def _ranks(spans: list[tuple[int, int, int, Entity]]) -> dict[int, int]:
    return {id(entity): rank for rank, entity in enumerate(_distinct(spans))}


def _stored(account: Account, ranks: dict[int, int]) -> dict[str, Any]:
    if account.curated:
        raise ValueError("a curated account is not found in an article")
    claimant = account.claimant_entity
    return {
        "paragraph": account.paragraph,
        "sentences": account.sentences,
        "triggers": account.triggers,
        "dates": [_stored_date(date) for date in account.dates],
        "places": [ranks[id(e)] for e in account.places],
        "actors": [ranks[id(e)] for e in account.actors],
        "figures": [[f.kind, f.value, f.unit, f.text] for f in account.figures],
        "claimant": account.claimant,
        "claimant_entity": None if claimant is None else ranks[id(claimant)],
        "type": account.type,
        "offset": account.offset,
    }


def _stored_date(date: DateMention) -> dict[str, Any]:
    stored: dict[str, Any] = {name: getattr(date, name) for name in _DATE_FIELDS}
    stored["value"] = date.value.isoformat() if date.value else None
    stored["inferred_from"] = date.inferred_from
    return stored


def _account(item: dict[str, Any], slug: str, entities: list[Entity]) -> Account:
    claimant = item["claimant_entity"]
    return Account(
        article=slug,
        paragraph=item["paragraph"],
        sentences=list(item["sentences"]),
        triggers=list(item["triggers"]),
        dates=[_date(date, slug) for date in item["dates"]],
        places=[entities[rank] for rank in item["places"]],
        actors=[entities[rank] for rank in item["actors"]],
        figures=[Figure(*figure) for figure in item["figures"]],
        claimant=item["claimant"],
        claimant_entity=None if claimant is None else entities[claimant],
        type=item["type"],
        offset=item["offset"],
    )


def _date(item: dict[str, Any], slug: str) -> DateMention:
    value = item["value"]
    return DateMention(
        article=slug,
        **{name: item[name] for name in _DATE_FIELDS},
        value=None if value is None else dt.date.fromisoformat(value),
        inferred_from=item["inferred_from"],
    )
