"""Events scored against the gold file: each gold event is matched with an event that its
article tells, by the places they share and then the date; the figures are place recall,
date accuracy, the gold figures (whole numbers) that the matched event gives, and the gold
events missed, with what was found instead. A gold place is
the page that holds its surfaces (the entity scoring's best page), whatever its name.
"""

from __future__ import annotations

from typing import TypedDict

from generator.evaluate.gold import GoldEvent
from generator.records import Article, Event
from generator.text import fold


class EventScores(TypedDict):
    """How the events of a run compare with the gold events (`dossier evaluate --json`)."""

    gold: int  # gold events
    found: int  # gold events matched with an event sharing one of their places
    place_recall: float  # gold events' places found / gold events' places
    dated: int  # gold events that have a date
    dates_right: int  # of those, matched with an event of that date
    date_accuracy: float  # dates_right / dated
    figures: int  # whole-number figures of the gold events
    figures_right: int  # of those, given by the event matched with their gold event
    missed: list[str]  # gold events without an event of their places or date, and why


def score_events(
    gold: list[GoldEvent],
    articles: list[Article],
    events: list[Event],
    page_of: dict[str, str] | None = None,
) -> EventScores:
    """Each gold event is matched with the event, told by its article, that shares the most
    places with it (then the right date). Place recall is over the gold events' places;
    date accuracy over the gold events that have a date."""
    slug_of = {a.filename: a.slug for a in articles}
    places_right = places_total = dated = dates_right = found = figures = figures_right = 0
    missed: list[str] = []
    for item in gold:
        told = [e for e in events if slug_of.get(item.filename) in e.articles]
        wanted = {fold((page_of or {}).get(w, w)) for w in item.where}

        def fit(
            event: Event, wanted: set[str] = wanted, item: GoldEvent = item
        ) -> tuple[int, bool]:
            return (len(wanted & {fold(p.name) for p in event.places}), event.date == item.when)

        best = max(told, key=fit, default=None)
        overlap = fit(best)[0] if best else 0
        places_right += overlap
        places_total += len(wanted)
        found += overlap > 0
        figures += len(item.figures)
        if best and overlap:
            values = {f.value for a in best.accounts for f in a.figures}
            figures_right += sum(value in values for value in item.figures)
        if item.when is not None:
            dated += 1
            dates_right += bool(best and overlap and best.date == item.when)
        if not best or not overlap or (item.when and best.date != item.when):
            got = f"{best.title}" if best and overlap else "no event with its places"
            missed.append(f"{item.filename}: {item.what} ({item.when or 'sans date'}) -> {got}")
    return {
        "gold": len(gold),
        "found": found,
        "place_recall": round(places_right / places_total, 3) if places_total else 0.0,
        "dated": dated,
        "dates_right": dates_right,
        "date_accuracy": round(dates_right / dated, 3) if dated else 0.0,
        "figures": figures,
        "figures_right": figures_right,
        "missed": missed,
    }
