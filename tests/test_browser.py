"""The page in a real browser: Debian's Chromium driven by playwright, the real model.

Saves a screenshot of every page under build/screenshots/ (not committed) to look at.
"""

from __future__ import annotations

import re
import threading

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROCEDURE = """Front desk: arrivals and departures

Standard check-out time is 11:00.
Late check-out until 12:00 is free; later requires duty manager approval.
Serve every arriving guest a complimentary welcome drink at the bar.
Reception arranges airport transfers on request; the guest pays the driver.
Count the float at the end of every shift."""
CAMPAIGN = """Spring at the Seaside

Book two nights and late checkout until 2 pm is on us.

Every guest gets a free welcome drink on arrival.

Enjoy a free airport shuttle, any time of day or night.

Pets stay free of charge, with a bed and bowl waiting in your room.

Kids under 12 eat free at breakfast.

Every room gets a free bottle of <b>champagne</b> on your anniversary."""


@pytest.fixture(scope="module")
def server(tmp_path_factory, embedder):
    from werkzeug.serving import make_server

    from web import create_app

    db = tmp_path_factory.mktemp("browser") / "hinge.db"
    app = create_app({"DATABASE": str(db), "EMBEDDER": embedder, "SECRET_KEY": "browser-test"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def page(server, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    pg = context.new_page()
    pg.set_default_timeout(90_000)  # the first check loads the model
    yield pg
    context.close()


@pytest.fixture
def shot(page, screenshots):
    def save(name: str) -> None:
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)

    return save


def upload(page, kind: str, title: str, text: str, filename: str = "", **fields: str) -> None:
    """Paste the text, or upload it as a file when a filename is given."""
    page.goto("/upload")
    page.check(f'input[name="kind"][value="{kind}"]')
    page.fill("#title", title)
    if filename:
        file = {"name": filename, "mimeType": "text/markdown", "buffer": text.encode()}
        page.set_input_files("#file", files=[file])
    else:
        page.fill("#text", text)
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.click("#upload-submit")
    page.wait_for_selector(".flash-ok")


def gap_rows(page) -> list[tuple[str, str]]:
    """(href, promise text) of the rows in the gap table."""
    return [
        (a.get_attribute("href"), a.inner_text())
        for a in page.locator("#gap-table td.promise a").all()
    ]


def status_of(page) -> str:
    return page.locator("#promise-status").inner_text().strip()


def test_the_whole_triage_story(page, shot):
    page.goto("/")
    shot("01-dashboard-empty")
    page.click("#who")
    shot("00-name")
    page.fill("#name", "Sam")
    page.click("button[type=submit]")
    assert "Sam" in page.locator("#who").inner_text()

    page.goto("/upload")
    shot("02-upload")
    upload(page, "procedure", "Front desk SOP", PROCEDURE, "front-desk.md", team="front desk")
    upload(page, "campaign", "Spring at the Seaside", CAMPAIGN, channel="email")
    assert page.locator("#findings tbody tr").count() >= 5
    # Uploaded markup is text, never markup.
    assert page.locator("#findings b").count() == 0
    assert "<b>champagne</b>" in page.locator("#findings").inner_text()
    shot("03-preflight")

    page.goto("/gaps")
    rows = gap_rows(page)
    assert len(rows) >= 4, rows
    shot("04-gaps")
    (confirm_href, _), (reject_href, _), (assign_href, assign_text), (link_href, link_text) = rows[
        :4
    ]

    # Confirm: the top candidate keeps the promise; the re-check says covered.
    page.goto(confirm_href)
    shot("05-promise")
    confirmed_text = page.locator("#evidence tbody tr").first.locator(".ev-text").inner_text()
    page.locator('#evidence tbody tr >> nth=0 >> button[data-action="confirm"]').click()
    page.wait_for_selector("#evidence tr.linked")
    assert status_of(page) == "resolved"
    assert page.locator("h1 .v-covered").count() == 1
    confirmed_url = page.url

    # Reject: the candidate is dropped and the next one takes its place.
    page.goto(reject_href)
    top = page.locator("#evidence tbody tr").first.locator(".ev-text").inner_text()
    page.locator('#evidence tbody tr >> nth=0 >> button[data-action="reject"]').click()
    page.wait_for_selector(".flash-ok")
    assert page.locator("#evidence tbody tr").first.locator(".ev-text").inner_text() != top

    # Assign.
    page.goto(assign_href)
    page.fill("#assignee", "Ana")
    page.locator("#assign-form button").click()
    page.wait_for_selector(".flash-ok")
    assert status_of(page) == "assigned: Ana"

    # Resolve by linking a procedure statement found by search.
    page.goto(link_href)
    page.fill('#link input[name="q"]', "airport transfers")
    page.locator("#link button").click()
    page.locator('#link-results button[data-action="link"]').first.click()
    page.wait_for_selector("#evidence tr.linked")
    assert status_of(page) == "resolved"
    shot("06-promise-linked")

    # Reload: the state is kept.
    page.goto(confirmed_url)
    page.reload()
    assert status_of(page) == "resolved"
    page.goto("/gaps?assignee=Ana")
    assert [text for _, text in gap_rows(page)] == [assign_text]
    assert page.locator("#gap-table td.status").inner_text().strip() == "assigned: Ana"
    page.goto("/gaps?status=all")
    assert link_text not in [text for _, text in gap_rows(page)], "linked: covered now"
    shot("07-gaps-after-triage")

    # Bulk: select all on the page, dismiss.
    page.goto("/gaps")
    page.check("#select-all")
    page.select_option("#bulk-action", "dismiss")
    page.fill("#bulk-value", "out_of_scope")
    page.locator("#bulk button[type=submit]").click()
    page.wait_for_selector(".flash-ok")
    assert "Dismiss" in page.locator(".flash-ok").inner_text()
    page.goto("/gaps?status=dismissed")
    assert gap_rows(page)

    # Change the confirmed procedure statement, which re-checks: the decision turns suspect.
    changed = PROCEDURE.replace(confirmed_text, confirmed_text.rstrip(".") + ", and log it.")
    assert changed != PROCEDURE
    upload(page, "procedure", "Front desk SOP", changed, "front-desk.md", team="front desk")
    assert "(updated)" in page.locator(".flash-ok").inner_text()
    page.goto(confirmed_url)
    page.goto(page.locator("a", has_text="See the latest").get_attribute("href"))
    assert page.locator("#suspect-notice").count() == 1
    assert "suspect" in status_of(page)
    page.goto("/suspects")
    assert page.locator("#suspects td.was").all_inner_texts() == [confirmed_text]
    shot("08-suspects")
    page.goto("/")
    shot("09-dashboard")
    page.goto("/procedures")
    shot("10-procedures")
    page.goto("/documents")
    shot("11-documents")
    page.locator("#documents a.danger").first.click()
    assert re.match(r"Delete “.+” version \d+\?", page.locator("h1").inner_text())
    shot("12-delete-confirm")
    page.goto("/promises/999999")
    shot("13-not-found")
    page.goto("/suspects")
    page.locator('#suspects button[value="carry_over"]').click()
    page.wait_for_selector(".flash-ok")
    assert page.locator("#suspects .empty").count() == 1
