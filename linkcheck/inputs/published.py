"""A published article by its URL (`linkcheck audit URL`), fetched through the
resolver like any link, so it is guarded, retried and archived."""

from __future__ import annotations

from typing import cast

from linkcheck.errors import InputError
from linkcheck.model import Article, ArticleBody
from linkcheck.resolve.client import Resolver


async def fetch_article(resolver: Resolver, url: str, whole_page: bool = False) -> Article:
    """A published article by its URL: fetched (and archived) like any link.

    Only its article body is audited (pages/article.py): the body becomes a
    Markdown text, and citations' line/column refer to it. A page with no body
    to tell apart is audited whole, as HTML, and says so in `Article.body`.
    """
    res = await resolver.resolve(url, keep_body=True)
    if not res.outcome.alive or res.body is None:
        raise InputError(f"cannot fetch the article {url}: "
                         f"{res.error or f'HTTP {res.status}'}")
    from linkcheck.pages import decode_body
    from linkcheck.pages.article import extract_body

    text, _ = decode_body(res.body, res.content_type)
    body = None if whole_page else extract_body(text, res.final_url or url)
    if whole_page:  # --whole-page: every link of the page, as HTML
        article = Article(path=url, text=text, kind="html", base_url=res.final_url,
                          raw=res.body, whole_page=True)
    elif body is not None:
        text = body.pop("text")
        article = Article(path=url, text=text, kind="md", base_url=res.final_url,
                          raw=res.body, body=cast(ArticleBody, body))
    else:  # no body by trafilatura: the page's structure, else all but its furniture
        from linkcheck.pages.article import body_links

        links, how = body_links(text, res.final_url or url, extractor=False)
        article = Article(path=url, text=text, kind="html", base_url=res.final_url,
                          raw=res.body, body=how, body_links=links)
    article.publisher = res.meta.publisher
    if res.meta.published:
        article.published = res.meta.published
        article.published_evidence = f"page metadata ({res.meta.sources.get('published')})"
        article.published_at = res.meta.published_at
    return article
