"""Render: turn the dossier into Markdown pages with the Jinja2 templates of `site_templates/`.

Article text is data, never markup. The Jinja environment escapes every `{{ value }}`
for Markdown *and* HTML (see `md_escape`) unless the value is `Markup`, which only this
module creates, for links and anchors it builds itself. So a template cannot forget to
escape, and `<script>`, `[x](javascript:...)` or `{{ }}` in an article are shown as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
import re
from pathlib import Path

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.model import SECTIONS, entity_path
from generator.records import (
    FIGURE_KINDS,
    Account,
    Article,
    DateMention,
    Dossier,
    Entity,
    Event,
    Figure,
    LinkedMention,
    Mention,
    Page,
    date_label,
)

TYPE_LABELS = {
    "person": ("Personne", "Personnes", ":material-account:"),
    "place": ("Lieu", "Lieux", ":material-map-marker:"),
    "organisation": ("Organisation", "Organisations", ":material-domain:"),
}
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
PAGE_TITLE_CHARS = 120
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


# --- escaping ------------------------------------------------------------------------

# Characters with a meaning in Markdown, its extensions (attr_list, tables, emoji, ...)
# or HTML, written as numeric character references: the browser shows the character,
# Markdown sees nothing to interpret.
_ALWAYS = set('&<>\\`*_{}[]()#|~^$=:!"')
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in _ALWAYS}
_LIST_MARKER = re.compile(r"^(?:[-+]|\d+[.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def md_escape(value: object) -> str:
    text = _CONTROL.sub("", str(value)).replace("\n", " ").replace("\t", " ")
    text = text.strip()
    return md_escape_start(text.translate(_ESCAPES))


def _finalize(value: object) -> object:
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return md_escape(value)


def make_environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = french_date
    env.filters["front_matter"] = front_matter
    env.filters["event_date"] = event_date
    env.filters["mention_date"] = mention_date
    env.globals["external_link"] = external_link
    env.globals["site_root"] = site_root
    env.globals["asset_tags"] = asset_tags
    return env


_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]\"'`]+\Z")


def external_link(url: str) -> Markup:
    """A link to a reference (Wikidata, Wikipedia...); anything but plain http(s) is text."""
    if not _SAFE_URL.match(url):
        return Markup(md_escape(url))
    return Markup(f"[{md_escape(url)}](<{html.escape(url)}>)")


def front_matter(values: dict) -> Markup:
    """YAML front matter; the title is HTML-escaped because themes print it unescaped."""
    values = dict(values)
    if "title" in values:
        values["title"] = html.escape(short_title(values["title"]), quote=False)
    text = yaml.dump(values, Dumper=_DUMPER, allow_unicode=True, sort_keys=True, width=1000)
    return Markup(f"---\n{text}---\n")


def short_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= PAGE_TITLE_CHARS:
        return title
    return title[:PAGE_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: 10× faster
_relpath = functools.lru_cache(maxsize=65536)(posixpath.relpath)  # the same few pairs, often


def french_date(value: dt.date | None) -> str:
    if value is None:
        return "date inconnue"
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def event_date(event: Event) -> str:
    """When an event happened, as precisely as the sources say: a day, a range, a month."""
    if event.date is None:
        return "date inconnue"
    start = date_label(event.date, event.precision)
    if event.end_date is None or event.end_date == event.date or event.precision != "day":
        return start
    return f"du {start} au {date_label(event.end_date, 'day')}"


_BASIS = {
    "explicit": "",
    "publication": " (d'après la date de publication de l'article)",
    "inferred": " (année tirée de « {source} », date complète du même article)",
    "unresolved": " (non résolue : l'article n'a pas de date qui permette de la lire)",
}


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


def relative_link(target: str, from_page: str) -> str:
    """Markdown link target from one content page to another (`../sources/x.md#p2`)."""
    path, _, anchor = target.partition("#")
    link = _relpath(path, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link


def site_root(page_path: str) -> Markup:
    """URL of the site root seen from a page (`../../` from `people/x.md`, which MkDocs
    serves as `people/x/`); `use_directory_urls` is on."""
    depth = page_path.count("/") + (0 if posixpath.basename(page_path) == "index.md" else 1)
    return Markup("../" * depth)


def asset_tags(page_path: str, *assets: str) -> Markup:
    """`<link>` and `<script>` tags for assets of this site (paths from the site root), for
    the pages that need them only."""
    root = site_root(page_path)
    tags = [
        f'<link rel="stylesheet" href="{root}{html.escape(a)}">'
        if a.endswith(".css")
        else f'<script src="{root}{html.escape(a)}"></script>'
        for a in assets
    ]
    return Markup("\n".join(tags))


def paragraph_anchor(index: int) -> str:
    return f"p{index + 1}"


def paragraph_target(article: str, index: int) -> str:
    """The page path of a source's paragraph (0-based index), for `relative_link`."""
    return f"sources/{article}.md#{paragraph_anchor(index)}"


