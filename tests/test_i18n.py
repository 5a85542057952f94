"""The site's words in the dossier's language: the English catalog is complete, counts
agree in each language, and a dossier rendered in English says no French word of the
site (names and article text stay as written)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from generator.model import build_dossier
from generator.records import Account, Entity, Figure, Mention
from generator.site.catalog import source_messages
from generator.site.i18n import read_catalog, words
from generator.site.render import render_pages
from generator.site.script_words import script_words
from generator.site.wording import Wording
from tests.english_site import build_english_dossier
from tests.factories import article
from tests.test_story import HOSTILE, attack, place

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# French words of the site's own, none of which an English page may say
FRENCH = [
    "première mention", "dernière :", "selon", "Personnes", " dans ", " et ", "Lieux",
    "Récits", "Chronologie", "Qui dit quoi", "inconnu", "morts", "février", "mars",
    "Entités associées", "Par où commencer", "Sources en", "Carte des lieux", " du ",
]  # fmt: skip


def forms(message: str | tuple[str, str]) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (message,)


def test_every_word_of_the_site_has_an_english_translation():
    catalog = read_catalog("en")
    missing, empty, lost = [], [], []
    for message, context in source_messages():
        entry = catalog.get(forms(message)[0], context)
        if entry is None:
            missing.append(message)
            continue
        translations = forms(entry.string)
        if not all(translations) or len(translations) != len(forms(message)):
            empty.append(message)
        given = {name for form in forms(message) for name in PLACEHOLDER.findall(form)}
        said = {name for form in translations for name in PLACEHOLDER.findall(form)}
        if context is None and said != given:  # a message in context may take other values
            lost.append((message, sorted(given), sorted(said)))
    assert missing == [] and empty == [] and lost == []


def test_the_catalog_holds_only_words_the_site_uses():
    used = {(forms(m)[0], c) for m, c in source_messages()}
    kept = {(entry.id if isinstance(entry.id, str) else entry.id[0], entry.context)
            for entry in read_catalog("en") if entry.id}  # fmt: skip
    assert kept - used == set()


def test_counts_agree_and_dates_read_in_each_language():
    french, english = Wording(words("fr")), Wording(words("en"))
    article_forms = ("%(num)s article", "%(num)s articles")
    assert [french.n_(*article_forms, n) for n in (0, 1, 2)] == [
        "0 article",
        "1 article",
        "2 articles",
    ]
    assert [english.n_(*article_forms, n) for n in (0, 1, 2)] == [
        "0 articles",
        "1 article",
        "2 articles",
    ]
    assert english.n_(*article_forms, 12345) == "12,345 articles"
    assert french.n_(*article_forms, 12345) == "12\u202f345 articles"
    first, fourth = dt.date(2017, 2, 1), dt.date(2017, 2, 4)
    assert french.date(first) == "1er février 2017" and english.date(first) == "1 February 2017"
    assert french.date_range(first, fourth) == "du 1er février 2017 au 4 février 2017"
    assert english.date_range(first, fourth) == "from 1 to 4 February 2017"
    assert (
        english.date_range(dt.date(2017, 1, 30), first) == "from 30 January 2017 to 1 February 2017"
    )
    assert english.month_label(2017, 3) == "March 2017"
    assert english.join_words(["A", "B", "C"]) == "A, B and C"  # type: ignore[list-item]
    assert french.join_words(["A", "B", "C"]) == "A, B et C"  # type: ignore[list-item]


def test_a_language_without_a_catalog_gets_the_french_words():
    assert words("de").language == "fr" and words(None).language == "fr"
    assert Wording(words("de")).date(dt.date(2017, 3, 2)) == "2 mars 2017"


def test_the_scripts_words_come_from_the_catalog_in_the_dossier_s_language():
    english, french = script_words(words("en")), script_words(words("fr"))
    assert english["language"] == "en" and french["language"] == "fr"
    assert english["words"]["zoomIn"] == "Zoom in" and french["words"]["zoomIn"] == "Zoom avant"
    assert english["plurals"]["events"] == ["%(num)s event", "%(num)s events"]
    assert english["words"].keys() == french["words"].keys()


def account(slug: str, places: list[Entity], killed: int) -> Account:
    figure = Figure("killed", killed, "personnes", f"{killed} killed")
    return Account(slug, 1, [f"{killed} killed."], ["bomb"], places=places, figures=[figure])


def person(name: str, article_slug: str) -> Entity:
    mention = Mention(article_slug, 0, 0, len(name), name, "person", name, 0, "model")
    return Entity(name.lower().replace(" ", "-"), name, "person", (name,), (mention,))


@pytest.fixture(scope="module")
def english_pages() -> dict[str, str]:
    """A small dossier (two outlets disagree on a toll) rendered in English."""
    baghdad = place("Baghdad", "IQ")
    accounts = [account("a", [baghdad], 52), account("b", [baghdad], 39)]
    accounts.append(account("c", [baghdad], 52))
    bombing = dataclasses.replace(
        attack(accounts, [baghdad]),
        label="Attentat ou attaque",
        end_date=dt.date(2017, 2, 18),
        title="Attentat ou attaque — Baghdad (16 février 2017)",
    )
    articles = [
        article(
            "Abadi in Baghdad.", "52 killed.", slug="a", outlet="Wire", date=dt.date(2017, 2, 17)
        ),
        article("Baghdad.", "39 killed.", slug="b", outlet=HOSTILE, date=dt.date(2017, 3, 1)),
        article("Baghdad.", "52 killed.", slug="c", outlet="Daily", date=dt.date(2017, 2, 20)),
    ]
    entities = [baghdad, person("Abadi", "a")]
    dossier = build_dossier(articles, entities, events=[bombing])
    pages = render_pages(dossier, ROOT / "site_templates", "Baghdad", language="en")
    return {p.path: p.text for p in pages}


def test_an_english_dossier_counts_dates_and_names_types_in_english(english_pages):
    home = english_pages["index.md"]
    assert (
        "**3 articles** from **3 outlets**, published from 17 February to 1 March 2017" not in home
    )
    assert (
        "**3 articles** from **3 outlets**, published from 17 February 2017 to 1 March 2017" in home
    )
    assert "| [People](people/index.md) | 1 |" in home and "| Person |" in home
    assert "**from 16 to 18 February 2017** — [Bombing or attack]" in home
    assert "39 or 52 killed depending on the source" in home
    event = english_pages["events/2017-02-16-attentat.md"]
    assert (
        "# :material-calendar-alert: Bombing or attack — Baghdad &#40;16 February 2017&#41;"
        in event
    )
    assert "| Date | from 16 to 18 February 2017 |" in event
    line = next(x for x in event.splitlines() if x.strip().startswith("- The number killed:"))
    majority, minority = line.split("; **")
    assert "**52 killed** according to [Wire]" in majority and " and [Daily]" in majority
    assert minority.startswith("39 killed** according to [")
    assert "| Killed | **52 people** | the article | “52 killed” |" in event
    assert "<script>" not in event  # the hostile outlet stays text in English too
    abadi = english_pages["people/abadi.md"]
    assert "**Person**" in abadi and "in <strong>1 article</strong>" in abadi
    assert "first mention: <strong>17 February 2017</strong>" in abadi
    assert "1 person in this dossier" in english_pages["people/index.md"]


def test_an_english_dossier_says_no_french_word_of_the_site(english_pages):
    said = {
        (path, word)
        for path, text in english_pages.items()
        for word in FRENCH
        if path.endswith(".md") and word in text
    }
    assert said == set()


# --- an English dossier built as a user builds one ---------------------------------------

# the real articles' French names (`État islamique en Irak et au Levant`) may join words
FRENCH_OF_THE_SITE = [word for word in FRENCH if word not in (" et ", " du ")]
ENGLISH_WORDS = ["2 articles", "24 February 2017", "Person", "Places", "Timeline", "Who says what"]


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    return build_english_dossier(tmp_path_factory.mktemp("english") / "dossier")


def site_text(site: Path) -> dict[str, str]:
    """The text of each generated page (the hand-written About page left out)."""
    pages = {}
    for path in sorted(site.rglob("index.html")):
        name = str(path.relative_to(site).parent)
        if not name.startswith(("about", "assets", "search")):
            html = path.read_text(encoding="utf-8")
            pages[name] = re.sub(r"<[^>]+>", " ", html[html.index("<article") :])
    return pages


@pytest.mark.slow
def test_an_english_dossier_s_site_speaks_english(english_site):
    pages = site_text(english_site)
    everything = " ".join(pages.values())
    assert all(word in everything for word in ENGLISH_WORDS), [
        word for word in ENGLISH_WORDS if word not in everything
    ]
    said = {
        (name, word) for name, text in pages.items() for word in FRENCH_OF_THE_SITE if word in text
    }
    assert said == set()
    calendar = (english_site / "timeline" / "timeline.ics").read_text(encoding="utf-8")
    assert "SUMMARY:Bombing or attack — " in calendar and "(24 February 2017)" in calendar
    assert "selon" not in calendar and "février" not in calendar
    script = (english_site / "assets" / "dossier" / "timeline.js").read_text(encoding="utf-8")
    assert script.startswith('window.dossierWords = {"language":"en"') and "Zoom in" in script
