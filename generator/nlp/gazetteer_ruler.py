"""The gazetteer ruler of rules-only pipelines: a spaCy component that marks as places
the names the gazetteer knows, for a language without a statistical model."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from generator.nlp.lexicon import Lexicon
from generator.resolve.gazetteer import Gazetteer
from generator.text import fold

GAZETTEER_RULER = "gazetteer_ruler"
GAZETTEER_ID = "gazetteer"
MAX_PLACE_TOKENS = 6  # `Deir ez - Zor`, `Abu Kamal`: longer names are not looked up


class GazetteerRuler:
    """Marks as places the capitalised names that name a gazetteer place, longest first,
    where no earlier ruler found an entity. Not taken: a lone word that is a stop word or
    a common word (`Police`, `March`: lexicon `not_places`), and a place name inside a
    longer capitalised name (`Ahmed Hassan`, `Mosul Dam`), which is something else."""

    def __init__(self) -> None:
        self.gazetteer = Gazetteer({})
        self.not_places: frozenset[str] = frozenset()
        self.names: frozenset[str] = frozenset()
        self.stop_words: frozenset[str] = frozenset()

    def setup(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        stop_words: Iterable[str],
        names: Iterable[str] = (),
    ) -> None:
        """`names`: the labels of the spans it keeps (the others give way to a place)."""
        self.gazetteer = gazetteer
        self.names = frozenset(names)
        self.stop_words = frozenset(fold(w) for w in stop_words)
        self.not_places = lexicon.not_places | lexicon.rejected | self.stop_words

    def __call__(self, doc: Doc) -> Doc:
        # names found before are kept; a span of another label (`NORP`, `MISC`, `DATE`)
        # gives way to a gazetteer place (`Energodar residents`)
        names = [ent for ent in doc.ents if ent.label_ in self.names]
        taken = {i for ent in names for i in range(ent.start, ent.end)}
        found: list[Span] = []
        start = 0
        while start < len(doc):
            span = None if start in taken else self.place_at(doc, start, taken)
            found += [span] if span is not None else []
            start = span.end if span is not None else start + 1
        if found:
            placed = {i for span in found for i in range(span.start, span.end)}
            others = [
                ent
                for ent in doc.ents
                if ent.label_ not in self.names and placed.isdisjoint(range(ent.start, ent.end))
            ]
            doc.ents = sorted([*names, *others, *found], key=lambda span: span.start)
        return doc

    def place_at(self, doc: Doc, start: int, taken: set[int]) -> Span | None:
        if not doc[start].text[:1].isupper():
            return None
        for end in range(min(len(doc), start + MAX_PLACE_TOKENS), start, -1):
            if taken.intersection(range(start, end)) or not doc[end - 1].text[:1].isalpha():
                continue
            place = self.gazetteer.lookup(doc[start:end].text)
            if place is None:
                continue
            if end - start == 1 and fold(doc[start].text) in self.not_places:
                return None
            if self._name_word(doc, start - 1) or self._name_word(doc, end):
                return None
            return Span(doc, start, end, label="LOC", span_id=f"{GAZETTEER_ID}:{place.name}")
        return None

    def _name_word(self, doc: Doc, index: int) -> bool:
        """A capitalised word that is not a stop word (`In` of `In Mosul` is not)."""
        if not 0 <= index < len(doc):
            return False
        text = doc[index].text
        return text[:1].isupper() and text[:1].isalpha() and fold(text) not in self.stop_words


@Language.factory(GAZETTEER_RULER)
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler()
