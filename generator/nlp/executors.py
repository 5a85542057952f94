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
from generator.nlp.pipeline import extraction_pipeline
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
        return extract_mentions(articles, recipe.load(self.gazetteer), jobs=self.jobs)


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
