"""Write the page-date evaluation corpus: tests/fixtures/dates/.

Each page reproduces the date markup of a real publishing pattern (WordPress
with Yoast, Arc, Brightspot, Drupal, a NewsArc-like regional CMS, AMP, JSON-LD
@graph, microdata, hand-made pages with a visible dateline in several
languages), including the traps that make page dates wrong: a "last updated"
date, a related-stories rail or sidebar with newer <time> elements, a
copyright year, an event date in the text, an article id of eight digits.
The gold date is the date the page says it was first published, as an editor
reading the page would give it; null where the page gives none.

Run `python bench/dates/make_corpus.py` to rewrite the files; the output is
committed, so the evaluation never depends on this script's randomness (there
is none: every value below is written out).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "dates"

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}

BODY = {
    "en": ("The council voted on Tuesday to approve the new budget after months of debate. "
           "Officials said the plan would fund road repairs and two new schools. "
           "Critics argued the figures did not add up and promised to challenge them."),
    "de": ("Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen. Die Verwaltung "
           "teilte mit, das Geld fließe in Straßen und zwei neue Schulen."),
    "fr": ("Le conseil municipal a adopté mardi le nouveau budget après des mois de débat. "
           "La mairie affirme que le plan financera deux nouvelles écoles."),
    "es": ("El ayuntamiento aprobó el martes el nuevo presupuesto tras meses de debate. "
           "Los responsables dijeron que el plan financiará dos escuelas nuevas."),
    "it": ("Il consiglio comunale ha approvato martedì il nuovo bilancio dopo mesi di "
           "dibattito. Il piano finanzierà due nuove scuole."),
    "ru": ("Городской совет во вторник утвердил новый бюджет после нескольких месяцев "
           "споров. Чиновники заявили, что деньги пойдут на ремонт дорог."),
    "pt": ("A câmara aprovou na terça-feira o novo orçamento depois de meses de debate. "
           "O plano vai financiar duas escolas novas."),
    "nl": ("De gemeenteraad heeft dinsdag de nieuwe begroting goedgekeurd na maanden van "
           "discussie. Het plan betaalt twee nieuwe scholen."),
}


def iso(d: date, hour: int = 9, minute: int = 30, offset: str = "+00:00") -> str:
    return f"{d.isoformat()}T{hour:02d}:{minute:02d}:00{offset}"


def en_long(d: date) -> str:
    return f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"


def page(head: str, body: str, lang: str = "en", title: str = "Council approves budget") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n{head}\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def related_rail(dates: list[date], tag: str = "aside") -> str:
    if not dates:
        return ""
    items = "\n".join(
        f'<li><a href="/news/story-{i}">Another story {i}</a> '
        f'<time datetime="{iso(d, 7)}">{en_long(d)}</time></li>' for i, d in enumerate(dates))
    return f'<{tag} class="related-stories"><h3>Related</h3><ul>\n{items}\n</ul></{tag}>'


def footer(year: int) -> str:
    return f'<footer><p>&copy; {year} Example Media Group. All rights reserved.</p></footer>'


# --- one function per publishing pattern ------------------------------------------

def wordpress(pub: date, mod: date, rail: list[date], slug_url: bool = True,
              theme_meta: bool = True) -> tuple[str, str, dict]:
    url = (f"https://www.cityledger-news.com/{pub:%Y/%m/%d}/council-approves-budget/"
           if slug_url else "https://www.cityledger-news.com/council-approves-budget/")
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "https://www.cityledger-news.com/#org",
         "name": "City Ledger"},
        {"@type": "WebPage", "@id": url, "datePublished": iso(pub, 8, 15),
         "dateModified": iso(mod, 16, 2)},
        {"@type": "Article", "isPartOf": {"@id": url}, "headline": "Council approves budget",
         "datePublished": iso(pub, 8, 15), "dateModified": iso(mod, 16, 2),
         "publisher": {"@id": "https://www.cityledger-news.com/#org"}}]}
    head = ""
    if theme_meta:
        head += (f'<meta property="article:published_time" content="{iso(pub, 8, 15)}">\n'
                 f'<meta property="article:modified_time" content="{iso(mod, 16, 2)}">\n')
    head += f'<meta property="og:updated_time" content="{iso(mod, 16, 2)}">\n'
    head += (f'<script type="application/ld+json" class="yoast-schema-graph">'
             f'{json.dumps(graph)}</script>')
    body = (f'<header class="site-header"><a href="/">City Ledger</a></header>\n'
            f'<div id="primary"><main id="main">\n<article class="post type-post">\n'
            f'<header class="entry-header"><h1 class="entry-title">Council approves budget</h1>\n'
            f'<div class="entry-meta"><span class="posted-on">Posted on '
            f'<time class="updated" datetime="{iso(mod, 16, 2)}">{en_long(mod)}</time> '
            f'<time class="entry-date published" datetime="{iso(pub, 8, 15)}">{en_long(pub)}'
            f'</time></span></div></header>\n<div class="entry-content"><p>{BODY["en"]}</p></div>\n'
            f'</article>\n</main></div>\n'
            f'{related_rail(rail, "section")}\n<aside id="secondary" class="widget-area">'
            f'<h2>Recent posts</h2><ul><li><a href="/x">Other</a> '
            f'<span class="post-date">{en_long(rail[0] if rail else mod)}</span></li></ul>'
            f'</aside>\n'
            f'{footer(mod.year)}')
    return url, page(head, body), {}


def wordpress_plain(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """An older theme: no Yoast, no meta, only the entry-meta line and a sidebar."""
    url = f"https://blog.riverside-voices.org/?p={pub.toordinal() % 9000 + 1000}"
    body = (f'<div id="content"><div class="post">\n<h2 class="entry-title">Council approves '
            f'budget</h2>\n<div class="entry-meta">This entry was posted on '
            f'<abbr class="published" title="{iso(pub, 10)}">{en_long(pub)}</abbr>. '
            f'Last modified <abbr class="updated" title="{iso(mod, 12)}">{en_long(mod)}</abbr>'
            f'</div>\n<div class="entry"><p>{BODY["en"]}</p></div></div></div>\n'
            f'<div id="sidebar"><h3>Archives</h3><ul><li>{MONTHS["en"][mod.month - 1]} '
            f'{mod.year}</li></ul>{related_rail(rail, "div")}</div>\n{footer(mod.year)}')
    return url, page("", body), {"last-modified": _http_date(mod)}


def arc(pub: date, mod: date, rail: list[date], offset: str = "-05:00") -> tuple[str, str, dict]:
    url = f"https://www.capitalherald.com/world/{pub:%Y/%m/%d}/council-approves-budget/"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle",
          "headline": "Council approves budget", "datePublished": iso(pub, 17, 12, offset),
          "dateModified": iso(mod, 9, 1, offset),
          "publisher": {"@type": "Organization", "name": "The Capital Herald"}}
    head = (f'<meta property="article:published_time" content="{iso(pub, 17, 12, offset)}">\n'
            f'<meta property="article:modified_time" content="{iso(mod, 9, 1, offset)}">\n'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    body = (f'<div id="__next"><main><article>\n<h1 data-qa="headline">Council approves budget'
            f'</h1>\n<div data-qa="timestamp"><span data-qa="display-date">Updated '
            f'{en_long(mod)} at 9:01 a.m. EST</span> | <span>Published {en_long(pub)} at '
            f'5:12 p.m. EST</span></div>\n<div class="article-body"><p>{BODY["en"]}</p></div>\n'
            f'</article>\n{related_rail(rail)}</main></div>\n{footer(mod.year)}')
    return url, page(head, body), {}


def arc_no_meta(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """Arc's client-side pages that keep the dates in the Fusion globals and the visible line."""
    url = f"https://www.capitalherald.com/politics/council-approves-budget-{pub:%Y%m%d}-abcd1234/"
    fusion = json.dumps({"globalContent": {"display_date": iso(pub, 11, 4, "Z"),
                                           "last_updated_date": iso(mod, 8, 0)}})
    head = f'<script id="fusion-metadata">window.Fusion={fusion};</script>'
    body = (f'<main><h1>Council approves budget</h1>\n<div class="byline">By Ana Ruiz</div>\n'
            f'<div class="timestamp">Updated {en_long(mod)}</div>\n'
            f'<div class="timestamp">Published {en_long(pub)}</div>\n'
            f'<p>{BODY["en"]}</p></main>\n{related_rail(rail)}\n{footer(mod.year)}')
    return url, page(head, body), {}


