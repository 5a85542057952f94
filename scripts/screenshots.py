"""Screenshots of a built dossier for the documentation: `make screenshots`.

Serves the built site (default `site/`) on 127.0.0.1, opens it in Debian's chromium
through Playwright, and writes `docs/pages/assets/screenshots/<page>-<scheme>.png` for
the home page, the most cited person and place, the event told by most sources, the
timeline, the map and the network, in light and dark mode. The pages are chosen from
the site's own export (`exports/dossier.json`), so the script needs no names.

Requests that leave 127.0.0.1 are aborted: a screenshot never shows a page that needed
the network.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium"))
SCHEMES = ("light", "dark")
VIEWPORT = {"width": 1280, "height": 800}
READY = {  # what each visual page shows once its script has run
    "map": "#dossier-map[data-ready=true]",
    "network": "#dossier-network[data-ready=true]",
}


def pages_to_shoot(site: Path) -> dict[str, str]:
    """Name -> URL path (relative to the site root) of each page to photograph."""
    data = json.loads((site / "exports" / "dossier.json").read_text(encoding="utf-8"))
    pages = {"home": ""}
    for kind in ("person", "place"):
        entities = [e for e in data["entities"] if e["type"] == kind]
        if entities:
            pages[kind] = max(entities, key=lambda e: (e["mentions"], e["id"]))["url"]
    if data.get("events"):
        pages["event"] = max(data["events"], key=lambda e: (len(e["sources"]), e["id"]))["url"]
    for name in ("timeline", "map", "network"):
        if (site / name / "index.html").is_file():
            pages[name] = f"{name}/"
    return pages


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def local_only(route: Route) -> None:
    if urlsplit(route.request.url).hostname in {"127.0.0.1", None}:
        route.continue_()
    else:
        route.abort()


def shoot(page: Page, url: str, name: str, target: Path) -> Path:
    page.goto(url)
    if name in READY and page.locator(READY[name].split("[")[0]).count():
        page.wait_for_selector(READY[name], timeout=20_000)
    page.wait_for_load_state("networkidle")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs/pages/assets/screenshots")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site}: no built site here (run `make site` first)")
    server, base = serve(args.site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            for scheme in SCHEMES:
                context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
                context.route("**/*", local_only)
                page = context.new_page()
                for name, path in pages_to_shoot(args.site).items():
                    written = shoot(page, base + path, name, args.out / f"{name}-{scheme}.png")
                    print(written.relative_to(ROOT) if written.is_relative_to(ROOT) else written)
                context.close()
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
