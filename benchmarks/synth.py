"""Generated campaigns and procedures for benchmarks: varied enough that no two
statements share a text (so caches don't flatter the figures), realistic enough
that extraction and judging do their usual work."""

from __future__ import annotations

import random

from consistency.models import Document

TOPICS = [
    ("late checkout", "check-out"), ("breakfast", "breakfast service"), ("parking", "car park"),
    ("room upgrade", "upgrades"), ("airport transfer", "shuttle"), ("returns", "returns desk"),
    ("delivery", "dispatch"), ("price match", "price checks"), ("gift wrapping", "packing"),
    ("warranty", "repairs"), ("installation", "engineer visits"), ("router", "equipment"),
    ("support", "contact centre"), ("refund", "refunds"), ("appointment", "booking"),
    ("reminder", "reminders"), ("card replacement", "cards"), ("overdraft", "lending"),
    ("personal training", "trainers"), ("class booking", "classes"),
]  # fmt: skip
BENEFITS = [
    "is free for members", "comes at no extra cost", "is included in every booking",
    "is guaranteed within {n} hours", "is available 24/7 via live chat",
    "costs just EUR {n}", "is yours for {n} days", "gets {n}% off this spring",
    "is handled the same day", "is confirmed by email within {n} minutes",
]  # fmt: skip
STEPS = [
    "Staff must log every {t} request in the property system before the end of the shift",
    "Offer {t} free of charge to Gold members and record the code FREE{n}",
    "{T} requests after {n}:00 require duty manager approval",
    "Charge EUR {n} for {t} and print the receipt",
    "Escalate {t} complaints to the team lead within {n} hours",
    "Check the {t} schedule every morning and update the whiteboard in room {n}",
    "Never promise {t} before confirming availability with the supervisor",
    "Answer {t} emails within {n} business days using macro M-{n}",
    "Record cash for {t} in the float book and count it twice at handover",
    "Confirm {t} by phone only, between 9am and 5pm on weekdays",
]  # fmt: skip
FLUFF = [
    "We can't wait to welcome you.", "Book now and see for yourself!",
    "Our team has served guests since {n}.", "Questions? Call us today.",
]  # fmt: skip


def corpus(promises: int, procedure_statements: int, seed: int = 1) -> list[Document]:
    """Documents holding about `promises` promise sentences and the given number of
    procedure statements, 50 statements a document."""
    rnd = random.Random(seed)
    docs: list[Document] = []

    def sentence(pool: list[str]) -> str:
        _, staff = rnd.choice(TOPICS)
        n = rnd.randint(2, 999)
        return rnd.choice(pool).format(t=staff, T=staff.capitalize(), n=n)

    def promise() -> str:
        topic, _ = rnd.choice(TOPICS)
        tail = rnd.choice(BENEFITS).format(n=rnd.randint(2, 90))
        return f"{topic.capitalize()} {tail} (offer {rnd.randint(1, 10**6)})."

    for i in range(0, promises, 25):
        lines = []
        for _ in range(25):
            lines.append(promise())
            lines.append(rnd.choice(FLUFF).format(n=rnd.randint(1950, 2020)))
        docs.append(
            Document("campaign", f"Campaign {i // 25 + 1}", "\n\n".join(lines), f"bench://c{i}")
        )
    for i in range(0, procedure_statements, 50):
        steps = [f"{k + 1}. {sentence(STEPS)} (ref {rnd.randint(1, 10**6)})." for k in range(50)]
        docs.append(
            Document(
                "procedure", f"SOP {i // 50 + 1}", "Procedure\n\n" + "\n".join(steps),
                f"bench://p{i}", team=rnd.choice(["front desk", "billing", "support"]),
            )
        )  # fmt: skip
    for d in docs:
        d.language = "en"
    return docs
