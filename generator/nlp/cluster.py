"""Extraction on a Dask distributed cluster (`--scheduler ADDRESS`, or `--workers N` for
a LocalCluster started for the run), for corpora past what one machine extracts in time.

The build keeps everything but spaCy: it reads the articles, takes what the extraction
cache holds, and sends only the missing articles, in batches, to the workers; each
worker process loads a language's pipeline once (from the `Recipe`, kept for the next
batches and builds) and sends back the mentions, which the build puts in article order
and stores in its cache. The mentions are those of a local run: the same code, data and
model make them, and a worker whose extraction version differs from the build's refuses
the work rather than give other mentions.

Dask is the optional `cluster` extra (`pip install 'dossier[cluster]'`).
"""

from __future__ import annotations

import logging
import math
import threading
from collections import Counter
from typing import TYPE_CHECKING

from spacy.language import Language

from generator.cache.store import extraction_version
from generator.errors import BuildError
from generator.nlp.executors import Recipe
from generator.nlp.mentions import extract_mentions
from generator.records import Article, Mention
from generator.timing import progress

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

log = logging.getLogger(__name__)

EXTRA = "cluster"
BATCHES_PER_WORKER = 4  # enough to even out the workers, few enough to cost nothing
MAX_BATCH_ARTICLES = 50


def require_dask() -> None:
    """A clear error, naming the extra, when Dask is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError as error:
        raise BuildError(
            f"--scheduler and --workers need Dask, which is not installed: "
            f"pip install 'dossier[{EXTRA}]' (or `pip install 'dask[distributed]'`)"
        ) from error


class ClusterExtraction:
    """The Dask executor: connects to the scheduler (or starts the LocalCluster) on the
    first articles to extract, and `close` ends what it started."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        require_dask()
        self.scheduler, self.workers = scheduler, workers
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None

    @property
    def where(self) -> str:
        if self.scheduler is not None:
            return f"the Dask scheduler at {self.scheduler}"
        return f"a Dask LocalCluster of {self.workers} worker(s)"

    def __call__(self, articles: list[Article], recipe: Recipe) -> list[Mention]:
        from distributed import as_completed

        client = self.client()
        size = batch_size(len(articles), len(client.scheduler_info()["workers"]))
        batches = [articles[n : n + size] for n in range(0, len(articles), size)]
        log.info("extraction: %d batch(es) of articles on %s", len(batches), self.where)
        shared = client.scatter(recipe, broadcast=True, hash=False)
        futures = client.map(extract_batch, batches, recipe=shared, pure=False)
        try:
            for _ in progress(as_completed(futures), len(futures), "extract", "batch"):
                pass
            results = [future.result() for future in futures]
        except Exception as error:  # raised on a worker: said as one line, with its type
            raise BuildError(
                f"extraction failed on {self.where}: {type(error).__name__}: {error}"
            ) from error
        return [mention for batch in results for mention in batch]

    def client(self) -> Client:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Client:
        import dask.config
        from distributed import Client, LocalCluster

        if self.scheduler is None:
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,  # spaCy holds the GIL: processes, not threads
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            return Client(self._cluster)
        wait = dask.config.get("distributed.comm.timeouts.connect")
        try:
            client = Client(self.scheduler)
        except (OSError, TimeoutError, ValueError) as error:
            raise BuildError(
                f"cannot reach the Dask scheduler at {self.scheduler} ({error}); is "
                "`dask scheduler` running there, and the address right?"
            ) from error
        try:
            client.wait_for_workers(1, timeout=wait)
        except (OSError, TimeoutError) as error:
            client.close()
            raise BuildError(
                f"the Dask scheduler at {self.scheduler} has no worker (waited {wait}): "
                "start some with `dask worker`"
            ) from error
        return client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def batch_size(articles: int, workers: int) -> int:
    """Articles per task: a few tasks per worker, so that a slow batch does not leave the
    others idle, and none too large to send."""
    per_task = math.ceil(articles / (BATCHES_PER_WORKER * max(workers, 1)))
    return max(1, min(MAX_BATCH_ARTICLES, per_task))


# --- on a worker ---------------------------------------------------------------------

_PIPELINES: dict[str, tuple[str, Language]] = {}  # by language: (its version, pipeline)
_LOADING = threading.Lock()  # a worker with several threads loads a pipeline once
_LOADS: Counter[str] = Counter()  # pipelines loaded in this process, by language


def extract_batch(articles: list[Article], recipe: Recipe) -> list[Mention]:
    """On a worker: the mentions of a batch of articles, in article order."""
    return extract_mentions(articles, worker_pipeline(recipe), jobs=1, show_progress=False)


def worker_pipeline(recipe: Recipe) -> Language:
    """This worker's pipeline of the recipe's language, loaded on its first batch and
    kept (one per language: a build with other corrections replaces it)."""
    language = recipe.setup.language
    with _LOADING:
        held = _PIPELINES.get(language)
        if held is None or held[0] != recipe.version:
            check_version(recipe)
            held = _PIPELINES[language] = (recipe.version, recipe.load())
            _LOADS[language] += 1
        return held[1]


def check_version(recipe: Recipe) -> None:
    """Refuse to extract with code, data or a model other than the build's."""
    here = extraction_version(recipe.setup.key, recipe.ruler_entries)
    if here != recipe.version:
        raise RuntimeError(
            f"this worker's dossier, data or {recipe.setup.label} differ from the build's "
            "(another extraction version): install the same versions on every worker"
        )


def pipelines_loaded() -> dict[str, int]:
    """How many pipelines this process has loaded, by language (a test asks the workers)."""
    return dict(_LOADS)
