"""Who published a page, in the words an English-language story uses.

A page names its publisher in its own language (og:site_name "РИА Новости");
the story citing it says "RIA Novosti". `english_publisher` gives the English
name, from a short table of well-known news outlets and official sources by
domain (domain knowledge, kept small and explicit), else by transliterating a
Cyrillic name; the page's own words are kept beside it. `outlet_names` lists
every name a cited page may go by, for matching against the story's text.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkcheck.analysis.textmatch import has_cyrillic, transliterate
from linkcheck.urls.parse import host_of


@dataclass(frozen=True)
class Outlet:
    name: str  # the English name stories use
    domains: tuple[str, ...]
    aliases: tuple[str, ...] = ()  # other names in English text (short ones: case-sensitive)
    kind: str = "news"  # news | official


_OUTLETS = [
    # Russian and Ukrainian outlets, the beat of the reference article
    Outlet("RIA Novosti", ("ria.ru",), ("RIA",)),
    Outlet("TASS", ("tass.ru", "tass.com")),
    Outlet("Interfax", ("interfax.ru", "interfax.com")),
    Outlet("Interfax-Ukraine", ("interfax.com.ua",)),
    Outlet("Kommersant", ("kommersant.ru",)),
    Outlet("Vedomosti", ("vedomosti.ru",)),
    Outlet("RBC", ("rbc.ru",)),
    Outlet("Izvestia", ("iz.ru",)),
    Outlet("Rossiyskaya Gazeta", ("rg.ru",)),
    Outlet("Novaya Gazeta", ("novayagazeta.ru", "novayagazeta.eu")),
    Outlet("Meduza", ("meduza.io",)),
    Outlet("The Moscow Times", ("themoscowtimes.com",), ("Moscow Times",)),
    Outlet("Lenta.ru", ("lenta.ru",)),
    Outlet("Gazeta.ru", ("gazeta.ru",)),
    Outlet("Fontanka", ("fontanka.ru",)),
    Outlet("Ekho Moskvy", ("echo.msk.ru",), ("Echo of Moscow",)),
    Outlet("TV Rain", ("tvrain.ru", "tvrain.tv"), ("Dozhd",)),
    Outlet("RT", ("rt.com",), ("Russia Today",)),
    Outlet("Sputnik", ("sputniknews.com",)),
    Outlet("Ukrainska Pravda", ("pravda.com.ua",)),
    Outlet("Ukrinform", ("ukrinform.net", "ukrinform.ua")),
    Outlet("UNIAN", ("unian.net", "unian.info", "unian.ua")),
    Outlet("The Kyiv Independent", ("kyivindependent.com",), ("Kyiv Independent",)),
    Outlet("Radio Free Europe/Radio Liberty", ("rferl.org",), ("RFE/RL", "Radio Liberty")),
    # international wires and papers
    Outlet("Reuters", ("reuters.com",)),
    Outlet("Associated Press", ("apnews.com", "ap.org"), ("AP", "The Associated Press")),
    Outlet("AFP", ("afp.com",), ("Agence France-Presse",)),
    Outlet("Bloomberg", ("bloomberg.com",)),
    Outlet("BBC", ("bbc.com", "bbc.co.uk")),
    Outlet("CNN", ("cnn.com",)),
    Outlet("The New York Times", ("nytimes.com",), ("New York Times",)),
    Outlet("The Washington Post", ("washingtonpost.com",), ("Washington Post",)),
    Outlet("The Wall Street Journal", ("wsj.com",), ("Wall Street Journal",)),
    Outlet("The Guardian", ("theguardian.com",), ("Guardian",)),
    Outlet("Financial Times", ("ft.com",), ("FT",)),
    Outlet("The Economist", ("economist.com",), ("Economist",)),
    Outlet("Politico", ("politico.com", "politico.eu")),
    Outlet("Axios", ("axios.com",)),
    Outlet("Al Jazeera", ("aljazeera.com",)),
    Outlet("Deutsche Welle", ("dw.com",), ("DW",)),
    Outlet("Der Spiegel", ("spiegel.de",), ("Spiegel",)),
    Outlet("Le Monde", ("lemonde.fr",)),
    Outlet("Euronews", ("euronews.com",)),
    Outlet("France 24", ("france24.com",)),
    Outlet("NPR", ("npr.org",)),
    Outlet("NBC News", ("nbcnews.com",), ("NBC",)),
    Outlet("CBS News", ("cbsnews.com",), ("CBS",)),
    Outlet("ABC News", ("abcnews.go.com",), ("ABC",)),
    Outlet("Fox News", ("foxnews.com",)),
    Outlet("Sky News", ("news.sky.com",)),
    Outlet("CNBC", ("cnbc.com",)),
    Outlet("The Telegraph", ("telegraph.co.uk",), ("Telegraph",)),
    Outlet("The Independent", ("independent.co.uk",)),
    Outlet("The Hill", ("thehill.com",)),
    Outlet("Newsweek", ("newsweek.com",)),
    Outlet("Xinhua", ("xinhuanet.com", "news.cn")),
    Outlet("Kyodo News", ("kyodonews.net",), ("Kyodo",)),
    Outlet("Yonhap", ("yna.co.kr", "en.yna.co.kr")),
    # official sources, cited as "according to the Kremlin's statement"
    Outlet("Kremlin", ("kremlin.ru",), ("President of Russia",), "official"),
    Outlet("Russian Foreign Ministry", ("mid.ru",), ("Russia's Foreign Ministry",), "official"),
    Outlet("Russian Defense Ministry", ("mil.ru",), ("Russia's Defense Ministry",
                                                      "Russian Defence Ministry"), "official"),
    Outlet("NATO", ("nato.int",), (), "official"),
    Outlet("U.S. State Department", ("state.gov",), ("State Department",), "official"),
    Outlet("White House", ("whitehouse.gov",), (), "official"),
    Outlet("Pentagon", ("defense.gov",), ("Defense Department",), "official"),
    Outlet("United Nations", ("un.org",), ("UN", "U.N."), "official"),
    Outlet("European Union", ("europa.eu",), ("EU", "E.U.", "European Commission"), "official"),
    Outlet("OSCE", ("osce.org",), (), "official"),
    Outlet("Office of the President of Ukraine", ("president.gov.ua",),
           ("Ukrainian presidency",), "official"),
    Outlet("Ukrainian Foreign Ministry", ("mfa.gov.ua",), ("Ukraine's Foreign Ministry",),
           "official"),
]

OUTLETS = tuple(_OUTLETS)
_BY_DOMAIN = {d: o for o in _OUTLETS for d in o.domains}


def outlet_for(url: str | None) -> Outlet | None:
    """The table's outlet for a URL's host or any parent domain of it."""
    labels = host_of(url).split(".")
    for i in range(len(labels) - 1):
        if (o := _BY_DOMAIN.get(".".join(labels[i:]))) is not None:
            return o
    return None


def english_publisher(native: str | None, url: str | None) -> tuple[str | None, str | None, str]:
    """(English name, the page's own name when different, how the English one was found).

    how: "" (the page's own name as is), "outlets table", "transliterated".
    """
    outlet = outlet_for(url)
    if outlet is not None:
        same = native is not None and native.strip().lower() in {
            n.lower() for n in (outlet.name, *outlet.aliases)}
        return outlet.name, (None if same or not native else native), "outlets table"
    if native and has_cyrillic(native):
        return transliterate(native), native, "transliterated"
    return native, None, ""


def outlet_names(publisher: str | None, native: str | None, url: str | None) -> list[str]:
    """Every name the page's publisher may go by in a story: the table's name and
    aliases, the page's own name and its transliteration. Longest first."""
    names: list[str] = []
    outlet = outlet_for(url)
    if outlet is not None:
        names += [outlet.name, *outlet.aliases]
    for n in (publisher, native):
        if n:
            names += [n, transliterate(n)]
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    return sorted(dict.fromkeys(names), key=len, reverse=True)
