"""The catalogue: sources read as streams, the store and its migrations, the
audit (each link fetched once across the catalogue, findings per article,
rotating indexed WARCs that pywb takes as a collection), and the report."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from linkcheck.catalogue import report as catalogue_report
from linkcheck.catalogue.fetch import Fetcher
from linkcheck.catalogue.runner import CatalogueOptions, audit_catalogue
from linkcheck.catalogue.schema import MIGRATIONS, VERSION
from linkcheck.catalogue.sources import entries
from linkcheck.catalogue.store import Store
from linkcheck.errors import InputError
from linkcheck.pipeline import AuditOptions
from linkcheck.resolve.settings import ResolveSettings
from tests.support.newsroom import Newsroom
from tests.support.server import FaultServer
from tests.support.warcs import BIN

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ResolveSettings(allow_private=True, retries=0, timeout=5, per_host=2)


def no_fetch(url: str) -> bytes:
    raise AssertionError(f"nothing remote expected, asked for {url}")


@pytest.fixture
def newsroom():
    with FaultServer(hosts=5) as srv:
        yield Newsroom(srv)


def options(tmp_path: Path, **kw) -> CatalogueOptions:
    return CatalogueOptions(audit=AuditOptions(settings=SETTINGS),
                            warc_dir=tmp_path / "snapshots", **kw)


def add_sitemap(store: Store, room: Newsroom) -> None:
    with Fetcher(SETTINGS) as fetch:
        store.add_articles(entries(room.server.url("/sitemap.xml", 1), fetch))


# -- sources -------------------------------------------------------------------

def test_a_remote_sitemap_index_gives_every_article_with_its_dates(newsroom):
    with Fetcher(SETTINGS) as fetch:
        found = list(entries(newsroom.server.url("/sitemap.xml", 1), fetch))
    assert [e.url for e in found] == [newsroom.article_url(i) for i in range(12)]
    news = [e for e in found if e.published_source == "news:publication_date"]
    assert len(news) == 6 and news[0].title == "Story 6"
    assert str(news[0].published) == "1998-06-01"  # article 6: 6 % 3 == 0
    lastmod = [e for e in found if e.published_source == "sitemap:lastmod"]
    assert len(lastmod) == 6 and str(lastmod[1].published) == "2008-06-02"


def test_a_private_address_is_refused_unless_allowed(newsroom):
    with Fetcher(ResolveSettings(retries=0)) as fetch, pytest.raises(InputError) as err:
        list(entries(newsroom.server.url("/sitemap.xml", 1), fetch))
    assert "cannot fetch" in str(err.value)


PEAK_RSS = """
import resource, sys
from linkcheck.catalogue.sources import entries
count = sum(1 for _ in entries(sys.argv[1], None))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def big_sitemap(path: Path, urls: int) -> Path:
    with gzip.open(path, "wt", compresslevel=1) as f:
        f.write('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9">')
        for start in range(0, urls, 10_000):
            f.write("".join(f"<url><loc>https://news.test/story/{i}</loc><lastmod>2020-01-02"
                            "</lastmod></url>" for i in range(start, min(urls, start + 10_000))))
        f.write("</urlset>")
    return path


def test_a_big_sitemap_is_streamed_memory_does_not_grow_with_it(tmp_path):
    peaks = {}
    for urls in (20_000, 300_000):
        path = big_sitemap(tmp_path / f"s{urls}.xml.gz", urls)
        out = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path)], capture_output=True,
                             text=True, timeout=300, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        count, peak_kb = map(int, out.stdout.split())
        assert count == urls
        peaks[urls] = peak_kb
    # 15x the URLs (about 20 MB of XML more) and the peak stays where it was
    assert peaks[300_000] - peaks[20_000] < 8 * 1024, peaks


