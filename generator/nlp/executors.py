"""Where the articles missing from the extraction cache go through spaCy: the local
processes of `--jobs` (the default), or a Dask distributed cluster (`--scheduler`,
`--workers`, see cluster.py). Both run `extract_mentions` with the same pipeline, made
from the same `Recipe`, so that they give the same mentions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from spacy.language import Language

from generator.errors import BuildError
from generator.nlp.languages import Setup
from generator.nlp.mentions import extract_mentions
from generator.nlp.pipeline import extraction_pipeline, models_kept
from generator.records import Article, Mention
from generator.resolve.gazetteer import Gazetteer, load_gazetteer


@dataclass(frozen=True)
class Recipe:
    """What one language's extraction pipeline is made of: small and picklable, so that
    a cluster worker makes the same pipeline itself. `version` is the extraction version
    of the cache (cache/store.py `extraction_version`) as the build computed it: a worker
    whose code, data or model give another one refuses the work."""

    setup: Setup
    ruler_entries: tuple[dict[str, Any], ...]
    version: str

    def load(self, gazetteer: Gazetteer | None = None) -> Language:
        gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        return extraction_pipeline(self.setup, self.ruler_entries, gazetteer)


class Executor(Protocol):
    def __call__(self, articles: list[Article], recipe: Recipe) -> list[Mention]:
        """The mentions of `articles`, in article order, by the pipeline of `recipe`."""
        ...


@dataclass
class LocalExtraction:
    """spaCy in this process, or in `jobs` processes when there is enough text."""

    gazetteer: Gazetteer
    jobs: int

    def __call__(self, articles: list[Article], recipe: Recipe) -> list[Mention]:
        return extract_mentions(articles, kept_pipeline(recipe, self.gazetteer), jobs=self.jobs)


# Each language's local pipeline, kept (`keep_models`) for the next build in this process:
# loading the model takes seconds, and a pipeline is only read from.
_KEPT: dict[str, tuple[str, Gazetteer, Language]] = {}


def kept_pipeline(recipe: Recipe, gazetteer: Gazetteer) -> Language:
    """The pipeline of the recipe's language; kept, it is made again only when its version
    (code, data, model and curated names, see `Recipe`) or the gazetteer is another."""
    if not models_kept():
        return recipe.load(gazetteer)
    held = _KEPT.get(recipe.setup.language)
    if held is None or held[0] != recipe.version or held[1] is not gazetteer:
        held = _KEPT[recipe.setup.language] = (recipe.version, gazetteer, recipe.load(gazetteer))
    return held[2]


@contextmanager
def extraction_executor(
    scheduler: str | None, workers: int, jobs: int, gazetteer: Gazetteer
) -> Iterator[Executor]:
    """The local executor, or the Dask one when a scheduler or a worker count is given
    (it connects, or starts its LocalCluster, only when an article needs extracting, and
    closes on the way out)."""
    if scheduler is not None and workers:
        raise BuildError("--scheduler and --workers exclude each other: choose one")
    if scheduler is None and not workers:
        yield LocalExtraction(gazetteer, jobs)
        return
    from generator.nlp.cluster import ClusterExtraction  # Dask is an optional extra

    executor = ClusterExtraction(scheduler, workers)
    try:
        yield executor
    finally:
        executor.close()
