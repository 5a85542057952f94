"""Render: turn the dossier into Markdown pages with the Jinja2 templates of `site_templates/`.

`Renderer` builds each page's context: the values the templates print (escaped by the
environment, see `templating`) and the links and marked quotes it makes itself, as
`Markup`. Every page path comes from `urls`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.records import (
    FIGURE_KINDS,
    Account,
    Article,
    Dossier,
    Entity,
    Event,
    LinkedMention,
    Mention,
    Page,
)
from generator.site import urls
from generator.site.conflicts import conflict_lines
from generator.site.entity_facts import (
    RELATED,
    Facts,
    Part,
    SentenceEvents,
    by_period,
    entity_facts,
    event_place_date,
    events_by_sentence,
    newest_events,
    oldest_period_first,
    split_by_year,
)
from generator.site.escape import escape_keep_spaces, md_escape, md_escape_start
from generator.site.i18n import words
from generator.site.inputs import Kept, NothingKept, PageInputs, code_digest, template_digests
from generator.site.story import story
from generator.site.templating import make_environment
from generator.site.urls import Period
from generator.site.wording import SECTION_COUNTS, Wording

# Pages made from the whole dossier (counts, lists of everything): always rendered.
WHOLE_DOSSIER = frozenset(
    {"home.md.j2", "section.md.j2", "sources_index.md.j2", "timeline.md.j2"}
    | {"map.md.j2", "network.md.j2"}
)
# From this many events, the timeline is a page per year, a year of as many a page per
# month (see `Renderer.timeline_pages`).
TIMELINE_BY_YEAR_FROM = 200
# From this many articles, the sources' index is a page per year, a year of as many a
# page per month (`Renderer.sources_pages`).
SOURCES_BY_YEAR_FROM = 100
# Places and actors named in an event's card, the others listed below it: Markdown's
# inline processing is quadratic in a line's length (a card row of 600 links took 2.5 s).
CARD_NAMES = 10


class Renderer:
    def __init__(
        self,
        dossier: Dossier,
        templates: Path,
        site_title: str = "Dossier",
        search_lead: int | None = None,
        language: str | None = None,
        kept: Kept | None = None,
    ) -> None:
        self.dossier = dossier
        self.site_title = site_title
        self.wording = Wording(words(language))  # the dossier's language
        self._ = self.wording.words._
        self.env = make_environment(templates, self.wording)
        self.search_lead = search_lead  # paragraphs of each source in the search index
        self.kept = kept or NothingKept()  # see site/inputs.py
        self.templates = template_digests(self.env)
        language_code = self.wording.words.language
        common = "\0".join([code_digest(), repr(site_title), repr(search_lead), language_code])
        self.inputs = PageInputs(dossier.article_by_slug, common)

    def pages(self) -> list[Page]:
        return sorted((page for part in self.parts(1) for page in part()), key=lambda p: p.path)

    def parts(self, count: int) -> list[Callable[[], list[Page]]]:
        """The pages in independent parts (each a list of pages, in no order): those made
        from the whole dossier, then `count` shares of the records' pages."""
        shares = [partial(self.records_pages, share, count) for share in range(count)]
        return [self.whole_dossier_pages, *shares]

    def whole_dossier_pages(self) -> list[Page]:
        sections = [self.section_index(kind) for kind in urls.SECTIONS]
        return [self.home(), *sections, *self.sources_pages(), *self.timeline_pages()]

    def records_pages(self, share: int, count: int) -> list[Page]:
        """The pages of every `count`-th entity, source and event from the `share`-th."""
        entities = [e for kind in urls.SECTIONS for e in self.dossier.entities_of(kind)]
        pages = [page for e in entities[share::count] for page in self.entity_pages(e)]
        pages += [self.source_page(a) for a in self.dossier.articles[share::count]]
        pages += [self.event_page(e) for e in self.dossier.events[share::count]]
        return pages

    def _render(
        self, template: str, path: str, inputs: str | None = None, **context: object
    ) -> Page:
        """The page, or the page kept as it is when its inputs did not change; `inputs`:
        the page's digest, when `_render_from` took it."""
        if inputs is None and template not in WHOLE_DOSSIER:
            inputs = self.inputs.digest(self.templates[template], path, context)
            if self.kept(path, inputs):
                return Page(path, "", inputs, kept=True)
        context.setdefault("link", lambda target, text: self.link(target, text, path))
        text = self.env.get_template(template).render(
            page_path=path,
            dossier=self.dossier,
            labels=self.wording.type_labels(),
            SECTION_COUNTS=SECTION_COUNTS,
            site_title=self.site_title,
            compact_search=self.search_lead is not None,  # a large dossier: see build.py
            **context,
        )
        return Page(path, text, inputs)

    def _render_from(
        self,
        template: str,
        path: str,
        made_from: dict[str, object],
        context: Callable[[], dict[str, Any]],
    ) -> Page:
        """A page whose context is made from the records of `made_from` alone (and its
        path): digested from them, its `context` made only when the page is rendered
        (the linked paragraphs of every source and the accounts of every event, made to
        be digested and kept, took 15 s of CPU at 10,000 articles)."""
        inputs = self.inputs.digest(self.templates[template], path, made_from)
        if self.kept(path, inputs):
            return Page(path, "", inputs, kept=True)
        return self._render(template, path, inputs=inputs, **context())

    def link(self, target: str, text: object, from_page: str, classes: str = "") -> Markup:
        attrs = f"{{ {classes} }}" if classes else ""
        return Markup(f"[{md_escape(text)}]({urls.relative_link(target, from_page)}){attrs}")

    def home(self) -> Page:
        lede = story(
            self.dossier, lambda target, text: self.link(target, text, urls.HOME), self.wording
        )
        return self._render("home.md.j2", urls.HOME, sections=urls.SECTIONS, story=lede)

    def section_index(self, kind: str) -> Page:
        path = urls.section_index(kind)
        entities = sorted(self.dossier.entities_of(kind), key=lambda e: (-len(e.mentions), e.name))
        return self._render("section.md.j2", path, kind=kind, entities=entities)

    def entity_pages(self, entity: Entity) -> list[Page]:
        """An entity's page, and the page of all its mentions when its own shows some
        (split by year when they are many). When nothing they are made from changed,
        they are all kept, their facts not even grouped (which, with digesting their
        contexts, took 29 s of CPU at 10,000 articles); else each one is rendered
        unless its own inputs did not change (a year of mentions, say)."""
        path = urls.entity_page(entity)
        inputs = self.entity_inputs(entity, path)
        if self.kept(path, inputs):
            others = self.kept.under(urls.entity_folder(entity))
            if others is not None:
                return [Page(path, "", inputs, kept=True)] + [
                    Page(other, "", kept=True) for other in others
                ]
        facts = entity_facts(self.dossier, entity, self.events_by_sentence)
        page = self.entity_page(entity, facts, inputs)
        return [page, *self.entity_mentions_pages(entity, facts)] if facts.capped else [page]

    @cached_property
    def events_by_sentence(self) -> SentenceEvents:
        return events_by_sentence(self.dossier.events)

    def entity_inputs(self, entity: Entity, path: str) -> str:
        """What every page of an entity is made from: the entity, its events (the
        accounts group its mentions; the articles they cite date them) and its related
        entities."""
        templates = self.templates["entity.md.j2"] + self.templates["entity_mentions.md.j2"]
        events = self.dossier.events_of(entity)
        made_from = {
            "entity": entity,
            "events": [self.inputs.event_with_sources(e) for e in events],
            "related": self.dossier.related.get(path, [])[:RELATED],
        }
        return self.inputs.digest(templates, path, made_from)

    def entity_page(self, entity: Entity, facts: Facts, inputs: str) -> Page:
        path = urls.entity_page(entity)
        first, last = self.dossier.seen_dates(entity)
        return self._render(
            "entity.md.j2",
            path,
            inputs,
            entity=entity,
            kind=entity.type,
            facts=facts,
            quote=lambda mention: self.quote(mention, path),
            all_mentions=urls.entity_mentions_page(entity) if facts.capped else None,
            sources=self.dossier.sources_of(entity),
            related=self.dossier.related.get(path, [])[:RELATED],
            first_seen=first,
            last_seen=last,
        )

    def entity_mentions_pages(self, entity: Entity, facts: Facts) -> list[Page]:
        """Every mention of an entity, by article, newest first: what its page caps; on
        one page, or on a page per year (a busy year's per month) and an index of them."""
        path = urls.entity_mentions_page(entity)
        events = newest_events(self.dossier.events_of(entity))
        if not split_by_year(facts):
            everything = Part((None, None), facts.all_articles, events, len(entity.mentions))
            return [self.mentions_page(entity, everything, path)]
        parts = by_period(self.dossier, entity, facts, events)
        index = self._render(
            "entity_mentions.md.j2",
            path,
            name=entity.name,
            kind=entity.type,
            entity_page=urls.entity_page(entity),
            mention_count=len(entity.mentions),
            article_count=len(facts.all_articles),
            periods=[self.period_row(entity, part) for part in parts],
            period=None,
        )
        pages = [
            self.mentions_page(entity, part, urls.entity_mentions_period_page(entity, part.period))
            for part in parts
        ]
        return [index, *pages]

    def mentions_page(self, entity: Entity, part: Part, path: str) -> Page:
        """The mentions of an entity in the articles and events of `part`: all of them
        (on the entity's page of all mentions), or one period's. The entity counts by its
        name and type only: a period's page changes with that period's mentions."""
        split = path != urls.entity_mentions_page(entity)
        return self._render(
            "entity_mentions.md.j2",
            path,
            name=entity.name,
            kind=entity.type,
            entity_page=urls.entity_page(entity),
            mentions_index=urls.entity_mentions_page(entity) if split else None,
            period=self.wording.period_label(part.period) if split else None,
            mention_count=part.mentions,
            article_count=len(part.groups),
            groups=part.groups,
            quote=lambda mention: self.quote(mention, path),
            events=part.events,
            periods=None,
        )

    def period_row(self, entity: Entity, part: Part) -> dict[str, object]:
        return {
            "label": self.wording.period_label(part.period),
            "path": urls.entity_mentions_period_page(entity, part.period),
            "mentions": part.mentions,
            "articles": len(part.groups),
            "events": len(part.events),
        }

    def quote(self, mention: Mention, from_page: str) -> dict[str, Any]:
        """The sentence of a mention with the mention marked (a long sentence cut around
        it), and a link to its paragraph."""
        article = self.dossier.article_by_slug[mention.article]
        start = mention.start - mention.sentence_start
        end = mention.end - mention.sentence_start
        sentence = mention.sentence
        if not (0 <= start < end <= len(sentence)) or sentence[start:end] != mention.text:
            start = sentence.find(mention.text)
            end = start + len(mention.text)
        before, marked_text, after = cut_around(sentence, start, end)
        if start >= 0:
            marked = Markup(
                md_escape_start(
                    escape_keep_spaces(before)
                    + "<mark>"
                    + escape_keep_spaces(marked_text)
                    + "</mark>"
                    + escape_keep_spaces(after)
                )
            )
        else:
            marked = Markup(md_escape(before + marked_text + after))
        target = urls.paragraph_page(article.slug, mention.paragraph)
        return {
            "sentence": marked,
            "article": article,
            "paragraph": mention.paragraph + 1,
            "href": Markup(urls.relative_link(target, from_page)),
        }

    # --- events ---------------------------------------------------------------------------

    def event_page(self, event: Event) -> Page:
        """Made from the event (its conflicts too) and the articles of its accounts."""
        path = urls.event_page(event)
        articles = [self.dossier.article_by_slug[slug] for slug in event.articles]

        def context() -> dict[str, Any]:
            return {
                "event": event,
                "accounts": [self.account(a, path) for a in event.accounts],
                "claims": self.claims(event, path),
                "conflicts": event.conflicts(),
                "disputes": conflict_lines(
                    self.dossier, event.slug, lambda t, x: self.link(t, x, path), self.wording
                ),
                "curation": self.wording.curation_note(event),
                "figures": " · ".join(self.wording.figure_text(f) for f in event.figures),
                "card_limit": CARD_NAMES,
            }

        return self._render_from(
            "event.md.j2", path, {"event": event, "articles": articles}, context
        )

    def account(self, account: Account, from_page: str) -> dict[str, Any]:
        article = self.dossier.article_by_slug[account.article]
        target = urls.paragraph_page(article.slug, account.paragraph)
        if account.curated and not account.sentences:  # a whole article, no quote
            target = urls.source_page(article.slug)
        return {
            "account": account,
            "article": article,
            "paragraph": account.paragraph + 1,
            "href": Markup(urls.relative_link(target, from_page)),
            "claimant": self.claimant(account.claimant, account.claimant_entity, from_page),
        }

    def claimant(self, name: str | None, entity: Entity | None, from_page: str) -> Markup:
        if entity is not None:
            named = self.link(urls.entity_page(entity), entity.name, from_page)
            return Markup(self._("%(name)s (cité)", name=named))
        if name is not None:
            return Markup(self._("%(name)s (cité)", name=md_escape(name)))
        return Markup(self._("l'article"))

    def claims(self, event: Event, from_page: str) -> list[dict[str, Any]]:
        """Every figure and date claim, grouped by what it is about, never merged; the
        values given by hand first."""
        rows = self.curated_claims(event)
        groups = [("date", event.date_claims()), *event.figure_claims().items()]
        for kind, claims in groups:
            for claim in claims:
                article = self.dossier.article_by_slug[claim.article]
                target = urls.paragraph_page(article.slug, claim.paragraph)
                rows.append(
                    {
                        "kind": kind,
                        "value": self.wording.claim_value(kind, claim),
                        "by": self.claimant(claim.claimant, claim.claimant_entity, from_page),
                        "wording": Markup(self.wording.quoted(md_escape(claim.wording))),
                        "link": self.link(
                            target, f"{article.title} § {claim.paragraph + 1}", from_page
                        ),
                    }
                )
        order = ["date", *FIGURE_KINDS]
        return sorted(rows, key=lambda row: order.index(row["kind"]))  # stable: by hand first

    def curated_claims(self, event: Event) -> list[dict[str, Any]]:
        """The date and figures given in the corrections file: the headline values."""
        by_hand = {
            "by": Markup(self._("la correction à la main")),
            "wording": "—",
            "link": Markup(self._("fichier de corrections")),
        }
        rows: list[dict[str, Any]] = []
        if (event.origin == "curated" and event.date) or "date" in event.corrected:
            rows.append({"kind": "date", "value": self.wording.event_date(event), **by_hand})
        for figure in event.figures:
            value = self.wording.figure_value(figure.value, figure.unit)
            rows.append({"kind": figure.kind, "value": value, **by_hand})
        return rows

    def timeline_pages(self) -> list[Page]:
        """The events by month, the undated ones last: on one page, or, from
        `TIMELINE_BY_YEAR_FROM` events, on a page per year and per month of a year of as
        many (an undated event in the period of its first source), the timeline's page
        listing the periods."""
        events = self.dossier.events
        if len(events) < TIMELINE_BY_YEAR_FROM:
            months, undated = self.by_month(events)
            return [self.timeline_page(urls.TIMELINE_INDEX, months=months, undated=undated)]
        periods = oldest_period_first(
            events, lambda event: event_place_date(event, self.dossier), TIMELINE_BY_YEAR_FROM
        )
        rows = self.period_rows(periods, urls.timeline_period_page, "events")
        pages = [self.timeline_page(urls.TIMELINE_INDEX, periods=rows)]
        for period, in_period in periods:
            months, undated = self.by_month(in_period)
            year, month = period
            pages.append(
                self.timeline_page(
                    urls.timeline_period_page(period),
                    period=self.wording.period_label(period),
                    count=len(in_period),
                    by_first_source=None if year is None else "month" if month else "year",
                    months=months,
                    undated=undated,
                )
            )
        return pages

    def period_rows(
        self, periods: list[tuple[Period, list[Any]]], page: Callable[[Period], str], counted: str
    ) -> list[dict[str, object]]:
        """The rows of a split list's index: each period's label, page and count of
        items (under the name `counted`)."""
        return [
            {"label": self.wording.period_label(period), "path": page(period), counted: len(items)}
            for period, items in periods
        ]

    def timeline_page(self, path: str, **context: Any) -> Page:
        """The timeline's page (its `periods`, or its `months` and `undated` events), or a
        period's (`period`)."""
        defaults: dict[str, Any] = {"periods": None, "period": None, "count": 0}
        defaults |= {"months": [], "undated": [], "by_first_source": None}
        return self._render("timeline.md.j2", path, **{**defaults, **context})

    def by_month(self, events: list[Event]) -> tuple[list[tuple[str, list[Event]]], list[Event]]:
        """The dated events by month (each month's label), in order; the undated ones."""
        months: dict[tuple[int, int], list[Event]] = {}
        undated: list[Event] = []
        for event in events:
            if event.date is None:
                undated.append(event)
            else:
                months.setdefault((event.date.year, event.date.month), []).append(event)
        grouped = [
            (self.wording.month_label(year, month), items)
            for (year, month), items in sorted(months.items())
        ]
        return grouped, undated

    def sources_pages(self) -> list[Page]:
        """The sources from the oldest, the undated ones last: on one page, or, from
        `SOURCES_BY_YEAR_FROM` articles, on a page per year and per month of a year of as
        many, the sources' page listing the periods (a new article changes its period's
        page only, not a table of all)."""
        articles = sorted(
            self.dossier.articles,
            key=lambda a: (a.date is None, (a.date or dt.date.min).toordinal(), a.title),
        )
        counts = {a.slug: len(self.dossier.mentions_by_article.get(a.slug, [])) for a in articles}
        if len(articles) < SOURCES_BY_YEAR_FROM:
            return [self.sources_page(urls.SOURCES_INDEX, articles=articles, counts=counts)]
        periods = oldest_period_first(articles, lambda a: a.date, SOURCES_BY_YEAR_FROM)
        rows = self.period_rows(periods, urls.sources_period_page, "articles")
        pages = [self.sources_page(urls.SOURCES_INDEX, articles=articles, periods=rows)]
        for period, in_period in periods:
            label = self.wording.period_label(period)
            path = urls.sources_period_page(period)
            pages.append(self.sources_page(path, articles=in_period, counts=counts, period=label))
        return pages

    def sources_page(self, path: str, **context: Any) -> Page:
        """The sources' page (its `periods`, or its `articles`' table), or a period's
        (`period`)."""
        defaults: dict[str, Any] = {"periods": None, "period": None, "counts": {}}
        return self._render("sources_index.md.j2", path, **{**defaults, **context})

    def source_page(self, article: Article) -> Page:
        """Made from the article and its mentions (with what a link to their entity
        prints)."""
        path = urls.source_page(article.slug)
        mentions = self.dossier.mentions_by_article.get(article.slug, [])

        def context() -> dict[str, Any]:
            by_paragraph: dict[int, list[LinkedMention]] = {}
            for lm in mentions:
                by_paragraph.setdefault(lm.mention.paragraph, []).append(lm)
            paragraphs = [
                {
                    "anchor": Markup(urls.paragraph_anchor(i)),
                    "text": self.linked_paragraph(text, by_paragraph.get(i, []), path),
                    "indexed": self.search_lead is None or i < self.search_lead,
                }
                for i, text in enumerate(article.paragraphs)
            ]
            entities = list({id(lm.entity): lm.entity for lm in mentions}.values())
            entities.sort(key=lambda e: (e.type, e.name))
            return {"article": article, "paragraphs": paragraphs, "entities": entities}

        made_from = {"article": article, "mentions": mentions}
        return self._render_from("source.md.j2", path, made_from, context)

    def linked_paragraph(self, text: str, mentions: list[LinkedMention], from_page: str) -> Markup:
        """Escaped paragraph text with each mention linked to its entity page."""
        out: list[str] = []
        cursor = 0
        for lm in sorted(mentions, key=lambda lm: lm.mention.start):
            m = lm.mention
            if m.start < cursor:
                continue  # overlapping spans: keep the first
            out.append(escape_keep_spaces(text[cursor : m.start]))
            out.append(
                self.link(
                    urls.entity_page(lm.entity),
                    text[m.start : m.end],
                    from_page,
                    f".mention .{lm.entity.type}",
                )
            )
            cursor = m.end
        out.append(escape_keep_spaces(text[cursor:]))
        return Markup(md_escape_start("".join(out)))


QUOTE_CHARS = 360  # a longer sentence is cut around the mention
QUOTE_BEFORE = 140


def cut_around(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence before, at and after the mention; a long one cut at spaces around
    the mention (`…`), so that a quote's size is bounded. No mention: all is `before`."""
    if start < 0:
        start = end = 0
    if len(sentence) <= QUOTE_CHARS:
        return sentence[:start], sentence[start:end], sentence[end:]
    begin = max(0, start - QUOTE_BEFORE)
    stop = max(end, min(len(sentence), begin + QUOTE_CHARS))
    if begin > 0:
        begin = sentence.find(" ", begin, start) + 1 or begin
    space = sentence.rfind(" ", end, stop)
    if stop < len(sentence) and space > end:
        stop = space
    before = ("…" if begin else "") + sentence[begin:start]
    after = sentence[end:stop] + ("…" if stop < len(sentence) else "")
    return before, sentence[start:end], after


def render_pages(
    dossier: Dossier,
    templates: Path,
    site_title: str = "Dossier",
    search_lead: int | None = None,
    language: str | None = None,
    kept: Kept | None = None,
) -> list[Page]:
    return Renderer(dossier, templates, site_title, search_lead, language, kept).pages()
