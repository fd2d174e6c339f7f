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

from .models import GAP_VERDICTS, SEVERITY, Document, Statement

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


@migrations()
def m002_triage(db: sqlite_utils.Database) -> None:
    # Per-promise triage state (status, assignee, link), folded from the decisions by
    # consistency.triage on every decision, so the gap list filters and sorts in SQL.
    db["triage"].create(
        {
            "promise_hash": str,
            "status": str,
            "assignee": str,
            "dismissed_reason": str,
            "linked_hash": str,
            "last_decision_id": int,
            "updated_at": str,
        },
        pk="promise_hash",
        if_not_exists=True,
    )
    db["triage"].create_index(["status"], if_not_exists=True)
    db["triage"].create_index(["assignee"], if_not_exists=True)
    if "evidence_source" not in db["decisions"].columns_dict:
        db["decisions"].add_column("evidence_source", str)
    db["decisions"].create_index(["evidence_hash"], if_not_exists=True)
    # A gap's age is the first run that found its promise: min(run_id) by promise hash.
    db["findings"].create_index(["promise_hash", "run_id"], if_not_exists=True)
    db["findings"].create_index(["run_id", "verdict", "confidence"], if_not_exists=True)


@migrations()
def m003_statement_words(db: sqlite_utils.Database) -> None:
    # Stored word stems (consistency.words); older rows stay NULL until `refresh`
    # re-extracts them, which the extractor version change triggers.
    for column in ("terms", "words"):
        if column not in db["statements"].columns_dict:
            db["statements"].add_column(column, str)