def test_rss_and_atom_feeds_give_links_and_dates(tmp_path):
    rss = tmp_path / "feed.rss"
    rss.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                   "<item><title>One</title><link>https://news.test/one</link>"
                   "<pubDate>Tue, 03 Jun 2008 09:39:21 GMT</pubDate></item>"
                   "<item><title>Two</title><link>https://news.test/two</link></item>"
                   "</channel></rss>")
    atom = tmp_path / "feed.atom"
    atom.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    "<title>T</title><entry><title>Three</title>"
                    '<link href="https://news.test/three"/>'
                    "<published>2018-02-01T10:00:00Z</published></entry></feed>")
    got = list(entries(str(rss), no_fetch)) + list(entries(str(atom), no_fetch))
    assert [(e.url, str(e.published), e.published_source) for e in got] == [
        ("https://news.test/one", "2008-06-03", "feed"),
        ("https://news.test/two", "None", None),
        ("https://news.test/three", "2018-02-01", "feed")]


def test_url_lists_plain_and_csv_with_a_date_column(tmp_path):
    plain = tmp_path / "urls.txt"
    plain.write_text("# our archive\nhttps://news.test/a\n\nhttps://news.test/b\n")
    table = tmp_path / "urls.csv"
    table.write_text("title,url,published\nA,https://news.test/c,2011-04-05\n"
                     "B,https://news.test/d,\n")
    got = list(entries(str(plain), no_fetch)) + list(entries(str(table), no_fetch))
    assert [e.url for e in got] == [f"https://news.test/{x}" for x in "abcd"]
    assert str(got[2].published) == "2011-04-05" and got[2].published_source == "list"
    bad = tmp_path / "bad.csv"
    bad.write_text("url,date\nhttps://news.test/e,yesterday\n")
    with pytest.raises(InputError, match="bad.csv:2: not a date"):
        list(entries(str(bad), no_fetch))


def test_a_folder_of_drafts_and_a_draft_that_is_not_a_list(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.md").write_text("See https://news.test/x for more.\n")
    (tmp_path / "d" / "b.txt").write_text("https://news.test/only-a-url\n")
    (tmp_path / "d" / ".hidden.md").write_text("x")
    got = [e.url for e in entries(str(tmp_path / "d"), no_fetch)]
    assert got == [str(tmp_path / "d" / "a.md"), str(tmp_path / "d" / "b.txt")]
    assert [e.url for e in entries(str(tmp_path / "d" / "a.md"), no_fetch)] == [got[0]]


def test_a_malformed_sitemap_is_an_input_error(tmp_path):
    bad = tmp_path / "sitemap.xml"
    bad.write_text('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
                   "https://news.test/a</loc></url><url>")
    with pytest.raises(InputError, match="not a well-formed sitemap"):
        list(entries(str(bad), no_fetch))


def test_entity_expansion_is_not_performed(tmp_path):
    evil = tmp_path / "sitemap.xml"
    evil.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">'
                    ']><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
                    "https://news.test/&e;</loc></url></urlset>")
    assert all("root:" not in e.url for e in entries(str(evil), no_fetch))


# -- the store -------------------------------------------------------------------

def test_a_new_store_is_at_the_latest_schema_in_wal_mode(tmp_path):
    with Store(tmp_path / "c.db") as store:
        assert store.version() == VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_store_is_migrated_and_keeps_its_rows(tmp_path):
    db = sqlite3.connect(tmp_path / "old.db")
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO schema_version VALUES (1, '2025-01-01')")
    db.execute("INSERT INTO articles (url, added_at) VALUES ('https://news.test/a', 'x')")
    db.commit()
    db.close()
    with Store(tmp_path / "old.db") as store:
        assert store.version() == 2
        assert store.count("SELECT COUNT(*) FROM articles") == 1
        assert store.count("SELECT COUNT(*) FROM link_state") == 0


def test_a_store_from_a_newer_linkcheck_or_not_a_store_is_refused(tmp_path):
    with Store(tmp_path / "c.db") as store:
        store.db.execute("INSERT INTO schema_version VALUES (99, 'x')")
    with pytest.raises(InputError, match="newer"):
        Store(tmp_path / "c.db")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a catalogue store"):
        Store(junk)


