"""Reading articles: files, directories, stdin. (Published pages by URL are
fetched by the audit through the resolver, see audit.py.)"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

from linkcheck.errors import InputError
from linkcheck.inputs.dates import parse_date
from linkcheck.model import Article

KINDS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".mdown": "md",
         ".html": "html", ".htm": "html", ".xhtml": "html"}
MAX_ARTICLE_BYTES = 20 * 1024 * 1024


def is_url(path: str) -> bool:
    return bool(re.match(r"^https?://", path, re.IGNORECASE))


def load_paths(paths: list[str], stdin_kind: str | None = None) -> list[Article]:
    """Articles from the paths as given (URLs are left to the caller)."""
    articles: list[Article] = []
    for p in paths:
        if p == "-":
            articles.append(_from_bytes("-", read_stdin(), stdin_kind or "txt"))
        elif is_url(p):
            continue
        else:
            path = Path(p)
            if path.is_dir():
                found = sorted(f for f in path.rglob("*") if f.is_file()
                               and f.suffix.lower() in KINDS and not _hidden(f, path))
                articles.extend(load_file(f) for f in found)
            else:
                articles.append(load_file(path))
    return articles


def read_stdin() -> bytes:
    """Standard input, refused past the size a file may have (read no further)."""
    data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(f"-: more than {MAX_ARTICLE_BYTES} bytes on standard input is too "
                         "large for an article")
    return data


def _hidden(f: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in f.relative_to(root).parts)


def kind_of(path: Path) -> str:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
                         "use .txt, .md or .html (or - for stdin)")
    return kind


def load_file(path: Path) -> Article:
    kind = kind_of(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for an article")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return _from_bytes(str(path), data, kind)


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
              (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _from_bytes(name: str, data: bytes, kind: str) -> Article:
    original = data  # the snapshot keeps the bytes as read
    # Word processors save UTF-16 with a byte-order mark: text, though full of NUL bytes.
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                data = data.decode(codec).encode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{name}: not valid {codec.upper()} text") from None
            break
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: looks like a binary file, not an article")
    if kind == "html":
        from linkcheck.pages import decode_body

        text, _ = decode_body(data, None)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from linkcheck.pages import decode_body

            text, _ = decode_body(data, "text/plain")
    if _mostly_control(text):
        raise InputError(f"{name}: looks like a binary file, not an article")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(path=name, text=text, kind=kind, raw=original)
    article.published, article.published_evidence = article_date(article)
    if kind == "html":
        from linkcheck.extract.html import html_base

        article.base_url = html_base(text)
    return article


def _mostly_control(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(sample) > 0.05


_FRONT_DATE = re.compile(r"^(?:date|published|pubdate|publish_date|published_at)\s*:\s*"
                         r"[\"']?([^\"'\n]+)", re.IGNORECASE | re.MULTILINE)


def article_date(article: Article) -> tuple[date | None, str | None]:
    """The article's own publication date from its metadata, if it has one."""
    if article.kind == "md":
        from linkcheck.extract.markdown import split_front_matter

        front, _ = split_front_matter(article.text)
        for m in _FRONT_DATE.finditer(front):  # "published: true" is not a date
            if d := parse_date(m.group(1).strip(), strict=False):
                return d, f"front matter '{m.group(0).split(':')[0].strip()}:'"
    if article.kind == "html":
        from linkcheck.pages import extract_meta

        meta = extract_meta(article.text, article.base_url or "")
        source = meta.sources.get("published", "")
        if meta.published and not source.startswith("htmldate"):
            return meta.published, f"HTML metadata ({source})"
        if meta.published:
            return meta.published, f"HTML page ({source})"
    return None, None


def changed_since(paths: list[str], ref: str) -> list[str]:
    """The drafts under paths that git says changed since ref (or are new)."""
    import subprocess

    def git(*args: str) -> list[str]:
        try:
            out = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        except FileNotFoundError:
            raise InputError("--changed-since needs git on the PATH") from None
        except subprocess.CalledProcessError as exc:
            raise InputError(f"--changed-since {ref}: {exc.stderr.strip().splitlines()[-1]}"
                             if exc.stderr.strip() else f"--changed-since {ref}: git failed"
                             ) from None
        return [line for line in out.stdout.splitlines() if line]

    top = Path(git("rev-parse", "--show-toplevel")[0])
    names = git("diff", "--name-only", "--diff-filter=ACMR", ref, "--") + git(
        "ls-files", "--others", "--exclude-standard", "--full-name")
    changed = {(top / n).resolve() for n in names}
    roots = [Path(p).resolve() for p in paths if p != "-" and not is_url(p)]
    picked = [str(f.relative_to(Path.cwd().resolve()) if f.is_relative_to(Path.cwd().resolve())
                  else f) for f in sorted(changed)
              if f.suffix.lower() in KINDS and f.is_file()
              and any(f == r or f.is_relative_to(r) for r in roots)]
    return picked + [p for p in paths if is_url(p)]
