"""Wording: the words of the pages for dates, figures, entity types and corrections, in
the dossier's language (`Wording(words(language))`; see `i18n`)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from generator.events.naming import event_title
from generator.records import Claim, DateMention, Event, Figure
from generator.site.i18n import N_, Nn_, Words
from generator.site.urls import Period

TYPE_LABELS = {  # (one, several, icon)
    "person": (N_("Personne"), N_("Personnes"), ":material-account:"),
    "place": (N_("Lieu"), N_("Lieux"), ":material-map-marker:"),
    "organisation": (N_("Organisation"), N_("Organisations"), ":material-domain:"),
}
MOST_CITED = {  # (one, several)
    "person": (N_("la personne la plus citée"), N_("les personnes les plus citées")),
    "place": (N_("le lieu le plus cité"), N_("les lieux les plus cités")),
    "organisation": (
        N_("l'organisation la plus citée"),
        N_("les organisations les plus citées"),
    ),
}
FIGURE_WORDS = {
    "killed": Nn_("%(num)s mort", "%(num)s morts"),
    "injured": Nn_("%(num)s blessé", "%(num)s blessés"),
    "displaced": Nn_("%(num)s déplacé", "%(num)s déplacés"),
}
FIGURE_FIELDS = {
    "date": N_("la date"),
    "place": N_("le lieu"),
    "killed": N_("le nombre de morts"),
    "injured": N_("le nombre de blessés"),
    "displaced": N_("le nombre de déplacés"),
    "area": N_("la surface"),
}
CORRECTED_FIELDS = {
    "title": N_("le titre"),
    "kind": N_("le type"),
    "date": N_("la date"),
    "places": N_("les lieux"),
    "actors": N_("les acteurs"),
    "figures": N_("le bilan"),
    "description": N_("la description"),
    "sources": N_("des sources"),
}
SECTION_COUNTS = {  # the first line of a section's index
    "person": Nn_(
        "%(num)s personne dans ce dossier, par nombre de mentions décroissant.",
        "%(num)s personnes dans ce dossier, par nombre de mentions décroissant.",
    ),
    "place": Nn_(
        "%(num)s lieu dans ce dossier, par nombre de mentions décroissant.",
        "%(num)s lieux dans ce dossier, par nombre de mentions décroissant.",
    ),
    "organisation": Nn_(
        "%(num)s organisation dans ce dossier, par nombre de mentions décroissant.",
        "%(num)s organisations dans ce dossier, par nombre de mentions décroissant.",
    ),
}
_BASIS = {
    "explicit": "",
    "publication": N_(" (d'après la date de publication de l'article)"),
    "inferred": N_(" (année tirée de « %(source)s », date complète du même article)"),
    "unresolved": N_(" (non résolue : l'article n'a pas de date qui permette de la lire)"),
}


class Wording:
    """The pages' words for dates, figures, types and corrections in one language."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self._ = words._
        self.n_ = words.n_

    def type_labels(self) -> dict[str, tuple[str, str, str]]:
        """Each entity type's (one, several, icon), translated."""
        return {
            k: (self._(one), self._(many), icon) for k, (one, many, icon) in TYPE_LABELS.items()
        }

    def join_words(self, items: list[Markup]) -> Markup:
        """`A`, `A et B`, `A, B et C`, of links or other markup already escaped."""
        if len(items) < 2:
            return Markup("").join(items)
        return Markup(", ").join(items[:-1]) + Markup(self._(" et ")) + items[-1]

    def date(self, value: dt.date | None) -> str:
        """`1er février 2017`, `1 February 2017`."""
        if value is None:
            return self._("date inconnue")
        return self._(
            "%(day)s %(month)s %(year)s",
            day=self.day(value),
            month=self.words.month(value.month),
            year=value.year,
        )

    def day(self, value: dt.date) -> str:
        return self._("1er") if value.day == 1 else str(value.day)

    def date_range(self, start: dt.date, end: dt.date) -> str:
        """`du 2 février 2017 au 4 février 2017`; English shortens a range within one month
        (`from 2 to 4 February 2017`), hence its own message."""
        values = {"start": self.date(start), "end": self.date(end), "day": self.day(start)}
        if (start.year, start.month) == (end.year, end.month):
            return self.words.p_("même mois", "du %(start)s au %(end)s", **values)
        return self._("du %(start)s au %(end)s", **values)

    def month_label(self, year: int, month: int) -> str:
        """`février 2017`: the heading of a month of the timeline."""
        return self._("%(month)s %(year)s", month=self.words.month(month), year=year)

    def period_label(self, period: Period) -> str:
        """`2017`, `mars 2017` or `sans date`: the heading of a period's page of a split
        list."""
        year, month = period
        if year is None:
            return self._("sans date")
        return str(year) if month is None else self.month_label(year, month)

    def date_label(self, value: dt.date | None, precision: str) -> str:
        """A date as precise as it is known: a day, a month or a year."""
        if value is None:
            return self._("date inconnue")
        if precision == "year":
            return str(value.year)
        if precision == "month":
            return self.month_label(value.year, value.month)
        return self.date(value)

    def event_date(self, event: Event) -> str:
        """When an event happened, as precisely as the sources say: a day, a range, a month."""
        if event.date is None:
            return self._("date inconnue")
        start = self.date_label(event.date, event.precision)
        if event.end_date is None or event.end_date == event.date or event.precision != "day":
            return start
        return self.date_range(event.date, event.end_date)

    def event_label(self, event: Event) -> str:
        """The event's type (`Attentat ou attaque`; the labels of generator/data/events.yml
        are in the catalog)."""
        return self._(event.label)

    def event_title(self, event: Event) -> str:
        """The title the events stage made, in this language (`Attack — Baghdad (16
        February 2017)`); a title given by hand stays as written."""
        if event.title != event_title(event):
            return event.title
        where = ", ".join(p.name for p in event.places[:3])
        title = f"{self.event_label(event)} — {where}" if where else self.event_label(event)
        if event.date is not None:
            title += f" ({self.date_label(event.date, event.precision)})"
        return title

    def claim_value(self, kind: str, claim: Claim) -> str:
        """A claim's value as shown: a date in this language, a figure as given."""
        if kind == "date" and claim.precision:
            return self.date_label(claim.date, claim.precision)
        amount, _, unit = claim.value.partition(" ")  # `52 personnes`: Figure.shown
        return self.figure_value(amount, unit)

    def figure_value(self, amount: object, unit: str) -> str:
        """`52 personnes`, `52 people`; a unit as written (`km`) stays."""
        return f"{amount} {self._(unit)}" if unit else str(amount)

    def figure_text(self, figure: Figure) -> str:
        """A figure given by hand: `52 morts`, `1 mort`, `30 km²`."""
        if figure.kind in FIGURE_WORDS:
            return self.n_(*FIGURE_WORDS[figure.kind], figure.value)
        return f"{self.words.number(figure.value)} {figure.unit}"

    def curation_note(self, event: Event) -> str | None:
        """What the corrections file did to an event, for its card (None: nothing)."""
        notes = []
        if event.origin == "curated":
            notes.append(self._("ajouté à la main (fichier de corrections)"))
        if event.merged_from:
            notes.append(
                self.n_(
                    "réunit %(num)s événement trouvé séparément",
                    "réunit %(num)s événements trouvés séparément",
                    len(event.merged_from),
                )
            )
        if event.corrected:
            fields = ", ".join(self._(CORRECTED_FIELDS[f]) for f in event.corrected)
            notes.append(self._("corrigé à la main : %(fields)s", fields=fields))
        return self._(" ; ").join(notes) or None

    def mention_date(self, date: DateMention | None) -> str:
        """A date as an account gives it: the value, the wording and how it was read."""
        if date is None:
            return self._("pas de date dans ce récit")
        basis = _BASIS[date.basis]
        note = self._(basis, source=date.inferred_from) if basis else ""
        quoted = self.quoted(date.text)
        if date.value is None:
            return f"{quoted}{note}"
        return f"{self.date_label(date.value, date.precision)} ({quoted}){note}"

    def quoted(self, text: str) -> str:
        """`« text »` in French, `“text”` in English."""
        return self._("« %(text)s »", text=text)
