"""What `dossier evaluate` scores: the entities and events of the pipeline's own run (the
model `dossier build` publishes), the review file `dossier extract --format json` writes
(the same entities, read back), and the raw baseline: each language's spaCy model alone
(no entity ruler, no cleaning, no resolution), one page per distinct surface string, typed
by its most frequent label."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from generator.evaluate.events import score_events
from generator.evaluate.gold import load_gold, load_gold_events
from generator.evaluate.score import Page, Report, score
from generator.nlp.mentions import LABELS, TYPES
from generator.nlp.pipeline import UNUSED_COMPONENTS
from generator.pipeline import Run
from generator.records import Article, Entity, Mention


def evaluate_run(gold_path: Path, state: Run) -> tuple[Report, Report]:
    """(the dossier, the raw models) scored against the gold file: the entities and events
    of a pipeline run that went up to the model."""
    gold = load_gold(gold_path)
    report = score(gold, entity_pages(state.entities), state.articles)
    gold_events = load_gold_events(gold_path)
    if gold_events:
        report.events = score_events(gold_events, state.articles, state.events, report.page_of)
    return report, score(gold, raw_pages(raw_readers(state)), state.articles)


def score_extraction(gold_path: Path, data: dict[str, Any], articles: list[Article]) -> Report:
    """The entities of a review file (`dossier extract --format json`) scored against the
    gold file; `articles` are the articles it was made from."""
    return score(load_gold(gold_path), extraction_pages(data, articles), articles)


def entity_pages(entities: Iterable[Entity]) -> list[Page]:
    return [Page(e.name, e.type, e.mentions) for e in entities]


def extraction_pages(data: dict[str, Any], articles: list[Article]) -> list[Page]:
    """One page per entity of a review file, with the mentions it lists for it."""
    slugs = {a.filename: a.slug for a in articles}
    pages: dict[str, tuple[str, str, list[Mention]]] = {}
    for record in data["articles"]:
        for m in record["mentions"]:
            if m["entity"] is None:
                continue
            mention = Mention(
                slugs[record["file"]],
                m["paragraph"] - 1,
                m["start"],
                m["end"],
                m["surface"],
                m["type"],
                m["sentence"],
                0,
                m["origin"],
            )
            page = pages.setdefault(m["entity"], (m["entity_name"], m["entity_type"], []))
            page[2].append(mention)
    return [Page(name, kind, tuple(mentions)) for name, kind, mentions in pages.values()]


def raw_readers(state: Run) -> list[tuple[list[Article], Language]]:
    """Each language's articles with its model as shipped (no rulers, no cleaning)."""
    readers = []
    for language, setup in sorted(state.setups.items()):
        chosen = [a for a in state.articles if a.language == language]
        if chosen and setup.model is not None:
            # what NER does not need is left out, as extraction does: the same entities
            readers.append((chosen, spacy.load(setup.model, exclude=list(UNUSED_COMPONENTS))))
    return readers


def summary(dossier: Report, raw: Report) -> dict[str, Any]:
    """`dossier evaluate --json`: the dossier's overall figures first, the raw baseline
    apart."""
    overall = dossier.scores["overall"]
    return {
        "overall": {"f1": overall.f1, "precision": overall.precision, "recall": overall.recall},
        "dossier": dossier.as_dict(),
        "raw": raw.as_dict(),
    }


def raw_pages(readers: list[tuple[list[Article], Language]]) -> list[Page]:
    """The models' NER alone (each language's articles through its model as shipped): one
    page per distinct surface string, typed by its most frequent label."""
    by_text: dict[str, list[Mention]] = defaultdict(list)
    for articles, nlp in readers:
        items = [
            (paragraph, (article.slug, index))
            for article in articles
            for index, paragraph in enumerate(article.normalised_paragraphs)
        ]
        for doc, (slug, index) in nlp.pipe(items, as_tuples=True):
            for ent in doc.ents:
                kind = LABELS.get(ent.label_)
                if kind:
                    by_text[ent.text].append(
                        Mention(
                            slug,
                            index,
                            ent.start_char,
                            ent.end_char,
                            ent.text,
                            kind,
                            "",
                            0,
                            "model",
                        )
                    )
    pages = []
    for text, mentions in sorted(by_text.items()):
        votes = Counter(m.type for m in mentions)
        pages.append(Page(text, votes.most_common(1)[0][0], tuple(mentions)))
    return pages


def format_reports(dossier: Report, raw: Report) -> str:
    lines = [
        f"{'':14}{'dossier':>26}   {'raw NER':>26}",
        f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'n':>5}   {'P':>7}{'R':>7}{'F1':>7}{'n':>5}",
    ]
    for kind in (*TYPES, "overall"):
        a, b = dossier.scores[kind], raw.scores[kind]
        lines.append(
            f"{kind:14}{a.precision:7.3f}{a.recall:7.3f}{a.f1:7.3f}{a.gold:5}"
            f"   {b.precision:7.3f}{b.recall:7.3f}{b.f1:7.3f}{b.gold:5}"
        )
    lines.append(
        f"{'alias groups':14}{f'{dossier.alias_groups_right}/{dossier.alias_groups} right':>26}"
        f"   {f'{raw.alias_groups_right}/{raw.alias_groups} right':>26}"
    )
    lines.append(
        f"{'pages':14}{dossier.scores['overall'].pages:>26}   {raw.scores['overall'].pages:>26}"
    )
    if dossier.events:
        ev = dossier.events
        lines.append(
            f"{'events':14}{ev['found']}/{ev['gold']} found, place recall "
            f"{ev['place_recall']:.3f}, dates {ev['dates_right']}/{ev['dated']} right "
            f"({ev['date_accuracy']:.3f}), figures {ev['figures_right']}/{ev['figures']} right"
        )
        lines.extend(f"  - event: {m}" for m in ev["missed"])
    for title, items in (
        ("missed", dossier.missed),
        ("wrong alias groups", dossier.wrong_groups),
        ("pages held against precision", dossier.extra),
        (
            "not scored (the dossier reads article bodies; titles are shown as written)",
            dossier.not_in_text,
        ),
    ):
        if items:
            lines.append(f"{title}:")
            lines.extend(f"  - {item}" for item in items)
    return "\n".join(lines)