def brightspot(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    url = "https://www.lakeshoreradio.org/local-news/council-approves-budget"
    ld = [{"@context": "http://schema.org", "@type": "NewsArticle",
           "headline": "Council approves budget", "datePublished": iso(pub, 14, 0, "-04:00"),
           "dateModified": iso(mod, 15, 0, "-04:00")},
          {"@context": "http://schema.org", "@type": "BreadcrumbList", "itemListElement": []}]
    head = (f'<meta name="brightspot.contentId" content="0000017a-1b2c">\n'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    body = (f'<div class="Page-content"><div class="ArticlePage-mainContent">\n'
            f'<h1 class="Page-headline">Council approves budget</h1>\n'
            f'<div class="ArticlePage-datePublished">Published {en_long(pub)} at 2:00 PM EDT'
            f'</div>\n<div class="ArticlePage-dateModified">Updated {en_long(mod)} at 3:00 PM EDT'
            f'</div>\n<div class="RichTextArticleBody"><p>{BODY["en"]}</p></div></div>\n'
            f'<div class="ArticlePage-aside"><div class="List">{related_rail(rail, "div")}'
            f'</div></div>'
            f'</div>\n{footer(mod.year)}')
    return url, page(head, body), {}


def brightspot_visible(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """Brightspot without JSON-LD: the timestamps as data attributes and text."""
    url = f"https://www.lakeshoreradio.org/{pub:%Y-%m-%d}/council-approves-budget"
    ms = int(datetime(pub.year, pub.month, pub.day, 14).timestamp() * 1000)
    body = (f'<div class="Page-content"><h1 class="Page-headline">Council approves budget</h1>\n'
            f'<div class="Page-dateModified"><bsp-timestamp '
            f'data-timestamp="{ms + 86400000 * (mod - pub).days}">'
            f'Updated {en_long(mod)}</bsp-timestamp></div>\n'
            f'<div class="Page-datePublished"><bsp-timestamp data-timestamp="{ms}">Published '
            f'{en_long(pub)}</bsp-timestamp></div>\n<div class="RichTextBody"><p>{BODY["en"]}</p>'
            f'</div>{related_rail(rail)}</div>\n{footer(mod.year)}')
    return url, page("", body), {}


def drupal(pub: date, mod: date, rail: list[date], lang: str = "en") -> tuple[str, str, dict]:
    url = f"https://www.regionalcouncil.gov/node/{pub.toordinal() % 90000}"
    head = (f'<meta property="og:updated_time" content="{iso(mod, 10, 0, "+02:00")}">\n'
            f'<meta name="dcterms.modified" content="{iso(mod, 10, 0, "+02:00")}">\n'
            f'<meta name="dcterms.date" content="{iso(pub, 10, 0, "+02:00")}">')
    body = (f'<div class="layout-container"><main role="main"><div class="node node--type-article">'
            f'<h1 class="page-title"><span>Council approves budget</span></h1>\n'
            f'<div class="node__meta">Submitted by editor on '
            f'<span property="dc:date dc:created" content="{iso(pub, 10, 0, "+02:00")}" '
            f'datatype="xsd:dateTime">{pub:%a, %m/%d/%Y} - 10:00</span></div>\n'
            f'<div class="field--name-body"><p>{BODY[lang]}</p></div></div></main>\n'
            f'<aside class="layout-sidebar-second">{related_rail(rail, "div")}</aside></div>\n'
            f'{footer(mod.year)}')
    return url, page(head, body, lang), {"last-modified": _http_date(mod)}


def drupal_updated_only(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """A Drupal page whose only machine-readable date is og:updated_time; the
    published date is in the visible "Submitted" line."""
    url = "https://www.harbourtown.gov/news/council-approves-budget"
    head = f'<meta property="og:updated_time" content="{iso(mod, 11, 0, "+01:00")}">'
    body = (f'<main><h1>Council approves budget</h1>\n<div class="submitted">Submitted on '
            f'{en_long(pub)}</div>\n<div class="content"><p>{BODY["en"]}</p></div>\n'
            f'<div class="updated">Page last reviewed: {mod:%d/%m/%Y}</div></main>\n'
            f'{related_rail(rail)}\n{footer(mod.year)}')
    return url, page(head, body), {}


def newsarc(pub: date, mod: date, rail: list[date], article_id: str) -> tuple[str, str, dict]:
    """A regional network CMS: dates in custom meta names, an 8-digit article id in the URL."""
    url = f"https://www.northvalleydaily.co.uk/news/local-news-{article_id}"
    head = (f'<meta name="article:modified_time" content="{iso(mod, 6, 0)}">\n'
            f'<meta name="publish-date" content="{pub.isoformat()}">\n'
            f'<meta name="lastmod" content="{mod.isoformat()}">')
    body = (f'<div class="article-wrapper"><h1>Council approves budget</h1>\n'
            f'<ul class="time-info"><li><span>Updated</span> <time datetime="{iso(mod, 6)}">'
            f'{mod:%H:%M, %d %b %Y}</time></li><li><span>Published</span> '
            f'<time datetime="{iso(pub, 5)}">{pub:%d %b %Y}</time></li></ul>\n'
            f'<div class="article-body"><p>{BODY["en"]}</p></div></div>\n'
            f'{related_rail(rail)}\n{footer(mod.year)}')
    return url, page(head, body), {}


def amp(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    url = f"https://amp.metrowire.net/{pub:%Y/%m}/council-approves-budget.amp.html"
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "mainEntityOfPage": url,
          "headline": "Council approves budget", "datePublished": iso(pub, 12),
          "dateModified": iso(mod, 13), "image": ["https://amp.metrowire.net/img.jpg"]}
    head = (f'<link rel="canonical" href="https://www.metrowire.net/{pub:%Y/%m}/council-approves-budget.html">\n'
            f'<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    body = (f'<header><amp-img src="/logo.png" width="100" height="20"></amp-img></header>\n'
            f'<article><h1>Council approves budget</h1>\n<p class="meta">'
            f'<amp-timeago width="160" height="20" datetime="{iso(mod, 13)}" layout="fixed">'
            f'{en_long(mod)}</amp-timeago></p>\n<p>{BODY["en"]}</p></article>\n'
            f'{related_rail(rail)}\n{footer(mod.year)}')
    return url, page(head, body), {}


def graph_only(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """JSON-LD @graph as the only metadata, the Article node after an ItemList of related
    articles that carry their own datePublished."""
    url = "https://www.coastalobserver.com/stories/council-approves-budget"
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "ItemList", "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "item": {
                "@type": "NewsArticle", "headline": f"Another story {i}",
                "datePublished": iso(d)}} for i, d in enumerate(rail)]},
        {"@type": "NewsArticle", "headline": "Council approves budget",
         "datePublished": iso(pub, 6, 45, "+10:00"), "dateModified": iso(mod, 8, 0, "+10:00")}]}
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    body = (f'<main><h1>Council approves budget</h1><p>{BODY["en"]}</p></main>\n'
            f'{related_rail(rail)}\n{footer(mod.year)}')
    return url, page(head, body), {}


