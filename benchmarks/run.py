"""Benchmark: build a synthetic dossier of N articles and measure it against spaCy and MkDocs.

    python benchmarks/run.py --articles 1000          # also 100, 10000; several at once

One run, one corpus (see benchmarks/corpus.py: synthetic, seeded), these figures:
1. extraction throughput of the generator vs raw spaCy `nlp.pipe` on the same paragraphs;
2. `dossier build` (cold: empty cache) vs bare `mkdocs build` of the generated Markdown;
3. a rebuild with no article changed: model calls and time vs bare MkDocs;
4. a rebuild after adding one article, end to end (MkDocs included): model calls, time,
   and whether the site is byte for byte bare MkDocs' clean build of the same content;
5. peak memory of the build (all its processes) and search index size vs the raw text;
5b. time from page load to the first search result in headless Chromium;
5c. extraction on a Dask LocalCluster of 2 workers vs the local processes, same output;
5d. the largest entity page (HTML, in KB) and its path;
6. growth: the table has one column per size, from every result kept in benchmarks/results/.

The figures of each size are kept in `benchmarks/results/<N>.json`; the table of all
kept sizes is printed and written to `benchmarks/results/results.md`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402
from generator.ingest.read import read_articles  # noqa: E402
from generator.nlp.mentions import extract_mentions  # noqa: E402
from generator.nlp.pipeline import DEFAULT_MODEL, load_pipeline  # noqa: E402
from generator.site import urls  # noqa: E402
from generator.site.search_index import load_index  # noqa: E402
from generator.site.write import copy_hand_written_content  # noqa: E402
from tests.site_trees import differences  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="spaCy worker processes")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    parser.add_argument(
        "--throughput-sample",
        type=int,
        default=1000,
        help="articles used for figure 1 (raw spaCy is slow: at 10,000 it takes half an hour)",
    )
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for count in args.articles:
        figures = run(count, args)
        (RESULTS / f"{count}.json").write_text(json.dumps(figures, indent=1) + "\n")
    table = results_table(load_results())
    (RESULTS / "results.md").write_text(table)
    print(table)


def run(count: int, args: argparse.Namespace) -> dict:
    work = args.work / str(count)
    shutil.rmtree(work, ignore_errors=True)
    articles = work / "project" / "articles"
    say(f"[{count}] writing the corpus")
    corpus.write_corpus(articles, count, seed=args.seed)
    project = make_project(work / "project")
    code = snapshot_code(work / "code")
    figures: dict = {"articles": count, "machine": machine(), "jobs": args.jobs}
    figures["commit"] = commit()
    figures.update(text_size(articles))

    say(f"[{count}] 1. extraction throughput (sample of {args.throughput_sample})")
    figures.update(throughput(articles, min(count, args.throughput_sample), args.jobs))

    say(f"[{count}] 2. cold build")
    cold = dossier_build(project, code, args.jobs)
    figures["cold"] = cold
    say(f"[{count}] 2. bare mkdocs build")
    figures["mkdocs"] = bare_mkdocs(project, code, work / "bare-site")

    say(f"[{count}] 3. rebuild, nothing changed")
    figures["rebuild"] = dossier_build(project, code, args.jobs)

    say(f"[{count}] 4. rebuild after adding one article, MkDocs included")
    corpus.write_corpus(articles, 1, seed=args.seed, start=count)
    figures["added"] = dossier_build(project, code, args.jobs)
    say(f"[{count}] 4. the same content built clean by bare MkDocs, compared")
    figures["identical"] = identical_to_clean_build(project, code, work / "clean-site")

    say(f"[{count}] 5c. extraction on a 2-worker LocalCluster, and locally")
    figures["cluster_extraction"] = cluster_extraction(project, code, args.jobs)

    site = project / "site"
    figures.update(index_sizes(site / "search"))
    figures.update(largest_entity_page(site))
    figures["pages"] = sum(1 for _ in (project / "content").rglob("*.md"))
    if not args.no_browser:
        say(f"[{count}] 5b. first search result in Chromium")
        timings = first_search_result(site, search_query(site))
        figures["first_result_ms"] = sorted(timings)[len(timings) // 2]
        figures["first_result_tries_ms"] = timings
        say(f"[{count}] 6. network page: first paint in Chromium")
        paints = first_network_paint(site)
        figures["network_paint_ms"] = sorted(paints)[len(paints) // 2]
        figures["network_nodes_edges"] = network_size(site)
    return figures


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    python = platform.python_version()
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, Python {python}"


def commit() -> str:
    """The commit measured, marked when the working tree had changes."""

    def git(*arguments: str) -> str:
        result = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip()

    # The results of the sizes measured before this one are no change of the code.
    changes = git("status", "--porcelain", "--", ".", ":!benchmarks/results")
    modified = " (modified)" if changes else ""
    return git("rev-parse", "--short", "HEAD") + modified


def snapshot_code(folder: Path) -> Path:
    """The generator as it is at the start, which every build of the run uses: a run takes
    hours at 10,000 articles, and an edit of the working copy meanwhile would change the
    fingerprint, so that the no-change rebuild would generate again (it happened once)."""
    shutil.copytree(
        ROOT / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    return folder


def make_project(folder: Path) -> Path:
    """The project's real mkdocs.yml and templates, around the generated articles."""
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", folder / "site_templates")
    (folder / "content").mkdir()
    copy_hand_written_content(ROOT / "content", folder / "content")
    return folder


