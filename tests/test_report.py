"""The weekly gap report over three weeks of real history: ingest, check, change a
procedure, link, dismiss, expire a campaign, re-word a promise, check again, with the
clock set per run. The real model judges; assertions are about what the report says."""

from __future__ import annotations

import csv
import io
import json

import lxml.html
import pytest

from consistency import pipeline, triage, weekly
from consistency.cli import cli
from consistency.models import Document
from consistency.report import chart_png, render
from consistency.store import Store

WINTER = """Winter Break at the Harbour Hotel

Late checkout until 2 pm is free for every guest.
Every guest gets a free welcome drink on arrival.
Bring your dog: pets stay free of charge.
We run a free airport shuttle every hour.
Kids under 12 eat free at the breakfast buffet.
Our concierge answers WhatsApp messages 24/7.
"""
BABYSITTER = "We will book a babysitter for any evening of your stay.\n"
LATE = "Late checkout until 2 pm is free for every guest."
LATE_REWORDED = "Late checkout until 3 pm is free for every guest."
BLACK_FRIDAY = "Black Friday deal\n\nSpa access is free with every booking made this week.\n"
SPRING = "Spring Preview\n\nEvery room comes with a free e-bike for the day.\n"
SOP = """Front desk procedures

Check-out
1. Standard check-out time is 11:00.
2. Late check-out until 12:00 is free; later check-out costs EUR 30.

Arrival
3. Serve every arriving guest a complimentary welcome drink at the bar.
4. Animals are welcome in ground floor rooms.
"""
SHUTTLE = (
    "\nTransport\n5. The airport shuttle leaves the main entrance every hour from 6:00 to 23:00;"
    " it is free for hotel guests.\n"
)
CONCIERGE = """Concierge handbook

1. The concierge desk is staffed from 8:00 to 20:00.
2. Answer guest emails within one working day.
"""
DOG = "Bring your dog: pets stay free of charge."
SHUTTLE_PROMISE = "We run a free airport shuttle every hour."
KIDS = "Kids under 12 eat free at the breakfast buffet."
WHATSAPP = "Our concierge answers WhatsApp messages 24/7."
SPA = "Spa access is free with every booking made this week."
EBIKE = "Every room comes with a free e-bike for the day."
SITTER = BABYSITTER.strip()


def _winter(text: str = WINTER, **kw) -> Document:
    return Document(
        "campaign", "Winter Break", text, "winter.md", channel="email", language="en",
        valid_from="2026-10-01", valid_until="2026-12-31", **kw,
    )  # fmt: skip


def _decide(store, action, promise, at, **kw):
    triage.record(store, action, promise_text=promise, actor="ops", at=at, **kw)


def build_history(store: Store, embedder) -> None:
    """W45: first check. W46: shuttle procedure added, dog linked, kids dismissed,
    a babysitter promised. W47: Black Friday expired, late checkout re-worded, spring
    campaign announced, two checks (the later one is the week's state)."""
    save = lambda doc: pipeline.save(store, doc)  # noqa: E731
    save(_winter())
    save(Document("campaign", "Black Friday", BLACK_FRIDAY, "bf.md", channel="web",
                  language="en", valid_from="2026-10-20", valid_until="2026-11-15"))  # fmt: skip
    save(Document("procedure", "Front desk SOP", SOP, "sop.md", team="Front desk", language="en"))
    save(Document("procedure", "Concierge handbook", CONCIERGE, "concierge.md",
                  team="Concierge", language="en"))  # fmt: skip
    pipeline.check(store, embedder, started_at="2026-11-02T09:00:00+00:00")

    _decide(store, "assign", LATE, "2026-11-03T10:00:00+00:00", value="maria")
    _decide(store, "link", DOG, "2026-11-09T07:00:00+00:00",
            evidence_text="Animals are welcome in ground floor rooms.")  # fmt: skip
    _decide(store, "dismiss", KIDS, "2026-11-09T08:00:00+00:00", value="wont_fix")
    save(Document("procedure", "Front desk SOP", SOP + SHUTTLE, "sop.md", team="Front desk",
                  language="en"))  # fmt: skip
    save(_winter(WINTER + BABYSITTER))
    pipeline.check(store, embedder, started_at="2026-11-09T09:00:00+00:00")

    pipeline.check(store, embedder, started_at="2026-11-16T09:00:00+00:00")
    # Made during W47: must not show in the W46 report.
    _decide(store, "dismiss", SITTER, "2026-11-17T08:00:00+00:00", value="duplicate")
    _decide(store, "assign", WHATSAPP, "2026-11-17T09:00:00+00:00", value="li")
    save(_winter((WINTER + BABYSITTER).replace(LATE, LATE_REWORDED)))
    save(Document("campaign", "Spring Preview", SPRING, "spring.md", channel="print",
                  language="en", valid_from="2026-11-23", valid_until="2027-03-31"))  # fmt: skip
    pipeline.check(store, embedder, started_at="2026-11-19T15:30:00+00:00")
    # After W47 ended: in no report up to W47.
    _decide(store, "assign", SPA, "2026-11-24T09:00:00+00:00", value="late")


