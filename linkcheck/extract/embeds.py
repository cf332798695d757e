"""Embedded posts: the markup social networks and video sites give publishers
to paste into a story. A pasted X/Twitter, Instagram, TikTok or Facebook post
(and a YouTube player) is one citation of that post, by its canonical URL; the
links inside the markup (t.co links, hashtags, `ref_src` and `utm_` tracking,
the poster's profile) are the network's, not the writer's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

_STATUS = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([^/?#]+)/status(?:es)?/(\d+)",
                     re.IGNORECASE)
_INSTAGRAM = re.compile(r"^https?://(?:www\.)?instagram\.com/(?:[^/?#]+/)?(p|reel|tv)/([\w-]+)",
                        re.IGNORECASE)
_YOUTUBE = re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})",
                      re.IGNORECASE)
_FB_PLUGIN = re.compile(r"^(?:https?:)?//(?:www\.)?facebook\.com/plugins/(?:post|video)\.php\?",
                        re.IGNORECASE)
_IG_IFRAME = re.compile(r"^(?:https?:)?//(?:www\.)?instagram\.com/(p|reel|tv)/([\w-]+)/embed",
                        re.IGNORECASE)


def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url.strip())
    except ValueError:  # "https://[::1": not a post's URL
        return None


def _bare(url: str) -> str:
    """The post's URL without query or fragment (ref_src, utm_*, igshid ...)."""
    parts = _split(url)
    if parts is None:
        return url.strip()
    return f"{parts.scheme or 'https'}://{parts.netloc}{parts.path}"


@dataclass
class Embed:
    kind: str  # x | instagram | tiktok | facebook
    attr: str | None = None  # the attribute of the container that names the post
    named: str | None = None  # its value
    position: tuple[int, int] = (0, 0)
    links: list[dict] = field(default_factory=list)  # the links inside the markup
    text: list[str] = field(default_factory=list)

    def canonical(self) -> tuple[str, tuple[int, int]] | None:
        """(the post's URL, where it is named in the source), or None."""
        if self.kind == "x":
            for link in reversed(self.links):  # the date link at the end names the post
                if (m := _STATUS.match(link["href"])) and (parts := _split(link["href"])):
                    host = parts.netloc.lower().removeprefix("mobile.")
                    return (f"https://{host}/{m.group(1)}/status/{m.group(2)}",
                            (link["line"], link["column"]))
            return None
        if self.kind == "instagram":
            for url, pos in [(self.named, self.position)] + [
                    (lk["href"], (lk["line"], lk["column"])) for lk in self.links]:
                if url and (m := _INSTAGRAM.match(url)):
                    return f"https://www.instagram.com/{m.group(1)}/{m.group(2)}/", pos
            return None
        if self.named and self.named.strip().lower().startswith(("http://", "https://")):
            return _bare(self.named), self.position
        return None


def embed_in_tag(tag: str, attrs: dict[str, str]) -> Embed | None:
    """The embedded post this element starts, if it is one."""
    classes = set(attrs.get("class", "").lower().split())
    if tag == "blockquote" and classes & {"twitter-tweet", "twitter-video"}:
        return Embed("x")
    if tag == "blockquote" and "instagram-media" in classes:
        return Embed("instagram", "data-instgrm-permalink", attrs.get("data-instgrm-permalink"))
    if tag == "blockquote" and "tiktok-embed" in classes:
        return Embed("tiktok", "cite", attrs.get("cite"))
    if tag == "div" and classes & {"fb-post", "fb-video"} and attrs.get("data-href"):
        return Embed("facebook", "data-href", attrs.get("data-href"))
    if tag == "blockquote" and "fb-xfbml-parse-ignore" in classes and attrs.get("cite"):
        return Embed("facebook", "cite", attrs.get("cite"))
    return None


def iframe_post(src: str) -> tuple[str, str] | None:
    """(kind, canonical URL) for a player or post iframe of a known network."""
    src = src.strip()
    if m := _YOUTUBE.match(src):
        return "youtube", f"https://www.youtube.com/watch?v={m.group(1)}"
    if m := _IG_IFRAME.match(src):
        return "instagram", f"https://www.instagram.com/{m.group(1)}/{m.group(2)}/"
    if _FB_PLUGIN.match(src) and (parts := _split(src)):
        href = parse_qs(parts.query).get("href", [""])[0]
        if href.lower().startswith(("http://", "https://")):
            return "facebook", _bare(unquote(href))
    return None
