"""What a rule is and what it sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from linkcheck.model import Article, Citation, Finding, Resolution, Severity, StoryDate

if TYPE_CHECKING:
    from linkcheck.analysis.sourcemap import SourceMap
    from linkcheck.archive.earlier import Earlier


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may read, fixed before the first rule runs."""

    article: Article
    citations: list[Citation]
    links: dict[str, Resolution]
    story: StoryDate
    severities: dict[str, Severity] = field(default_factory=dict)  # config overrides
    options: dict[str, object] = field(default_factory=dict)  # rule settings from config
    probes: dict[str, Resolution] = field(default_factory=dict)  # cited http URL -> its https twin
    source_map: SourceMap | None = None  # given by the pipeline, else built on first use
    earlier: dict[str, Earlier] = field(default_factory=dict)  # URL -> its earlier snapshot

    @cached_property
    def sources(self) -> SourceMap:
        """The article's source map: which sentences each link supports."""
        if self.source_map is not None:
            return self.source_map
        from linkcheck.analysis.sourcemap import build

        return build(self.article, self.citations, self.links)

    def checked(self) -> Iterable[tuple[Citation, Resolution]]:
        """Each citation that was fetched, with its resolution."""
        for c in self.citations:
            if not c.checkable:
                continue
            res = self.links.get(c.url)
            if res is not None:
                yield c, res


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str  # one line, for `linkcheck rules`
    check: Callable[[Rule, RuleContext], Iterable[Finding]]
    help: str = ""  # longer text: why it matters and what to do

    def finding(self, ctx: RuleContext, citation: Citation, message: str,
                url: str | None = None, **evidence) -> Finding:
        """A finding on a citation (at the URL's position)."""
        return self.finding_at(ctx, citation.line, citation.column, message, evidence,
                               url=url or citation.url)

    def finding_at(self, ctx: RuleContext, line: int, column: int, message: str,
                   evidence: dict[str, object] | None = None, url: str = "") -> Finding:
        """A finding on a place in the text with no citation (a sentence, a headline)."""
        return Finding(rule=self.id, severity=ctx.severities.get(self.id, self.severity),
                       url=url, line=line, column=column, message=message,
                       evidence=dict(evidence or {}))