@migrations()
def m004_run_basis(db: sqlite_utils.Database) -> None:
    # What each organisation's findings were judged from (pipeline.check), so the next
    # check carries them over where nothing they depend on changed; and how many
    # promises the run judged afresh.
    for column, kind in (("basis", str), ("judged", int)):
        if column not in db["runs"].columns_dict:
            db["runs"].add_column(column, kind)


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

    def _in(self, sql: str, column: str, values: Iterable[Any], params: list | None = None):
        """Rows of `sql` (with or without a where clause) whose column is in values, chunked."""
        values = list(dict.fromkeys(values))
        joiner = " and " if " where " in sql else " where "
        for i in range(0, len(values), 900):  # stay under SQLite's variable limit
            chunk = values[i : i + 900]
            yield from self.db.query(
                f"{sql}{joiner}{column} in ({','.join('?' * len(chunk))})",
                [*(params or []), *chunk],
            )

    def _first(self, sql: str, params: list | None = None) -> dict[str, Any] | None:
        """The first row of `sql`, or None."""
        return next(iter(self.db.query(sql, params or [])), None)

    # -- documents -------------------------------------------------------------

    def stale_documents(self, extractor_version: str) -> list[dict[str, Any]]:
        """Current documents whose statements an older extractor wrote."""
        return list(
            self.db.query(
                "select id, text, kind, language from documents"
                " where superseded_by is null and extractor_version != ?",
                [extractor_version],
            )
        )

    def current_document(self, source: str) -> dict[str, Any] | None:
        """The current version of a source; always its newest stored one (save_document
        supersedes only with a newer version, delete_document un-supersedes the previous)."""
        return self._first(
            "select * from documents where source = ? and superseded_by is null"
            " order by version desc limit 1",
            [source],
        )

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
                    "terms": s.terms,
                    "words": s.words,
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
        return self._first("select * from documents where id = ?", [doc_id])

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
        return [_decoded(r, "cues", "facts") for r in self.db.query(sql, params)]

    # -- embeddings --------------------------------------------------------------

    def vectors(self, model: str, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        sql = "select text_hash, vector from embeddings where model = ?"
        return {
            r["text_hash"]: np.frombuffer(r["vector"], dtype=np.float32)
            for r in self._in(sql, "text_hash", hashes, [model])
        }

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

    def save_run(
        self,
        run: dict[str, Any],
        findings: list[dict[str, Any]],
        carried: tuple[int, list[int]] | None = None,
    ) -> int:
        """Store a run with its findings, and with the findings of `carried` = (an earlier
        run, campaign document ids) copied over. Its counts are those of the rows stored."""
        with self.transaction():
            run_id = self.db["runs"].insert(run).last_pk
            # Plain executemany: a run writes thousands of rows of one shape, and
            # sqlite-utils' insert_all spent most of the time checking that shape per row.
            columns = [c for c in self.db["findings"].columns_dict if c != "id"]
            json_columns = {"evidence", "conflicts"}
            rows = (
                [
                    run_id if c == "run_id"
                    else json.dumps(f.get(c, [])) if c in json_columns
                    else f.get(c)
                    for c in columns
                ]
                for f in findings
            )  # fmt: skip
            names = ", ".join(f"[{c}]" for c in columns)
            marks = ", ".join("?" * len(columns))
            self.db.conn.executemany(f"insert into findings ({names}) values ({marks})", rows)
            if carried:
                source, documents = carried
                picked = ", ".join("?" if c == "run_id" else f"[{c}]" for c in columns)
                for i in range(0, len(documents), 900):  # SQLite's variable limit
                    chunk = documents[i : i + 900]
                    self.db.execute(
                        f"insert into findings ({names}) select {picked} from findings"
                        f" where run_id = ? and document_id in ({','.join('?' * len(chunk))})"
                        " order by id",
                        [run_id, source, *chunk],
                    )
            counts = dict.fromkeys(("covered", "uncovered", "contradicted"), 0)
            for r in self.db.query(
                "select verdict, count(*) as n from findings where run_id = ? group by verdict",
                [run_id],
            ):
                counts[r["verdict"]] = r["n"]
            self.db["runs"].update(run_id, dict(counts, promises=sum(counts.values())))
        return run_id

    def document_states(self) -> list[dict[str, Any]]:
        """Per current document, what findings judged from it depend on besides code and
        model: which version it is, its window, its extraction and statement rows."""
        return list(
            self.db.query(
                "select d.id, d.organisation, d.kind, d.valid_from, d.valid_until,"
                " d.extractor_version, count(s.id) as statements, min(s.id) as first,"
                " max(s.id) as last from documents d"
                " left join statements s on s.document_id = d.id"
                " where d.superseded_by is null group by d.id order by d.id"
            )
        )

    def decision_marks(self) -> dict[str, list[int]]:
        """Per organisation, [count, last id] of the decisions on statements of its current
        campaigns: decisions are only ever added, so these change with every new one."""
        rows = self.db.query(
            "select d.organisation, count(distinct x.id) as n, max(x.id) as last"
            " from decisions x join statements s on s.text_hash = x.promise_hash"
            " join documents d on d.id = s.document_id"
            " where d.superseded_by is null and d.kind = 'campaign' group by d.organisation"
        )
        return {r["organisation"]: [r["n"], r["last"]] for r in rows}

    def latest_run(self) -> dict[str, Any] | None:
        return self._first("select * from runs order by id desc limit 1")

    def run(self, run_id: int) -> dict[str, Any] | None:
        return self._first("select * from runs where id = ?", [run_id])

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
        columns = ("evidence", "conflicts", "facts", "cues")
        return [_decoded(r, *columns) for r in self.db.query(sql, params)]

    # -- decisions -------------------------------------------------------------------

    def add_decision(self, decision: dict[str, Any]) -> int:
        with self.transaction():
            return self.db["decisions"].insert(dict(decision, created_at=now_iso())).last_pk

    def decisions(self, promise_hashes: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Decisions in the order they were made, for all promises or these."""
        if promise_hashes is None:
            return list(self.db.query("select * from decisions order by id"))
        rows = self._in("select * from decisions", "promise_hash", promise_hashes)
        return sorted(rows, key=lambda d: d["id"])

    # -- report queries ------------------------------------------------------------------

    def runs(self) -> list[dict[str, Any]]:
        """Every run, by id; started_at may carry any UTC offset, so callers parse it."""
        return list(self.db.query("select * from runs order by id"))

    def run_verdicts(self, run_id: int) -> dict[str, str]:
        """promise hash -> verdict in one run (see `worst_per_promise`)."""
        rows = self.db.query(
            "select promise_hash, verdict from findings where run_id = ? order by id", [run_id]
        )
        return {h: r["verdict"] for h, r in worst_per_promise(rows).items()}

    def gap_runs(self, promise_hashes: Iterable[str]) -> dict[str, set[int]]:
        """The runs in which each promise hash was uncovered or contradicted."""
        sql = (
            "select distinct promise_hash, run_id from findings"
            f" where verdict in ({','.join('?' * len(GAP_VERDICTS))})"
        )
        out: dict[str, set[int]] = {}
        for r in self._in(sql, "promise_hash", promise_hashes, list(GAP_VERDICTS)):
            out.setdefault(r["promise_hash"], set()).add(r["run_id"])
        return out

    # -- triage and web queries --------------------------------------------------------

    GAP_SORTS = {
        "age": "first_gap asc, f.verdict = 'uncovered', f.id",
        "confidence": "f.confidence desc, f.id",
        "campaign": "d.title collate nocase, s.seq, f.id",
        "verdict": "f.verdict = 'uncovered', f.confidence desc, f.id",
    }

    def save_decision(self, decision: dict[str, Any], triage_row: dict[str, Any]) -> int:
        """Append a decision to the audit trail and store the promise's folded state."""
        with self.transaction():
            decision_id = self.db["decisions"].insert(decision).last_pk
            self.db["triage"].upsert(
                dict(triage_row, last_decision_id=decision_id), pk="promise_hash"
            )
        return decision_id

    def stale_triage_hashes(self) -> list[str]:
        """Promises with decisions the triage table has not folded yet (written elsewhere)."""
        return [
            r["promise_hash"]
            for r in self.db.query(
                "select d.promise_hash, max(d.id) as last from decisions d"
                " left join triage t on t.promise_hash = d.promise_hash"
                " group by d.promise_hash"
                " having max(t.last_decision_id) is null or last > max(t.last_decision_id)"
            )
        ]

    def save_triage_rows(self, rows: list[dict[str, Any]]) -> None:
        with self.transaction():
            self.db["triage"].upsert_all(rows, pk="promise_hash")

    def triage_rows(self, hashes: Iterable[str]) -> dict[str, dict[str, Any]]:
        rows = self._in("select * from triage", "promise_hash", hashes)
        return {r["promise_hash"]: r for r in rows}

    def current_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these text hashes are the text of a statement in a current document."""
        sql = (
            "select distinct s.text_hash from statements s join documents d"
            " on d.id = s.document_id where d.superseded_by is null"
        )
        return {r["text_hash"] for r in self._in(sql, "s.text_hash", hashes)}

    def current_sources(self, sources: Iterable[str | None]) -> set[str]:
        sql = "select distinct source from documents where superseded_by is null"
        return {r["source"] for r in self._in(sql, "source", [s for s in sources if s])}

    def source_of(self, text_hash: str, kind: str | None = None) -> str | None:
        """The source of the newest current document holding a statement with this text."""
        sql = (
            "select d.source from statements s join documents d on d.id = s.document_id"
            " where s.text_hash = ? and d.superseded_by is null"
            + (" and d.kind = ?" if kind else "")
            + " order by d.id desc limit 1"
        )
        row = self._first(sql, [text_hash, kind] if kind else [text_hash])
        return row["source"] if row else None

    def statement(self, statement_id: int) -> dict[str, Any] | None:
        row = self._first(
            "select s.*, d.kind, d.title as document_title, d.source, d.team, d.channel,"
            " d.superseded_by from statements s join documents d on d.id = s.document_id"
            " where s.id = ?",
            [statement_id],
        )
        return _decoded(row, "facts", "cues") if row else None

    def current_statements_of(self, source: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select s.id, s.text, s.text_hash, d.kind from statements s join documents d"
                " on d.id = s.document_id where d.source = ? and d.superseded_by is null"
                " order by s.seq",
                [source],
            )
        )

    def search_statements(
        self, query: str, *, kind: str = "procedure", limit: int = 20
    ) -> list[dict[str, Any]]:
        words = [w for w in query.split() if w][:8]
        if not words:
            return []
        where = " and ".join("s.text like ? escape '\\'" for _ in words)
        like = [_like(w) for w in words]
        return list(
            self.db.query(
                "select s.id, s.text, s.text_hash, s.heading, d.title as document_title, d.team"
                " from statements s join documents d on d.id = s.document_id"
                f" where d.superseded_by is null and d.kind = ? and {where}"
                " order by d.title, s.seq limit ?",
                [kind, *like, limit],
            )
        )

    def finding(self, finding_id: int) -> dict[str, Any] | None:
        """One finding with its promise statement, document text and run."""
        row = self._first(
            "select f.*, s.start, s.end, s.heading, s.facts, s.terms, s.text_hash,"
            " d.title as campaign, d.channel, d.source, d.text as document_text,"
            " d.superseded_by, d.valid_from, d.valid_until, r.started_at as run_started"
            " from findings f join statements s on s.id = f.statement_id"
            " join documents d on d.id = s.document_id join runs r on r.id = f.run_id"
            " where f.id = ?",
            [finding_id],
        )
        return _decoded(row, "evidence", "conflicts", "facts") if row else None

    def latest_finding_id(self, promise_hash: str) -> int | None:
        row = self._first(
            "select max(id) as id from findings where promise_hash = ?", [promise_hash]
        )
        return row["id"] if row else None

    def recent_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        return list(self.db.query("select * from runs order by id desc limit ?", [limit]))

    def coverage_by(self, run_id: int, by: str) -> list[dict[str, Any]]:
        """Verdict counts per campaign title or per team of the top evidence."""
        key = {"campaign": "d.title", "team": "json_extract(f.evidence, '$[0].team')"}[by]
        return list(
            self.db.query(
                f"select {key} as name, count(*) as total,"
                " sum(f.verdict = 'covered') as covered,"
                " sum(f.verdict = 'uncovered') as uncovered,"
                " sum(f.verdict = 'contradicted') as contradicted"
                " from findings f join statements s on s.id = f.statement_id"
                " join documents d on d.id = s.document_id where f.run_id = ?"
                f" group by {key} order by contradicted desc, uncovered desc, name",
                [run_id],
            )
        )

    def gap_page(
        self,
        run_id: int,
        *,
        verdicts: Iterable[str] = GAP_VERDICTS,
        campaign: str | None = None,
        document_id: int | None = None,
        channel: str | None = None,
        team: str | None = None,
        status: str | None = None,
        assignee: str | None = None,
        q: str | None = None,
        sort: str = "age",
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of a run's findings, filtered and sorted in SQL; returns (rows, total)."""
        verdicts = list(verdicts)
        where = [f"f.run_id = ? and f.verdict in ({','.join('?' * len(verdicts))})"]
        params: list[Any] = [run_id, *verdicts]
        for column, value in (
            ("d.title", campaign),
            ("d.channel", channel),
            ("json_extract(f.evidence, '$[0].team')", team),
            ("t.assignee", assignee),
            ("d.id", document_id),
        ):
            if value not in (None, ""):
                where.append(f"{column} = ?")
                params.append(value)
        if status == "active":
            where.append("coalesce(t.status, 'open') in ('open', 'assigned')")
        elif status:
            where.append("coalesce(t.status, 'open') = ?")
            params.append(status)
        if q:
            where.append("f.promise_text like ? escape '\\'")
            params.append(_like(q))
        joins = (
            " from findings f join statements s on s.id = f.statement_id"
            " join documents d on d.id = s.document_id"
            " left join triage t on t.promise_hash = f.promise_hash"
            f" where {' and '.join(where)}"
        )
        total = self._first(f"select count(*) as n{joins}", params)["n"]
        order = self.GAP_SORTS.get(sort, self.GAP_SORTS["age"])
        rows = list(
            self.db.query(
                "select f.id, f.verdict, f.confidence, f.promise_text, f.promise_hash,"
                " f.statement_id, d.id as document_id, d.title as campaign, d.channel,"
                " d.source, json_extract(f.evidence, '$[0].team') as team,"
                " json_extract(f.evidence, '$[0].text') as evidence,"
                " json_extract(f.evidence, '$[0].document') as evidence_document,"
                " coalesce(t.status, 'open') as status, t.assignee, t.dismissed_reason,"
                # A gap's age runs from the first check in which its text was a gap, as
                # in the weekly report (consistency.changes), which also follows rewordings.
                " (select r.started_at from runs r where r.id ="
                "  (select min(f2.run_id) from findings f2"
                "   where f2.promise_hash = f.promise_hash"
                f"  and f2.verdict in ({','.join('?' * len(GAP_VERDICTS))}))) as first_gap"
                f"{joins} order by {order} limit ? offset ?",
                [*GAP_VERDICTS, *params, limit, offset],
            )
        )
        return rows, total

    def gap_facets(self, run_id: int) -> dict[str, list[str]]:
        """The values the gap filters offer: campaigns, channels, teams, assignees.

        Read off the documents (a gap's team is its top evidence's procedure team), not
        the run's evidence JSON: cheap with any number of findings.
        """
        facets = {}
        for name, column, kind in (
            ("campaign", "title", "campaign"),
            ("channel", "channel", "campaign"),
            ("team", "team", "procedure"),
        ):
            facets[name] = [
                r["v"]
                for r in self.db.query(
                    f"select distinct {column} as v from documents where kind = ?"
                    f" and {column} is not null and superseded_by is null order by v",
                    [kind],
                )
            ]
        facets["assignee"] = [
            r["assignee"]
            for r in self.db.query(
                "select distinct assignee from triage where assignee is not null order by 1"
            )
        ]
        return facets

    def covering_findings(self, run_id: int) -> dict[str, list[dict[str, Any]]]:
        """Reverse view: procedure text hash -> the run's findings whose top evidence it is."""
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.db.query(
            "select json_extract(f.evidence, '$[0].text_hash') as evidence_hash, f.id,"
            " f.verdict, f.confidence, f.promise_text, d.title as campaign"
            " from findings f join statements s on s.id = f.statement_id"
            " join documents d on d.id = s.document_id"
            " where f.run_id = ? and f.verdict in ('covered', 'contradicted') order by f.id",
            [run_id],
        ):
            out.setdefault(r["evidence_hash"], []).append(r)
        return out

    def document_versions(self, source: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select id, version, title, created_at, superseded_by, content_hash"
                " from documents where source = ? order by version desc",
                [source],
            )
        )


def _decoded(row: dict[str, Any], *columns: str) -> dict[str, Any]:
    """The row with these JSON list columns decoded (NULL reads as an empty list)."""
    for column in columns:
        value = row[column]
        # Most statements state no fact and match no cue: skip the parser for those.
        row[column] = json.loads(value) if value and value != "[]" else []
    return row


def worst_per_promise(findings: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One finding per promise hash: for a text promised twice in a run, the first with
    the worse verdict (models.SEVERITY)."""
    out: dict[str, dict[str, Any]] = {}
    for f in findings:
        old = out.get(f["promise_hash"])
        if old is None or SEVERITY[f["verdict"]] > SEVERITY[old["verdict"]]:
            out[f["promise_hash"]] = f
    return out


def _like(word: str) -> str:
    """A LIKE pattern matching word anywhere, with its wildcards escaped (escape '\\')."""
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


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
