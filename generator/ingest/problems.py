"""What can be wrong with an article file.

`ArticleError`: the file cannot become an article and is skipped. `Notes`: the article
is kept, and each note says what was wrong and what was done (one `Problem` per file).
"""

from __future__ import annotations


class ArticleError(ValueError):
    """An article file that cannot be turned into an Article."""


class Notes(list[str]):
    """What was wrong with an article that is kept, and what was done about it."""
