from datetime import date

from linkcheck.analysis.story_date import infer, story_date
from linkcheck.model import Citation, DateEvidence, Outcome, PageMeta, Resolution


def ev(url, d, source="url"):
    return DateEvidence(url, date.fromisoformat(d), source)


def test_reference_evidence_infers_the_cluster_not_the_outlier():
    evidence = [ev("https://ria.ru/20211217/a", "2021-12-17"),
                ev("https://ria.ru/20211217/a", "2021-12-17", "page:og"),
                ev("https://www.nato.int/x", "2021-12-16", "page:meta"),
                ev("https://www.themoscowtimes.com/2025/03/28/x", "2025-03-28")]
    d, why = infer(evidence)
    assert d == date(2021, 12, 17)
    assert "outlier" in why and "themoscowtimes.com 2025-03-28" in why


def test_background_sources_do_not_pull_the_date_back():
    evidence = [ev("https://a/1", "2018-05-01"), ev("https://a/2", "2020-01-01"),
                ev("https://a/3", "2021-06-01"), ev("https://a/4", "2021-12-15"),
                ev("https://a/5", "2021-12-17"), ev("https://a/6", "2021-12-16")]
    assert infer(evidence)[0] == date(2021, 12, 17)


def test_one_dated_source_of_many_is_too_weak_to_infer_from():
    evidence = [ev("https://old.example/2018/06/01/a", "2018-06-01")] + [
        ev(f"https://a/{i}", f"20{18 + i}-0{i + 1}-01") for i in range(1, 4)]
    d, why = infer(evidence)
    assert d is None and "do not agree" in why
    single = infer([ev("https://x.example/2018/06/01/a", "2018-06-01")])
    assert single[0] is None and "only one" in single[1]


def test_two_sources_cluster_only_when_they_are_the_majority():
    pair = [ev("https://a/1", "2021-12-16"), ev("https://a/2", "2021-12-17"),
            ev("https://b/1", "2025-03-28")]
    assert infer(pair)[0] == date(2021, 12, 17)
    spread = pair + [ev("https://c/1", "2023-01-01"), ev("https://d/1", "2024-05-05")]
    assert infer(spread)[0] is None


def test_a_third_of_the_evidence_wrong_does_not_move_it():
    good = [ev(f"https://good/{i}", f"2021-12-{10 + i}") for i in range(6)]
    bad = [ev("https://bad/1", "2025-03-28"), ev("https://bad/2", "2024-01-05"),
           ev("https://bad/3", "2023-07-07")]
    assert infer(good + bad)[0] == date(2021, 12, 15)


def test_no_dated_evidence_is_unknown():
    s = story_date(None, None, None, [], {})
    assert s.source == "unknown" and s.date is None


def test_explicit_beats_metadata_beats_inference():
    cites = [Citation("https://x.org/2021/12/17/a", 1, 1)]
    links = {cites[0].url: Resolution(cites[0].url, Outcome.OK, meta=PageMeta())}
    assert story_date(date(2022, 1, 1), date(2021, 1, 1), "m", cites, links).source == "explicit"
    assert story_date(None, date(2021, 1, 1), "m", cites, links).date == date(2021, 1, 1)
    weak = story_date(None, None, None, cites, links)
    assert (weak.source, weak.date) == ("unknown", None)


def test_the_articles_own_url_date_comes_before_inference():
    from linkcheck.model import Article

    art = Article("https://news.example/2020/06/28/story", "text", "md",
                  base_url="https://news.example/2020/06/28/story")
    cites = [Citation(f"https://x.example/2018/0{i}/01/a", 1, 1) for i in range(1, 4)]
    s = story_date(None, None, None, cites, {}, article=art)
    assert (s.source, s.date) == ("metadata", date(2020, 6, 28))
    assert "own URL" in s.explanation


def test_a_dateline_at_the_top_of_a_draft_is_the_story_date():
    from linkcheck.model import Article

    art = Article("draft.txt", "Published 28 June 2020\n\nThe council voted.", "txt")
    s = story_date(None, None, None, [], {}, article=art)
    assert (s.source, s.date) == ("metadata", date(2020, 6, 28))
