"""Date rules, each on a small input: wording kept, years never guessed."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from generator.events.dates import date_mentions, infer_year
from tests.factories import article


@pytest.fixture(scope="module")
def tokenizer():
    return spacy.blank("fr")  # date expressions need the tokeniser only


def dates_of(tokenizer, *paragraphs: str, date: dt.date | None = None) -> dict[str, object]:
    return {m.text: m for m in date_mentions([article(*paragraphs, date=date)], tokenizer)}


def test_full_french_and_english_dates_are_read_without_any_anchor(tokenizer):
    found = dates_of(tokenizer, "Le 16 février 2017, puis le 1er mars 2016 et February 24, 2017.")
    assert found["16 février 2017"].value == dt.date(2017, 2, 16)
    assert found["1er mars 2016"].value == dt.date(2016, 3, 1)
    assert found["February 24, 2017"].value == dt.date(2017, 2, 24)
    assert {m.basis for m in found.values()} == {"explicit"}
    assert {m.precision for m in found.values()} == {"day"}


def test_month_and_year_precision(tokenizer):
    found = dates_of(tokenizer, "En février 2017, comme en 2016.")
    assert (found["février 2017"].value, found["février 2017"].precision) == (
        dt.date(2017, 2, 1),
        "month",
    )
    assert (found["2016"].value, found["2016"].precision) == (dt.date(2016, 1, 1), "year")


def test_yearless_date_takes_the_publication_year_preferring_the_past(tokenizer):
    found = dates_of(tokenizer, "Le 24 février et le 2 décembre.", date=dt.date(2017, 2, 24))
    assert found["24 février"].value == dt.date(2017, 2, 24)
    assert found["2 décembre"].value == dt.date(2016, 12, 2)  # not ten months ahead
    assert found["24 février"].basis == "publication"


def test_relative_dates_are_read_against_the_publication_date(tokenizer):
    friday = dt.date(2017, 2, 24)
    found = dates_of(tokenizer, "Mardi dernier, hier et il y a trois jours.", date=friday)
    assert found["Mardi dernier"].value == dt.date(2017, 2, 21)
    assert found["hier"].value == dt.date(2017, 2, 23)
    assert found["il y a trois jours"].value == dt.date(2017, 2, 21)
    english = dates_of(tokenizer, "It happened last Tuesday.", date=friday)
    assert english["last Tuesday"].value == dt.date(2017, 2, 21)


def test_a_bare_weekday_is_the_last_such_day_up_to_the_article_date(tokenizer):
    saturday = dt.date(2022, 10, 1)
    found = dates_of(tokenizer, "Il a été arrêté vendredi, puis samedi soir.", date=saturday)
    assert found["vendredi"].value == dt.date(2022, 9, 30)
    assert found["samedi soir"].value == saturday  # the article's own day, not a week ago
    english = dates_of(
        spacy.blank("en"),
        "He was seized Friday and has been held since Wednesday's coup.",
        date=saturday,
    )
    assert english["Friday"].value == dt.date(2022, 9, 30)
    assert english["Wednesday"].value == dt.date(2022, 9, 28)  # `Wednesday's coup`
    assert dates_of(tokenizer, "Last Saturday.", date=saturday)["Last Saturday"].value == dt.date(
        2022, 9, 24
    )  # `last` says it is not today


def test_without_any_date_a_yearless_date_is_never_given_a_year(tokenizer):
    found = dates_of(tokenizer, "Le 24 février, il a parlé.")
    assert found["24 février"].value is None
    assert (found["24 février"].precision, found["24 février"].basis) == ("unknown", "unresolved")


def test_a_full_date_of_the_same_article_gives_its_year_to_a_close_yearless_date(tokenizer):
    found = dates_of(tokenizer, "Le 24 février, il a parlé.", "— RT France (@RT) 16 février 2017")
    assert found["24 février"].value == dt.date(2017, 2, 24)
    assert found["24 février"].basis == "inferred"
    assert found["24 février"].inferred_from == "16 février 2017"


def test_inference_crosses_new_year_but_refuses_far_or_ambiguous_dates(tokenizer):
    found = dates_of(tokenizer, "Le 2 janvier puis le 2 juillet ; écrit le 30 décembre 2016.")
    assert found["2 janvier"].value == dt.date(2017, 1, 2)
    assert found["2 juillet"].value is None  # half a year away: no year is guessed
    # full dates a year apart: 1 January could be in either year, so it is in neither
    assert infer_year(dt.date(2000, 1, 1), [dt.date(2016, 2, 1), dt.date(2017, 2, 1)]) is None
    assert infer_year(dt.date(2000, 1, 1), [dt.date(2016, 2, 1)]) == dt.date(2016, 1, 1)


def test_relative_dates_stay_unresolved_without_a_publication_date(tokenizer):
    found = dates_of(tokenizer, "Mardi dernier et hier, selon un texte du 16 février 2017.")
    assert found["Mardi dernier"].value is None
    assert found["hier"].value is None
    assert found["16 février 2017"].value == dt.date(2017, 2, 16)


def test_original_wording_and_offsets_are_kept(tokenizer):
    text = "Le 24\u00a0février\u00a02017 à l’aube."
    (mention,) = date_mentions([article(text)], tokenizer)
    assert mention.text == "24\u00a0février\u00a02017"
    assert text[mention.start : mention.end] == mention.text
    assert mention.value == dt.date(2017, 2, 24)


def test_numbers_that_are_not_dates_are_left_alone(tokenizer):
    assert dates_of(tokenizer, "Il y a 2017 personnes et 52 morts, page 24.") == {}
