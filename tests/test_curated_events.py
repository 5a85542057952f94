"""Curated events: the corrections file's `events` section (add, correct, merge, reject).

Reading and applying the entries on small made-up events (fast), then the sample dossier
built with one entry of each kind (slow: the model and MkDocs)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from generator.cli.main import main
from generator.corrections import CorrectionsError, load_corrections
from generator.events.curated import apply_event_corrections
from generator.events.lexicon import load_event_lexicon
from generator.events.merge import merge_accounts, to_event
from generator.events.naming import assign_event_slugs, sort_key
from generator.records import Account, DateMention, Entity
from tests.factories import article, write_corrections

from .conftest import SEEDS, copy_project
from .test_site import html_of

# --- made-up dossier -----------------------------------------------------------------------


def entity(name, kind, *aliases):
    slug = name.lower().replace(" ", "-").replace("é", "e")
    return Entity(slug, name, kind, (name, *aliases), ())


MOSUL = entity("Mossoul", "place", "Mosul")
BAGHDAD = entity("Bagdad", "place")
ARMY = entity("armée irakienne", "organisation", "forces irakiennes")
DAECH = entity("Daech", "organisation", "Daesh")
ENTITIES = [MOSUL, BAGHDAD, ARMY, DAECH]


ARTICLES = [
    article(
        "Les forces irakiennes ont repris l’aéroport de Mossoul.",
        "Un attentat à Bagdad.",
        slug="a",
        title="A",
        language="fr",
    ),
    article(
        "Une voiture piégée a explosé à Bagdad, a rapporté la police.",
        slug="b",
        title="B",
        language="fr",
    ),
]


def account(article_slug, kind, day, places, actors=()):
    dates = []
    if day is not None:
        dates = [DateMention(article_slug, 0, 0, 1, "x", "absolute", day, "day", "explicit")]
    return Account(article_slug, 0, ["phrase"], ["t"], dates, list(places), list(actors), type=kind)


def found_events(*accounts):
    """Events as find_events makes them from accounts: merged, ordered, addressed."""
    lexicon = load_event_lexicon()
    events = [to_event(group, lexicon) for group in merge_accounts(list(accounts))]
    events.sort(key=sort_key)
    assign_event_slugs(events)
    return events


FEB = dt.date(2017, 2, 1)
FOUND = [
    account("a", "capture", FEB.replace(day=19), [MOSUL], [ARMY]),
    account("a", "attack", FEB.replace(day=16), [BAGHDAD], [DAECH]),
    account("b", "attack", None, [], []),
]
CAPTURE = "2017-02-19-prise-ou-reprise-mossoul"
BOMB = "2017-02-16-attentat-ou-attaque-bagdad"
UNDATED_BOMB = "sans-date-attentat-ou-attaque"


def curate(tmp_path, text, events=None):
    corrections = load_corrections(write_corrections(tmp_path, text)).events
    events = found_events(*FOUND) if events is None else events
    return apply_event_corrections(events, corrections, ENTITIES, ARTICLES)


def by_slug(events):
    return {event.slug: event for event in events}


# --- reading the file ---------------------------------------------------------------------


def test_the_made_up_events_have_the_addresses_the_tests_use():
    assert [e.slug for e in found_events(*FOUND)] == [BOMB, CAPTURE, UNDATED_BOMB]


def test_entries_are_read_with_dates_kinds_figures_sources_and_addresses(tmp_path):
    corrections = load_corrections(
        write_corrections(
            tmp_path,
            "events:\n"
            "  add:\n"
            "    - kind: Frappe aérienne\n"  # a label works as well as a key
            "      date: 2017-02\n"
            "      figures: {killed: 52, area: 30 km²}\n"
            "      sources: a.txt\n"
            "    - kind: offensive\n"
            "      date: 2017-02-19\n"
            "      end: 2017-02-26\n"
            "      sources:\n"
            "        - {article: b.txt, quote: Une voiture piégée}\n"
            "  correct:\n"
            "    - event: https://example.org/events/2017-02-19-x/\n"
            "      date: 2017\n"
            "  merge:\n"
            "    - [a-b, c-d]\n"
            "  reject: [e-f]\n",
        )
    ).events
    month, week = corrections.added
    assert (month.kind, month.date.value, month.date.end, month.date.precision) == (
        "air_strike",
        dt.date(2017, 2, 1),
        dt.date(2017, 2, 28),
        "month",
    )
    assert [(f.kind, f.value, f.unit) for f in month.figures] == [
        ("killed", 52, "personnes"),
        ("area", 30, "km²"),
    ]
    assert [(s.article, s.quote) for s in month.sources] == [("a.txt", None)]
    assert (week.date.value, week.date.end, week.date.precision) == (
        dt.date(2017, 2, 19),
        dt.date(2017, 2, 26),
        "day",
    )
    assert [(s.article, s.quote) for s in week.sources] == [("b.txt", "Une voiture piégée")]
    (correction,) = corrections.corrected
    assert (correction.slug, correction.date.precision, correction.line) == (
        "2017-02-19-x",
        "year",
        13,
    )
    assert [(m.slugs, m.line) for m in corrections.merged] == [(("a-b", "c-d"), 16)]
    assert [(r.slug, r.line) for r in corrections.rejected] == [("e-f", 17)]


def test_no_file_or_no_events_section_means_no_event_corrections(tmp_path):
    assert load_corrections(tmp_path / "missing.yml").events.added == ()
    corrections = load_corrections(write_corrections(tmp_path, "entities: []\n")).events
    assert (corrections.added, corrections.corrected, corrections.merged) == ((), (), ())


ADD = "events:\n  add:\n    - kind: attack\n      sources: [a.txt]\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events: [a]\n", ":1: `events` must be a mapping"),
        ("events:\n  delete: [a]\n", ":2: unknown key 'delete' in `events`"),
        ("events:\n  add: {kind: attack}\n", ":2: `events.add` must be a list"),
        (ADD + "      date: 2017-02-30\n", ":5: `date`: there is no such date as 2017-02-30"),
        (ADD + "      date: 24/02/2017\n", ":5: `date` must be an ISO date"),
        (
            ADD + "      date: 2017-02-24\n      end: 2017-02-20\n",
            ":6: `end` (2017-02-20) is before",
        ),
        (ADD + "      date: 2017-02\n      end: 2017-03-01\n", ":6: a range is two days"),
        (ADD + "      colour: red\n", ":5: unknown key(s) colour"),
        ("events:\n  add:\n    - kind: parade\n", ":3: unknown kind 'parade'"),
        ("events:\n  add:\n    - kind: attack\n", ":3: an added event needs its `sources`"),
        ("events:\n  add:\n    - sources: [a.txt]\n", ":3: an added event needs its `kind`"),
        (ADD + "      places: 3\n", ":5: `places` must be a list of names"),
        (ADD + "      figures: {killed: many}\n", ":5: `figures.killed` must be a number of"),
        (ADD + "      figures: {killed: -3}\n", ":5: `figures.killed` must be a number"),
        (ADD + "      figures: {missing: 3}\n", ":5: unknown figure 'missing'"),
        (ADD + "      title: [a, b]\n", ":5: `title` must be text"),
        (
            "events:\n  add:\n    - kind: attack\n      sources:\n        - {file: a.txt}\n",
            ":4: unknown key(s) file in a source",
        ),
        ("events:\n  correct:\n    - {date: 2017}\n", ":3: a correction needs the `event`"),
        ("events:\n  correct:\n    - {event: a-b}\n", ":3: nothing to correct"),
        ("events:\n  correct:\n    - {event: A B!, date: 2017}\n", ":3: 'A B!' is not an event"),
        ("events:\n  merge:\n    - [a-b]\n", ":3: a merge is a list of two or more"),
        ("events:\n  merge:\n    - [a-b, a-b]\n", ":3: a merge lists the same event twice"),
        (
            "events:\n  merge:\n    - [a-b, c-d]\n    - [c-d, e-f]\n",
            ":4: 'c-d' is already merged (line 3)",
        ),
        (
            "events:\n  reject: [a-b]\n  correct:\n    - {event: a-b, date: 2017}\n",
            ":4: 'a-b' is rejected (line 2) and corrected here",
        ),
        (
            "events:\n  merge:\n    - [a-b, c-d]\n  correct:\n"
            "    - {event: a-b, date: 2017}\n    - {event: c-d, title: X}\n",
            ":6: this event is already corrected (line 5)",
        ),
    ],
)
def test_a_malformed_entry_names_the_file_and_line(tmp_path, text, expected):
    path = write_corrections(tmp_path, text)
    with pytest.raises(CorrectionsError) as error:
        load_corrections(path)
    assert expected in str(error.value)
    if expected.startswith(":"):
        assert str(error.value).startswith(f"{path}{expected.split(' ')[0]}")


# --- applying them -------------------------------------------------------------------------


def test_a_rejected_event_is_gone_and_an_unknown_address_is_a_note(tmp_path):
    events, notes = curate(tmp_path, f"events:\n  reject: [{UNDATED_BOMB}, 2016-gone]\n")
    assert [e.slug for e in events] == [BOMB, CAPTURE]
    assert notes == [
        f"{tmp_path / 'corrections.yml'}:2: no event has the address '2016-gone' (the "
        "articles changed?): this correction is not used"
    ]


def test_merged_events_keep_every_account_and_the_first_address(tmp_path):
    events, notes = curate(
        tmp_path,
        "events:\n"
        f"  merge:\n    - [{BOMB}, {UNDATED_BOMB}]\n"
        f"  correct:\n    - {{event: {UNDATED_BOMB}, title: L'attentat de Bagdad}}\n",
    )
    assert notes == []
    assert [e.slug for e in events] == [BOMB, CAPTURE]
    bomb = by_slug(events)[BOMB]
    assert bomb.articles == ["a", "b"] and len(bomb.accounts) == 2
    assert bomb.merged_from == (BOMB, UNDATED_BOMB)
    assert bomb.title == "L'attentat de Bagdad"  # corrected through the other address
    assert bomb.date == dt.date(2017, 2, 16)


def test_a_corrected_date_moves_the_event_and_keeps_its_address_and_claims(tmp_path):
    events, _ = curate(
        tmp_path, f"events:\n  correct:\n    - {{event: {CAPTURE}, date: 2017-02}}\n"
    )
    assert [e.slug for e in events] == [CAPTURE, BOMB, UNDATED_BOMB]  # 1 February first
    capture = by_slug(events)[CAPTURE]
    assert (capture.date, capture.end_date, capture.precision) == (
        dt.date(2017, 2, 1),
        dt.date(2017, 2, 28),
        "month",
    )
    assert capture.corrected == ("date",)
    assert capture.title == "Prise ou reprise — Mossoul (février 2017)"
    assert [c.value for c in capture.date_claims()] == ["19 février 2017"]  # still shown


def test_corrected_fields_win_and_names_are_found_by_their_aliases(tmp_path):
    events, _ = curate(
        tmp_path,
        "events:\n  correct:\n"
        f"    - event: {UNDATED_BOMB}\n"
        "      kind: Frappe aérienne\n"
        "      places: [Bagdad]\n"
        "      actors: [Daesh, forces irakiennes]\n"
        "      figures: {killed: 52, injured: 61}\n"
        "      description: Selon la police.\n"
        '      sources: [{article: a.txt, quote: "un ATTENTAT à Bagdad"}]\n',
    )
    event = by_slug(events)[UNDATED_BOMB]
    assert (event.type, event.label) == ("air_strike", "Frappe aérienne")
    assert event.places == [BAGHDAD] and event.actors == [DAECH, ARMY]
    assert [(f.kind, f.value) for f in event.figures] == [("killed", 52), ("injured", 61)]
    assert event.description == "Selon la police."
    assert event.title == "Frappe aérienne — Bagdad"
    quoted = [a for a in event.accounts if a.curated]
    assert [(a.article, a.paragraph, a.sentences) for a in quoted] == [
        ("a", 1, ["un ATTENTAT à Bagdad"])
    ]
    assert event.corrected == ("kind", "places", "actors", "figures", "description", "sources")
    assert event.origin == "model"


def test_an_added_event_takes_its_place_in_the_timeline_with_its_sources(tmp_path):
    events, notes = curate(
        tmp_path,
        "events:\n  add:\n"
        "    - title: Reprise de l'aéroport\n"
        "      kind: capture\n"
        "      date: 2017-02-18\n"
        "      places: Mosul\n"
        "      actors: [armée irakienne]\n"
        "      sources:\n"
        '        - {article: a.txt, quote: "ont repris l\'aéroport"}\n'
        "        - sources/b/\n",
    )
    assert notes == []
    slugs = [e.slug for e in events]
    assert slugs == [BOMB, "2017-02-18-reprise-de-l-aeroport", CAPTURE, UNDATED_BOMB]
    added = events[1]
    assert (added.origin, added.title, added.places, added.actors) == (
        "curated",
        "Reprise de l'aéroport",
        [MOSUL],
        [ARMY],
    )
    assert [(a.article, a.paragraph, a.sentences, a.curated) for a in added.accounts] == [
        ("a", 0, ["ont repris l'aéroport"], True),
        ("b", 0, [], True),
    ]
    assert added.articles == ["a", "b"]


def test_an_added_event_never_takes_a_found_address(tmp_path):
    events, notes = curate(
        tmp_path,
        "events:\n  add:\n"
        "    - {kind: attack, date: 2017-02-16, places: [Bagdad], sources: a.txt}\n",
    )
    assert [e.slug for e in events] == [BOMB, f"{BOMB}-2", CAPTURE, UNDATED_BOMB]
    assert by_slug(events)[BOMB].origin == "model"
    assert len(notes) == 1 and f"the added event is at {BOMB}-2" in notes[0]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("      actors: [Hezbollah]\n", ":5: 'Hezbollah' is not an entity of the dossier"),
        ("      places: [Daech]\n", ":5: 'Daech' is an organisation, not a place"),
        ("      actors: [Mossoul]\n", ":5: 'Mossoul' is a place, not an organisation or a person"),
        ("      sources: [c.txt]\n", ":5: no article 'c.txt' in the articles folder"),
        (
            "      sources: [{article: a.txt, quote: voiture piégée}]\n",
            ":5: the quote 'voiture piégée' is not in a.txt",
        ),
    ],
)
def test_a_name_an_article_or_a_quote_the_dossier_lacks_is_an_error_with_the_line(
    tmp_path, entry, expected
):
    text = "events:\n  add:\n    - kind: attack\n      date: 2017\n" + entry
    if "sources" not in entry:
        text += "      sources: [a.txt]\n"
    with pytest.raises(CorrectionsError) as error:
        curate(tmp_path, text)
    assert str(error.value).startswith(f"{tmp_path / 'corrections.yml'}{expected.split(' ')[0]}")
    assert expected.split(" ", 1)[1] in str(error.value)


def test_found_events_are_left_as_found(tmp_path):
    events = found_events(*FOUND)
    before = [(e.slug, e.date, e.title, len(e.accounts)) for e in events]
    curate(
        tmp_path,
        f"events:\n  merge:\n    - [{BOMB}, {UNDATED_BOMB}]\n"
        f"  correct:\n    - {{event: {CAPTURE}, date: 2018}}\n",
        events,
    )
    assert [(e.slug, e.date, e.title, len(e.accounts)) for e in events] == before


def test_a_malformed_event_entry_stops_the_build_before_the_model_is_loaded(tmp_path):
    settings = copy_project(tmp_path / "project", {"a.txt": "Titre\nTexte."})
    (settings.articles_dir / "corrections.yml").write_text(
        "events:\n  correct:\n    - event: sans-date-x\n      date: 2017-13\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(settings.root)
        result = CliRunner().invoke(main, ["build", "--no-site"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "corrections.yml:4: `date`: there is no such date as 2017-13" in result.output
    assert not (settings.content_dir / "events").exists()


# --- the sample dossier ------------------------------------------------------------------

ADDED = "2017-02-20-frappes-sur-al-bab"
MOVED = "2017-02-19-offensive-ou-assaut-mossoul"
BAGHDAD_BOMB = "2017-02-16-attentat-ou-attaque-bagdad-irak"
MERGED_AWAY = "sans-date-attentat-ou-attaque"
REJECTED = "sans-date-declaration"
SEEDS_EVENTS = f"""
events:
  add:
    - title: Frappes sur Al Bab
      kind: air_strike
      date: 2017-02-20
      places: [Al Bab]
      actors: [aviation irakienne]
      figures: {{killed: 12}}
      description: Un événement inventé pour les tests.
      sources:
        - article: 000_0541c686e601ef5e.txt
          quote: "les chasseurs irakiens ont visé la localité d'Albou Kamal"
        - 001_8aa3180bd5d47c8b.txt
  correct:
    - event: {MOVED}
      date: 2017-02-25
  merge:
    - [{BAGHDAD_BOMB}, {MERGED_AWAY}]
  reject: [{REJECTED}, 2016-01-01-plus-la]
