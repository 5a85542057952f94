"""The home page's story and the conflicts in words, on a small dossier made by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.model import build_dossier, event_conflicts
from generator.records import Account, Entity, Event, Figure, Mention
from generator.site.i18n import words
from generator.site.render import render_pages
from tests.factories import article

FRENCH = words("fr")

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script> [x](javascript:y)"


def place(name: str, country: str, article_slug: str = "a") -> Entity:
    mention = Mention(article_slug, 0, 0, len(name), name, "place", name, 0, "model")
    return Entity(name.lower(), name, "place", (name,), (mention,), country=country)


def account(slug: str, paragraph: int, places: list[Entity], *figures: int) -> Account:
    return Account(
        article=slug,
        paragraph=paragraph,
        sentences=[f"phrase {paragraph}"],
        triggers=["attentat"],
        places=places,
        figures=[Figure("killed", n, "personnes", f"{n} morts") for n in figures],
    )


def attack(accounts: list[Account], places: list[Entity]) -> Event:
    return Event(
        slug="2017-02-16-attentat",
        type="attack",
        label="Attentat",
        date=dt.date(2017, 2, 16),
        end_date=dt.date(2017, 2, 16),
        precision="day",
        places=places,
        actors=[],
        accounts=accounts,
        title="Attentat — Bagdad (16 février 2017)",
    )


def articles():
    return [
        article("Bagdad.", "52 morts.", slug="a", outlet="Le Monde", date=dt.date(2017, 2, 17)),
        article("Bagdad.", "39 morts.", slug="b", outlet=HOSTILE, date=dt.date(2017, 3, 1)),
        article("Bagdad.", "52 morts.", slug="c", outlet="Libération", date=dt.date(2017, 2, 20)),
    ]


@pytest.fixture
def pages():
    bagdad = place("Bagdad", "IQ")
    accounts = [account("a", 1, [bagdad], 52), account("b", 1, [bagdad], 39)]
    accounts.append(account("c", 1, [bagdad], 52))
    event = attack(accounts, [bagdad])
    dossier = build_dossier(articles(), [bagdad], events=[event])
    rendered = render_pages(dossier, ROOT / "site_templates", site_title="Bagdad")
    return {p.path: p.text for p in rendered}


def box(page: str) -> str:
    start = page.index('!!! warning "Les sources ne disent pas la même chose"')
    return page[start : page.index("## Qui dit quoi")]


def test_counts_agree_in_french():
    def count(n: int, one: str, many: str) -> str:
        return FRENCH.n_(f"%(num)s {one}", f"%(num)s {many}", n)

    assert [count(n, "article", "articles") for n in (0, 1, 2)] == [
        "0 article",
        "1 article",
        "2 articles",
    ]
    assert count(1, "mort", "morts") == "1 mort" and count(52, "mort", "morts") == "52 morts"
    assert count(12345, "article", "articles") == "12\u202f345 articles"
    assert count(2, "lieu localisé", "lieux localisés") == "2 lieux localisés"
    assert count(2, "média", "médias") == "2 médias"
    assert count(3, "paragraphe en commun", "paragraphes en commun").endswith("en commun")


def test_the_conflict_box_gives_each_value_with_its_outlets_and_sentences(pages):
    text = box(pages["events/2017-02-16-attentat.md"])
    [line] = [x for x in text.splitlines() if x.strip().startswith("- Le nombre de morts :")]
    majority, minority = line.split(" ; ")
    assert majority.index("**52 morts**") < majority.index("selon")  # most given first
    assert "[Le Monde](../sources/a.md#p2)" in majority
    assert "[Libération](../sources/c.md#p2)" in majority and " et " in majority
    assert "**39 morts** selon [" in minority and "(../sources/b.md#p2)" in minority
    assert "<script>" not in text and "](javascript" not in text  # the outlet is text


def test_the_home_page_tells_the_period_outlets_events_and_conflicts(pages):
    home = pages["index.md"]
    lede = home[: home.index("## Par où commencer")]
    assert "**3 articles** de **3 médias**, publiés du 17 février 2017 au 1er mars 2017" in lede
    assert "1 événement, le 16 février 2017" in lede
    assert "**16 février 2017** — [Attentat](events/2017-02-16-attentat.md)" in lede
    assert "lieux : [Bagdad](places/bagdad.md)" in lede and "39 ou 52 morts" in lede
    assert "Le lieu le plus cité est [Bagdad](places/bagdad.md) (1 mention)" in lede
    assert "**52 morts** selon [Le Monde](sources/a.md#p2)" in lede
    for target in ("timeline/index.md", "map/index.md", "network/index.md"):
        assert f"]({target})" in home
    assert "<script>" not in home and "](javascript" not in home


def test_places_in_one_country_agree_and_in_two_they_do_not():
    bagdad, irak, alep = place("Bagdad", "IQ"), place("Irak", "IQ"), place("Alep", "SY")
    agree = attack([account("a", 0, [bagdad]), account("b", 0, [irak])], [bagdad, irak])
    assert event_conflicts(agree) == []
    within = attack([account("a", 0, [bagdad]), account("a", 1, [alep])], [bagdad, alep])
    assert event_conflicts(within) == []  # one article naming two places: no dispute
    differ = attack([account("a", 0, [bagdad]), account("b", 0, [alep])], [bagdad, alep])
    [conflict] = event_conflicts(differ)
    assert conflict.field == "place"
    assert [v.places for v in conflict.versions] == [(bagdad,), (alep,)]
    assert [[c.article for c in v.claims] for v in conflict.versions] == [["a"], ["b"]]