def test_adding_twice_keeps_one_row_per_article(tmp_path, newsroom):
    with Store(tmp_path / "c.db") as store:
        add_sitemap(store, newsroom)
        add_sitemap(store, newsroom)
        assert store.count("SELECT COUNT(*) FROM articles") == 12


# -- the audit -------------------------------------------------------------------

def test_the_audit_fetches_each_link_once_and_stores_every_result(tmp_path, newsroom):
    with Store(tmp_path / "c.db") as store:
        add_sitemap(store, newsroom)
        summary = audit_catalogue(store, options(tmp_path))
        links = newsroom.all_links()
        assert summary.articles_read == 12 and summary.links_checked == len(links)
        assert store.count("SELECT COUNT(*) FROM checks") == len(links)
        assert store.count("SELECT COUNT(*) FROM articles WHERE audited_at IS NULL") == 0
        assert len(newsroom.server.hits_for("/shared")) == 1  # cited by all 12 articles
        for url in links:
            path = url.split(str(newsroom.server.port), 1)[1]
            assert len(newsroom.server.hits_for(path)) == 1, url
        broken = store.count("SELECT COUNT(*) FROM findings WHERE rule = 'broken-link'")
        cited_gone = sum(1 for i in range(12) for u in newsroom.links_of(i) if "/gone/" in u)
        assert broken == cited_gone
        # dates: Google News dates kept, lastmod replaced by the article's own metadata
        rows = dict(store.db.execute("SELECT url, published_source FROM articles"))
        assert rows[newsroom.article_url(0)].startswith("page metadata")
        assert rows[newsroom.article_url(6)] == "news:publication_date"
        # a second run has nothing left to do
        again = audit_catalogue(store, options(tmp_path))
        assert (again.articles_read, again.links_checked, again.articles_analysed) == (0, 0, 0)
        assert store.count("SELECT COUNT(*) FROM checks") == len(links)


def test_max_age_rechecks_what_is_older(tmp_path, newsroom):
    with Store(tmp_path / "c.db") as store:
        add_sitemap(store, newsroom)
        audit_catalogue(store, options(tmp_path))
        first = store.count("SELECT COUNT(*) FROM findings")
        again = audit_catalogue(store, options(tmp_path, max_age_days=0))
        assert again.articles_read == 12 and again.links_checked == len(newsroom.all_links())
        assert store.count("SELECT COUNT(*) FROM findings") == first  # replaced, not added


