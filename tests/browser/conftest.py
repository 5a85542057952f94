"""Browser harness: Debian's chromium driven by Playwright, and built sites served locally.

Fixtures other browser tests reuse:
- `browser`: one headless chromium for the whole session (`/usr/bin/chromium`, never a
  browser download). Missing chromium or Playwright skips the tests, but fails them when
  `CI=true`, so that CI cannot go green without running them.
- `serve_site(folder)`: serves a built site on 127.0.0.1 (a stdlib http.server thread)
  and returns its base URL; `seeds_url` is the sample dossier served once per session,
  `corpus_url` the 100-article dossier (`corpus_site`); `reader_site` is each of the two
  in turn (a test that takes it runs on both), as a `Site`.
- `open_page(**context_options)`: a new page whose every request is recorded; requests
  that leave 127.0.0.1 are aborted, and the test fails at teardown if there was any;
  `open_file_page` is the same for a site opened as files, refusing any request that
  is not for a file.
  Dialogs (`alert`), console messages and page errors are recorded too (`page.dossier`),
  and the test fails at teardown if the page's Content-Security-Policy refused anything
  (the policy must never break the site's own scripts, styles, images or worker).
- `search(page, query)`: types the query into Material's search box and returns the
  result pages (paths relative to the site root), best first, once the worker answered.
- `drawn_places(page)`: how many places a drawn map shows, a cluster counting for the
  places in it; `show_marker(page, id)`: a place's marker brought out of its cluster
  (zoomed in to, or spiderfied) and returned as a locator.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.records import Dossier
from generator.settings import Settings

CHROMIUM = Path(os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    # Belt and braces: even a request the recorder missed could not leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
LOCAL_HOSTS = {"127.0.0.1"}
BROWSER_SCHEMES = {"data", "blob", "about"}
OUTPUT = Path(__file__).resolve().parent.parent / "output"

# Counts the queries sent to Material's search worker and the results it sends back, so
# that a test reads the results of the query it typed, not those of a shorter prefix.
# It wraps the browser's Worker, and the one a site opened as files puts in its place
# (search/file-worker.js) when that one is set.
_WATCH_SEARCH_WORKER = """
(() => {
  const watched = Native => Native && class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", event => {
        const data = event.data && event.data.data;
        if (data && Array.isArray(data.items)) window.__dossierSearch.answered++;
      });
    }
    postMessage(message, ...rest) {
      if (message && typeof message.data === "string") window.__dossierSearch.sent++;
      return super.postMessage(message, ...rest);
    }
  };
  if (!window.Worker) return;
  window.__dossierSearch = { sent: 0, answered: 0 };
  let current = watched(window.Worker);
  Object.defineProperty(window, "Worker", {
    configurable: true,
    get: () => current,
    set: value => { current = watched(value); },
  });
})();
"""


def unavailable(reason: str) -> None:
    """Skip, except in CI, where a browser test that cannot run is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def serve_site() -> Iterator[Callable[[Path], str]]:
    """Serve a built site folder (at the server's root) for the rest of the session."""
    urls: dict[Path, str] = {}
    with ExitStack() as stack:

        def serve(folder: Path) -> str:
            folder = Path(folder).resolve()
            if folder not in urls:
                urls[folder] = stack.enter_context(serving(folder))
            return urls[folder]

        yield serve


@pytest.fixture(scope="session")
def seeds_url(seeds_site, serve_site) -> str:
    settings, _ = seeds_site
    return serve_site(settings.site_dir)


@pytest.fixture(scope="session")
def corpus_url(corpus_site, serve_site) -> str:
    settings, _ = corpus_site
    return serve_site(settings.site_dir)


@dataclass(frozen=True)
class Site:
    """A built dossier served for the browser: its base URL, settings and model."""

    url: str
    settings: Settings
    dossier: Dossier


READER_SITES = {
    "sample": ("seeds_site", "seeds_url"),
    "100-articles": ("corpus_site", "corpus_url"),
}


@pytest.fixture(params=list(READER_SITES))
def reader_site(request) -> Site:
    """The sample dossier, then the 100-article one: built only when a test asks."""
    built, served = READER_SITES[request.param]
    settings, dossier = request.getfixturevalue(built)
    return Site(request.getfixturevalue(served), settings, dossier)


@dataclass
class PageLog:
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # what the page's CSP blocked


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in BROWSER_SCHEMES or parts.hostname in LOCAL_HOSTS


def is_file(url: str) -> bool:
    """A file of the machine, or what the browser makes itself (a site opened as files)."""
    return urlsplit(url).scheme in BROWSER_SCHEMES | {"file"}


