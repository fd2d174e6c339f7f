import sqlite3

from consistency.models import Document, Statement
from consistency.store import Store


def _doc(text="Late check-out until noon is free.", **kw):
    return Document(kind="procedure", title="Front desk", text=text, source="sop.txt", **kw)


def _stmts(text):
    return [Statement(0, len(text), text)]


def test_schema_migrates_idempotently(db_path):
    Store(db_path).close()
    s = Store(db_path)
    names = set(s.db.table_names())
    assert {"documents", "statements", "embeddings", "runs", "findings", "decisions"} <= names
    assert s.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    s.close()


def test_unchanged_document_is_a_no_op(store):
    doc = _doc()
    first = store.save_document(doc, _stmts(doc.text), "x")
    again = store.save_document(_doc(), _stmts(doc.text), "x")
    assert first[1] == "new" and again == (first[0], "unchanged")
    assert store.db["documents"].count == 1


def test_changed_document_supersedes_and_old_version_stays(store):
    doc = _doc()
    old_id, _ = store.save_document(doc, _stmts(doc.text), "x")
    new = _doc("Late check-out until 1 pm is free.")
    new_id, status = store.save_document(new, _stmts(new.text), "x")
    assert status == "updated"
    assert store.document(new_id)["version"] == 2
    assert store.document(old_id)["superseded_by"] == new_id
    assert [d["id"] for d in store.documents()] == [new_id]
    assert len(store.documents(current_only=False)) == 2
    assert store.statements(document_id=old_id)[0]["text"] == doc.text


def test_failed_write_leaves_store_as_it_was(store):
    doc = _doc()
    store.save_document(doc, _stmts(doc.text), "x")
    bad = _doc("changed text")
    broken = [Statement(0, 1, "c"), Statement(0, 1, "c")]
    broken[1].facts = [object()]  # not JSON: the insert fails half way
    try:
        store.save_document(bad, broken, "x")
    except TypeError:
        pass
    assert store.db["documents"].count == 1
    assert store.db["statements"].count == 1


def test_vectors_round_trip(store):
    import numpy as np

    v = np.arange(4, dtype=np.float32)
    store.save_vectors("m", {"h1": v})
    assert np.array_equal(store.vectors("m", ["h1", "h2"])["h1"], v)
    assert store.vectors("other", ["h1"]) == {}


def test_not_a_database_is_reported(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    try:
        Store(path)
    except sqlite3.DatabaseError:
        return
    raise AssertionError("opening junk should fail")