def text_size(articles: Path) -> dict:
    ingested = read_articles(articles).articles
    raw = sum(len("\n\n".join(a.paragraphs).encode("utf-8")) for a in ingested)
    paragraphs = sum(len(a.paragraphs) for a in ingested)
    return {"raw_text_bytes": raw, "paragraphs": paragraphs}


def throughput(articles: Path, sample: int, jobs: int) -> dict:
    """Paragraphs per second: raw `nlp.pipe` with the full model as shipped, and the
    generator's extraction (its pipeline, mention cleaning) on the same paragraphs."""
    import spacy

    chosen = read_articles(articles).articles[:sample]
    texts = [p for a in chosen for p in a.normalised_paragraphs]
    raw_nlp = spacy.load(DEFAULT_MODEL)
    start = time.perf_counter()
    for _ in raw_nlp.pipe(texts):
        pass
    raw_seconds = time.perf_counter() - start
    del raw_nlp
    nlp = load_pipeline(DEFAULT_MODEL)
    start = time.perf_counter()
    extract_mentions(chosen, nlp, jobs=jobs)
    ours_seconds = time.perf_counter() - start
    return {
        "throughput_sample_articles": len(chosen),
        "throughput_paragraphs": len(texts),
        "raw_spacy_per_second": len(texts) / raw_seconds,
        "generator_per_second": len(texts) / ours_seconds,
    }


def dossier_build(project: Path, code: Path, jobs: int, *options: str) -> dict:
    """`dossier -v build` in its own process: wall time, peak memory, stages, model calls."""
    command = [sys.executable, "-m", "generator.cli", "-v", "build", "--articles", "articles"]
    command += ["--jobs", str(jobs)]
    command += options
    output, seconds, peak, cpu = measured(command, project, code)
    stages = {m[1]: float(m[2]) for m in re.finditer(r"stage (\w+): ([\d.]+) s", output)}
    calls = re.search(
        r"extraction: (\d+) article\(s\) through the model, (\d+) from the cache; "
        r"events: (\d+) article\(s\) through the parser",
        output,
    )
    counts = re.search(r"(\d+) articles, (\d+) entities", output)
    if not (calls and counts):
        raise RuntimeError(f"dossier build failed:\n{output[-3000:]}")
    site = re.search(r"site: (\d+) pages rendered, (\d+) kept", output)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_pss_bytes": peak,
        "site_rendered_kept": [int(site[1]), int(site[2])] if site else None,
        "stages": stages,
        "model_calls": int(calls[1]),  # articles through the NER pipeline
        "parser_calls": int(calls[3]),  # articles through the parser (events stage)
        "cached": int(calls[2]),
        "entities": int(counts[2]),
    }


