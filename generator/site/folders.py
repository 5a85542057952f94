"""Output folders that would overwrite or delete the inputs are refused before anything
is written (`--site seeds`, `--content .`): the site folder is replaced as a whole.
So is a site folder that holds something else than a site this tool made (`--site ~`,
`--site .venv`): every site built gets a marker file, `SITE_MARKER`, and a folder that
is not empty and has none is replaced only with `--force`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import BuildError

if TYPE_CHECKING:  # the MkDocs build imports this module, and settings import spaCy
    from generator.settings import Settings

SITE_MARKER = ".dossier-site"
KEPT_LIST = ".dossier-kept"  # an incremental build's pages kept, in its staging folder
SUMMARY = "site:"  # the line where MkDocs' build says what it rendered and kept
MARKER_TEXT = (
    "A site built by dossier: `dossier build` replaces or updates this folder, and removes"
    " any file it did not write.\n"
)


def check_folders(settings: Settings) -> None:
    """Refuse output folders that would overwrite or delete the inputs."""
    inputs = {
        "articles folder": settings.articles_dir,
        "templates folder": settings.templates_dir,
        "MkDocs config": settings.mkdocs_file,
        "corrections file": settings.corrections_file,
    }
    outputs = {"site folder": settings.site_dir, "content folder": settings.content_dir}
    for output, out_path in outputs.items():
        out_path = out_path.resolve()
        for name, in_path in inputs.items():
            in_path = in_path.resolve()
            if name == "MkDocs config" and output == "content folder":
                continue  # mkdocs.yml is never in the content folder's way
            if in_path.is_relative_to(out_path) or out_path.is_relative_to(in_path):
                raise BuildError(
                    f"the {output} ({out_path}) overlaps the {name} ({in_path}): "
                    "choose separate folders, nothing was written"
                )
    site, content = settings.site_dir.resolve(), settings.content_dir.resolve()
    if site.is_relative_to(content) or content.is_relative_to(site):
        raise BuildError(f"the site folder ({site}) and the content folder ({content}) overlap")


def check_site_folder(settings: Settings) -> None:
    """Refuse to replace a folder that is not a site made by dossier, unless `force`."""
    site = settings.site_dir
    if not site.exists():
        return
    if not site.is_dir():
        raise BuildError(f"the site folder ({site}) is not a folder: choose another --site")
    if settings.force or (site / SITE_MARKER).is_file() or not any(site.iterdir()):
        return
    raise BuildError(
        f"the site folder ({site}) is not empty and was not made by dossier (it has no "
        f"{SITE_MARKER} file), and the build would replace it as a whole: choose another "
        "--site, or add --force to replace it; nothing was written"
    )
