"""--wacz: the WARC, its CDXJ index, the cited pages and a datapackage.json
with sha256 hashes, checked by `wacz validate` (the py-wacz package) and by
the WACZ 1.1.1 spec's own rules read directly."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from linkcheck.pipeline import AuditOptions, run_audit
from linkcheck.resolve.settings import ResolveSettings
from tests.support.routing import RoutingTransport
from tests.support.sites import SITES, SiteServer
from tests.support.warcs import BIN, check_warc

ROOT = Path(__file__).resolve().parent.parent


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)],
                          capture_output=True, text=True, timeout=120)


def audit_with_wacz(tmp_path: Path) -> Path:
    warc = tmp_path / "cases.warc.gz"
    with SiteServer("archive-cases") as server:
        options = AuditOptions(settings=ResolveSettings(retries=0), warc=warc, wacz=True,
                               index=True, transport=RoutingTransport(server.base))
        asyncio.run(run_audit([str(SITES / "archive-cases" / "article.md")], options))
    check_warc(warc)
    return tmp_path / "cases.wacz"


def test_wacz_validates_and_follows_the_spec(tmp_path):
    wacz = audit_with_wacz(tmp_path)
    proc = validate(wacz)
    assert proc.returncode == 0 and "Validation succeeded" in proc.stdout, proc.stdout

    with zipfile.ZipFile(wacz) as z:
        names = z.namelist()
        assert set(names) == {"archive/cases.warc.gz", "indexes/index.cdx",
                              "pages/pages.jsonl", "datapackage.json",
                              "datapackage-digest.json"}
        # the WARC is stored, not deflated, so a reader can seek into it
        assert z.getinfo("archive/cases.warc.gz").compress_type == zipfile.ZIP_STORED
        assert z.read("archive/cases.warc.gz") == (tmp_path / "cases.warc.gz").read_bytes()
        package_bytes = z.read("datapackage.json")
        package = json.loads(package_bytes)
        assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
        assert {r["path"] for r in package["resources"]} == set(names) - {
            "datapackage.json", "datapackage-digest.json"}
        for res in package["resources"]:
            data = z.read(res["path"])
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert res["bytes"] == len(data)
        digest = json.loads(z.read("datapackage-digest.json"))
        assert digest == {"path": "datapackage.json",
                          "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}

        index = z.read("indexes/index.cdx").decode()
        assert index == (tmp_path / "cases.cdxj").read_text()
        assert index.splitlines() == sorted(index.splitlines())
        entries = [json.loads(line.split(" ", 2)[2]) for line in index.splitlines()]
        assert {e["filename"] for e in entries} == {"cases.warc.gz"}
        assert "warc/revisit" in {e["mime"] for e in entries}

        header, *pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()]
        assert header["format"] == "json-pages-1.0" and header["id"] == "pages"
        cited = {p["url"] for p in pages}
        assert "https://news.harbour-gazette.test/notices/odesa" in cited
        assert all(p["ts"].endswith("Z") and p["id"] for p in pages)
        titles = {p["url"]: p.get("title") for p in pages}
        assert titles["https://mirror.grain-wire.test/syndication/odesa-port-reopens.html"] \
            == "Port of Odesa reopens to grain ships"


def test_wacz_validate_notices_a_hash_mismatch(tmp_path):
    """The validator is a real check: a changed byte fails it."""
    wacz = audit_with_wacz(tmp_path)
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(wacz) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"Odesa", b"Odessa")
            dst.writestr(info, data)
    assert validate(tampered).returncode == 1


def test_wacz_from_the_command_line(tmp_path):
    warc = tmp_path / "nato.warc.gz"
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "audit",
                           "examples/nato-grushko.txt", "--replay",
                           "cassettes/nato-grushko.warc.gz", "--warc", str(warc), "--wacz",
                           "--fail-on", "never"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert validate(tmp_path / "nato.wacz").returncode == 0
    assert not (tmp_path / "nato.cdxj").exists()  # --index was not asked for
