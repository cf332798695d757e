"""How the audited article itself is named and typed in a snapshot."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from linkcheck.model import Article


def article_uri(article: Article) -> str:
    """The article as named on the command line: a relative path stays relative,
    so a snapshot does not record the auditor's home folder."""
    if article.path == "-":
        return "urn:linkcheck:article:stdin"
    path = Path(article.path)
    if path.is_absolute():
        return path.as_uri()
    return "urn:linkcheck:article:" + quote(path.as_posix())


def article_mime(article: Article) -> str:
    return {"txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8",
            "html": "text/html"}[article.kind]