def cluster_extraction(project: Path, code: Path, jobs: int) -> dict:
    """`dossier -v extract` from an empty cache, locally (`--jobs`) and on a Dask
    LocalCluster of 2 workers (its start included): the seconds of the extract stage, and
    whether the review file and the cache entries are the same bytes."""
    runs = {}
    for name, options in (("local", ["--jobs", str(jobs)]), ("cluster", ["--workers", "2"])):
        folder = project.parent / f"extract-{name}"
        command = [sys.executable, "-m", "generator.cli", "-v", "extract", "--articles"]
        command += ["articles", "--cache", str(folder / "cache")]
        command += ["--output", str(folder / "extraction.yml"), *options]
        output, *_ = measured(command, project, code)
        stage = re.search(r"stage extract: ([\d.]+) s", output)
        if stage is None:
            raise RuntimeError(f"dossier extract said no extraction time:\n{output[-3000:]}")
        files = [folder / "extraction.yml", *sorted((folder / "cache").rglob("*.json"))]
        made = {path.relative_to(folder).as_posix(): path.read_bytes() for path in files}
        runs[name] = (float(stage[1]), made)
    return {
        "local_seconds": runs["local"][0],
        "cluster_seconds": runs["cluster"][0],
        "identical": runs["local"][1] == runs["cluster"][1],
    }


def bare_mkdocs(project: Path, code: Path, site: Path, epoch: str | None = None) -> dict:
    command = [str(BIN / "mkdocs"), "build", "-q", "-f", "mkdocs.yml", "-d", str(site)]
    _, seconds, peak, cpu = measured(command, project, code, epoch)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_pss_bytes": peak}


def identical_to_clean_build(project: Path, code: Path, clean: Path) -> bool:
    """Whether the site, built incrementally, is byte for byte what bare MkDocs builds of
    the same content from nothing, at the same SOURCE_DATE_EPOCH (read back from the
    header of the site's sitemap.xml.gz, which MkDocs stamps with it)."""
    site = project / "site"
    epoch = str(int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little"))
    bare_mkdocs(project, code, clean, epoch)
    return differences(site, clean) == []


def measured(
    command: list[str], cwd: Path, code: Path, epoch: str | None = None
) -> tuple[str, float, int, float]:
    """Run a command; its output, wall time, peak memory of its process tree (PSS, see
    `_sample_memory`), and CPU time (user + system, all its processes: steadier than
    wall time on a busy box)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(code)}  # see snapshot_code
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    peak = [0]
    sampler = threading.Thread(target=_sample_memory, args=(process.pid, peak), daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output[-3000:]}")
    return output, seconds, peak[0], cpu


def _sample_memory(pid: int, peak: list[int]) -> None:
    """The peak of the process tree's memory, as the sum of each process's proportional
    set size (PSS): a page shared by n processes counts 1/n in each, so that the sum is
    the memory the tree holds. Summed RSS (what results before this measure kept, as
    `peak_rss_bytes`) counts the model and the dossier that forked workers share
    copy-on-write with their parent once per process. Where PSS cannot be read, RSS.
    Every SAMPLE_SECONDS: reading a process's PSS walks its memory map (25 ms for a
    1.2 GB process), and sampling every 50 ms through psutil's `memory_full_info` took a
    third of a core from the build it measured; every 250 ms it still took 14.6 s of CPU
    from a 118 s add at 10,000 articles (4 GB held) on 2 cores. A peak held for less
    than a second can be missed; the build's memory grows and shrinks over seconds."""
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        while root.is_running() and root.status() != psutil.STATUS_ZOMBIE:
            total = 0
            for process in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error, OSError):
                    total += _proportional_size(process)
            peak[0] = max(peak[0], total)
            time.sleep(SAMPLE_SECONDS)


SAMPLE_SECONDS = 1.0


