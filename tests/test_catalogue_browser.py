"""The catalogue report rendered by headless Chromium (no network): the rot
curve is an inline SVG with one bar per publication year, the sites and
articles tables are there, and a screenshot is saved (test-artifacts/)."""

from __future__ import annotations

from pathlib import Path

from lxml import html as lxml_html

from linkcheck.catalogue import report as catalogue_report
from linkcheck.catalogue.fetch import Fetcher
from linkcheck.catalogue.runner import CatalogueOptions, audit_catalogue
from linkcheck.catalogue.sources import entries
from linkcheck.catalogue.store import Store
from linkcheck.pipeline import AuditOptions
from linkcheck.resolve.settings import ResolveSettings
from tests.support.newsroom import Newsroom
from tests.support.server import FaultServer
from tests.test_html_browser import ARTIFACTS, browser, chromium

SETTINGS = ResolveSettings(allow_private=True, retries=0, timeout=5)


def build_report(tmp_path: Path) -> Path:
    with FaultServer(hosts=6) as srv, Store(tmp_path / "c.db") as store:
        room = Newsroom(srv, articles=30, cites=5, dead_every=4)
        with Fetcher(SETTINGS) as fetch:
            store.add_articles(entries(srv.url("/sitemap.xml", 1), fetch))
        options = CatalogueOptions(audit=AuditOptions(settings=SETTINGS),
                                   warc_dir=tmp_path / "snapshots")
        audit_catalogue(store, options)
        room.gone.update(f"/page/{i}-1" for i in range(0, 30, 3))  # alive then, gone now
        options.max_age_days = 0
        audit_catalogue(store, options)
        out = tmp_path / "catalogue.html"
        with open(out, "w", encoding="utf-8") as f:
            catalogue_report.write(store, "html", f)
    return out


def test_the_catalogue_report_renders_in_chromium(tmp_path):
    exe = chromium()
    report = build_report(tmp_path)
    text = report.read_text()
    assert "<script" not in text and "http://" not in text.split("<body>")[0]  # self-contained
    dom = browser(exe, tmp_path / "profile1", "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    tree = lxml_html.fromstring(dom.stdout)
    bars = tree.xpath("//svg[contains(@class, 'rot-curve')]//rect[@class='year']")
    assert [b.get("data-year") for b in bars] == ["1998", "2008", "2018"]
    assert all(0 < float(b.get("data-share")) <= 1 for b in bars)
    assert tree.get_element_by_id("summary") is not None
    assert len(tree.xpath("//section[@id='sites']//tbody/tr")) == 5
    assert len(tree.xpath("//tr[@class='article']")) == 20  # the top 20
    # a link that died after it was captured points at its archived copy
    assert "/page/0-1" in tree.get_element_by_id("articles").text_content()
    assert "archived" in tree.get_element_by_id("articles").text_content()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "catalogue-report.png"
    browser(exe, tmp_path / "profile2", f"--screenshot={shot}", "--window-size=1200,1500",
            "--hide-scrollbars", report.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000