"""


@pytest.fixture(scope="module")
def curated_site(tmp_path_factory):
    from generator.site.build import build_site, reproducible_epoch
    from tests.pipeline_runs import generate

    settings = copy_project(tmp_path_factory.mktemp("curated") / "project", SEEDS)
    path = settings.articles_dir / "corrections.yml"
    path.write_text(path.read_text(encoding="utf-8") + SEEDS_EVENTS, encoding="utf-8")
    dossier, report = generate(settings)
    build_site(settings, reproducible_epoch(dossier.articles))
    return settings, dossier, report


def timeline_positions(settings, *slugs):
    page = html_of(settings, "timeline")
    return [page.index(f'href="../events/{slug}/"') for slug in slugs]


@pytest.mark.slow
def test_the_added_event_has_its_page_and_its_place_on_the_timeline(curated_site):
    settings, dossier, _ = curated_site
    assert [e.slug for e in dossier.events][:2] == [BAGHDAD_BOMB, ADDED]
    positions = timeline_positions(
        settings, BAGHDAD_BOMB, ADDED, "2017-02-24-offensive-ou-assaut-irak"
    )
    assert positions == sorted(positions)
    page = html_of(settings, f"events/{ADDED}")
    assert "ajouté à la main" in page and "Un événement inventé pour les tests." in page
    assert 'href="../../sources/000-0541c686e601ef5e/#p2"' in page  # the quote's paragraph
    assert 'href="../../sources/001-8aa3180bd5d47c8b/"' in page
    assert 'href="../../places/al-bab/"' in page
    assert "12 morts" in page
    assert f'href="../../events/{ADDED}/"' in html_of(settings, "places/al-bab")


@pytest.mark.slow
def test_the_corrected_date_moves_the_event_on_the_timeline(curated_site):
    settings, dossier, _ = curated_site
    moved = next(e for e in dossier.events if e.slug == MOVED)
    assert moved.date == dt.date(2017, 2, 25) and moved.corrected == ("date",)
    later = timeline_positions(settings, "2017-02-24-offensive-ou-assaut-irak", MOVED)
    assert later == sorted(later)
    page = html_of(settings, f"events/{MOVED}")
    assert "25 février 2017 (corrigée à la main)" in page
    assert "19 février 2017" in page  # what the article says is still shown


@pytest.mark.slow
def test_the_merged_events_leave_one_page_with_both_sources(curated_site):
    settings, dossier, _ = curated_site
    bomb = next(e for e in dossier.events if e.slug == BAGHDAD_BOMB)
    assert bomb.articles == ["000-0541c686e601ef5e", "001-8aa3180bd5d47c8b"]
    assert not any(e.slug == MERGED_AWAY for e in dossier.events)
    assert not (settings.site_dir / "events" / MERGED_AWAY).exists()
    page = html_of(settings, f"events/{BAGHDAD_BOMB}")
    assert "réunit 2 événements" in page
    assert "sources/000-0541c686e601ef5e/#p" in page and "sources/001-8aa3180bd5d47c8b/#p" in page


@pytest.mark.slow
def test_the_rejected_event_is_gone_from_pages_timeline_and_exports(curated_site):
    settings, dossier, _ = curated_site
    assert not any(e.slug == REJECTED for e in dossier.events)
    assert not (settings.site_dir / "events" / REJECTED).exists()
    assert not (settings.content_dir / "events" / f"{REJECTED}.md").exists()
    exports = [
        "timeline/index.html",
        "timeline/timeline.json",
        "timeline/timeline.ics",
        "exports/dossier.json",
        "exports/dossier.ftm.json",
        "people/haider-al-abadi/index.html",
    ]
    for name in exports:
        assert REJECTED not in (settings.site_dir / name).read_text(encoding="utf-8"), name
    data = json.loads((settings.site_dir / "exports" / "dossier.json").read_text("utf-8"))
    assert [e["id"] for e in data["events"]] == [f"events/{e.slug}" for e in dossier.events]
    added = next(e for e in data["events"] if e["id"] == f"events/{ADDED}")
    assert (added["origin"], added["date"], added["figures"]) == (
        "curated",
        "2017-02-20",
        [{"kind": "killed", "unit": "personnes", "value": 12}],
    )


@pytest.mark.slow
def test_an_address_no_event_has_is_a_build_note(curated_site):
    settings, _, report = curated_site
    unused = [n for n in report.notes if "2016-01-01-plus-la" in n]
    assert len(unused) == 1
    assert unused[0].startswith(f"{settings.articles_dir / 'corrections.yml'}:")
    assert "this correction is not used" in unused[0]


@pytest.mark.slow
def test_the_same_corrections_give_byte_identical_pages(curated_site, tmp_path):
    from tests.pipeline_runs import generate

    settings, _, _ = curated_site
    again = copy_project(tmp_path / "again", settings.articles_dir)
    generate(again)
    for folder in ("events", "timeline", "exports"):
        for path in sorted((settings.content_dir / folder).rglob("*")):
            twin = again.content_dir / path.relative_to(settings.content_dir)
            assert twin.read_bytes() == path.read_bytes(), path


def test_the_docs_example_is_a_valid_events_section(tmp_path):
    from .conftest import ROOT

    page = (ROOT / "docs" / "pages" / "corrections.md").read_text(encoding="utf-8")
    example = page.split("## Curated events", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    corrections = load_corrections(write_corrections(tmp_path, example)).events
    kinds = (corrections.added, corrections.corrected, corrections.merged, corrections.rejected)
    assert [len(entries) for entries in kinds] == [1, 1, 1, 1]