@pytest.fixture(scope="module")
def history_db(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("history") / "hinge.db"
    store = Store(path)
    build_history(store, embedder)
    store.close()
    return path


@pytest.fixture
def hist(history_db):
    store = Store(history_db)
    yield store
    store.close()


def _report(store, week):
    tz = weekly.timezone("UTC")
    return weekly.build(store, weekly.parse_week(week, tz), tz)


def _by_promise(rows):
    return {r["promise"]: r for r in rows}


def test_precondition_the_model_sees_gaps_where_the_story_needs_them(hist):
    """The history means something only if the machine judged these as the story says."""
    first = _report(hist, "2026-W45")
    open_ = {r["promise"] for r in first["new"]}
    assert {LATE, DOG, SHUTTLE_PROMISE, KIDS, WHATSAPP, SPA} <= open_
    assert "Every guest gets a free welcome drink on arrival." not in open_


def test_first_week_every_gap_is_new_and_nothing_to_compare(hist):
    r = _report(hist, "2026-W45")
    assert r["baseline"] is None and r["resolved"] == [] and r["still_open"] == []
    assert {g["how"] for g in r["new"]} == {"new promise"}
    assert r["headline"]["open_gaps"]["change"] is None
    assert r["headline"]["open_gaps"]["value"] == len(r["new"])


def test_week_two_resolutions_say_how(hist):
    r = _report(hist, "2026-W46")
    assert r["run"]["date"] == "2026-11-09" and r["baseline"]["date"] == "2026-11-02"
    resolved = _by_promise(r["resolved"])
    assert resolved[DOG]["how"] == "procedure linked"
    assert resolved[KIDS]["how"] == "dismissed: wont fix"
    assert resolved[SHUTTLE_PROMISE]["how"] == "covered by procedure Front desk SOP"
    assert resolved[SHUTTLE_PROMISE]["verdict"] == "covered"
    assert set(resolved) == {DOG, KIDS, SHUTTLE_PROMISE}

    new = _by_promise(r["new"])
    assert SITTER in new and new[SITTER]["how"] == "new promise", "dismissed only in W47"
    still = _by_promise(r["still_open"])
    assert {LATE, WHATSAPP, SPA} <= set(still)
    assert still[LATE]["assignee"] == "maria" and still[LATE]["age_days"] == 7
    assert still[WHATSAPP]["assignee"] is None, "assigned only in W47"
    assert still[LATE]["first_gap"] == "2026-11-02"


def test_week_two_headline_changes(hist):
    w45, w46 = _report(hist, "2026-W45")["headline"], _report(hist, "2026-W46")["headline"]
    for key in ("coverage", "open_gaps", "contradictions", "promises"):
        assert w46[key]["previous"] == w45[key]["value"]
        assert w46[key]["change"] == pytest.approx(w46[key]["value"] - w45[key]["value"])
    # kids dismissed leave the count; the babysitter joins it
    assert w46["promises"]["change"] == 0
    assert w46["open_gaps"]["change"] == len(_report(hist, "2026-W46")["new"]) - 3
    assert w46["coverage"]["value"] > w45["coverage"]["value"]


def test_week_three_reworded_expired_dismissed(hist):
    r = _report(hist, "2026-W47")
    assert r["run"]["date"] == "2026-11-19", "a week's state is its last run"
    changed = _by_promise(r["changed"])
    assert set(changed) == {LATE_REWORDED}
    late = changed[LATE_REWORDED]
    assert late["previous_promise"] == LATE and late["how"].startswith("re-worded")
    assert late["age_days"] == 17 and late["first_gap"] == "2026-11-02"
    assert late["assignee"] == "maria"
    assert LATE not in _by_promise(r["resolved"]) and LATE_REWORDED not in _by_promise(r["new"])

    resolved = _by_promise(r["resolved"])
    assert resolved[SPA]["how"] == "campaign expired on 2026-11-15"
    assert resolved[SPA]["verdict"] == "not checked"
    assert resolved[SITTER]["how"] == "dismissed: duplicate"

    assert EBIKE in _by_promise(r["new"])
    still = _by_promise(r["still_open"])
    assert still[WHATSAPP]["assignee"] == "li" and still[WHATSAPP]["age_days"] == 17
    assert SPA not in still and all(g["assignee"] != "late" for g in r["still_open"])


def test_groups_oldest_and_calendar(hist):
    r = _report(hist, "2026-W47")
    open_rows = r["new"] + r["changed"] + r["still_open"]
    for key in ("by_team", "by_campaign", "by_channel"):
        assert (
            sum(g["open"] for g in r[key]) == len(open_rows) == r["headline"]["open_gaps"]["value"]
        )
    campaigns = {g["name"]: g for g in r["by_campaign"]}
    assert campaigns["Black Friday"]["open"] == 0 and campaigns["Black Friday"]["change"] < 0
    assert campaigns["Spring Preview"]["open"] >= 1
    channels = {g["name"]: g for g in r["by_channel"]}
    assert channels["print"]["change"] == channels["print"]["open"] >= 1
    teams = {g["name"] for g in r["by_team"]}
    assert teams <= {"Front desk", "Concierge", "(none)"} and teams

    ages = [g["age_days"] for g in r["oldest"]]
    assert ages == sorted(ages, reverse=True) and ages[0] == 17 and len(ages) <= 10
    assert [c["title"] for c in r["campaigns"]["starting"]] == ["Spring Preview"]
    assert r["campaigns"]["ending"] == []
    w46 = _report(hist, "2026-W46")
    assert [c["title"] for c in w46["campaigns"]["ending"]] == ["Black Friday"]


def test_trend_covers_twelve_weeks_with_a_point_per_checked_week(hist):
    r = _report(hist, "2026-W47")
    assert len(r["trend"]) == 12 and r["trend"][-1]["week"] == "2026-W47"
    points = {p["week"]: p for p in r["trend"] if p["coverage"] is not None}
    assert set(points) == {"2026-W45", "2026-W46", "2026-W47"}
    assert points["2026-W47"]["coverage"] == pytest.approx(r["headline"]["coverage"]["value"])
    assert points["2026-W46"]["coverage"] == pytest.approx(
        _report(hist, "2026-W46")["headline"]["coverage"]["value"]
    )
    png = chart_png(r)
    assert png and png.startswith(b"\x89PNG")


def test_week_without_a_check_and_before_any(hist):
    later = _report(hist, "2026-W49")
    assert "No check ran in 2026-W49" in later["notice"]
    assert later["new"] == later["resolved"] == [], "same run both sides: nothing changed"
    early = _report(hist, "2026-W40")
    assert "first check ran on 2026-11-02" in early["notice"]
    assert early["run"] is None and early["headline"] == {}


def test_timezone_moves_a_run_across_the_week_boundary(hist):
    # 2026-11-09T09:00Z is still Sunday 8 Nov in Honolulu: the W46 run belongs to W45 there.
    tz = weekly.timezone("Pacific/Honolulu")
    r = weekly.build(hist, weekly.parse_week("2026-W45", tz), tz)
    assert r["run"]["date"] == "2026-11-08"
    assert r["timezone"] == "Pacific/Honolulu"


def test_formats_agree(hist):
    r = _report(hist, "2026-W47")
    rows = list(csv.DictReader(io.StringIO(render(r, "csv"))))
    statuses = {row["promise"]: (row["status"], row["how"]) for row in rows}
    assert statuses[LATE_REWORDED][0] == "changed"
    assert statuses[SPA] == ("resolved", "campaign expired on 2026-11-15")
    assert statuses[WHATSAPP][0] == "still_open"
    assert len(rows) == sum(len(r[k]) for k in ("new", "changed", "still_open", "resolved"))
    assert json.loads(render(r, "json"))["week"] == "2026-W47"

    md = render(r, "md")
    headings = ["Headline", "New gaps", "Resolved", "Still open", "Open gaps by team",
                "Ten oldest gaps", "Campaign calendar"]  # fmt: skip
    for heading in headings:
        assert f"## {heading}" in md
    assert "campaign expired on 2026-11-15" in md and "Coverage trend" in md

    doc = lxml.html.fromstring(render(r, "html"))
    headings = [h.text_content() for h in doc.iter("h2")]
    assert any(h.startswith("Resolved") for h in headings)
    img = doc.xpath("//img")[0]
    assert img.get("src").startswith("data:image/png;base64,")
    assert not doc.xpath("//link|//script"), "self-contained: no external assets"
    assert WHATSAPP in doc.text_content()


def test_cli_report(history_db, runner, tmp_path):
    db = ["--db", str(history_db)]
    result = runner.invoke(cli, [*db, "report", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "# Hinge weekly gap report: 2026-W47" in result.output, "default: latest run's week"
    out = tmp_path / "w46.csv"
    result = runner.invoke(cli, [*db, "report", "--week", "2026-W46", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("week,status,how")
    result = runner.invoke(cli, [*db, "report", "--week", "2026-11-18", "--format", "json"])
    assert json.loads(result.output)["week"] == "2026-W47"


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-W99", "2026-W99 does not exist: 2026 has weeks W01 to W53"),
        ("2025-W53", "2025 has weeks W01 to W52"),
        ("last tuesday", "'last tuesday' is not a week"),
        ("2026-47", "is not a week"),
    ],
)
def test_cli_bad_week(runner, db_path, week, message):
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--week", week])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_cli_bad_timezone(runner, db_path):
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--tz", "Mars/Olympus"])
    assert result.exit_code == 1 and "unknown time zone 'Mars/Olympus'" in result.output


def test_cli_empty_store_is_an_honest_empty_report(runner, db_path):
    for fmt in ("md", "html", "csv", "json"):
        result = runner.invoke(cli, ["--db", str(db_path), "report", "--format", fmt])
        assert result.exit_code == 0, result.output
        if fmt in ("md", "html", "json"):
            assert "No checks yet" in result.output
    result = runner.invoke(cli, ["--db", str(db_path), "report", "--format", "csv"])
    assert result.output.strip().startswith("week,status")


def test_reports_page(app, history_db, client):
    app.config["DATABASE"] = str(history_db)
    page = lxml.html.fromstring(client.get("/reports").data)
    weeks = [a.text_content() for a in page.xpath("//table[@id='reports']//tbody//td[1]/a")]
    assert weeks == ["2026-W47", "2026-W46", "2026-W45"]
    links = page.xpath("//table[@id='reports']//a/@href")
    assert "/reports/2026-W47.csv" in links and "/reports/2026-W46.md" in links
    view = client.get("/reports/2026-W46")
    assert view.status_code == 200 and view.mimetype == "text/html"
    assert lxml.html.fromstring(view.data).xpath("//h1")[0].text_content() == "Week 2026-W46"
    download = client.get("/reports/2026-W47.json")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.get_json()["week"] == "2026-W47"
    assert client.get("/reports/2026-W99").status_code == 404
    assert client.get("/reports/2026-W47.exe").status_code == 404


def test_reports_page_empty(client):
    page = client.get("/reports")
    assert page.status_code == 200 and b"No checks yet" in page.data


@pytest.mark.browser
def test_html_report_in_chromium(hist, chromium, screenshots):
    html = render(_report(hist, "2026-W47"), "html")
    page = chromium.new_page(viewport={"width": 900, "height": 1200})
    try:
        page.set_content(html)
        size = page.evaluate(
            "() => { const i = document.querySelector('img');"
            " return [i.complete, i.naturalWidth, i.getBoundingClientRect().width]; }"
        )
        assert size[0] and size[1] > 600 and 0 < size[2] <= 640
        # nothing overflows the 760px card sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 900
        page.screenshot(path=str(screenshots / "weekly-report.png"), full_page=True)
        page.emulate_media(media="print")
        page.screenshot(path=str(screenshots / "weekly-report-print.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.browser
def test_reports_page_in_chromium(app, history_db, client, chromium, screenshots):
    """The Reports page with the app's own stylesheet, served by the test client."""
    app.config["DATABASE"] = str(history_db)

    def serve(route):
        path = route.request.url.removeprefix("http://hinge.test")
        with client.get(path) as response:  # static files are streamed: close them
            route.fulfill(status=response.status_code, body=response.data,
                          content_type=response.content_type)  # fmt: skip

    page = chromium.new_page(viewport={"width": 1100, "height": 700})
    try:
        page.route("http://hinge.test/**", serve)
        page.goto("http://hinge.test/reports")
        assert page.locator("#reports tbody tr").count() == 3
        page.screenshot(path=str(screenshots / "reports-page.png"), full_page=True)
        page.click("text=2026-W46")
        assert page.locator("h1").inner_text() == "Week 2026-W46"
    finally:
        page.close()


def _run(store, at, verdicts):
    """A run over the current campaign statements with the given verdict per text."""
    statements = store.statements(kind="campaign", promises_only=True)
    _save_run(store, at, [(s, verdicts[s["text"]]) for s in statements])


def _save_run(store, at, judged):
    """A run with one finding per (statement, verdict) pair."""
    findings = [
        {
            "statement_id": s["id"], "document_id": s["document_id"],
            "promise_hash": s["text_hash"], "promise_text": s["text"],
            "verdict": v, "machine_verdict": v,
            "confidence": 0.9, "evidence": [], "conflicts": [],
        }
        for s, v in judged
    ]  # fmt: skip
    store.save_run({"started_at": at, "finished_at": at, "model": "m",
                    "promises": len(findings)}, findings)  # fmt: skip


def _campaign(store, *texts):
    from consistency.models import Statement

    statements, start = [], 0
    for t in texts:
        statements.append(Statement(start, start + len(t), t, is_promise=True))
        start += len(t) + 1
    doc = Document("campaign", "Autumn", " ".join(texts), "autumn.md", channel="web")
    store.save_document(doc, statements, "test")


def test_rewording_removal_and_reopening_without_a_model(store):
    a, b, c, d = ("Free parking for guests.", "Spa open until 10 pm daily.",
                  "Room service all night.", "Bikes for every guest.")  # fmt: skip
    _campaign(store, a, b, c, d)
    _run(store, "2026-11-02T09:00:00+00:00",
         {a: "uncovered", b: "covered", c: "uncovered", d: "uncovered"})  # fmt: skip
    _decide(store, "dismiss", d, "2026-11-03T09:00:00+00:00", value="out_of_scope")
    _decide(store, "reopen", d, "2026-11-10T09:00:00+00:00")
    a2, b2 = "Free parking for all guests.", "Spa open until 11 pm daily."
    _campaign(store, a2, b2, d)  # a and b re-worded in place, c removed
    _run(store, "2026-11-10T10:00:00+00:00", {a2: "covered", b2: "contradicted", d: "uncovered"})
    r = _report(store, "2026-W46")
    resolved, changed, new = (_by_promise(r[k]) for k in ("resolved", "changed", "new"))
    assert resolved[a]["how"] == "campaign changed: re-worded, now covered"
    assert resolved[c]["how"] == "campaign changed: promise removed"
    assert changed[b2]["how"] == "re-worded; was covered" and changed[b2]["previous_promise"] == b
    assert new[d]["how"] == "reopened after dismissal"
    assert set(resolved) == {a, c} and set(changed) == {b2} and set(new) == {d}
    assert r["headline"]["contradictions"]["change"] == 1


def test_a_text_promised_twice_counts_once_with_its_worse_verdict(store):
    from consistency.models import Statement

    text = "Late checkout until 2 pm, free."
    for title, source in (("Spring", "spring.md"), ("Summer", "summer.md")):
        doc = Document("campaign", title, text, source, channel="web")
        store.save_document(doc, [Statement(0, len(text), text, is_promise=True)], "test")
    statements = store.statements(kind="campaign", promises_only=True)
    verdicts = ("uncovered", "contradicted")
    _save_run(store, "2026-11-10T10:00:00+00:00", list(zip(statements, verdicts, strict=True)))
    r = _report(store, "2026-W46")
    [week] = weekly.overview(store, weekly.timezone("UTC"))
    assert r["headline"]["contradictions"]["value"] == week["contradictions"] == 1
    assert [g["verdict"] for g in r["new"]] == ["contradicted"]


def test_a_promise_no_longer_judged_but_still_in_its_campaign_says_so(store):
    """A detector refit, or a doubtful statement no longer reported (judge.SURE_PROMISE),
    leaves the text in place: the gap was not fixed by removing it."""
    kept, dropped = "Free parking for guests.", "Our team will make your stay special."
    _campaign(store, kept, dropped)
    _run(store, "2026-11-02T09:00:00+00:00", {kept: "uncovered", dropped: "uncovered"})
    statements = store.statements(kind="campaign", promises_only=True)
    _save_run(store, "2026-11-10T10:00:00+00:00",
              [(s, "uncovered") for s in statements if s["text"] == kept])  # fmt: skip
    resolved = _by_promise(_report(store, "2026-W46")["resolved"])
    assert resolved[dropped]["how"] == "no longer read as a promise"
    assert resolved[dropped]["verdict"] == "not checked" and set(resolved) == {dropped}