def microdata(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    url = "https://www.valleytribune.com/article/council-approves-budget"
    body = (f'<div itemscope itemtype="http://schema.org/NewsArticle">\n'
            f'<h1 itemprop="headline">Council approves budget</h1>\n'
            f'<p class="dates">Last updated <time itemprop="dateModified" '
            f'datetime="{iso(mod, 18)}">'
            f'{en_long(mod)}</time>; first published <time itemprop="datePublished" '
            f'datetime="{iso(pub, 9)}">{en_long(pub)}</time></p>\n'
            f'<div itemprop="articleBody"><p>{BODY["en"]}</p></div></div>\n'
            f'{related_rail(rail)}\n{footer(mod.year)}')
    return url, page("", body), {}


def rail_first(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """A page whose related rail comes before the story in the DOM, and whose only
    machine-readable dates are <time> elements."""
    url = "https://www.townsquare-times.com/news/council-approves-budget"
    body = (f'<div class="top">{related_rail(rail)}</div>\n'
            f'<div class="story"><h1>Council approves budget</h1>\n<div class="byline">By '
            f'Sam Lee, <time datetime="{iso(pub, 8)}">{en_long(pub)}</time></div>\n'
            f'<p>{BODY["en"]}</p></div>\n{footer(mod.year)}')
    return url, page("", body), {}


def rail_in_article(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """The related rail nested inside <article>, before the article's own <time>."""
    url = f"https://www.townsquare-times.com/news/{pub:%Y/%m}/council-approves-budget"
    body = (f'<article><h1>Council approves budget</h1>\n{related_rail(rail, "aside")}\n'
            f'<p class="byline">By Sam Lee | <time datetime="{iso(pub, 8)}">{en_long(pub)}'
            f'</time></p>\n<p>{BODY["en"]}</p></article>\n{footer(mod.year)}')
    return url, page("", body), {}


_VISIBLE = {
    "de": lambda p, m: (f"Veröffentlicht am {p.day}. {MONTHS['de'][p.month - 1]} {p.year}, "
                        f"10:32 Uhr", f"Aktualisiert am {m:%d.%m.%Y}, 18:05 Uhr"),
    "fr": lambda p, m: (f"Publié le {p.day} {MONTHS['fr'][p.month - 1]} {p.year} à 10h05",
                        f"Mis à jour le {m.day} {MONTHS['fr'][m.month - 1]} {m.year} à 18h20"),
    "es": lambda p, m: (f"Publicado el {p.day} de {MONTHS['es'][p.month - 1]} de {p.year}",
                        f"Actualizado el {m.day} de {MONTHS['es'][m.month - 1]} de {m.year}"),
    "it": lambda p, m: (f"Pubblicato il {p.day} {MONTHS['it'][p.month - 1]} {p.year}",
                        f"Aggiornato il {m.day} {MONTHS['it'][m.month - 1]} {m.year}"),
    "ru": lambda p, m: (f"Опубликовано: {p.day} {MONTHS['ru'][p.month - 1]} {p.year}, 12:40",
                        f"Обновлено: {m.day} {MONTHS['ru'][m.month - 1]} {m.year}, 15:10"),
    "pt": lambda p, m: (f"Publicado em {p.day} de {MONTHS['pt'][p.month - 1]} de {p.year}",
                        f"Atualizado em {m.day} de {MONTHS['pt'][m.month - 1]} de {m.year}"),
    "nl": lambda p, m: (f"Gepubliceerd op {p.day} {MONTHS['nl'][p.month - 1]} {p.year}",
                        f"Bijgewerkt op {m.day} {MONTHS['nl'][m.month - 1]} {m.year}"),
    "en": lambda p, m: (f"Published {p.day} {MONTHS['en'][p.month - 1]} {p.year}",
                        f"Last updated {m.day} {MONTHS['en'][m.month - 1]} {m.year}"),
}


def visible(pub: date, mod: date, rail: list[date], lang: str,
            updated_first: bool = True) -> tuple[str, str, dict]:
    """A hand-made page: no metadata, a visible dateline, an updated line above it."""
    url = f"https://www.local-{lang}-news.example-press.net/article/4471"
    published, updated = _VISIBLE[lang](pub, mod)
    lines = [f'<p class="updated">{updated}</p>', f'<p class="dateline">{published}</p>']
    if not updated_first:
        lines.reverse()
    body = (f'<div class="main"><h1>Headline</h1>\n{"".join(lines)}\n<p>{BODY[lang]}</p></div>\n'
            f'<div class="sidebar">{related_rail(rail, "div")}</div>\n{footer(mod.year)}')
    return url, page("", body, lang), {}


def visible_single(pub: date, lang: str, event: date) -> tuple[str, str, dict]:
    """A dateline only, and an event date (a hearing, a deadline) in the body."""
    url = f"https://www.{lang}-wire.example-press.net/story/98123"
    published, _ = _VISIBLE[lang](pub, pub)
    body = (f'<div class="main"><h1>Headline</h1>\n<p class="dateline">{published}</p>\n'
            f'<p>{BODY[lang]}</p>\n<p>{event.day}.{event.month}.{event.year}</p></div>\n'
            f'{footer(pub.year + 2)}')
    return url, page("", body, lang), {}


def undated(mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """A section or evergreen page: nothing says when it was published."""
    url = "https://www.cityledger-news.com/about/contact"
    body = (f'<main><h1>Contact us</h1><p>Write to the newsroom at any time.</p></main>\n'
            f'{footer(mod.year)}')
    return url, page("", body, title="Contact us"), {"last-modified": _http_date(mod)}


def undated_rail(mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """A topic page: only the list of stories carries dates, none of them its own."""
    url = "https://www.cityledger-news.com/topics/budget"
    body = (f'<main><h1>Budget</h1>{related_rail(rail, "section")}</main>\n{footer(mod.year)}')
    return url, page("", body, title="Budget: latest news"), {}


def meta_only_modified(pub: date, mod: date, rail: list[date]) -> tuple[str, str, dict]:
    """Only a modified date in meta; the URL carries the publication day."""
    url = f"https://www.eastcountypost.com/{pub:%Y/%m/%d}/council-approves-budget.html"
    head = f'<meta property="article:modified_time" content="{iso(mod, 7)}">'
    body = (f'<main><h1>Council approves budget</h1><p class="date">Updated '
            f'{en_long(mod)}</p><p>{BODY["en"]}</p></main>\n{related_rail(rail)}\n'
            f'{footer(mod.year)}')
    return url, page(head, body), {}


def timezone_edge(pub_local: date, rail: list[date]) -> tuple[str, str, dict]:
    """Published late in the evening east of UTC: the local date is the publication date."""
    url = "https://www.eastern-bulletin.com/articles/council-approves-budget"
    stamp = iso(pub_local, 23, 30, "+03:00")
    head = f'<meta property="article:published_time" content="{stamp}">'
    body = (f'<main><h1>Council approves budget</h1><p>{BODY["en"]}</p></main>\n'
            f'{related_rail(rail)}')
    return url, page(head, body), {}


def _http_date(d: date) -> str:
    return datetime(d.year, d.month, d.day, 12).strftime("%a, %d %b %Y %H:%M:%S GMT")


def cases():
    D = date.fromisoformat
    later = lambda d, n: d + timedelta(days=n)  # noqa: E731
    # half the pages carry a rail of other stories' dates, half none
    rails = [
        [D("2024-02-01"), D("2024-01-30")], [], [D("2022-07-19"), D("2022-07-01"),
                                                 D("2021-12-30")], [],
    ]
    pubs = [D("2019-04-03"), D("2020-06-28"), D("2021-03-03"), D("2018-11-20"),
            D("2022-01-14"), D("2020-09-09")]
    mods = [later(p, n) for p, n in zip(pubs, (412, 2, 730, 1500, 35, 0), strict=True)]
    out = []
    for i, (p, m) in enumerate(zip(pubs, mods, strict=True)):
        r = rails[i % len(rails)]
        out += [
            (f"wordpress-{i}", "wordpress", p, wordpress(p, m, r, slug_url=i % 2 == 0)),
            (f"wordpress-nometa-{i}", "wordpress", p, wordpress(p, m, r, slug_url=i % 2 == 1,
                                                                 theme_meta=False)),
            (f"arc-{i}", "arc", p, arc(p, m, r)),
            (f"brightspot-{i}", "brightspot", p, brightspot(p, m, r)),
            (f"drupal-{i}", "drupal", p, drupal(p, m, r)),
            (f"amp-{i}", "amp", p, amp(p, m, r)),
            (f"graph-{i}", "json-ld-graph", p, graph_only(p, m, r)),
            (f"microdata-{i}", "microdata", p, microdata(p, m, r)),
        ]
        if i < 4:
            out += [
                (f"wordpress-old-{i}", "wordpress", p, wordpress_plain(p, m, r)),
                (f"arc-fusion-{i}", "arc", p, arc_no_meta(p, m, r)),
                (f"brightspot-visible-{i}", "brightspot", p, brightspot_visible(p, m, r)),
                (f"drupal-updated-{i}", "drupal", p, drupal_updated_only(p, m, r)),
                (f"newsarc-{i}", "newsarc", p, newsarc(p, m, r, f"{2019 + i}{1231 - i * 101:04d}")),
                (f"rail-first-{i}", "related-rail", p, rail_first(p, m, r)),
                (f"rail-in-article-{i}", "related-rail", p, rail_in_article(p, m, r)),
                (f"modified-only-{i}", "modified-date", p, meta_only_modified(p, m, r)),
                (f"timezone-{i}", "time-zone", p, timezone_edge(p, r)),
            ]
    langs = ["de", "fr", "es", "it", "ru", "pt", "nl", "en"]
    for i, lang in enumerate(langs):
        p, m = pubs[i % len(pubs)], mods[i % len(mods)]
        r = rails[(i // 2) % len(rails)]
        out.append((f"dateline-{lang}", "visible-dateline", p, visible(p, m, r, lang)))
        out.append((f"dateline-{lang}-2", "visible-dateline", p,
                    visible(p, m, r, lang, updated_first=False)))
        out.append((f"dateline-{lang}-event", "visible-dateline", p,
                    visible_single(p, lang, later(p, 40))))
    for i in range(3):
        out.append((f"undated-{i}", "undated", None, undated(mods[i], rails[i])))
        out.append((f"topic-{i}", "undated", None, undated_rail(mods[i], rails[i])))
    return out


def main() -> None:
    pages = OUT / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for old in pages.glob("*.html"):
        old.unlink()
    gold = []
    for name, pattern, pub, (url, html, headers) in cases():
        (pages / f"{name}.html").write_text(html, encoding="utf-8")
        gold.append({"file": f"pages/{name}.html", "url": url, "pattern": pattern,
                     "headers": headers, "published": pub.isoformat() if pub else None})
    (OUT / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    print(f"{len(gold)} pages written to {OUT}")


if __name__ == "__main__":
    main()
