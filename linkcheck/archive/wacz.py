"""WACZ 1.1.1 packaging: the WARC, its CDXJ index, a pages list and a
datapackage.json with the sha256 and size of each, in one zip that
ReplayWeb.page opens (https://specs.webrecorder.net/wacz/1.1.1/)."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from linkcheck import __version__
from linkcheck.archive.index import cdxj_lines, index_path

WACZ_VERSION = "1.1.1"


def write_wacz(warc: str | Path, pages: list[dict], title: str | None = None) -> Path:
    """x.warc.gz -> x.wacz beside it. pages: {"url", "ts", "title"?} per page."""
    warc = Path(warc)
    out = index_path(warc, ".wacz")
    files: list[tuple[str, bytes, int]] = [
        ("indexes/index.cdx", cdxj_lines(warc).encode("utf-8"), zipfile.ZIP_DEFLATED),
        ("pages/pages.jsonl", _pages_jsonl(pages), zipfile.ZIP_DEFLATED),
    ]
    resources = [_resource(f"archive/{warc.name}", _file_sha256(warc), warc.stat().st_size)]
    resources += [_resource(path, _sha256(data), len(data)) for path, data, _ in files]
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    package = {"profile": "data-package", "wacz_version": WACZ_VERSION,
               "title": title or warc.name, "created": created,
               "software": f"linkcheck/{__version__}", "resources": resources}
    if pages:
        package["mainPageURL"], package["mainPageDate"] = pages[0]["url"], pages[0]["ts"]
    package_bytes = json.dumps(package, indent=2).encode("utf-8")
    digest = {"path": "datapackage.json", "hash": _sha256(package_bytes)}
    tmp = out.with_name(out.name + ".open")
    with zipfile.ZipFile(tmp, "w") as z:
        # The spec asks for the WARC stored, not deflated, so readers can seek in it.
        z.write(warc, f"archive/{warc.name}", compress_type=zipfile.ZIP_STORED)
        for path, data, how in files:
            z.writestr(path, data, compress_type=how)
        z.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("datapackage-digest.json", json.dumps(digest, indent=2),
                   compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(out)
    return out


def _pages_jsonl(pages: list[dict]) -> bytes:
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "Cited pages"}]
    lines += [{"id": f"page-{i}", **{k: v for k, v in p.items() if v is not None}}
              for i, p in enumerate(pages, 1)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


def cited_pages(reports, captured: dict[str, str]) -> list[dict]:
    """The pages list: each cited link that was captured, under the URL that
    was cited (replay follows its stored redirects), at its capture time."""
    pages: dict[str, dict] = {}
    for ar in reports:
        for url, res in ar.links.items():
            if url in captured and url not in pages:
                pages[url] = {"url": url, "ts": captured[url], "title": res.meta.title}
    return list(pages.values())


def _resource(path: str, digest: str, size: int) -> dict:
    # frictionless (which `wacz validate` runs) wants lower-case names of [a-z0-9._-/].
    name = re.sub(r"[^a-z0-9._/-]", "-", Path(path).name.lower())
    return {"name": name, "path": path, "hash": digest, "bytes": size}


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
