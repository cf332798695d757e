"""Source-map speed: a wire story's link list matched to its sentences.

A 200-sentence article followed by a bare list of 1,000 cited URLs (each page
with a title, a publisher and a few hundred words, some sharing a name, a
number or a quoted phrase with one sentence): the time `analysis.sourcemap.build`
takes. Target: under 2 s.

    python bench/sourcemap_bench.py [--sentences N] [--links N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("LINKCHECK_SRC", str(ROOT)))

SURNAMES = ["Petrenko", "Kowalski", "Novak", "Ivanova", "Schmidt", "Dubois", "Rossi", "Garcia",
            "Nakamura", "Okafor", "Lindqvist", "Horvath", "Moreau", "Kaya", "Silva", "Jensen"]
_VOCABULARY = """council budget freight rail port harbour drought harvest tariff pipeline reactor
ceasefire corridor convoy shelter ballot turnout pension inflation subsidy refinery bridge dam
vaccine clinic school court appeal verdict border customs grain fertiliser wheat barley coal
turbine grid outage strike union wage"""
WORDS = _VOCABULARY.split()


def make(sentences: int, links: int, seed: int = 7):
    from linkcheck.model import Article, Hop, Outcome, PageMeta, Resolution

    rnd = random.Random(seed)
    lines, facts = [], []
    for _ in range(sentences):
        name = f"{rnd.choice(['Anna', 'Jan', 'Marta', 'Piotr', 'Olga'])} {rnd.choice(SURNAMES)}"
        number = rnd.randint(100, 99999)
        words = " ".join(rnd.sample(WORDS, 6))
        facts.append((name, number, words))
        lines.append(f"{name} said the {words} figures reached {number} on Tuesday.")
    paragraphs = [" ".join(lines[i:i + 4]) for i in range(0, len(lines), 4)]
    urls = [f"https://site{i % 40}.example-wire.net/news/{i}/story-{i}" for i in range(links)]
    text = "\n\n".join(paragraphs) + "\n\n" + "\n".join(urls) + "\n"
    resolutions = {}
    for i, url in enumerate(urls):
        name, number, words = facts[i % sentences]
        body = " ".join(rnd.choice(WORDS) for _ in range(250))
        if i % 3 == 0:
            body += f" {name} said the total was {number}."
        meta = PageMeta(title=f"Story {i} about {rnd.choice(WORDS)} and {rnd.choice(WORDS)}",
                        publisher=f"Wire {i % 40}", text=body)
        resolutions[url] = Resolution(url, Outcome.OK, final_url=url, status=200,
                                      hops=[Hop(url, 200)], meta=meta)
    return Article("wire.txt", text, "txt"), resolutions


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--links", type=int, default=1000)
    args = ap.parse_args(argv)
    from linkcheck.analysis.sourcemap import build
    from linkcheck.extract import extract

    article, links = make(args.sentences, args.links)
    cites = extract(article)
    t = time.perf_counter()
    smap = build(article, cites, links)
    took = time.perf_counter() - t
    mapped = sum(1 for u in links if smap.supports.get(u))
    print(f"source map: {args.links} listed links over {args.sentences} sentences in "
          f"{took:.2f} s (target < 2 s); {mapped} links mapped to a sentence")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