def _proportional_size(process: psutil.Process) -> int:
    """The process's PSS from `/proc/<pid>/smaps_rollup` (Linux), else its RSS."""
    try:
        with open(f"/proc/{process.pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return process.memory_info().rss


def peak_memory(figures: dict) -> str:
    cold = figures["cold"]
    if "peak_pss_bytes" in cold:
        return f"**{cold['peak_pss_bytes'] / 1e9:.2f} GB** (PSS)"
    return f"**{cold['peak_rss_bytes'] / 1e9:.2f} GB** (RSS summed, counts shared pages twice)"


def index_sizes(folder: Path) -> dict:
    """What a reader's browser downloads for search, as files and gzipped (as GitHub Pages
    serves them): before the first result, Material's search_index.json (its settings)
    and the lunr index built with the site; then the text files of the entries that
    queries find, fetched as they are needed (all of them counted here)."""
    first = [(folder / name).read_bytes() for name in ("search_index.json", "lunr_index.json")]
    texts = [path.read_bytes() for path in sorted((folder / "text").glob("*.json"))]
    return {
        "index_bytes": len(first[0]),
        "prebuilt_index_bytes": len(first[1]),
        "search_text_bytes": sum(map(len, texts)),
        "index_gzip_bytes": sum(len(gzip.compress(d, 6)) for d in first),
        "search_text_gzip_bytes": sum(len(gzip.compress(d, 6)) for d in texts),
    }


def largest_entity_page(site: Path) -> dict:
    """The largest HTML page of a person, place or organisation (`people/<slug>/
    index.html`; not the pages of all their mentions, one folder below)."""
    pages = [p for folder in urls.SECTIONS.values() for p in (site / folder).glob("*/index.html")]
    largest = max(pages, key=lambda p: (p.stat().st_size, p.as_posix()))
    return {
        "largest_entity_page_bytes": largest.stat().st_size,
        "largest_entity_page": largest.parent.relative_to(site).as_posix() + "/",
    }


def search_query(site: Path) -> str:
    """A person's name from the site: what a reader would look for."""
    index = load_index(site)
    titles = zip(index["locations"], index["titles"], strict=True)
    people = sorted(title for location, title in titles if location.startswith("people/"))
    people = [p for p in people if p and p != "Personnes"]
    return people[len(people) // 2].split()[-1] if people else "Syrie"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # one line per request else
        pass


# When the first result is put in the page, and the frame after it: the time a reader
# sees it. Playwright's own wait sees it later: it polls, every 500 ms after a while,
# which added 0.35 to 0.45 s to each figure at 10,000 articles.
_WATCH_FIRST_RESULT = """
new MutationObserver((_, observer) => {
  if (document.querySelector(".md-search-result__item")) {
    observer.disconnect()
    requestAnimationFrame(() => { window.__firstResult = performance.now() })
  }
}).observe(document, { childList: true, subtree: true })
"""


def first_search_result(site: Path, query: str, tries: int = 3) -> list[float]:
    """Milliseconds from navigation start to the frame that first shows a search result,
    in a new browser each time (nothing cached)."""
    from playwright.sync_api import sync_playwright

    timings = []
    with served(site) as url, sync_playwright() as playwright:
        for _ in range(tries):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(_WATCH_FIRST_RESULT)
            # The reader types as soon as the page's scripts run (DOMContentLoaded); a
            # key up, which `fill` does not send, is what makes Material search.
            page.goto(url, wait_until="domcontentloaded")
            box = page.locator("input.md-search__input")
            box.fill(query)
            box.press("End")
            page.wait_for_function("() => window.__firstResult !== undefined", timeout=120_000)
            timings.append(float(page.evaluate("window.__firstResult")))
            browser.close()
    return timings


@contextlib.contextmanager
def served(site: Path):
    """The site served on 127.0.0.1 for the time of the block: its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def first_network_paint(site: Path, tries: int = 3) -> list[float]:
    """Milliseconds from navigation start to Cytoscape's first frame of the network page
    (`window.dossierNetworkPainted`, set by network.js), in a new browser each time."""
    from playwright.sync_api import sync_playwright

    timings = []
    with served(site) as url, sync_playwright() as playwright:
        for _ in range(tries):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url + "network/")
            page.wait_for_function("() => window.dossierNetworkPainted !== undefined")
            timings.append(float(page.evaluate("window.dossierNetworkPainted")))
            browser.close()
    return timings


def network_size(site: Path) -> list[int]:
    text = (site / urls.NETWORK_DATA).read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.dossierNetwork = ").removesuffix(";\n"))
    return [len(data["nodes"]), len(data["edges"])]


# --- the table -----------------------------------------------------------------------


def load_results() -> list[dict]:
    found = [json.loads(p.read_text()) for p in RESULTS.glob("*.json")]
    return sorted(found, key=lambda f: f["articles"])


def results_table(results: list[dict]) -> str:
    columns = [f"{r['articles']:,}" for r in results]
    rows: list[tuple[str, str, list[str]]] = []

    def row(label: str, goal: str, value) -> None:  # type: ignore[no-untyped-def]
        rows.append((label, goal, [_cell(value, r) for r in results]))

    row("pages generated", "", lambda r: f"{r['pages']:,}")
    row("entities", "", lambda r: f"{r['cold']['entities']:,}")
    row(
        "1. extraction, paragraphs/s: generator / raw `nlp.pipe`",
        "≥ 0.9×",
        lambda r: (
            f"{r['generator_per_second']:.0f} / {r['raw_spacy_per_second']:.0f} = "
            f"**{r['generator_per_second'] / r['raw_spacy_per_second']:.2f}×**"
        ),
    )
    row(
        "2. cold `dossier build` (extraction included) / bare `mkdocs build`",
        "",
        lambda r: _versus(r["cold"], r["mkdocs"], bold=False),
    )
    row("   of which extraction", "", lambda r: f"{r['cold']['stages'].get('extract', 0):.1f} s")
    row(
        "   of which events (parser on the event paragraphs)",
        "",
        lambda r: f"{r['cold']['stages'].get('events', 0):.1f} s",
    )
    row(
        "2./3. rebuild, nothing changed / bare `mkdocs build`",
        "≤ 1.15×",
        lambda r: _versus(r["rebuild"], r["mkdocs"], bold=True),
    )
    row("3. model calls on that rebuild", "0", lambda r: _calls(r["rebuild"]))
    row(
        "   its stages: generator (ingest→write) / MkDocs",
        "",
        lambda r: (
            f"{_generator_seconds(r['rebuild']):.1f} s / "
            f"{r['rebuild']['stages'].get('mkdocs', 0):.1f} s"
        ),
    )
    row(
        "4. model calls after adding one article",
        "1",
        lambda r: f"{_calls(r['added'])} ({_added_seconds(r['added'])})",
    )
    row(
        "add one article, end to end",
        "≤ 60 s at 10,000",
        lambda r: (
            f"**{_incremental(r)['added']['seconds']:.1f} s** "
            f"({r['added']['seconds'] / r['cold']['seconds']:.2f}×){_rendered(r['added'])}"
        ),
    )
    row("identical to a clean build", "yes", lambda r: "yes" if r["identical"] else "**no**")
    row(
        "no-change rebuild",
        "≤ 5 s at 10,000",
        lambda r: f"**{_incremental(r)['rebuild']['seconds']:.1f} s**{_rendered(r['rebuild'])}",
    )
    row(
        "cold build / bare MkDocs",
        "≤ 1.0×",
        lambda r: (
            f"MkDocs stage {r['cold']['stages']['mkdocs']:.1f} s / "
            f"{r['mkdocs']['seconds']:.1f} s = "
            f"**{r['cold']['stages']['mkdocs'] / r['mkdocs']['seconds']:.2f}×**"
        ),
    )
    row(
        "extraction on a 2-worker LocalCluster / local",
        "",
        lambda r: _cluster_ratio(r["cluster_extraction"]),
    )
    row(
        "5. peak memory of the cold build (all processes)",
        "≤ 4 GB at 10,000",
        peak_memory,
    )
    row(
        "5. search files (index + text that results show) / raw article text",
        "≤ 1.5×",
        lambda r: (
            f"{_search_bytes(r) / 1e6:.1f} MB / {r['raw_text_bytes'] / 1e6:.1f} MB = "
            f"**{_search_bytes(r) / r['raw_text_bytes']:.2f}×**"
        ),
    )
    row(
        "5b. search index loaded before the first result (gzipped)",
        "≤ 10 MB at 10,000",
        lambda r: (
            f"**{_index_bytes(r) / 1e6:.1f} MB** ({r['index_gzip_bytes'] / 1e6:.1f} MB); "
            f"then text as found: {r['search_text_bytes'] / 1e6:.1f} MB in all"
        ),
    )
    row(
        "largest entity page (HTML)",
        "≤ 700 KB at 100",
        lambda r: (
            f"**{r['largest_entity_page_bytes'] / 1000:.0f} KB** (`{r['largest_entity_page']}`)"
        ),
    )
    row(
        "5b. page load → first search result (Chromium)",
        "≤ 1.5 s at 10,000",
        lambda r: f"**{r['first_result_ms'] / 1000:.2f} s**{_tries(r)}",
    )
    row(
        "6. network page → first paint (Chromium): nodes / links drawn",
        "≤ 2 s at 1,000",
        lambda r: (
            f"**{r['network_paint_ms'] / 1000:.2f} s**: "
            f"{r['network_nodes_edges'][0]} / {r['network_nodes_edges'][1]}"
        ),
    )
    lines = [
        "| figure | goal | " + " | ".join(f"{c} articles" for c in columns) + " |",
        "| --- | --- | " + " | ".join("---:" for _ in columns) + " |",
    ]
    lines += [f"| {label} | {goal} | " + " | ".join(cells) + " |" for label, goal, cells in rows]
    machines = sorted({r["machine"] for r in results})
    lines.append("")
    lines.append(f"Machine: {'; '.join(machines)}; spaCy worker processes: {results[0]['jobs']}.")
    commits = ", ".join(f"{r['articles']:,}: {r.get('commit', 'not recorded')}" for r in results)
    lines.append(f"Commit measured, by size: {commits}.")
    return "\n".join(lines) + "\n"


def _versus(build: dict, mkdocs: dict, bold: bool) -> str:
    mark = "**" if bold else ""
    parts = []
    for label, key in (("CPU", "cpu_seconds"), ("wall", "seconds")):
        ratio = build[key] / mkdocs[key]
        parts.append(f"{label} {build[key]:.1f} s / {mkdocs[key]:.1f} s = {mark}{ratio:.2f}×{mark}")
    return "; ".join(parts)


def _calls(build: dict) -> str:
    """Articles through the NER pipeline, and through the parser of the events stage."""
    return f"**{build['model_calls']}** NER, **{build.get('parser_calls', 0)}** parser"


def _added_seconds(build: dict) -> str:
    """Builds that skipped MkDocs (`--no-site`): the time to write the pages."""
    if "mkdocs" in build["stages"]:
        return f"{build['seconds']:.1f} s"
    return f"pages in {build['seconds']:.1f} s, no MkDocs"


def _incremental(result: dict) -> dict:
    """A result of the benchmark since the incremental site (its rows are n/a before)."""
    if "identical" not in result:
        raise KeyError("identical")
    return result


def _rendered(build: dict) -> str:
    rendered_kept = build.get("site_rendered_kept")
    if not rendered_kept:
        return ""
    return f"; MkDocs rendered {rendered_kept[0]:,} pages, kept {rendered_kept[1]:,}"


def _cluster_ratio(figures: dict) -> str:
    ratio = figures["cluster_seconds"] / figures["local_seconds"]
    identical = "yes" if figures["identical"] else "no"
    seconds = f"{figures['cluster_seconds']:.1f} s / {figures['local_seconds']:.1f} s"
    return f"{ratio:.2f}× (identical: {identical}); {seconds}"


def _index_bytes(result: dict) -> int:
    return result["index_bytes"] + result["prebuilt_index_bytes"]


def _search_bytes(result: dict) -> int:
    return _index_bytes(result) + result["search_text_bytes"]


def _tries(result: dict) -> str:
    tries = result.get("first_result_tries_ms", [])
    return f" (median of {', '.join(f'{t / 1000:.2f}' for t in tries)})" if tries[1:] else ""


def _generator_seconds(build: dict) -> float:
    return sum(v for k, v in build["stages"].items() if k != "mkdocs")


def _cell(value, result: dict) -> str:  # type: ignore[no-untyped-def]
    try:
        return value(result)
    except (KeyError, ZeroDivisionError):
        return "n/a"


if __name__ == "__main__":
    main()
