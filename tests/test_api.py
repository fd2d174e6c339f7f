"""The JSON API: same rules as the pages, errors as JSON with proper status codes."""

from __future__ import annotations

import base64

import pytest

from consistency.store import Store

pytestmark = pytest.mark.filterwarnings("ignore:thresholds were calibrated")

PROCEDURE = (
    "Late check-out until 12:00 is free; later requires duty manager approval.\n\n"
    "Serve every arriving guest a complimentary welcome drink at the bar."
)
CAMPAIGN = (
    "Book two nights and late checkout until 2 pm is on us.\n\n"
    "Every guest gets a free welcome drink on arrival."
)


def upload(client, **body):
    return client.post("/api/documents", json=body)


@pytest.fixture
def loaded(client):
    assert upload(client, kind="procedure", title="SOP", text=PROCEDURE).status_code == 201
    response = upload(client, kind="campaign", title="Spring", text=CAMPAIGN)
    assert response.status_code == 201
    return response.get_json()


def test_upload_returns_the_preflight(loaded):
    [doc] = loaded["documents"]
    assert (doc["kind"], doc["status"]) == ("campaign", "new")
    assert loaded["run_id"]
    texts = {f["promise_text"] for f in loaded["findings"]}
    assert "Every guest gets a free welcome drink on arrival." in texts
    assert {f["verdict"] for f in loaded["findings"]} <= {"covered", "uncovered", "contradicted"}


def test_upload_a_file_as_base64(client, db_path):
    data = base64.b64encode(b"Free parking for every guest, always.").decode()
    response = upload(client, kind="campaign", filename="parking.txt", content_base64=data)
    assert response.status_code == 201
    assert Store(db_path).documents()[0]["source"] == "parking.txt"
    assert response.get_json()["documents"][0]["warnings"] == []


def test_upload_reports_a_guessed_encoding_and_does_not_store_it(client, db_path):
    data = base64.b64encode("Café guests park free – always.".encode("cp1252")).decode()
    response = upload(client, kind="campaign", filename="cafe.txt", content_base64=data)
    assert response.status_code == 201
    [doc] = response.get_json()["documents"]
    assert any("Windows-1252" in w for w in doc["warnings"])
    [(meta,)] = Store(db_path).db.execute("select meta from documents").fetchall()
    assert "Windows-1252" not in meta


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        ({"data": "kind=campaign&text=hi"}, 415, "application/json"),
        ({"data": "{not json", "content_type": "application/json"}, 400, "JSON object"),
        ({"json": ["a list"]}, 400, "JSON object"),
        ({"json": {"kind": "campaign"}}, 422, "choose a file or paste"),
        ({"json": {"kind": "flyer", "text": "Free."}}, 422, "unknown kind"),
        ({"json": {"kind": "campaign", "filename": "x.txt", "content_base64": "%%"}}, 400,
         "base64"),
        ({"json": {"kind": "campaign", "filename": "x.exe", "content_base64": "TVo="}}, 422,
         "unsupported type"),
    ],
)  # fmt: skip
def test_upload_errors(client, db_path, request_kwargs, status, message):
    response = client.post("/api/documents", **request_kwargs)
    assert response.status_code == status
    assert message in response.get_json()["error"]
    assert Store(db_path).documents() == []


def test_upload_over_the_limit_is_413_json(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, kind="campaign", text="free " * 1000)
    assert response.status_code == 413
    assert "limit" in response.get_json()["error"]


def test_gaps_promises_and_runs(client, loaded):
    promises = client.get("/api/promises").get_json()
    assert promises["total"] == len(loaded["findings"]) == len(promises["promises"])
    gaps = client.get("/api/gaps?limit=1").get_json()
    assert len(gaps["gaps"]) <= 1
    assert gaps["total"] == sum(f["verdict"] != "covered" for f in loaded["findings"])
    assert client.get("/api/gaps?verdict=contradicted&q=zzz").get_json()["total"] == 0
    runs = client.get("/api/runs").get_json()["runs"]
    assert runs[0]["id"] == loaded["run_id"]
    assert client.get("/api/gaps?limit=many").status_code == 400
    assert client.get("/api/gaps?run=999").status_code == 404


def test_no_run_yet_is_404(client):
    response = client.get("/api/gaps")
    assert response.status_code == 404
    assert "POST /api/check" in response.get_json()["error"]


def test_decisions_roundtrip(client, loaded):
    finding = loaded["findings"][0]
    body = {"action": "assign", "finding_id": finding["id"], "value": "Ana", "actor": "Sam"}
    response = client.post("/api/decisions", json=body)
    assert response.status_code == 201
    assert response.get_json()["state"]["status"] == "assigned"
    decisions = client.get(f"/api/decisions?promise_hash={finding['promise_hash']}").get_json()
    [d] = decisions["decisions"]
    assert (d["actor"], d["action"], d["value"]) == ("Sam", "assign", "Ana")
    gaps = client.get("/api/gaps?assignee=Ana&status=all").get_json()
    assert [g["id"] for g in gaps["gaps"]] == [finding["id"]]


def test_link_by_text_rechecks(client, loaded):
    promise = "Book two nights and late checkout until 2 pm is on us."
    body = {
        "action": "link",
        "promise_text": promise,
        "evidence_text": PROCEDURE.split("\n\n")[0],
        "actor": "Sam",
    }
    response = client.post("/api/decisions", json=body)
    assert response.status_code == 201
    run_id = response.get_json()["run_id"]
    assert run_id and run_id != loaded["run_id"]
    found = client.get("/api/promises").get_json()["promises"]
    assert next(p for p in found if p["promise_text"] == promise)["verdict"] == "covered"


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"action": "assign", "finding_id": 999, "actor": "Sam"}, 404, "no finding"),
        ({"action": "assign", "promise_text": "Never said.", "actor": "Sam"}, 404, "no current"),
        ({"action": "assign", "actor": "Sam"}, 422, "name the promise"),
        ({"action": "approve", "finding_id": 1, "actor": "Sam"}, 422, "unknown action"),
        ({"action": "assign", "finding_id": 1}, 422, "set your name"),
        ({"action": "confirm", "finding_id": 1, "actor": "Sam"}, 422, "procedure statement"),
        ({"action": "confirm", "finding_id": "one", "actor": "Sam"}, 400, "whole number"),
    ],
)
def test_decision_errors(client, loaded, body, status, message):
    response = client.post("/api/decisions", json=body)
    assert response.status_code == status
    assert message in response.get_json()["error"]


def test_check_and_unknown_endpoint(client, loaded):
    response = client.post("/api/check", json={})
    assert response.status_code == 201
    assert response.get_json()["run"]["id"] > loaded["run_id"]
    assert client.post("/api/check").status_code == 415
    response = client.get("/api/nothing")
    assert response.status_code == 404 and "error" in response.get_json()
