"""The reference article, replayed from its cassette (whose archive answers
are reconstructions recorded from local fixtures): the Moscow Times 404 has
no capture before 2021-12-17, the story the writer meant is found by its
slug, and `fix` shows the diff. A replayed run never asks a live archive."""

import json
import os
import subprocess
import sys

CASSETTE = "cassettes/nato-grushko.warc.gz"
ARTICLE = "examples/nato-grushko.txt"
CITED = ("https://www.themoscowtimes.com/2025/03/28/"
         "russia-sends-security-proposals-on-nato-to-us-as-ukraine-tensions-soar")
MEANT = ("https://www.themoscowtimes.com/2021/12/15/"
         "russia-sends-security-proposals-on-nato-to-us-as-ukraine-tensions-soar")
MEMENTO = f"https://web.archive.org/web/20211215151201/{MEANT}"


def linkcheck(*args, article=ARTICLE, env=None):
    return subprocess.run([sys.executable, "-m", "linkcheck", *args[:1], article, *args[1:]],
                          capture_output=True, text=True, timeout=120, env=env)


def without_archive_override():
    """The environment of a user who set nothing: the default archive list applies."""
    return {k: v for k, v in os.environ.items() if k != "LINKCHECK_ARCHIVES"}


def test_the_moscow_times_404_has_no_capture_before_the_story_date_and_a_candidate():
    proc = linkcheck("audit", "--replay", CASSETTE, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    links = {x["url"]: x for x in json.loads(proc.stdout)["articles"][0]["links"]}
    mt = links[CITED]
    assert mt["archived"] is None
    assert mt["archive_note"] == (
        "Wayback Machine: no capture before the story date 2021-12-17 (none at all); "
        "archive.today: no capture before the story date 2021-12-17 (none at all)")
    (best,) = mt["candidates"]
    assert best["url"] == MEANT and best["datetime"] == "2021-12-15T15:12:01Z"
    assert best["why"] == ("same slug in the Wayback Machine capture index, captured "
                           "2021-12-15, title matches the Related article line")
    # links that are fine are not looked up
    assert all(x["archived"] is None and not x["candidates"] and x["archive_note"] is None
               for url, x in links.items() if url != CITED)


def test_fix_on_the_reference_article_shows_the_intended_url_with_its_capture():
    proc = linkcheck("fix", "--replay", CASSETTE)
    assert proc.returncode == 1, proc.stderr
    minus = [x for x in proc.stdout.splitlines() if x.startswith("-") and not x.startswith("---")]
    plus = [x for x in proc.stdout.splitlines() if x.startswith("+") and not x.startswith("+++")]
    assert minus == [f"-{CITED}"]
    assert plus == [f"+{MEANT} [archived: {MEMENTO}]"]
    assert proc.stdout.startswith(f"# {ARTICLE}:18:1: intended: the intended URL: same slug")


def test_no_archives_turns_the_lookups_off():
    proc = linkcheck("audit", "--replay", CASSETTE, "--format", "json", "--no-archives")
    links = json.loads(proc.stdout)["articles"][0]["links"]
    assert all(x["archived"] is None and x["archive_note"] is None and x["candidates"] == []
               for x in links)
    assert linkcheck("fix", "--replay", CASSETTE, "--no-archives").stdout == ""


def test_a_replay_asks_archives_only_through_the_cassette(tmp_path):
    """An archive the cassette holds no answers for is never asked live: the miss is
    said in the note, and the run stays offline."""
    proc = linkcheck("audit", "--replay", CASSETTE, "--format", "json", "--archive",
                     "https://perma-archives.test/timegate/{url}")
    assert proc.returncode == 1, proc.stderr
    links = {x["url"]: x for x in json.loads(proc.stdout)["articles"][0]["links"]}
    assert links[CITED]["archive_note"] == (
        "perma-archives.test: no answer recorded in the replayed WARC")


def test_a_cassette_without_archive_answers_gets_no_lookups(tmp_path):
    """The default archives are the live web: a replay never falls back to them."""
    draft = tmp_path / "draft.txt"
    draft.write_text(f"See {CITED}\n", encoding="utf-8")
    snap = tmp_path / "snap.warc.gz"
    made = linkcheck("audit", "--replay", CASSETTE, "--warc", str(snap), "--no-archives",
                     article=str(draft))
    assert made.returncode == 1, made.stderr
    proc = linkcheck("audit", "--replay", str(snap), "--format", "json", article=str(draft),
                     env=without_archive_override())
    (link,) = json.loads(proc.stdout)["articles"][0]["links"]
    assert link["archived"] is None and link["archive_note"] is None


def test_the_default_archives_are_the_wayback_machine_and_archive_today():
    proc = subprocess.run([sys.executable, "-m", "linkcheck", "config"], capture_output=True,
                          text=True, timeout=60, env=without_archive_override())
    assert ('archives = ["https://web.archive.org/web/", "https://archive.ph/timegate/{url}"]'
            "    # default") in proc.stdout
    assert 'archive_rate = 15    # default' in proc.stdout


def test_the_reference_cassette_replays_its_archives_whatever_the_environment():
    for env in (None, without_archive_override()):
        proc = linkcheck("audit", "--replay", CASSETTE, "--format", "json", env=env)
        links = {x["url"]: x for x in json.loads(proc.stdout)["articles"][0]["links"]}
        assert links[CITED]["candidates"][0]["url"] == MEANT


def test_fix_save_sends_nothing_without_keys_or_in_a_replay():
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKCHECK_SPN_")}
    proc = linkcheck("fix", "--replay", CASSETTE, "--save", env=env)
    assert proc.returncode == 1
    assert "--save: no Save Page Now keys (LINKCHECK_SPN_ACCESS_KEY, " \
           "LINKCHECK_SPN_SECRET_KEY); nothing was sent" in proc.stderr
    env.update({"LINKCHECK_SPN_ACCESS_KEY": "a", "LINKCHECK_SPN_SECRET_KEY": "b"})
    proc = linkcheck("fix", "--replay", CASSETTE, "--save", env=env)
    assert "--save: not with --replay" in proc.stderr and "a:b" not in proc.stdout + proc.stderr
