"""Review: what extraction and resolution did, per article, for a researcher to check.

`dossier extract` writes it as YAML or JSON (same content): per article its language and
the pipeline that read it, and every mention extracted with its type, the entity it went
to, its origin (model, ruler, gazetteer, curated), the evidence for its type, its
sentence and paragraph; then `review`, the decisions most worth a look, each with what was
decided, why, and how to change it in the corrections file. Nothing in it depends on the
time or the folder it was run in: the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.cache.store import model_version
from generator.nlp.bodies import load_bodies
from generator.nlp.languages import NAMES, Setup
from generator.nlp.lexicon import load_lexicon
from generator.pipeline import Run
from generator.records import Article, Decision, Entity, Mention
from generator.resolve.keys import name_key
from generator.settings import Settings
from generator.site import urls
from generator.site.urls import entity_id
from generator.text import fold

FORMAT = "dossier-extraction 1"
FORMATS = ("yaml", "json")
DEFAULT_OUTPUT = {"yaml": "extraction.yml", "json": "extraction.json"}  # in the project root
REVIEW_CONFIDENCE = 0.75  # a type that got less than this share of the votes is listed
KINDS = (  # review items, in the order they are listed
    "rules-only article",
    "fuzzy merge",
    "surname join",
    "bare body",
    "close type vote",
    "lone model name",
)
RULE_KINDS = {"fuzzy": "fuzzy merge", "surname": "surname join", "bare body": "bare body"}


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # one of KINDS
    subject: str  # the entity id (`places/abou-kamal`), or the article file
    decision: str  # what was decided
    why: str
    fix: str  # how to change it in the corrections file (or the setup)

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "decision": self.decision,
            "why": self.why,
            "fix": self.fix,
        }

    def line(self) -> str:
        return f"[{self.kind}] {self.subject}: {self.decision}"


def review_data(extraction: Run, settings: Settings) -> dict[str, Any]:
    """The whole review file, as plain data in a fixed order."""
    owner = {_where(m): e for e in extraction.entities for m in e.mentions}
    dropped = DroppedReasons(extraction)
    items = review_items(extraction)
    corrections = settings.corrections_file
    return {
        "format": FORMAT,
        "articles_folder": settings.articles.as_posix(),
        "corrections": _shown(corrections, settings) if corrections.exists() else None,
        "summary": {
            "articles": len(extraction.articles),
            "mentions": len(extraction.mentions),
            "entities": len(extraction.entities),
            "to_review": len(items),
        },
        "articles": [
            _article_record(article, extraction, owner, dropped) for article in extraction.articles
        ],
        "review": [item.as_dict() for item in items],
    }


def _shown(path: Path, settings: Settings) -> str:
    """A path relative to the project root when it is inside it (no machine paths)."""
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return path.as_posix()


Where = tuple[str, int, int, int]  # a mention's article, paragraph, start and end


def _where(mention: Mention) -> Where:
    return (mention.article, mention.paragraph, mention.start, mention.end)


def _article_record(
    article: Article, extraction: Run, owner: dict[Where, Entity], dropped: DroppedReasons
) -> dict[str, Any]:
    setup = extraction.setups.get(article.language or "")
    mentions = sorted(
        (m for m in extraction.mentions if m.article == article.slug),
        key=lambda m: (m.paragraph, m.start, m.end),
    )
    return {
        "file": article.filename,
        "source": urls.source_id(article.slug),
        "title": article.title,
        "language": article.language,
        "language_basis": article.language_basis,
        "paragraphs_in_other_languages": {
            index + 1: language for index, language in article.other_languages
        },
        "model": _model_label(setup) if setup else None,
        "mentions": [_mention_record(m, owner.get(_where(m)), dropped) for m in mentions],
    }


def _model_label(setup: Setup) -> str:
    if setup.model is None:
        return setup.label
    return f"{setup.model} {model_version(setup.model)}"


def _mention_record(
    mention: Mention, entity: Entity | None, dropped: DroppedReasons
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "surface": mention.text,
        "type": mention.type,
        "entity": entity_id(entity) if entity else None,
    }
    if entity is not None:
        record["entity_name"] = entity.name
        record["entity_type"] = entity.type
    else:
        record["dropped"] = dropped.reason(mention)
    record.update(
        {
            "origin": mention.origin,
            "evidence": mention.evidence or None,
            "paragraph": mention.paragraph + 1,  # as in the page link `#p3`
            "start": mention.start,
            "end": mention.end,
            "sentence": mention.sentence,
        }
    )
    return record


class DroppedReasons:
    """Why resolution kept no entity for a mention (the rules of `resolve`)."""

    def __init__(self, extraction: Run) -> None:
        self.rejected = extraction.corrections.rejected
        self.lexicon = load_lexicon()
        self.bodies = load_bodies()

    def reason(self, mention: Mention) -> str:
        key = name_key(mention.text, self.lexicon)
        if fold(mention.text) in self.rejected or key in self.rejected:
            return "rejected by the corrections file (`reject`)"
        if not key or key in self.lexicon.rejected:
            return "a rejected word (`rejected` in generator/data/lexicon.yml)"
        if self.bodies.bare_kind(mention.text):
            return "a bare body, and the dossier has not exactly one body of its kind"
        return "not kept by resolution"


# --- the decisions to review ------------------------------------------------------------


def review_items(extraction: Run) -> list[ReviewItem]:
    items = [*_rules_only_articles(extraction)]
    for entity in extraction.entities:
        items += [_decision_item(entity, d) for d in entity.decisions if d.rule in RULE_KINDS]
        vote = _close_vote(entity)
        items += [vote] if vote else []
        lone = _lone_model_name(entity)
        items += [lone] if lone else []
    return sorted(items, key=lambda i: (KINDS.index(i.kind), i.subject, i.decision))


def _rules_only_articles(extraction: Run) -> list[ReviewItem]:
    items = []
    for article in extraction.articles:
        setup = extraction.setups.get(article.language or "")
        if setup is None or setup.installed:
            continue
        items.append(
            ReviewItem(
                "rules-only article",
                article.filename,
                f"extracted without an {NAMES[setup.language]} model ({setup.wanted} is not "
                "installed)",
                "only the gazetteer's places, the known organisations and bodies and the "
                "curated names were looked for: people and other names are missing",
                f"install the model {setup.wanted} (or pick the default with "
                "--english-model) and run again; or add the names it misses as `entities` "
                "entries",
            )
        )
    return items


def _decision_item(entity: Entity, decision: Decision) -> ReviewItem:
    forms = ", ".join(map(_code, decision.surfaces)) or _code(decision.joined)
    subject = entity_id(entity)
    if decision.rule == "fuzzy":
        return ReviewItem(
            "fuzzy merge",
            subject,
            f"merged {forms} into {_code(entity.name)}",
            f"their name keys {_code(decision.joined)} and {_code(decision.into)} look like "
            f"transliteration variants: rapidfuzz ratio {decision.score:.0f} >= "
            f"{decision.threshold:.0f} (on their sound keys, data/transliteration.yml)",
            "if they are different entities, give each an `entities` entry (curated "
            "entities never merge); if right, list them as `aliases` of one entry",
        )
    if decision.rule == "surname":
        return ReviewItem(
            "surname join",
            subject,
            f"joined {forms} to {_code(entity.name)}",
            f"a lone surname joins the only full person name ending with it (ratio "
            f"{decision.score:.0f} >= {decision.threshold:.0f})",
            "if it is someone else, add a `split` entry sending that surface (in that "
            "article) to a curated entity; if right, add it to the `aliases` of an entry",
        )
    return ReviewItem(
        "bare body",
        subject,
        f"joined {forms} to {_code(entity.name)}",
        f"a body named without its nationality joins {decision.note}",
        "if it is another body, add it to the `aliases` of the right `entities` entry; "
        "if it names no entity, add it to `reject`",
    )


def _close_vote(entity: Entity) -> ReviewItem | None:
    if not entity.votes or entity.confidence >= REVIEW_CONFIDENCE:
        return None
    total = sum(count for _, count in entity.votes)
    tally = ", ".join(f"{kind} {count}" for kind, count in entity.votes)
    return ReviewItem(
        "close type vote",
        entity_id(entity),
        f"typed {entity.type} by {entity.confidence:.0%} of {total} votes ({tally})",
        "its mentions disagree on the type: a model label counts 1, a context cue 2, a "
        "gazetteer place 1 more per mention",
        f"if the type is wrong, add an `entities` entry `name: {entity.name}` with the "
        "right `type`",
    )


def _lone_model_name(entity: Entity) -> ReviewItem | None:
    if entity.origin != "model" or len(entity.mentions) != 1 or entity.country is not None:
        return None
    mention = entity.mentions[0]
    if mention.origin != "model":
        return None
    cue = f", typed by a context cue ({mention.evidence})" if mention.evidence else ""
    return ReviewItem(
        "lone model name",
        entity_id(entity),
        f"kept {_code(mention.text)} as a {entity.type}",
        "found once, by the statistical model only" + cue + ": not a gazetteer place, "
        "nor a known or curated name",
        "if it is no entity, add it to `reject`; if its name or type is wrong, add an "
        "`entities` entry",
    )


def _code(text: str) -> str:
    return f"`{text}`"


# --- the file ----------------------------------------------------------------------------


def dump(data: dict[str, Any], fmt: str) -> str:
    """YAML or JSON text of the review data, UTF-8 as written (no escapes)."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
