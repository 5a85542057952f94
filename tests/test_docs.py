"""The README stays short and true; the rest is the docs site (docs/, built by `make test`)."""

from __future__ import annotations

import re
import tomllib

from .conftest import ROOT

README = ROOT / "README.md"
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def test_the_readme_is_short():
    assert len(README.read_text(encoding="utf-8").split()) <= 1500


def test_every_relative_link_of_the_readme_is_a_file_of_the_repository():
    targets = LINK.findall(README.read_text(encoding="utf-8"))
    relative = [t for t in targets if not re.match(r"[a-z]+:", t) and not t.startswith("#")]
    assert relative, "the README links to the docs"
    for target in relative:
        assert (ROOT / target.split("#")[0]).is_file(), target


def test_the_readme_says_why_each_dependency_is_there():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra
    ]
    names = {re.match(r"[A-Za-z0-9._-]+", r)[0].lower() for r in requirements}
    table = README.read_text(encoding="utf-8").split("## Dependencies, and why", 1)[1].lower()
    missing = [n for n in sorted(names) if n not in table and not n.startswith("types-")]
    assert not missing
