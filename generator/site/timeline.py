"""Timeline exports: the dossier's events as JSON and as iCalendar (RFC 5545).

Both are byte-deterministic: events in timeline order, sorted keys, no timestamp of the
build (an iCalendar DTSTAMP is required: it is the event's own start date). The .ics is
written by hand, which RFC 5545 makes short: CRLF line ends, lines folded at 75 octets,
`\\ ; ,` and newlines escaped in text values. Undated events cannot be calendar entries:
they are in the JSON only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from generator.records import (
    Account,
    Article,
    DateMention,
    Dossier,
    Entity,
    Event,
    Page,
)
from generator.site import urls
from generator.site.exports import json_bytes
from generator.site.i18n import words
from generator.site.wording import Wording

PRODID = "-//dossier//timeline//FR"


def _entity(entity: Entity) -> dict[str, Any]:
    return {"name": entity.name, "type": entity.type, "page": urls.entity_url(entity)}


def _date(date: DateMention | None) -> dict[str, Any] | None:
    if date is None:
        return None
    return {
        "text": date.text,
        "value": date.value.isoformat() if date.value else None,
        "precision": date.precision,
        "basis": date.basis,
        "inferred_from": date.inferred_from,
    }


def _account(account: Account, articles: dict[str, Article]) -> dict[str, Any]:
    article = articles.get(account.article)
    quoted = bool(account.sentences)  # a source given by hand may have no quote
    return {
        "article": account.article,
        "article_title": article.title if article else None,
        "outlet": article.outlet if article else None,
        "page": (
            urls.paragraph_url(account.article, account.paragraph)
            if quoted
            else urls.source_url(account.article)
        ),
        "paragraph": account.paragraph + 1 if quoted else None,
        "curated": account.curated,
        "sentences": account.sentences,
        "triggers": account.triggers,
        "date": _date(account.date),
        "places": [e.name for e in account.places],
        "actors": [e.name for e in account.actors],
        "figures": [
            {"kind": f.kind, "value": f.value, "unit": f.unit, "text": f.text}
            for f in account.figures
        ],
        "claimed_by": account.claimant or "article",
    }


def timeline_json(events: list[Event], articles: list[Article]) -> bytes:
    by_slug = {a.slug: a for a in articles}
    data = {
        "events": [
            {
                "slug": event.slug,
                "page": urls.event_url(event),
                "title": event.title,
                "type": event.type,
                "label": event.label,
                "origin": event.origin,
                "date": event.date.isoformat() if event.date else None,
                "end_date": event.end_date.isoformat() if event.end_date else None,
                "precision": event.precision,
                "places": [_entity(e) for e in event.places],
                "actors": [_entity(e) for e in event.actors],
                "conflicts": event.conflicts(),
                "description": event.description,
                "corrected": list(event.corrected),
                "merged_from": list(event.merged_from),
                "figures": [
                    {"kind": f.kind, "value": f.value, "unit": f.unit} for f in event.figures
                ],
                "accounts": [_account(a, by_slug) for a in event.accounts],
            }
            for event in events
        ]
    }
    return json_bytes(data)


# --- iCalendar -----------------------------------------------------------------------------


def ics_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (RFC 5545 §3.1), each as
    long as it can be without cutting a character's UTF-8 bytes apart."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    chunks: list[bytes] = []
    start, limit = 0, 75  # continuation lines start with a space: 74 octets then
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: the character starts before
            cut -= 1
        chunks.append(data[start:cut])
        start, limit = cut, 74
    chunks.append(data[start:])
    return "\r\n ".join(chunk.decode("utf-8") for chunk in chunks)


def _ics_date(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _description(event: Event, wording: Wording) -> str:
    _ = wording._
    lines = [event.description] if event.description else []
    if event.figures:
        given = ", ".join(f.text for f in event.figures)
        lines.append(_("Bilan (à la main) : %(figures)s", figures=given))
    for account in event.accounts:
        if account.curated:
            where = f" § {account.paragraph + 1}" if account.sentences else ""
            lines.append(_("%(source)s (source donnée à la main)", source=account.article + where))
            continue
        who = account.claimant or _("l'article")
        when = account.date.text if account.date else _("sans date")
        figures = ", ".join(f.text for f in account.figures)
        where = f"{account.article} § {account.paragraph + 1}"
        line = _("%(source)s (selon %(who)s, %(when)s)", source=where, who=who, when=when)
        lines.append(_("%(line)s : %(figures)s", line=line, figures=figures) if figures else line)
    for kind in event.conflicts():
        lines.append(_("Sources en désaccord : %(kind)s", kind=kind))
    return "\n".join(lines)


def timeline_ics(
    events: list[Event], calendar_name: str = "Dossier", wording: Wording | None = None
) -> str:
    """The dated events as an iCalendar, its words in `wording`'s language (French)."""
    wording = wording or Wording(words(None))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text(calendar_name)}",
    ]
    for event in events:
        if event.date is None:
            continue
        end = (event.end_date or event.date) + dt.timedelta(days=1)  # DTEND is exclusive
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.slug}@dossier",
            f"DTSTAMP:{_ics_date(event.date)}T000000Z",
            f"DTSTART;VALUE=DATE:{_ics_date(event.date)}",
            f"DTEND;VALUE=DATE:{_ics_date(end)}",
            f"SUMMARY:{ics_text(wording.event_title(event))}",
            f"CATEGORIES:{ics_text(wording.event_label(event))}",
        ]
        if event.places:
            lines.append(f"LOCATION:{ics_text(', '.join(p.name for p in event.places))}")
        precision = (
            ""
            if event.precision == "day"
            else wording._(" (précision : %(precision)s)", precision=event.precision)
        )
        description = wording.date_label(event.date, event.precision) + precision
        text = description + chr(10) + _description(event, wording)
        lines.append(f"DESCRIPTION:{ics_text(text)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def timeline_pages(
    dossier: Dossier, calendar_name: str = "Dossier", language: str | None = None
) -> list[Page]:
    """The two exports, beside the timeline page that links them; the calendar's words
    in the dossier's language (the JSON keeps the model's values)."""
    wording = Wording(words(language))
    return [
        Page(urls.TIMELINE_JSON, timeline_json(dossier.events, dossier.articles)),
        Page(urls.TIMELINE_ICS, timeline_ics(dossier.events, calendar_name, wording)),
    ]


def timeline_data(
    events: list[Event],
    title: Callable[[Event], str] = attrgetter("title"),
    label: Callable[[Event], str] = attrgetter("label"),
) -> dict[str, Any]:
    """The dated events for the axis of the timeline page (`assets/dossier/timeline.js`),
    in timeline order, titled and labelled in the dossier's language (`title`, `label`);
    the undated ones stay in the page's table only."""
    return {
        "events": [
            {
                "slug": event.slug,
                "title": title(event),
                "url": urls.event_url(event),
                "date": event.date.isoformat(),
                "end": (event.end_date or event.date).isoformat(),
                "precision": event.precision,
                "label": label(event),
                "places": [place.name for place in event.places],
                "disputed": bool(event.conflicts()),
            }
            for event in events
            if event.date is not None
        ]
    }
