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
from generator.site.i18n import N_
from generator.site.wording import FIGURE_WORDS, MOST_CITED, Wording

Link = Callable[[str, object], Markup]
MAIN_EVENTS = 5
CITED_PER_TYPE = 3
CONFLICTS_SHOWN = 6


def story(dossier: Dossier, link: Link, wording: Wording) -> dict[str, object]:
    """The values of the home page's lede (see `home.md.j2`), in `wording`'s language."""
    disputed = [e for e in dossier.events if e.slug in dossier.conflicts]
    return {
        "period": period(dossier, wording),
        "events_span": events_span(dossier, wording),
        "main_events": [main_event(e, link, wording) for e in main_events(dossier)],
        "most_cited": most_cited(dossier, link, wording),
        "disputes": [dispute(dossier, e, link, wording) for e in disputed[:CONFLICTS_SHOWN]],
        "more_disputes": len(disputed) - CONFLICTS_SHOWN,
    }


def period(dossier: Dossier, wording: Wording) -> Markup:
    """`**12 articles** de **3 médias**, publiés du 2 janvier 2017 au 5 mars 2017`."""
    _, n_ = wording._, wording.n_
    articles = dossier.articles
    outlets = {a.outlet for a in articles if a.outlet}
    text = "**" + n_("%(num)s article", "%(num)s articles", len(articles)) + "**"
    if outlets:
        text += _(
            " de **%(outlets)s**", outlets=n_("%(num)s média", "%(num)s médias", len(outlets))
        )
    unknown = sum(1 for a in articles if not a.outlet)
    if outlets and unknown:
        text += n_(
            " (et %(num)s article sans média connu)",
            " (et %(num)s articles sans média connu)",
            unknown,
        )
    dates = sorted(a.date for a in articles if a.date is not None)
    if dates:
        text += n_(
            ", publié %(span)s",
            ", publiés %(span)s",
            len(articles),
            span=date_span(dates[0], dates[-1], wording),
        )
    undated = len(articles) - len(dates)
    if dates and undated:
        text += n_(" (%(num)s article sans date)", " (%(num)s articles sans date)", undated)
    return Markup(text)


def date_span(first: dt.date, last: dt.date, wording: Wording) -> str:
    if first == last:
        return wording._("le %(date)s", date=wording.date(first))
    return wording.date_range(first, last)


def events_span(dossier: Dossier, wording: Wording) -> str | None:
    """`3 événements, du 16 février 2017 au 24 février 2017 (et 2 sans date)`."""
    events = dossier.events
    if not events:
        return None
    dates = sorted(d for e in events for d in (e.date, e.end_date) if d is not None)
    text = wording.n_("%(num)s événement", "%(num)s événements", len(events))
    if dates:
        text += ", " + date_span(dates[0], dates[-1], wording)
    undated = sum(1 for e in events if e.date is None)
    if dates and undated:
        text += wording.n_(
            " (et %(num)s autre sans date)", " (et %(num)s autres sans date)", undated
        )
    return text


def main_events(dossier: Dossier) -> list[Event]:
    """The dated events told by the most articles and accounts, in date order."""
    dated = [e for e in dossier.events if e.date is not None]
    ranked = sorted(dated, key=lambda e: (-len(e.articles), -len(e.accounts)))  # stable
    chosen = ranked[:MAIN_EVENTS]
    return [e for e in dossier.events if e in chosen]  # the timeline's order: by date


def main_event(event: Event, link: Link, wording: Wording) -> Markup:
    """`**16 février 2017** — [Attentat ou attaque](…) · lieux : [Bagdad](…) · acteurs :
    [Daech](…) · 39 ou 52 morts selon les sources` (three places and actors at most)."""
    when = md_escape(wording.event_date(event))
    parts = [f"**{when}** — {link(urls.event_page(event), wording.event_label(event))}"]
    labels = (N_("lieux : %(names)s"), N_("acteurs : %(names)s"))
    for label, entities in zip(labels, (event.places, event.actors), strict=True):
        if entities:
            names = wording.join_words([link(urls.entity_page(e), e.name) for e in entities[:3]])
            parts.append(" · " + wording._(label, names=names))
    figures = figures_said(event, wording)
    if figures:
        parts.append(f" · {md_escape(figures)}")
    return Markup("".join(parts))


def figures_said(event: Event, wording: Wording) -> str:
    """`52 morts, 61 blessés`; `39 ou 52 morts selon les sources` when they disagree; the
    figures given by hand when there are."""
    if event.figures:
        return ", ".join(wording.figure_text(f) for f in event.figures)
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
        words = wording.n_(*FIGURE_WORDS[kind], found[-1])
        if len(found) > 1:
            others = wording._(" ou ").join(wording.words.number(v) for v in found[:-1])
            words = wording._("%(others)s ou %(last)s selon les sources", others=others, last=words)
        said.append(words)
    return ", ".join(said)


def most_cited(dossier: Dossier, link: Link, wording: Wording) -> Markup | None:
    """`Les personnes les plus citées sont A (12 mentions) et B (8 mentions) ; les lieux
    les plus cités, …`."""
    parts = []
    for kind in urls.SECTIONS:
        ranked = sorted(dossier.entities_of(kind), key=lambda e: (-len(e.mentions), e.name))
        top = ranked[:CITED_PER_TYPE]
        if not top:
            continue
        names = wording.join_words(
            [
                Markup(
                    f"{link(urls.entity_page(e), e.name)} "
                    + wording.n_("(%(num)s mention)", "(%(num)s mentions)", len(e.mentions))
                )
                for e in top
            ]
        )
        parts.append((wording._(MOST_CITED[kind][len(top) > 1]), len(top) > 1, names))
    if not parts:
        return None
    (phrase, several, names), *others = parts
    first = N_("%(who)s sont %(names)s") if several else N_("%(who)s est %(names)s")
    text = wording._(first, who=phrase[0].upper() + phrase[1:], names=names)
    text += "".join(
        wording._(" ; %(who)s, %(names)s", who=phrase, names=names)
        for phrase, _several, names in others
    )
    return Markup(text + ".")


def dispute(dossier: Dossier, event: Event, link: Link, wording: Wording) -> dict[str, object]:
    return {
        "event": link(
            urls.event_page(event), f"{wording.event_label(event)}, {wording.event_date(event)}"
        ),
        "lines": conflict_lines(dossier, event.slug, link, wording),
    }
