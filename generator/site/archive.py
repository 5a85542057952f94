"""The offline site as one zip file (`dossier zip`), ready to mail.

The same site gives the same bytes: entries in sorted order under one folder named
after the file (`dossier/index.html`), each with the same date (1980-01-01, the oldest a
zip holds), the same permissions and the same compression; the marker file of the site
folder (`SITE_MARKER`) is left out, it means nothing to the reader.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from generator.errors import BuildError
from generator.files import write_atomically
from generator.settings import Settings
from generator.site.folders import SITE_MARKER

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
UNIX = 3  # `create_system` of the entries, whatever system writes them


def default_zip(settings: Settings) -> Path:
    return settings.root / "dossier.zip"


def check_zip_target(target: Path, settings: Settings) -> None:
    """The zip is written beside the folders it is made from, never inside them."""
    target = target.resolve()
    for name, folder in (("site", settings.site_dir), ("content", settings.content_dir)):
        if target.is_relative_to(folder.resolve()):
            raise BuildError(f"{target}: the zip would be inside the {name} folder; choose another")


def site_files(site: Path) -> list[Path]:
    """The files of a built site, in the order of their paths' text."""
    files = [path for path in site.rglob("*") if path.is_file() and path.name != SITE_MARKER]
    return sorted(files, key=lambda path: path.relative_to(site).as_posix())


def zip_bytes(site: Path, folder: str) -> bytes:
    """The site's files under `folder/`, as a zip the same site always gives the same."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in site_files(site):
            entry = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", ZIP_DATE)
            entry.create_system = UNIX
            entry.external_attr = FILE_MODE << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes(), compresslevel=9)
    return buffer.getvalue()


def write_zip(site: Path, target: Path) -> int:
    """Write the site as `target` (whole or not at all); the number of files in it."""
    data = zip_bytes(site, target.stem or "dossier")
    write_atomically(target, data)
    return len(site_files(site))
