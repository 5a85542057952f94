"""Wording: the French words of the pages for dates, figures, entity types and corrections."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from generator.records import MONTHS, DateMention, Event, Figure, date_label

TYPE_LABELS = {
    "person": ("Personne", "Personnes", ":material-account:"),
    "place": ("Lieu", "Lieux", ":material-map-marker:"),
    "organisation": ("Organisation", "Organisations", ":material-domain:"),
}
MOST_CITED = {  # (one, several)
    "person": ("la personne la plus citée", "les personnes les plus citées"),
    "place": ("le lieu le plus cité", "les lieux les plus cités"),
    "organisation": ("l'organisation la plus citée", "les organisations les plus citées"),
}
FIGURE_WORDS = {"killed": "mort", "injured": "blessé", "displaced": "déplacé"}
FIGURE_FIELDS = {
    "date": "la date",
    "place": "le lieu",
    "killed": "le nombre de morts",
    "injured": "le nombre de blessés",
    "displaced": "le nombre de déplacés",
    "area": "la surface",
}
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


def number(value: int) -> str:
    """`7`, `1 234`: French digit groups, with a narrow no-break space."""
    return f"{value:,}".replace(",", "\u202f")


def plural(words: str) -> str:
    """The French plural of the words of the pages, word by word: `article` ->
    `articles`, `lieu localisé` -> `lieux localisés`; a word that ends in s, x or z
    stays. Words that do not agree (`en commun`) need their plural given."""
    return " ".join(plural_word(word) for word in words.split(" "))


def plural_word(word: str) -> str:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith(("au", "eu")):
        return word + "x"
    return word + "s"


def count(value: int, singular: str, plural_form: str | None = None) -> str:
    """`1 article`, `2 articles`, `0 mort`: French agreement, singular below 2."""
    word = singular if abs(value) < 2 else (plural_form or plural(singular))
    return f"{number(value)} {word}"


def join_words(items: list[Markup]) -> Markup:
    """`A`, `A et B`, `A, B et C`, of links or other markup already escaped."""
    if len(items) < 2:
        return Markup("").join(items)
    return Markup(", ").join(items[:-1]) + Markup(" et ") + items[-1]


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
    """A figure given by hand: `52 morts`, `1 mort`, `30 km²`."""
    if figure.kind in FIGURE_WORDS:
        return count(figure.value, FIGURE_WORDS[figure.kind])
    return f"{number(figure.value)} {figure.unit}"


def curation_note(event: Event) -> str | None:
    """What the corrections file did to an event, for its card (None: nothing)."""
    notes = []
    if event.origin == "curated":
        notes.append("ajouté à la main (fichier de corrections)")
    if event.merged_from:
        found = count(len(event.merged_from), "événement trouvé", "événements trouvés")
        notes.append(f"réunit {found} séparément")
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
