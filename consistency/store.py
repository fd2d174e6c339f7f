"""The one place that touches SQLite: schema, versioned documents, cached vectors, runs.

Every write of one document or one run is one transaction, so a failure half way
leaves the file as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import sqlite_utils
from sqlite_utils.migrations import Migrations

from .models import Document, Statement

DEFAULT_DB = "hinge.db"
migrations = Migrations("hinge")


def default_db_path() -> str:
    return os.environ.get("HINGE_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {
            "id": int,
            "source": str,
            "organisation": str,
            "kind": str,
            "title": str,
            "channel": str,
            "team": str,
            "language": str,
            "valid_from": str,
            "valid_until": str,
            "text": str,
            "content_hash": str,
            "version": int,
            "superseded_by": int,
            "extractor_version": str,
            "meta": str,
            "created_at": str,
        },
        pk="id",
    )
    db["documents"].create_index(["source", "version"], unique=True)
    db["statements"].create(
        {
            "id": int,
            "document_id": int,
            "seq": int,
            "start": int,
            "end": int,
            "text": str,
            "text_hash": str,
            "heading": str,
            "is_promise": int,
            "promise_score": float,
            "cues": str,
            "facts": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["statements"].create_index(["document_id", "seq"], unique=True)
    db["statements"].create_index(["text_hash"])
    db["embeddings"].create(
        {"model": str, "text_hash": str, "dim": int, "vector": bytes}, pk=("model", "text_hash")
    )
    db["runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "model": str,
            "calibration": str,
            "promises": int,
            "covered": int,
            "uncovered": int,
            "contradicted": int,
        },
        pk="id",
    )
    db["findings"].create(
        {
            "id": int,
            "run_id": int,
            "statement_id": int,
            "document_id": int,
            "promise_hash": str,
            "promise_text": str,
            "verdict": str,
            "confidence": float,
            "machine_verdict": str,
            "evidence": str,
            "conflicts": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id"), ("statement_id", "statements", "id")],
    )
    db["findings"].create_index(["run_id", "verdict"])
    db["findings"].create_index(["promise_hash"])
    # Human decisions outlive documents and runs, so they are keyed by content hashes.
    db["decisions"].create(
        {
            "id": int,
            "created_at": str,
            "actor": str,
            "action": str,
            "promise_hash": str,
            "evidence_hash": str,
            "value": str,
            "note": str,
            "promise_text": str,
            "evidence_text": str,
            "promise_source": str,
        },
        pk="id",
    )
    db["decisions"].create_index(["promise_hash"])


class Store:
    """A Hinge database file. Open one per thread (sqlite connections are not shared)."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = str(path or default_db_path())
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self.db.conn.execute("PRAGMA busy_timeout = 5000")
        if self.path != ":memory:":
            self.db.enable_wal()
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # sqlite-utils' atomic() opens BEGIN, or a savepoint when already inside one.
        with self.db.atomic():
            yield

    # -- documents -------------------------------------------------------------

    def current_document(self, source: str) -> dict[str, Any] | None:
        rows = self.db.query(
            "select * from documents where source = ? and superseded_by is null"
            " order by version desc limit 1",
            [source],
        )
        return next(iter(rows), None)

    def unchanged(self, doc: Document, previous: dict[str, Any] | None = None) -> bool:
        """True when the current version of doc.source already has this text and metadata."""
        previous = previous or self.current_document(doc.source)
        if previous is None:
            return False
        return all(previous[k] == v for k, v in _document_fields(doc).items())

    def save_document(
        self, doc: Document, statements: list[Statement], extractor_version: str
    ) -> tuple[int, str]:
        """Store a document with its statements; returns (id, "new"|"updated"|"unchanged").

        Unchanged text and metadata are a no-op; changed ones supersede the
        previous version of the same source, which stays readable.
        """
        previous = self.current_document(doc.source)
        if previous and self.unchanged(doc, previous):
            return previous["id"], "unchanged"
        fields = _document_fields(doc)
        with self.transaction():
            row = dict(
                fields,
                version=(previous["version"] + 1) if previous else 1,
                extractor_version=extractor_version,
                meta=json.dumps(doc.meta, default=str),
                created_at=now_iso(),
            )
            doc_id = self.db["documents"].insert(row).last_pk
            self._insert_statements(doc_id, statements)
            if previous:
                self.db["documents"].update(previous["id"], {"superseded_by": doc_id})
        return doc_id, ("updated" if previous else "new")

    def replace_statements(
        self, doc_id: int, statements: list[Statement], extractor_version: str
    ) -> None:
        """Re-extraction after the extractor changed: same document, new statements."""
        with self.transaction():
            self.db.execute("delete from statements where document_id = ?", [doc_id])
            self._insert_statements(doc_id, statements)
            self.db["documents"].update(doc_id, {"extractor_version": extractor_version})

    def _insert_statements(self, doc_id: int, statements: list[Statement]) -> None:
        self.db["statements"].insert_all(
            (
                {
                    "document_id": doc_id,
                    "seq": i,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "text_hash": s.text_hash,
                    "heading": s.heading,
                    "is_promise": int(s.is_promise),
                    "promise_score": s.promise_score,
                    "cues": json.dumps(s.cues),
                    "facts": json.dumps([asdict(f) for f in s.facts]),
                }
                for i, s in enumerate(statements)
            ),
            batch_size=500,
        )

    def delete_document(self, doc_id: int) -> None:
        """Delete one version and its statements; the previous version becomes current."""
        with self.transaction():
            self.db.execute(
                "delete from findings where statement_id in"
                " (select id from statements where document_id = ?)",
                [doc_id],
            )
            self.db.execute("delete from statements where document_id = ?", [doc_id])
            self.db.execute(
                "update documents set superseded_by = null where superseded_by = ?", [doc_id]
            )
            self.db.execute("delete from documents where id = ?", [doc_id])

    def documents(self, *, current_only: bool = True, kind: str | None = None) -> list[dict]:
        where = ["1=1"]
        params: list[Any] = []
        if current_only:
            where.append("d.superseded_by is null")
        if kind:
            where.append("d.kind = ?")
            params.append(kind)
        sql = (
            "select d.id, d.source, d.organisation, d.kind, d.title, d.channel, d.team, d.language,"
            " d.valid_from, d.valid_until, d.version, d.superseded_by, d.created_at,"
            " d.content_hash, count(s.id) as statements,"
            " coalesce(sum(s.is_promise), 0) as promises"
            " from documents d left join statements s on s.document_id = d.id"
            f" where {' and '.join(where)} group by d.id order by d.kind, d.title, d.version"
        )
        return list(self.db.query(sql, params))

    def document(self, doc_id: int) -> dict[str, Any] | None:
        rows = self.db.query("select * from documents where id = ?", [doc_id])
        return next(iter(rows), None)

    def statements(
        self,
        *,
        document_id: int | None = None,
        kind: str | None = None,
        promises_only: bool = False,
    ) -> list[dict[str, Any]]:
        """Statements of current documents, with their document's metadata alongside."""
        where = ["d.superseded_by is null"]
        params: list[Any] = []
        if document_id is not None:
            where = ["d.id = ?"]
            params.append(document_id)
        if kind:
            where.append("d.kind = ?")
            params.append(kind)
        if promises_only:
            where.append("s.is_promise = 1")
        sql = (
            "select s.*, d.kind, d.title as document_title, d.source, d.organisation,"
            " d.channel, d.team,"
            " d.language, d.valid_from, d.valid_until from statements s"
            " join documents d on d.id = s.document_id"
            f" where {' and '.join(where)} order by d.id, s.seq"
        )
        rows = list(self.db.query(sql, params))
        for r in rows:
            r["cues"] = json.loads(r["cues"] or "[]")
            r["facts"] = json.loads(r["facts"] or "[]")
        return rows

    # -- embeddings --------------------------------------------------------------

    def vectors(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(wanted), 900):  # stay under SQLite's variable limit
            chunk = wanted[i : i + 900]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                f"select text_hash, vector from embeddings where model = ?"
                f" and text_hash in ({marks})",
                [model, *chunk],
            ):
                found[row["text_hash"]] = np.frombuffer(row["vector"], dtype=np.float32)
        return found

    def save_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction():
            self.db["embeddings"].insert_all(
                (
                    {
                        "model": model,
                        "text_hash": h,
                        "dim": int(v.shape[0]),
                        "vector": np.asarray(v, dtype=np.float32).tobytes(),
                    }
                    for h, v in vectors.items()
                ),
                replace=True,
                batch_size=500,
            )

    # -- runs and findings ---------------------------------------------------------

    def save_run(self, run: dict[str, Any], findings: list[dict[str, Any]]) -> int:
        with self.transaction():
            run_id = self.db["runs"].insert(run).last_pk
            self.db["findings"].insert_all(
                (
                    dict(
                        f,
                        run_id=run_id,
                        evidence=json.dumps(f.get("evidence", [])),
                        conflicts=json.dumps(f.get("conflicts", [])),
                    )
                    for f in findings
                ),
                batch_size=500,
            )
        return run_id

    def latest_run(self) -> dict[str, Any] | None:
        return next(iter(self.db.query("select * from runs order by id desc limit 1")), None)

    def findings(self, run_id: int, verdicts: Iterable[str] | None = None) -> list[dict]:
        params: list[Any] = [run_id]
        where = "f.run_id = ?"
        if verdicts:
            verdicts = list(verdicts)
            where += f" and f.verdict in ({','.join('?' * len(verdicts))})"
            params += verdicts
        sql = (
            "select f.*, s.start, s.end, s.heading, s.facts, s.cues, d.id as document_id,"
            " d.title as campaign, d.channel, d.source, d.organisation, d.valid_from,"
            " d.valid_until"
            " from findings f join statements s on s.id = f.statement_id"
            f" join documents d on d.id = s.document_id where {where} order by f.id"
        )
        rows = list(self.db.query(sql, params))
        for r in rows:
            for key in ("evidence", "conflicts", "facts", "cues"):
                r[key] = json.loads(r[key] or "[]")
        return rows

    # -- decisions -------------------------------------------------------------------

    def add_decision(self, decision: dict[str, Any]) -> int:
        with self.transaction():
            return self.db["decisions"].insert(dict(decision, created_at=now_iso())).last_pk

    def decisions(self, promise_hashes: Iterable[str] | None = None) -> list[dict[str, Any]]:
        if promise_hashes is None:
            return list(self.db.query("select * from decisions order by id"))
        hashes = list(promise_hashes)
        out: list[dict[str, Any]] = []
        for i in range(0, len(hashes), 900):
            chunk = hashes[i : i + 900]
            out += self.db.query(
                f"select * from decisions where promise_hash in ({','.join('?' * len(chunk))})"
                " order by id",
                chunk,
            )
        return out

    # -- report queries ------------------------------------------------------------------

    def runs(self) -> list[dict[str, Any]]:
        """Every run, by id; started_at may carry any UTC offset, so callers parse it."""
        return list(self.db.query("select * from runs order by id"))

    def run_verdicts(self, run_id: int) -> dict[str, str]:
        """promise hash -> verdict in one run; for a text promised twice the worst verdict."""
        rank = {"contradicted": 0, "uncovered": 1}
        out: dict[str, str] = {}
        for r in self.db.query(
            "select promise_hash, verdict from findings where run_id = ?", [run_id]
        ):
            old = out.get(r["promise_hash"])
            if old is None or rank.get(r["verdict"], 9) < rank.get(old, 9):
                out[r["promise_hash"]] = r["verdict"]
        return out

    def gap_runs(self, promise_hashes: Iterable[str]) -> dict[str, set[int]]:
        """The runs in which each promise hash was uncovered or contradicted."""
        hashes = list(dict.fromkeys(promise_hashes))
        out: dict[str, set[int]] = {}
        for i in range(0, len(hashes), 900):
            chunk = hashes[i : i + 900]
            for r in self.db.query(
                "select distinct promise_hash, run_id from findings"
                " where verdict in ('uncovered', 'contradicted')"
                f" and promise_hash in ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out.setdefault(r["promise_hash"], set()).add(r["run_id"])
        return out

    def latest_version(self, source: str) -> dict[str, Any] | None:
        """The newest stored version of a source, superseded or not."""
        rows = self.db.query(
            "select id, source, title, valid_from, valid_until, version from documents"
            " where source = ? order by version desc limit 1",
            [source],
        )
        return next(iter(rows), None)


def _document_fields(doc: Document) -> dict[str, Any]:
    return {
        "source": doc.source,
        "organisation": doc.organisation,
        "kind": doc.kind,
        "title": doc.title,
        "channel": doc.channel,
        "team": doc.team,
        "language": doc.language,
        "valid_from": doc.valid_from,
        "valid_until": doc.valid_until,
        "text": doc.text,
        "content_hash": doc.content_hash,
    }
