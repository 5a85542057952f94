"""Output folders that would overwrite or delete the inputs are refused before anything
is written (`--site seeds`, `--content .`): the site folder is replaced as a whole."""

from __future__ import annotations

from generator.errors import BuildError
from generator.settings import Settings


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
