"""Story: the home page's lede, what the dossier is about, in words made from the model.

Like the first lines of an encyclopaedia article: the period the articles cover and the
events they report, how many articles from how many outlets, the main events in date
order with their places and figures, the most cited people, places and organisations,
and where the sources disagree. Every name and title is article text: escaped, or
put in a link whose text `Renderer.link` escapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from markupsafe import Markup

from generator.records import Dossier, Event
from generator.site import urls
from generator.site.conflicts import conflict_lines
from generator.site.escape import md_escape
from generator.site.wording import (
    FIGURE_WORDS,
    MOST_CITED,
    count,
    event_date,
    figure_text,
    french_date,
    join_words,
    number,
)

Link = Callable[[str, object], Markup]
MAIN_EVENTS = 5
CITED_PER_TYPE = 3
CONFLICTS_SHOWN = 6


def story(dossier: Dossier, link: Link) -> dict[str, object]:
    """The values of the home page's lede (see `home.md.j2`)."""
    disputed = [e for e in dossier.events if e.slug in dossier.conflicts]
    return {
        "period": period(dossier),
        "events_span": events_span(dossier),
        "main_events": [main_event(e, link) for e in main_events(dossier)],
        "most_cited": most_cited(dossier, link),
        "disputes": [dispute(dossier, e, link) for e in disputed[:CONFLICTS_SHOWN]],
        "more_disputes": len(disputed) - CONFLICTS_SHOWN,
    }


def period(dossier: Dossier) -> Markup:
    """`**12 articles** de **3 médias**, publiés du 2 janvier 2017 au 5 mars 2017`."""
    articles = dossier.articles
    outlets = {a.outlet for a in articles if a.outlet}
    text = f"**{count(len(articles), 'article')}**"
    if outlets:
        text += f" de **{count(len(outlets), 'média')}**"
    unknown = sum(1 for a in articles if not a.outlet)
    if outlets and unknown:
        text += f" (et {count(unknown, 'article')} sans média connu)"
    dates = sorted(a.date for a in articles if a.date is not None)
    if dates:
        text += ", publiés " + date_span(dates[0], dates[-1])
    undated = len(articles) - len(dates)
    if dates and undated:
        text += f" ({count(undated, 'article')} sans date)"
    return Markup(text)


def date_span(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"le {french_date(first)}"
    return f"du {french_date(first)} au {french_date(last)}"


def events_span(dossier: Dossier) -> str | None:
    """`3 événements, du 16 février 2017 au 24 février 2017 (et 2 sans date)`."""
    events = dossier.events
    if not events:
        return None
    dates = sorted(d for e in events for d in (e.date, e.end_date) if d is not None)
    text = count(len(events), "événement")
    if dates:
        text += ", " + date_span(dates[0], dates[-1])
    undated = sum(1 for e in events if e.date is None)
    if dates and undated:
        text += f" (et {count(undated, 'autre')} sans date)"
    return text


def main_events(dossier: Dossier) -> list[Event]:
    """The dated events told by the most articles and accounts, in date order."""
    dated = [e for e in dossier.events if e.date is not None]
    ranked = sorted(dated, key=lambda e: (-len(e.articles), -len(e.accounts)))  # stable
    chosen = ranked[:MAIN_EVENTS]
    return [e for e in dossier.events if e in chosen]  # the timeline's order: by date


def main_event(event: Event, link: Link) -> Markup:
    """`**16 février 2017** — [Attentat ou attaque](…) · lieux : [Bagdad](…) · acteurs :
    [Daech](…) · 39 ou 52 morts selon les sources` (three places and actors at most)."""
    parts = [f"**{md_escape(event_date(event))}** — {link(urls.event_page(event), event.label)}"]
    for label, entities in (("lieux", event.places), ("acteurs", event.actors)):
        if entities:
            names = join_words([link(urls.entity_page(e), e.name) for e in entities[:3]])
            parts.append(f" · {label} : {names}")
    figures = figures_said(event)
    if figures:
        parts.append(f" · {md_escape(figures)}")
    return Markup("".join(parts))


def figures_said(event: Event) -> str:
    """`52 morts, 61 blessés`; `39 ou 52 morts selon les sources` when they disagree; the
    figures given by hand when there are."""
    if event.figures:
        return ", ".join(figure_text(f) for f in event.figures)
    values: dict[str, set[int]] = {}
    for account in event.accounts:
        for figure in account.figures:
            if figure.kind in FIGURE_WORDS:
                values.setdefault(figure.kind, set()).add(figure.value)
    said = []
    for kind in FIGURE_WORDS:
        found = sorted(values.get(kind, ()))
        if not found:
            continue
        words = count(found[-1], FIGURE_WORDS[kind])
        if len(found) > 1:
            words = " ou ".join(number(v) for v in found[:-1]) + f" ou {words} selon les sources"
        said.append(words)
    return ", ".join(said)


def most_cited(dossier: Dossier, link: Link) -> Markup | None:
    """`Les personnes les plus citées sont A (12 mentions) et B (8 mentions) ; les lieux
    les plus cités, …`."""
    parts = []
    for kind in urls.SECTIONS:
        ranked = sorted(dossier.entities_of(kind), key=lambda e: (-len(e.mentions), e.name))
        top = ranked[:CITED_PER_TYPE]
        if not top:
            continue
        names = join_words(
            [
                Markup(f"{link(urls.entity_page(e), e.name)} ({count(len(e.mentions), 'mention')})")
                for e in top
            ]
        )
        parts.append((MOST_CITED[kind][len(top) > 1], len(top) > 1, names))
    if not parts:
        return None
    (phrase, several, names), *others = parts
    text = f"{phrase[0].upper()}{phrase[1:]} {'sont' if several else 'est'} {names}"
    text += "".join(f" ; {phrase}, {names}" for phrase, _, names in others)
    return Markup(text + ".")


def dispute(dossier: Dossier, event: Event, link: Link) -> dict[str, object]:
    return {
        "event": link(urls.event_page(event), f"{event.label}, {event_date(event)}"),
        "lines": conflict_lines(dossier, event.slug, link),
    }
