"""Conflicts in words: where the sources of an event disagree, each version said with who
gives it and a link to the sentence (`52 morts selon X et Y ; 39 morts selon Z`), in the
dossier's language (`wording`).

The versions come from the model (`model.event_conflicts`); this module only words them,
for the event pages and the home page. Names and values are article text: escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from generator.records import Article, Claim, Conflict, Dossier, Version
from generator.site import urls
from generator.site.escape import md_escape
from generator.site.wording import FIGURE_FIELDS, FIGURE_WORDS, Wording

Link = Callable[[str, object], Markup]  # (target page, text) -> a Markdown link
SAYERS_SHOWN = 4  # of one version; the others are counted
VERSIONS_SHOWN = 4  # of one field; the others are counted (all are on the event page's table)
TITLE_CHARS = 40


def conflict_lines(
    dossier: Dossier, slug: str, link: Link, wording: Wording
) -> list[dict[str, Markup | str]]:
    """One line per disputed field of an event: its name and its versions in words."""
    return [
        {
            "field": wording._(FIGURE_FIELDS[c.field]),
            "text": conflict_text(dossier, c, link, wording),
        }
        for c in dossier.conflicts.get(slug, [])
    ]


def conflict_text(dossier: Dossier, conflict: Conflict, link: Link, wording: Wording) -> Markup:
    parts = [
        Markup(
            wording._(
                "%(value)s selon %(sayers)s",
                value=version_value(conflict.field, v, link, wording),
                sayers=sayers(dossier, v, link, wording),
            )
        )
        for v in conflict.versions[:VERSIONS_SHOWN]
    ]
    others = len(conflict.versions) - VERSIONS_SHOWN
    if others > 0:
        parts.append(
            Markup(
                md_escape(wording.n_("%(num)s autre version", "%(num)s autres versions", others))
            )
        )
    return Markup(wording._(" ; ")).join(parts)


def version_value(field: str, version: Version, link: Link, wording: Wording) -> Markup:
    if version.places:
        return Markup(", ").join(link(urls.entity_page(p), p.name) for p in version.places)
    if version.amount is not None and field in FIGURE_WORDS:
        return Markup(f"**{md_escape(wording.n_(*FIGURE_WORDS[field], version.amount))}**")
    return Markup(f"**{md_escape(version.value)}**")


def sayers(dossier: Dossier, version: Version, link: Link, wording: Wording) -> Markup:
    """Who gives a version, each linked to the paragraph that says it; one line per
    sayer (its first claim), the first few named and the others counted."""
    first: dict[str, Claim] = {}
    for claim in version.claims:
        first.setdefault(sayer(claim, dossier.article_by_slug[claim.article], wording), claim)
    named = [
        link(urls.paragraph_page(c.article, c.paragraph), name)
        for name, c in list(first.items())[:SAYERS_SHOWN]
    ]
    others = len(first) - len(named)
    if others:
        named.append(
            Markup(md_escape(wording.n_("%(num)s autre source", "%(num)s autres sources", others)))
        )
    return Markup(wording.join_words(named))


def sayer(claim: Claim, article: Article, wording: Wording) -> str:
    """`Le Monde`; `RT France (cité par Le Monde)`; `l'article « … »` when it has no outlet."""
    outlet = article.outlet or wording._(
        "l'article %(title)s", title=wording.quoted(short(article.title))
    )
    if claim.claimant is None:
        return outlet
    if claim.claimant.casefold() == (article.outlet or "").casefold():
        return claim.claimant
    return wording._("%(name)s (cité par %(outlet)s)", name=claim.claimant, outlet=outlet)


def short(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= TITLE_CHARS:
        return title
    return title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
