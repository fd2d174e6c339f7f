"""Render time of /gaps with 10,000 gaps in the store (issue #5: under 300 ms).

Synthetic rows go in through the store API (no model, no extraction): two runs of
15,000 findings each, 10,000 of them gaps, 1,000 promises with triage decisions.
Prints the median of repeated renders per query; asserts nothing.

    .venv/bin/python benchmarks/bench_web.py [--gaps 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consistency import extract, triage  # noqa: E402
from consistency.models import Document, Statement, text_hash  # noqa: E402
from consistency.store import Store  # noqa: E402
from web import create_app  # noqa: E402

TEAMS = ("front desk", "billing", "housekeeping", "contact centre")
CHANNELS = ("web", "email", "phone", "app")


def _statements(lines: list[str], promise: bool) -> list[Statement]:
    out, pos = [], 0
    for line in lines:
        out.append(Statement(pos, pos + len(line), line, is_promise=promise))
        pos += len(line) + 1
    return out


def fill(store: Store, gaps: int, campaigns: int = 40) -> None:
    covered = gaps // 2
    per = (gaps + covered) // campaigns
    proc_lines = [f"Step {i}: staff check the booking and confirm item {i}." for i in range(400)]
    proc_id, _ = store.save_document(
        Document("procedure", "Operations manual", "\n".join(proc_lines), "ops.txt"),
        _statements(proc_lines, False),
        extract.EXTRACTOR_VERSION,
    )
    proc = store.statements(document_id=proc_id)
    promises = []
    for c in range(campaigns):
        lines = [f"Campaign {c}: we promise benefit number {i} for free." for i in range(per)]
        doc = Document(
            "campaign", f"Campaign {c}", "\n".join(lines), f"c{c}.txt", channel=CHANNELS[c % 4]
        )
        doc_id, _ = store.save_document(doc, _statements(lines, True), extract.EXTRACTOR_VERSION)
        promises += store.statements(document_id=doc_id)
    for run_no in range(2):
        findings, counts = [], {"covered": 0, "uncovered": 0, "contradicted": 0}
        for i, s in enumerate(promises):
            verdict = "covered" if i % 3 == 2 else ("contradicted" if i % 5 == 0 else "uncovered")
            counts[verdict] += 1
            evidence = []
            for k in range(5):
                ev = proc[(i + k * 7) % len(proc)]
                evidence.append(
                    {
                        "statement_id": ev["id"],
                        "document_id": proc_id,
                        "document": "Operations manual",
                        "team": TEAMS[(i + k) % 4],
                        "text": ev["text"],
                        "text_hash": ev["text_hash"],
                        "start": ev["start"],
                        "end": ev["end"],
                        "heading": None,
                        "score": 0.5 - k * 0.05,
                        "cosine": 0.5 - k * 0.05,
                        "agrees": [],
                        "conflicts": [],
                    }
                )
            findings.append(
                {
                    "statement_id": s["id"],
                    "document_id": s["document_id"],
                    "promise_hash": text_hash(s["text"]),
                    "promise_text": s["text"],
                    "verdict": verdict,
                    "machine_verdict": verdict,
                    "confidence": (i * 37 % 100) / 100,
                    "evidence": evidence,
                    "conflicts": [],
                }
            )
        run = {
            "started_at": f"2026-05-0{run_no + 1}T09:00:00+00:00",
            "model": "synthetic",
            "promises": len(promises),
            **counts,
        }
        store.save_run(run, findings)
    for i, s in enumerate(promises[:1000]):
        action, value = ("assign", f"person {i % 7}") if i % 2 else ("dismiss", "duplicate")
        triage.record(store, action, promise_text=s["text"], value=value, actor="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gaps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        store = Store(db)
        fill(store, args.gaps)
        run = store.latest_run()
        n_gaps = run["uncovered"] + run["contradicted"]
        print(
            f"store: {run['promises']} findings per run, {n_gaps} gaps, 2 runs, "
            f"1000 decisions (filled in {time.perf_counter() - started:.1f} s)"
        )
        store.close()
        client = create_app({"DATABASE": str(db), "TESTING": True}).test_client()
        queries = [
            "/gaps",
            "/gaps?sort=confidence",
            "/gaps?sort=campaign&page=50",
            "/gaps?verdict=contradicted&team=billing",
            "/gaps?q=number+12",
            "/gaps?status=assigned&assignee=person+3",
            "/gaps?status=all&sort=age&page=200",
            "/",
        ]
        print(f"\n{'query':<45} {'median ms':>10} {'max ms':>8}")
        for q in queries:
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                response = client.get(q)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (q, response.status_code)
            print(f"{q:<45} {statistics.median(times):>10.1f} {max(times):>8.1f}")
        print("\ntarget: /gaps under 300 ms with 10,000 gaps")


if __name__ == "__main__":
    main()
