"""Extraction throughput: statements/s for the whole extract() (segmentation, facts,
promise scoring), one core, median of 5 runs over ~20k generated statements.

    .venv/bin/python benchmarks/bench_extract.py [--statements 20000]

Campaign and procedure documents alternate; the text mixes headings, bullets, numbered
steps, abbreviations, quotes and prices, so every code path does its usual work.
Language detection is timed on its own: the pipeline calls it once per document only
when the document has no language.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from consistency import extract  # noqa: E402

CAMPAIGN = [
    "Late checkout until {h} p.m. is free for members.",
    "Book {n} nights and get {p}% off your stay",
    "Breakfast is included in every room rate (approx. EUR {n} value).",
    "We love our guests. Experience the magic of the coast!",
    "Need a late checkout? Just ask at reception.",
    '"Best stay ever, the staff upgraded us for free!" — Maria, Lisbon',
    "Our support team answers within {n} hours, 24/7.",
    "Free returns within {n} days. No questions asked.",
    "Call us today on 0800 {n} {n}.",
    "*Terms apply. Offer valid until {d} May.",
    "You'll receive a EUR {n} voucher for your next visit, e.g. for the spa.",
    "Our hotel sits on the seafront, {n} m from St. Mary's church.",
]
PROCEDURE = [
    "Log every request in the PMS before the end of the shift.",
    "Offer late check-out free of charge to Gold members (code FREE{n}).",
    "Requests after {h}.30 require duty manager approval, i.e. a signature.",
    "Charge EUR {n}.99 for parking and print the receipt.",
    "Escalate complaints to the team lead within {n} hours",
    "Never promise upgrades before confirming availability with Mr. Lopez or Dr. Chan.",
    "Refunds are processed within {n} business days via the finance portal.",
]


def document(rnd: random.Random, kind: str, statements: int) -> str:
    pool = CAMPAIGN if kind == "campaign" else PROCEDURE
    parts: list[str] = []
    while sum(p.count("\n") + 1 for p in parts) < statements:
        parts.append(f"Section {rnd.randint(1, 99)}")
        lines = []
        for k in range(rnd.randint(3, 8)):
            text = rnd.choice(pool).format(
                n=rnd.randint(2, 99), p=rnd.choice([10, 15, 20, 25]),
                h=rnd.randint(1, 11), d=rnd.randint(1, 31),
            )  # fmt: skip
            lines.append(f"{k + 1}. {text}" if kind == "procedure" else f"- {text}")
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def corpus(target: int, seed: int = 7) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    docs: list[tuple[str, str]] = []
    while len(docs) * 75 < target:  # about 75 statements a document
        kind = "campaign" if len(docs) % 2 == 0 else "procedure"
        docs.append((kind, document(rnd, kind, 70)))
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = corpus(args.statements)
    extract.extract(docs[0][1], docs[0][0], "en")  # load the pipeline and cue data once
    counts, times = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        n = sum(len(extract.extract(text, kind, "en")[1]) for kind, text in docs)
        times.append(time.perf_counter() - start)
        counts.append(n)
    median = statistics.median(times)
    print(f"extract(): {counts[0]} statements in {len(docs)} documents, "
          f"median {median:.2f} s of {args.runs} runs: "
          f"{counts[0] / median:,.0f} statements/s")  # fmt: skip
    extract.detect_language(docs[0][1])  # lingua loads its models on first use
    start = time.perf_counter()
    for _, text in docs:
        extract.detect_language(text)
    per_doc = (time.perf_counter() - start) / len(docs)
    print(f"detect_language(): {per_doc * 1000:.1f} ms per document (first 3,000 characters)")


if __name__ == "__main__":
    main()