def test_snapshots_rotate_with_an_index_each_and_form_a_pywb_collection(tmp_path, newsroom):
    with Store(tmp_path / "c.db") as store:
        add_sitemap(store, newsroom)
        audit_catalogue(store, options(tmp_path, warc_limit=6000))
        located = store.count("SELECT COUNT(*) FROM checks WHERE warc IS NOT NULL")
        assert located == len(newsroom.all_links())
        warc, offset = store.db.execute("SELECT warc, warc_offset FROM checks WHERE "
                                        "status = 200 LIMIT 1").fetchone()
    folder = tmp_path / "snapshots"
    warcs = sorted(folder.glob("*.warc.gz"))
    assert len(warcs) >= 3 and not list(folder.glob("*.open"))
    for w in warcs:
        assert (folder / (w.name[: -len(".warc.gz")] + ".cdxj")).stat().st_size > 0
    from warcio.archiveiterator import ArchiveIterator

    with open(folder / warc, "rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f)))
        assert record.rec_type == "response"
    coll = tmp_path / "pywb"
    coll.mkdir()
    for args in (["init", "catalogue"], ["add", "catalogue", *map(str, warcs)]):
        done = subprocess.run([str(BIN / "wb-manager"), *args], cwd=coll, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    index = "".join(p.read_text() for p in (coll / "collections" / "catalogue" / "indexes")
                    .glob("*.cdxj"))
    assert "/shared" in index and "/articles/3.html" in index


def test_a_salvaged_snapshot_keeps_its_complete_records(tmp_path):
    from linkcheck.archive.writer import WarcSnapshot
    from linkcheck.catalogue.warcs import salvage
    from linkcheck.model import Exchange

    snap = WarcSnapshot(tmp_path / "x.warc.gz", {})
    for i in range(3):
        snap.write_exchange(Exchange(f"https://news.test/{i}", "GET", f"/{i}", [],
                                     "HTTP/1.1", 200, "OK", [], b"body %d" % i))
    size = snap.open_path.stat().st_size
    with open(snap.open_path, "ab") as f:
        f.write(gzip.compress(b"WARC/1.1\r\nhalf a record")[:20])  # cut off by a kill
    assert salvage(tmp_path) == [tmp_path / "x.warc.gz"]
    assert (tmp_path / "x.warc.gz").stat().st_size == size
    assert (tmp_path / "x.cdxj").read_text().count("news.test") == 3


# -- the CLI and the report ---------------------------------------------------------

def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linkcheck", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_the_cli_adds_audits_and_reports(tmp_path, newsroom):
    db = str(tmp_path / "c.db")
    add = cli("catalogue", "add", newsroom.server.url("/sitemap.xml", 1), "--store", db,
              "--allow-private", cwd=tmp_path)
    assert add.returncode == 0, add.stderr
    assert "12 articles added" in add.stdout
    run = cli("catalogue", "audit", "--store", db, "--allow-private", "--retries", "0",
              cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "12 of 12 articles audited" in run.stdout
    assert list((tmp_path / "linkcheck-snapshots").glob("catalogue-*.warc.gz"))
    out = tmp_path / "report.json"
    rep = cli("catalogue", "report", "--store", db, "--format", "json", "--output", str(out),
              cwd=tmp_path)
    assert rep.returncode == 0, rep.stderr
    data = json.loads(out.read_text())
    assert len(data["links"]) == len(newsroom.all_links())
    shared = next(x for x in data["links"] if x["url"].endswith("/shared"))
    assert len(shared["articles"]) == 12 and shared["latest"]["outcome"] == "ok"
    years = {y["year"]: y for y in data["rot_curve"]}
    assert set(years) == {"1998", "2008", "2018"}
    assert sum(y["dead"] for y in data["rot_curve"]) == sum(
        1 for i in range(12) for u in newsroom.links_of(i) if "/gone/" in u)
    md = cli("catalogue", "report", "--store", db, "--format", "markdown", cwd=tmp_path)
    assert "## Rot curve" in md.stdout and "| 1998 |" in md.stdout


def test_cli_input_errors_are_one_line(tmp_path):
    missing = cli("catalogue", "audit", "--store", str(tmp_path / "none.db"), cwd=tmp_path)
    assert missing.returncode == 2 and "no such store" in missing.stderr
    bad = cli("catalogue", "add", str(tmp_path / "nope.xml"), "--store",
              str(tmp_path / "c.db"), cwd=tmp_path)
    assert bad.returncode == 2 and "no such file" in bad.stderr
    assert "Traceback" not in bad.stderr + missing.stderr
    fmt = cli("catalogue", "report", "--store", str(tmp_path / "c.db"), "--format", "pdf",
              cwd=tmp_path)
    assert fmt.returncode == 2 and "--format" in fmt.stderr


def test_the_report_of_an_empty_catalogue(tmp_path):
    with Store(tmp_path / "c.db") as store:
        cat = catalogue_report.gather(store)
        assert cat.rot_curve == [] and cat.summary.articles == 0
        html = __import__("linkcheck.catalogue.report_html", fromlist=["render"]).render(cat)
        assert "No dated article" in html


def test_hosts_of_one_site_share_a_shard():
    from linkcheck.catalogue.shards import registrable_domain, shard_key

    assert registrable_domain("www.nytimes.com") == registrable_domain("cooking.nytimes.com")
    assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert registrable_domain("127.0.0.3") == "127.0.0.3"
    assert shard_key("nytimes.com") == shard_key("nytimes.com") != shard_key("bbc.co.uk")


def test_dask_is_never_imported_without_workers():
    code = ("import sys, linkcheck.cli, linkcheck.catalogue.runner, linkcheck.catalogue.monitor; "
            "sys.exit('distributed' in sys.modules or 'dask' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
