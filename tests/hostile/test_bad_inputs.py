"""Every case of the bad-input corpus (tests/hostile/bad_inputs.py) gets its behaviour."""

from __future__ import annotations

import pytest

from generator.ingest.read import printable, read_articles
from generator.records import KEPT, SKIPPED

from .bad_inputs import CASES, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = write_corpus(tmp_path_factory.mktemp("bad_inputs"))
    return folder, read_articles(folder)


def problems_of(result, name):
    return [p for p in result.problems if p.path.endswith("/" + printable(name))]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[ascii(c.name)[1:-1] for c in CASES])
def test_bad_input(corpus, case):
    folder, result = corpus
    problems = problems_of(result, case.name)
    articles = [a for a in result.articles if a.filename == printable(case.name)]
    if case.expect == "skipped":
        assert articles == []
        [problem] = problems  # one clear line: file, what is wrong, what was done
        assert problem.action == SKIPPED
        assert case.message in problem.message
        assert str(problem).startswith(printable(str(folder / case.name)) + ": ")
        return
    if case.expect == "source" and not articles:  # recorded as an alias of another file
        articles = [a for a in result.articles if case.name in a.aliases]
    [article] = articles
    if case.message is None:
        assert problems == []
    else:
        [problem] = problems
        assert case.message in str(problem)
        assert problem.action in {KEPT, "recorded as one source"}
    if case.check is not None:
        assert case.check(article) is not False


def test_every_problem_line_names_a_corpus_file(corpus):
    _, result = corpus
    names = {printable(c.name) for c in CASES}
    for problem in result.problems:
        assert problem.path.rsplit("/", 1)[-1] in names, problem
        assert "\n" not in str(problem)


def test_kept_articles_have_distinct_slugs(corpus):
    _, result = corpus
    slugs = [a.slug for a in result.articles]
    assert len(slugs) == len(set(slugs))
