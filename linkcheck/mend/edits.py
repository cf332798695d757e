"""The edits `linkcheck fix` proposes, each from evidence gathered in this run
(or the replayed cassette), each with its reason:

- redirected: a permanent redirect -> the final URL
- shortener: a known URL shortener -> where it leads
- https: an http:// link whose https twin serves the page -> https://
- tracking-params: utm_* and the like removed
- archived: a dead, soft-404 or drifted link keeps its URL and gains its
  checked archived copy, in the draft's own syntax (syntax.py)
- intended: a dead link whose intended URL was found (same slug on the same
  site, its capture's title matching the citation's headline) -> that URL,
  with the capture it was seen in
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from linkcheck.mend.syntax import NotEditable, html_edit, markdown_edit, text_edit, url_span
from linkcheck.model import ArticleReport, Outcome
from linkcheck.urls.parse import LineIndex

KINDS = ("redirected", "shortener", "https", "tracking-params", "archived", "intended")
STYLES = ("html", "link")
DEAD_RULES = ("broken-link", "soft-404", "content-drift")


@dataclass(frozen=True)
class Edit:
    kinds: tuple[str, ...]
    line: int
    column: int
    url: str
    reason: str
    replacements: tuple[tuple[int, int, str], ...]  # (start, end, new) in the article text


@dataclass(frozen=True)
class Skipped:
    line: int
    column: int
    url: str
    reason: str


def plan(ar: ArticleReport, kinds: set[str], style: str = "html") -> tuple[list[Edit],
                                                                          list[Skipped]]:
    """The edits for one audited article, and the fixes it needs but cannot get."""
    text = ar.article.text
    starts = LineIndex(text).starts
    by_citation: dict[tuple[int, int], dict[str, dict]] = {}
    for f in ar.findings:
        by_citation.setdefault((f.line, f.column), {})[f.rule] = f.evidence
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    for c in ar.citations:
        if c.skipped or c.invalid or c.url not in ar.links:
            continue
        res = ar.links[c.url]
        found = by_citation.get((c.line, c.column), {})
        new_url, why, done = _new_url(c.url, res, found, kinds)
        copy, copy_why, copy_kind = _copy(res, found, kinds)
        if copy_kind == "intended":
            new_url, why, done = copy_why[1], [copy_why[0]], ["intended"]
            copy_why = None
        elif copy is not None:
            done.append("archived")
        if new_url is None and copy is None:
            if copy_why and any(r in found for r in DEAD_RULES):
                skipped.append(Skipped(c.line, c.column, c.url, copy_why))
            continue
        offset = starts[c.line - 1] + c.column - 1
        origin = getattr(c, "origin", "") or "href"
        try:
            if origin == "embed" or getattr(c, "embed", None):
                raise NotEditable("an embedded post: edit it by hand")
            span = url_span(text, offset, c.url,
                            ar.article.kind if origin == "href" else "txt")
            if ar.article.kind == "html" and origin != "href":  # written out in the text
                if copy is not None:
                    raise NotEditable("a URL written out in the page's text: add the "
                                      "archived copy by hand")
                import html as entities

                reps = [(span.start, span.end, entities.escape(new_url or span.written))]
            elif ar.article.kind == "html":
                reps = html_edit(text, span, new_url, copy, c.url)
            elif ar.article.kind == "md":
                reps = markdown_edit(text, span, new_url, copy, style)
            else:
                reps = text_edit(text, span, new_url, copy)
        except NotEditable as exc:
            skipped.append(Skipped(c.line, c.column, c.url, str(exc)))
            continue
        if not reps:
            continue  # already mended (its archived copy is there)
        if copy is not None and copy_why:
            why.append(copy_why)
        edits.append(Edit(tuple(done), c.line, c.column, c.url, "; ".join(why), tuple(reps)))
    return edits, skipped


def _new_url(url: str, res, found: dict[str, dict], kinds: set[str]):
    from linkcheck.urls.normalise import strip_tracking, tracking_params

    new, why, done = url, [], []
    final = res.final_url
    live = res.outcome.alive and "soft-404" not in found
    if "shortener" in kinds and "url-shortener" in found and live and final:
        from linkcheck.rules.provenance import SHORTENERS

        if (urlsplit(final).hostname or "").lower().removeprefix("www.") not in SHORTENERS:
            new, why, done = final, [f"a URL shortener: it leads to {final}"], ["shortener"]
    if not done and "redirected" in kinds and "redirected" in found and live and final:
        new, done = final, ["redirected"]
        why.append(f"permanently redirected to {final}")
    if "https" in kinds and "insecure-link" in found and new.startswith("http://"):
        twin = "https://" + new[len("http://"):]
        target = found["insecure-link"].get("https_url") or twin
        if target.startswith("https://"):
            new, done = target, [*done, "https"]
            why.append("the same page is served over https")
    if "tracking-params" in kinds and tracking_params(new):
        params = tracking_params(new)
        new, done = strip_tracking(new), [*done, "tracking-params"]
        why.append(f"tracking parameters removed ({', '.join(params)})")
    return (new if new != url else None), why, done


def _copy(res, found: dict[str, dict], kinds: set[str]):
    """((URI-M, date) or None, why, kind). For `intended`, why is (reason, URL)."""
    dead = res.outcome in (Outcome.BROKEN, Outcome.ERROR) or any(
        r in found for r in ("soft-404", "content-drift"))
    if not dead:
        return None, None, None
    best = next((c for c in res.candidates if c.title_match), None)
    if "intended" in kinds and best is not None and res.outcome in (Outcome.BROKEN,
                                                                    Outcome.ERROR):
        copy = (best.memento, (best.datetime or "")[:10]) if best.memento else None
        return copy, (f"the intended URL: {best.why}", best.url), "intended"
    a = res.archived
    if "archived" not in kinds:
        return None, None, None
    if a is None:
        return None, f"no archived copy: {res.archive_note or 'none looked up'}", None
    if not a.url.startswith(("http://", "https://")):
        return None, (f"its archived copy is in {a.archive}, which readers cannot open; "
                      "serve it (pywb) or ask a public archive"), None
    return (a.url, a.datetime[:10]), f"archived copy added ({a.archive}: {a.why})", "archived"