def watch(context, log: PageLog, allowed: Callable[[str], bool] = is_local) -> None:
    """Record every request of a browser context; abort and note those not `allowed`."""

    def record(request) -> None:  # type: ignore[no-untyped-def]
        log.requests.append(request.url)
        if not allowed(request.url):
            log.external.append(request.url)

    def block(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url not in log.external:
            log.external.append(route.request.url)
        route.abort()

    context.on("request", record)
    context.route(lambda url: not allowed(url), block)
    context.add_init_script(_WATCH_SEARCH_WORKER)


@pytest.fixture
def open_page(browser):
    """Open pages in fresh contexts; fail the test if any request left 127.0.0.1."""
    with page_opener(browser, is_local, "127.0.0.1") as make:
        yield make


@pytest.fixture
def open_file_page(browser):
    """`open_page` for a site opened as files: fail the test on any request that is not
    for a file (a web request from file:// means the site needs a server, or the web)."""
    with page_opener(browser, is_file, "the files") as make:
        yield make


@contextmanager
def page_opener(browser, allowed: Callable[[str], bool], where: str):  # type: ignore[no-untyped-def]
    contexts = []

    def make(**options):  # type: ignore[no-untyped-def]
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(**options)
        log = PageLog()
        watch(context, log, allowed)
        page = context.new_page()
        page.on("dialog", lambda dialog: (log.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: record_console(log, message.text))
        page.on("pageerror", lambda error: log.errors.append(str(error)))
        page.dossier = log
        contexts.append((context, log))
        return page

    yield make
    external = [url for _, log in contexts for url in log.external]
    refused = [message for _, log in contexts for message in log.refused]
    for context, _ in contexts:
        context.close()
    assert external == [], f"requests left {where}: {external}"
    assert refused == [], f"the Content-Security-Policy refused: {refused}"


def record_console(log: PageLog, text: str) -> None:
    log.console.append(text)
    if "Content Security Policy" in text:
        log.refused.append(text)


def search(page, query: str, timeout: float = 10_000) -> list[str]:
    """Type a query into the search box; the result pages, best first, as site paths."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    box.click()
    box.fill("")
    before = page.evaluate("window.__dossierSearch.sent")
    box.press_sequentially(query)
    box.press("End")  # a key up: characters Playwright inserts as text (Arabic) send none
    page.wait_for_function(
        "before => { const s = window.__dossierSearch;"
        " return s.sent > before && s.answered >= s.sent; }",
        arg=before,
        timeout=timeout,
    )
    return page.evaluate(
        """[...document.querySelectorAll('.md-search-result__list > li')]
            .map(li => new URL(li.querySelector('a').href).pathname.slice(1))"""
    )


def drawn_places(page) -> int:  # type: ignore[no-untyped-def]
    """The places the page's map shows: its markers, and the places in its clusters as
    each cluster's icon counts them."""
    markers = page.locator(".dossier-map .dossier-marker").count()
    clusters = page.locator(".dossier-map .dossier-cluster span[aria-hidden]").all_inner_texts()
    return markers + sum(int(count) for count in clusters)


def show_marker(page, place: str):  # type: ignore[no-untyped-def]
    """The marker of a place on the page's map, out of its cluster (markercluster zooms
    in to it, or spiderfies the cluster at the last zoom) and drawn."""
    page.evaluate(
        """id => new Promise(done => {
            const clusters = document.querySelector('.dossier-map').dossierClusters;
            const layer = clusters.getLayers().find(l => l.dossierPlace.id === id);
            if (layer) clusters.zoomToShowLayer(layer, done); else done();
        })""",
        place,
    )
    marker = page.locator(f".dossier-map .dossier-marker--{place}")
    marker.wait_for()
    return marker


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as URL paths relative to its root (`""` is the home)."""
    folders = sorted(p.parent.relative_to(site) for p in site.rglob("index.html"))
    return ["" if folder == Path(".") else f"{folder.as_posix()}/" for folder in folders]


def screenshot(page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def act(page, script: str, argument: object = None) -> None:
    """Run `script` (a function of `argument`) in the page for what it does, not what it
    returns: `page.evaluate` sends the result back, and a Leaflet map or a Cytoscape
    element (what `setView` and `emit` return) took 16 s to serialise."""
    page.evaluate(f"argument => {{ ({script})(argument); }}", argument)


def set_map_view(page, centre: list[float], zoom: float) -> None:
    """The page's map moved to `centre` at `zoom`, at once (no animation), once
    markercluster has spread its clusters: at the end of that animation it adds the
    markers to the map again, which closes a popup opened meanwhile."""
    act(
        page,
        "([centre, zoom]) => document.querySelector('.dossier-map').dossierMap"
        ".setView(centre, zoom, {animate: false})",
        [centre, zoom],
    )
    page.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim')")