# --- page builders -------------------------------------------------------------------


class Renderer:
    def __init__(
        self,
        dossier: Dossier,
        templates: Path,
        site_title: str = "Dossier",
        search_lead: int | None = None,
    ) -> None:
        self.dossier = dossier
        self.site_title = site_title
        self.env = make_environment(templates)
        self.search_lead = search_lead  # paragraphs of each source in the search index

    def pages(self) -> list[Page]:
        pages = [self.home()]
        for kind, section in SECTIONS.items():
            pages.append(self.section_index(kind, section))
            pages.extend(self.entity_page(e) for e in self.dossier.entities_of(kind))
        pages.append(self.sources_index())
        pages.extend(self.source_page(a) for a in self.dossier.articles)
        pages.extend(self.event_pages())
        return sorted(pages, key=lambda p: p.path)

    def _render(self, template: str, path: str, **context: object) -> Page:
        context.setdefault("link", lambda target, text: self.link(target, text, path))
        text = self.env.get_template(template).render(
            page_path=path,
            dossier=self.dossier,
            labels=TYPE_LABELS,
            site_title=self.site_title,
            entity_path=entity_path,
            compact_search=self.search_lead is not None,  # a large dossier: see build.py
            **context,
        )
        return Page(path, text)

    def link(self, target: str, text: object, from_page: str, classes: str = "") -> Markup:
        attrs = f"{{ {classes} }}" if classes else ""
        return Markup(f"[{md_escape(text)}]({relative_link(target, from_page)}){attrs}")

    def home(self) -> Page:
        return self._render("home.md.j2", "index.md", sections=SECTIONS)

    def section_index(self, kind: str, section: str) -> Page:
        path = f"{section}/index.md"
        entities = sorted(self.dossier.entities_of(kind), key=lambda e: (-len(e.mentions), e.name))
        return self._render("section.md.j2", path, kind=kind, entities=entities)

    def entity_page(self, entity: Entity) -> Page:
        path = entity_path(entity)
        first, last = self.dossier.seen_dates(entity)
        quotes = [self.quote(m, path) for m in entity.mentions]
        return self._render(
            "entity.md.j2",
            path,
            entity=entity,
            kind=entity.type,
            quotes=quotes,
            sources=self.dossier.sources_of(entity),
            related=self.dossier.related.get(path, []),
            first_seen=first,
            last_seen=last,
            events=self.dossier.events_of(entity),
        )

    def quote(self, mention: Mention, from_page: str) -> dict:
        """The sentence of a mention with the mention marked, and a link to its paragraph."""
        article = self.dossier.article_by_slug[mention.article]
        start = mention.start - mention.sentence_start
        end = mention.end - mention.sentence_start
        sentence = mention.sentence
        if not (0 <= start < end <= len(sentence)) or sentence[start:end] != mention.text:
            start = sentence.find(mention.text)
            end = start + len(mention.text)
        if start >= 0:
            marked = Markup(
                md_escape_start(
                    _escape_keep_spaces(sentence[:start])
                    + "<mark>"
                    + _escape_keep_spaces(sentence[start:end])
                    + "</mark>"
                    + _escape_keep_spaces(sentence[end:])
                )
            )
        else:
            marked = Markup(md_escape(sentence))
        target = paragraph_target(article.slug, mention.paragraph)
        return {
            "sentence": marked,
            "article": article,
            "paragraph": mention.paragraph + 1,
            "href": Markup(relative_link(target, from_page)),
        }

    # --- events ---------------------------------------------------------------------------

    def event_pages(self) -> list[Page]:
        return [*(self.event_page(event) for event in self.dossier.events), self.timeline_page()]

    def event_page(self, event: Event) -> Page:
        path = f"events/{event.slug}.md"
        return self._render(
            "event.md.j2",
            path,
            event=event,
            accounts=[self.account(a, path) for a in event.accounts],
            claims=self.claims(event, path),
            conflicts=event.conflicts(),
            curation=curation_note(event),
            figures=" · ".join(figure_text(f) for f in event.figures),
        )

    def account(self, account: Account, from_page: str) -> dict:
        article = self.dossier.article_by_slug[account.article]
        target = paragraph_target(article.slug, account.paragraph)
        if account.curated and not account.sentences:  # a whole article, no quote
            target = f"sources/{article.slug}.md"
        return {
            "account": account,
            "article": article,
            "paragraph": account.paragraph + 1,
            "href": Markup(relative_link(target, from_page)),
            "claimant": self.claimant(account.claimant, account.claimant_entity, from_page),
        }

    def claimant(self, name: str | None, entity: Entity | None, from_page: str) -> Markup:
        if entity is not None:
            return Markup(f"{self.link(entity_path(entity), entity.name, from_page)} (cité)")
        if name is not None:
            return Markup(f"{md_escape(name)} (cité)")
        return Markup("l'article")

    def claims(self, event: Event, from_page: str) -> list[dict]:
        """Every figure and date claim, grouped by what it is about, never merged; the
        values given by hand first."""
        rows = self.curated_claims(event)
        groups = [("date", event.date_claims()), *event.figure_claims().items()]
        for kind, claims in groups:
            for claim in claims:
                article = self.dossier.article_by_slug[claim.article]
                target = paragraph_target(article.slug, claim.paragraph)
                rows.append(
                    {
                        "kind": kind,
                        "value": claim.value,
                        "by": self.claimant(claim.claimant, claim.claimant_entity, from_page),
                        "wording": Markup(f"« {md_escape(claim.wording)} »"),
                        "link": self.link(
                            target, f"{article.title} § {claim.paragraph + 1}", from_page
                        ),
                    }
                )
        order = ["date", *FIGURE_KINDS]
        return sorted(rows, key=lambda row: order.index(row["kind"]))  # stable: by hand first

    def curated_claims(self, event: Event) -> list[dict]:
        """The date and figures given in the corrections file: the headline values."""
        by_hand = {
            "by": Markup("la correction à la main"),
            "wording": "—",
            "link": Markup("fichier de corrections"),
        }
        rows = []
        if (event.origin == "curated" and event.date) or "date" in event.corrected:
            rows.append({"kind": "date", "value": event_date(event), **by_hand})
        for figure in event.figures:
            rows.append({"kind": figure.kind, "value": f"{figure.value} {figure.unit}", **by_hand})
        return rows

    def timeline_page(self) -> Page:
        months: dict[tuple[int, int], list[Event]] = {}
        undated = []
        for event in self.dossier.events:
            if event.date is None:
                undated.append(event)
            else:
                months.setdefault((event.date.year, event.date.month), []).append(event)
        grouped = [
            (f"{MONTHS[month - 1]} {year}", items)
            for (year, month), items in sorted(months.items())
        ]
        return self._render("timeline.md.j2", "timeline/index.md", months=grouped, undated=undated)

    def sources_index(self) -> Page:
        articles = sorted(
            self.dossier.articles,
            key=lambda a: (a.date is None, (a.date or dt.date.min).toordinal(), a.title),
        )
        counts = {a.slug: len(self.dossier.mentions_by_article.get(a.slug, [])) for a in articles}
        return self._render(
            "sources_index.md.j2", "sources/index.md", articles=articles, counts=counts
        )

    def source_page(self, article: Article) -> Page:
        path = f"sources/{article.slug}.md"
        mentions = self.dossier.mentions_by_article.get(article.slug, [])
        by_paragraph: dict[int, list[LinkedMention]] = {}
        for lm in mentions:
            by_paragraph.setdefault(lm.mention.paragraph, []).append(lm)
        paragraphs = [
            {
                "anchor": Markup(paragraph_anchor(i)),
                "text": self.linked_paragraph(text, by_paragraph.get(i, []), path),
                "indexed": self.search_lead is None or i < self.search_lead,
            }
            for i, text in enumerate(article.paragraphs)
        ]
        entities = list({id(lm.entity): lm.entity for lm in mentions}.values())
        entities.sort(key=lambda e: (e.type, e.name))
        return self._render(
            "source.md.j2",
            path,
            article=article,
            paragraphs=paragraphs,
            entities=entities,
        )

    def linked_paragraph(self, text: str, mentions: list[LinkedMention], from_page: str) -> Markup:
        """Escaped paragraph text with each mention linked to its entity page."""
        out, cursor = [], 0
        for lm in sorted(mentions, key=lambda lm: lm.mention.start):
            m = lm.mention
            if m.start < cursor:
                continue  # overlapping spans: keep the first
            out.append(_escape_keep_spaces(text[cursor : m.start]))
            out.append(
                self.link(
                    entity_path(lm.entity),
                    text[m.start : m.end],
                    from_page,
                    f".mention .{lm.entity.type}",
                )
            )
            cursor = m.end
        out.append(_escape_keep_spaces(text[cursor:]))
        return Markup(md_escape_start("".join(out)))


def _escape_keep_spaces(text: str) -> str:
    """Escape a fragment of a line without trimming it (spaces around links matter)."""
    cleaned = _CONTROL.sub("", text).replace("\n", " ").replace("\t", " ")
    return cleaned.translate(_ESCAPES)


def md_escape_start(line: str) -> str:
    """Escape what would make a line a list item (`- `, `+ `, `1. `, `1) `)."""
    line = line.lstrip()
    match = _LIST_MARKER.match(line)
    if match:
        end = match.end() - 1
        return line[:end] + f"&#{ord(line[end])};" + line[end + 1 :]
    return line


def render_pages(
    dossier: Dossier,
    templates: Path,
    site_title: str = "Dossier",
    search_lead: int | None = None,
) -> list[Page]:
    return Renderer(dossier, templates, site_title, search_lead).pages()
