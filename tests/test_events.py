"""Events on the sample dossier: what happened, when, where, who, and who says so."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.events.merge import (
    AccountGroup,
    _across_articles,
    _AcrossIndex,
    _merge,
    merge_accounts,
)
from generator.records import Account
from generator.site.timeline import fold_line, ics_text
from tests.pipeline_runs import make_dossier

from .test_site import html_of

SEEDS_ARTICLE = "001-8aa3180bd5d47c8b"


def event_on(dossier, day: dt.date, kind: str):
    found = [e for e in dossier.events if e.date == day and e.type == kind]
    assert len(found) == 1, [(e.title, e.date) for e in dossier.events]
    return found[0]


def names(entities) -> set[str]:
    return {e.name for e in entities}


@pytest.mark.slow
def test_the_three_dated_events_of_the_gold_are_found(seeds_site):
    _, dossier = seeds_site
    bomb = event_on(dossier, dt.date(2017, 2, 16), "attack")
    assert "Bagdad" in names(bomb.places) and "Daech" in names(bomb.actors)
    assert bomb.precision == "day"
    mosul = event_on(dossier, dt.date(2017, 2, 19), "offensive")
    assert "Mossoul" in names(mosul.places)
    assert {"armée irakienne", "Coalition internationale"} <= names(mosul.actors)
    strikes = event_on(dossier, dt.date(2017, 2, 24), "air_strike")
    assert {"Hosaiba", "Abou Kamal"} <= names(strikes.places)
    assert {"aviation irakienne", "Daech"} <= names(strikes.actors)
    assert "Damas" not in names(strikes.places)  # `le gouvernement de Damas` is an actor


@pytest.mark.slow
def test_the_undated_article_gets_its_year_from_its_own_full_date(seeds_site):
    _, dossier = seeds_site
    strikes = event_on(dossier, dt.date(2017, 2, 24), "air_strike")
    dated = [a.date for a in strikes.accounts if a.date and a.date.value]
    assert dated and all(d.article == SEEDS_ARTICLE for d in dated)
    assert {(d.text, d.basis, d.inferred_from) for d in dated} == {
        ("24 février", "inferred", "16 février 2017")
    }


@pytest.mark.slow
def test_baghdad_figures_are_conflicting_claims_with_their_sources(seeds_site):
    _, dossier = seeds_site
    bomb = event_on(dossier, dt.date(2017, 2, 16), "attack")
    claims = bomb.figure_claims()
    killed = {(c.value, c.claimant) for c in claims["killed"]}
    assert killed == {("52 personnes", None), ("39 personnes", "RT France")}
    assert {(c.value, c.claimant) for c in claims["injured"]} == {("61 personnes", "RT France")}
    assert "killed" in bomb.conflicts() and "injured" not in bomb.conflicts()
    assert {c.article for c in claims["killed"]} == {SEEDS_ARTICLE}


@pytest.mark.slow
def test_event_page_shows_each_claim_side_by_side(seeds_site):
    settings, dossier = seeds_site
    bomb = event_on(dossier, dt.date(2017, 2, 16), "attack")
    page = html_of(settings, f"events/{bomb.slug}")
    assert "ne disent pas la même chose" in page
    assert '<div class="admonition warning">' in page and "!!!" not in page  # a box, not text
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    killed = [r for r in rows if "Morts" in r]
    assert len(killed) == 2
    assert any("52 personnes" in r and "l'article" in r for r in killed)
    assert any("39 personnes" in r and "rt-france" in r for r in killed)
    assert all(f"sources/{SEEDS_ARTICLE}/#p" in r for r in killed)
    assert 'href="../../places/bagdad/"' in page


@pytest.mark.slow
def test_the_conflict_box_names_both_values_with_who_gives_them(seeds_site):
    settings, dossier = seeds_site
    bomb = event_on(dossier, dt.date(2017, 2, 16), "attack")
    page = html_of(settings, f"events/{bomb.slug}")
    box = re.search(r'<div class="admonition warning">(.*?)</div>', page, re.S)
    assert box, "no conflict box"
    [line] = [li for li in re.findall(r"<li>(.*?)</li>", box.group(1), re.S) if "morts" in li]
    text = html.unescape(re.sub(r"<[^>]+>", "", line))
    assert "Le nombre de morts" in text
    said = dict(re.findall(r"(\d+) morts selon ([^;]+)", text))
    assert set(said) == {"52", "39"}, text
    assert said["39"].startswith("RT France (cité par l'article « L'Irak")  # quoted by it
    assert said["52"].startswith("l'article « L'Irak aurait ordonné")  # the article itself
    # each version links to the paragraph of its sentence
    assert f'href="../../sources/{SEEDS_ARTICLE}/#p4"' in line  # the embedded post
    assert f'href="../../sources/{SEEDS_ARTICLE}/#p9"' in line  # `tué 52 personnes`


@pytest.mark.slow
def test_timeline_orders_events_by_date_and_lists_undated_apart(seeds_site):
    settings, dossier = seeds_site
    page = html_of(settings, "timeline")
    dated = [e for e in dossier.events if e.date]
    assert [e.date for e in dated] == sorted(e.date for e in dated)
    positions = [page.index(f"events/{e.slug}/") for e in dated]
    assert positions == sorted(positions)
    assert "février 2017" in page and "Sans date" in page
    undated = [e for e in dossier.events if e.date is None]
    assert undated and page.index("Sans date") < page.index(f"events/{undated[0].slug}/")
    assert 'href="timeline.json"' in page and 'href="timeline.ics"' in page
    assert "Chronologie" in html_of(settings, "a-propos")  # in the nav of every page


@pytest.mark.slow
def test_entity_pages_list_their_events_newest_first(seeds_site):
    settings, dossier = seeds_site
    mosul = next(e for e in dossier.entities if e.name == "Mossoul")
    events = dossier.events_of(mosul)
    assert any(e.date == dt.date(2017, 2, 19) for e in events)
    page = html_of(settings, "places/mossoul")
    positions = {e.slug: page.index(f"events/{e.slug}/") for e in events}
    dated = sorted((e for e in events if e.date), key=lambda e: e.date, reverse=True)
    undated = [e for e in events if e.date is None]
    assert dated and undated
    # newest first, the undated ones after them
    assert [positions[e.slug] for e in dated + undated] == sorted(positions.values())


@pytest.mark.slow
def test_exports_are_valid_and_byte_deterministic(seeds_site, make_project):
    from .conftest import SEEDS, build_project

    settings, dossier = seeds_site
    data = json.loads((settings.site_dir / "timeline" / "timeline.json").read_text("utf-8"))
    assert [e["slug"] for e in data["events"]] == [e.slug for e in dossier.events]
    bomb = next(e for e in data["events"] if e["date"] == "2017-02-16")
    assert {a["claimed_by"] for a in bomb["accounts"]} >= {"RT France", "article"}
    raw = (settings.site_dir / "timeline" / "timeline.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"DTSTART;VALUE=DATE:20170216" in raw
    assert raw.count(b"BEGIN:VEVENT") == len([e for e in dossier.events if e.date])
    again = make_project(SEEDS)
    build_project(again)
    for name in ("timeline.json", "timeline.ics", "index.html"):
        assert (again.site_dir / "timeline" / name).read_bytes() == (
            settings.site_dir / "timeline" / name
        ).read_bytes()


# --- fast unit tests -----------------------------------------------------------------------


def test_ics_text_escaping_and_folding():
    assert ics_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold_line("SUMMARY:" + "é" * 80)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "SUMMARY:" + "é" * 80


@pytest.mark.parametrize("line", ["x" * 75, "x" * 200, "DESCRIPTION:" + "é€😀 a" * 60])
def test_folded_lines_are_as_long_as_they_can_be(line):
    parts = fold_line(line).split("\r\n")
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
    for i, part in enumerate(parts[:-1]):
        following = parts[i + 1][1]  # the character that did not fit
        assert len(part.encode("utf-8")) <= 75 < len((part + following).encode("utf-8"))


def _account(article, kind, day=None, places=(), precision="day"):
    from generator.records import DateMention, Entity

    dates = []
    if day is not None:
        dates = [DateMention(article, 0, 0, 1, "x", "absolute", day, precision, "explicit")]
    entities = [Entity(p, p, "place", (p,), ()) for p in places]
    return Account(article, 0, ["s"], ["t"], dates=dates, places=entities, type=kind)


def test_merging_needs_same_type_compatible_dates_and_shared_places():
    day = dt.date(2017, 2, 16)
    groups = merge_accounts(
        [
            _account("a", "attack", day, ["bagdad"]),
            _account("b", "attack", day, ["bagdad"]),
            _account("c", "attack", day + dt.timedelta(days=1), ["bagdad"]),
            _account("d", "attack", day, ["mossoul"]),
            _account("e", "air_strike", day, ["bagdad"]),
        ]
    )
    merged = sorted(sorted(a.article for a in g.accounts) for g in groups)
    assert merged == [["a", "b"], ["c"], ["d"], ["e"]]


_ACCOUNTS = st.lists(
    st.tuples(
        st.sampled_from(["attack", "air_strike"]),
        st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2019, 12, 31))),
        st.sampled_from(["day", "month", "year"]),
        st.lists(st.sampled_from(["bagdad", "mossoul", "raqqa"]), max_size=2, unique=True),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(_ACCOUNTS)
def test_merging_across_articles_through_the_index_is_comparing_every_pair(accounts):
    """The index by place, month and day only spares comparisons: whatever the dates
    (days, months, years, none) and places, the events are those of comparing each group
    with every event merged before it."""

    def groups():
        return [
            AccountGroup(kind, [_account(f"a{n}", kind, day, places, precision)])
            for n, (kind, day, precision, places) in enumerate(accounts)
        ]

    def articles(merged):
        return [[a.article for a in group.accounts] for group in merged]

    indexed = _merge(groups(), _across_articles, _AcrossIndex())
    assert articles(indexed) == articles(_merge(groups(), _across_articles))


def test_an_undated_account_joins_only_an_unambiguous_event():
    day = dt.date(2017, 2, 16)
    groups = merge_accounts(
        [
            _account("a", "attack", day, ["bagdad"]),
            _account("b", "attack", day + dt.timedelta(days=3), ["bagdad"]),
            _account("c", "attack", None, ["bagdad"]),  # fits both: stays apart
            _account("d", "attack", None, ["mossoul"]),
            _account("e", "attack", None, ["mossoul", "tal afar"]),
        ]
    )
    merged = sorted(sorted(a.article for a in g.accounts) for g in groups)
    assert merged == [["a"], ["b"], ["c"], ["d", "e"]]


@pytest.mark.slow
def test_evaluate_scores_event_dates_and_places_against_the_gold(seeds_site):
    from generator.evaluate.events import score_events
    from generator.evaluate.gold import load_gold_events

    from .test_evaluate import GOLD

    _, dossier = seeds_site
    gold = load_gold_events(GOLD)
    assert len(gold) == 6 and sum(e.when is not None for e in gold) == 3
    scores = score_events(gold, dossier.articles, dossier.events)
    assert (scores["dated"], scores["dates_right"]) == (3, 3), scores["missed"]
    assert scores["found"] == 6
    assert scores["place_recall"] >= 0.7
    # the Baghdad bombing's figures: 52 killed (the article), 39 killed and 61 injured (RT)
    assert (scores["figures"], scores["figures_right"]) == (3, 3)
    assert [e.figures for e in gold if e.figures] == [(52, 39, 61)]
    wrong_year = [e for e in dossier.events if e.date and e.date.year != 2017]
    assert score_events(gold, dossier.articles, wrong_year)["dates_right"] == 0


ARREST_FR = (
    "---\ntitle: Le directeur de la centrale arrêté\ndate: 2022-10-01\nlanguage: fr\n---\n"
    "Igor Mourachov, directeur de la centrale nucléaire de Zaporijjia, a été arrêté "
    "vendredi par les forces russes, a annoncé Petro Kotine.\n\n"
    "Le Conseil de sécurité des Nations unies a tenu une réunion mercredi à New York.\n"
)
ARREST_EN = (
    "---\ntitle: Plant director detained\ndate: 2022-10-01\nlanguage: en\n---\n"
    "Russian forces detained Ihor Murashov, the director-general of the Zaporizhzhia "
    "nuclear power plant, on Friday, Energoatom said.\n"
)


@pytest.mark.slow
def test_an_arrest_told_in_french_and_english_is_one_dated_event(make_project):
    """Events of real news beyond combat: an arrest, told by two articles in two
    languages, with the day each gives (`vendredi`, `on Friday`) and the same places."""
    dossier = make_dossier(make_project({"fr.md": ARREST_FR, "en.md": ARREST_EN}))
    arrest = event_on(dossier, dt.date(2022, 9, 30), "arrest")
    assert set(arrest.articles) == {"fr", "en"}
    assert "Igor Mourachov" in names(arrest.actors)
    meeting = [e for e in dossier.events if e.type == "meeting"]
    assert [e.date for e in meeting] == [dt.date(2022, 9, 28)]


def test_figures_are_read_in_digits_and_in_words():
    import spacy

    from generator.events.finder import EventFinder
    from generator.events.lexicon import load_event_lexicon

    nlp = spacy.blank("fr")
    finder = EventFinder(nlp, load_event_lexicon())

    def figures(text: str) -> list[tuple[str, int]]:
        return [(f.item.kind, f.item.value) for f in finder._figures(nlp(text))]

    assert figures("L'attentat a fait quarante morts et 12 blessés.") == [
        ("killed", 40),
        ("injured", 12),
    ]
    assert figures("The bombing killed twelve people; thirty wounded.") == [
        ("killed", 12),
        ("injured", 30),
    ]
    assert figures("Un bâtiment neuf, deux fois.") == []  # no figure word after the number
