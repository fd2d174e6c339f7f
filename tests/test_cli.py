"""The `hinge` command end to end over real files and a real SQLite database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from consistency.cli import cli

CORPORA = Path(__file__).parent.parent / "corpora"
GOLD = sorted(CORPORA.glob("*.json"))


def invoke(runner, db, *args, input=None):
    return runner.invoke(cli, ["--db", str(db), *args], input=input, catch_exceptions=False)


def _rows(db):
    import sqlite_utils

    d = sqlite_utils.Database(db)
    out = (list(d["documents"].rows), list(d["statements"].rows))
    d.close()
    return out


@pytest.mark.skipif(not GOLD, reason="no bundled corpora")
def test_ingest_corpora_lists_and_is_idempotent(runner, db_path):
    first = invoke(runner, db_path, "ingest", str(CORPORA))
    assert first.exit_code == 0, first.output
    listed = invoke(runner, db_path, "documents")
    titles = [json.loads(p.read_text())["documents"][0]["title"] for p in GOLD]
    for t in titles:
        assert t in listed.output
    again = invoke(runner, db_path, "ingest", str(CORPORA))
    assert again.exit_code == 0
    assert all(line.startswith("unchanged") for line in again.output.splitlines())


def test_edited_file_becomes_version_two(runner, db_path, tmp_path):
    f = tmp_path / "sop.md"
    f.write_text("# Check-out\n\nLate check-out until 12:00 is free.\n")
    assert invoke(runner, db_path, "ingest", str(f), "--kind", "procedure").exit_code == 0
    f.write_text("# Check-out\n\nLate check-out until 13:00 is free.\n")
    out = invoke(runner, db_path, "ingest", str(f), "--kind", "procedure")
    assert out.output.startswith("updated")
    listing = invoke(runner, db_path, "documents", "--all").output
    assert " v1 " in listing and " v2 " in listing and "superseded by" in listing


def test_bad_files_are_named_and_store_is_untouched(runner, db_path, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Refunds are issued within five business days.")
    invoke(runner, db_path, "ingest", str(good), "--kind", "procedure")
    before = _rows(db_path)
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"\x00\x01binary junk\xff" * 50)
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    result = runner.invoke(
        cli, ["--db", str(db_path), "ingest", str(junk), str(empty), "--kind", "procedure"]
    )
    assert result.exit_code != 0
    assert "junk.pdf" in result.output and "empty.docx" in result.output
    assert "Traceback" not in result.output
    assert _rows(db_path) == before


def test_stdin_needs_a_kind_and_reads_text(runner, db_path):
    no_kind = runner.invoke(cli, ["--db", str(db_path), "ingest", "-"], input="Free parking.")
    assert no_kind.exit_code != 0 and "--kind" in no_kind.output
    ok = invoke(runner, db_path, "ingest", "-", "--kind", "campaign", "--title", "Draft",
                input="Parking is free for every guest.")  # fmt: skip
    assert ok.exit_code == 0 and "Draft" in ok.output


def test_junk_database_file_is_a_clear_error(runner, tmp_path):
    db = tmp_path / "junk.db"
    db.write_bytes(b"not a database" * 200)
    result = runner.invoke(cli, ["--db", str(db), "documents"])
    assert result.exit_code != 0
    assert "junk.db" in result.output and "Traceback" not in result.output


def test_gaps_before_any_check_says_what_to_do(runner, db_path):
    result = runner.invoke(cli, ["--db", str(db_path), "gaps"])
    assert result.exit_code != 0 and "hinge check" in result.output


@pytest.mark.slow
@pytest.mark.skipif(not GOLD, reason="no bundled corpora")
def test_check_gaps_and_lint_with_the_real_model(runner, tmp_path):
    db = tmp_path / "x.db"
    gold = GOLD[0]
    corpus = tmp_path / gold.name
    shutil.copy(gold, corpus)
    assert invoke(runner, db, "ingest", str(corpus)).exit_code == 0
    out = invoke(runner, db, "check", "--all-campaigns")
    assert out.exit_code == 0 and "promises" in out.output
    as_json = json.loads(invoke(runner, db, "gaps", "--format", "json").output)
    assert as_json and {r["verdict"] for r in as_json} <= {"uncovered", "contradicted"}
    csv_out = invoke(runner, db, "gaps", "--format", "csv").output
    assert csv_out.splitlines()[0].startswith("verdict,")
    draft = tmp_path / "draft.txt"
    draft.write_text("Every guest gets a free helicopter transfer from the airport.")
    lint = runner.invoke(cli, ["--db", str(db), "lint", str(draft)])
    assert lint.exit_code == 1 and "UNCOVERED" in lint.output
