"""Wording: the French words of the pages for dates, figures, entity types and corrections."""

from __future__ import annotations

import datetime as dt

from generator.records import MONTHS, DateMention, Event, Figure, date_label

TYPE_LABELS = {
    "person": ("Personne", "Personnes", ":material-account:"),
    "place": ("Lieu", "Lieux", ":material-map-marker:"),
    "organisation": ("Organisation", "Organisations", ":material-domain:"),
}
FIGURE_WORDS = {"killed": "morts", "injured": "blessés", "displaced": "déplacés"}
CORRECTED_FIELDS = {
    "title": "le titre",
    "kind": "le type",
    "date": "la date",
    "places": "les lieux",
    "actors": "les acteurs",
    "figures": "le bilan",
    "description": "la description",
    "sources": "des sources",
}
_BASIS = {
    "explicit": "",
    "publication": " (d'après la date de publication de l'article)",
    "inferred": " (année tirée de « {source} », date complète du même article)",
    "unresolved": " (non résolue : l'article n'a pas de date qui permette de la lire)",
}


def french_date(value: dt.date | None) -> str:
    if value is None:
        return "date inconnue"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def month_label(year: int, month: int) -> str:
    """`février 2017`: the heading of a month of the timeline."""
    return f"{MONTHS[month - 1]} {year}"


def event_date(event: Event) -> str:
    """When an event happened, as precisely as the sources say: a day, a range, a month."""
    if event.date is None:
        return "date inconnue"
    start = date_label(event.date, event.precision)
    if event.end_date is None or event.end_date == event.date or event.precision != "day":
        return start
    return f"du {start} au {date_label(event.end_date, 'day')}"


def figure_text(figure: Figure) -> str:
    """A figure given by hand: `52 morts`, `30 km²`."""
    return f"{figure.value} {FIGURE_WORDS.get(figure.kind, figure.unit)}"


def curation_note(event: Event) -> str | None:
    """What the corrections file did to an event, for its card (None: nothing)."""
    notes = []
    if event.origin == "curated":
        notes.append("ajouté à la main (fichier de corrections)")
    if event.merged_from:
        notes.append(f"réunit {len(event.merged_from)} événements trouvés séparément")
    if event.corrected:
        fields = ", ".join(CORRECTED_FIELDS[f] for f in event.corrected)
        notes.append(f"corrigé à la main : {fields}")
    return " ; ".join(notes) or None


def mention_date(date: DateMention | None) -> str:
    """A date as an account gives it: the value, the wording and how it was read."""
    if date is None:
        return "pas de date dans ce récit"
    note = _BASIS[date.basis].format(source=date.inferred_from)
    if date.value is None:
        return f"« {date.text} »{note}"
    return f"{date_label(date.value, date.precision)} (« {date.text} »){note}"
