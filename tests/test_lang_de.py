"""German: promise cues (data/cues/de.json), sentence splitting with German abbreviations,
and facts (data/facts/de.json): durations, money, times, days, channels and polarity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consistency import extract
from consistency.extract import segment
from consistency.facts import extract_facts

DATA = Path(__file__).resolve().parent.parent / "consistency" / "data"


def flagged(text: str) -> dict[str, bool]:
    _, statements = extract.extract(text, "campaign", "de")
    return {s.text: s.is_promise for s in statements}


def values(text: str, kind: str) -> list[Any]:
    return [f.value for f in extract_facts(text, "de") if f.kind == kind]


def polarities(text: str) -> set[str]:
    return {v["polarity"] for v in values(text, "polarity")}


# -- data files -------------------------------------------------------------------------


def test_data_files_share_the_shape_of_the_other_languages():
    es_cues = json.loads((DATA / "cues" / "es.json").read_text("utf-8"))
    de_cues = json.loads((DATA / "cues" / "de.json").read_text("utf-8"))
    assert de_cues["language"] == "de"
    assert set(de_cues["cues"]) == set(es_cues["cues"])
    es_facts = json.loads((DATA / "facts" / "es.json").read_text("utf-8"))
    de_facts = json.loads((DATA / "facts" / "de.json").read_text("utf-8"))
    assert set(es_facts) <= set(de_facts)
    for section in ("duration", "money", "time", "days", "count"):
        assert set(es_facts[section]) <= set(de_facts[section]), section


# -- segmentation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Lieferung z. B. nach Gohlis in ca. 2 Std. inkl. Kühlbox.",
        "Die Aktion läuft bis zum 31. Oktober in allen Filialen.",
        "Geöffnet Mo.–Sa. von 8 bis 20 Uhr, Tel. 0341 123 456.",
    ],
)
def test_german_abbreviations_and_dates_do_not_end_sentences(sentence):
    text = sentence + " Nächster Satz."
    assert [s.text for s in segment(text, "de")] == [sentence, "Nächster Satz."]


# -- promise cues -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Wir liefern Ihre Medikamente noch am selben Tag.",
        "Die Lieferung ist ab einem Bestellwert von 20 € kostenlos.",
        "Nicht benötigte Artikel nehmen wir innerhalb von 14 Tagen zurück.",
        "Unser Kundenservice ist rund um die Uhr für Sie erreichbar.",
        "Neukunden erhalten einen Wechselbonus von 100 €.",
        "Ein Techniker kommt noch am selben Tag zu Ihnen.",
        "Die Installation übernimmt unser Fachpartner – ohne zusätzliche Kosten.",
        "Versandkostenfreie Lieferung in ganz Deutschland.",
    ],
)
def test_german_promises_are_flagged(text):
    assert flagged(text) == {text: True}


@pytest.mark.parametrize(
    "text",
    [
        "Liebe Kundin, lieber Kunde,",
        "Jetzt App herunterladen und E-Rezept einlösen.",
        "Haben Sie Fragen zu Ihrer Bestellung?",
        "Wir sind seit 1987 für Leipzig da, mit drei Apotheken in der Stadt.",
        "Es gelten unsere Allgemeinen Geschäftsbedingungen.",
        "Zu Risiken und Nebenwirkungen lesen Sie die Packungsbeilage.",
        "Melden Sie sich noch heute an und sichern Sie sich Ihren Platz.",
    ],
)
def test_german_non_promises_are_not_flagged(text):
    assert not any(flagged(text).values())


def test_cues_by_family():
    cues = {
        "Wir liefern kostenlos.": {"commit:we_do", "offer:free"},
        "Innerhalb von 2 Stunden liefern wir.": {"commit:we_do", "level:within_duration"},
        "Mit der Kundenkarte sparen Sie 15 % auf alle Erkältungsmittel.": {"offer:discount"},
        "Unser Bote ruft Sie vorher an.": {"commit:we_will"},
        "Bestellen Sie jetzt in der App.": {"neg:cta"},
    }
    for text, expected in cues.items():
        _, statements = extract.extract(text, "campaign", "de")
        assert expected <= set(statements[0].cues), (text, statements[0].cues)


# -- facts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours", "bound"),
    [
        ("Rückgabe innerhalb von 14 Tagen", 336.0, "within"),
        ("Das 14-tägige Rückgaberecht", 336.0, "exact"),
        ("Erstattung binnen fünf Werktagen", 120.0, "within"),
        ("Rückruf innerhalb einer Stunde", 1.0, "within"),
        ("Stornierung bis 24 Stunden vorher", 24.0, "before"),
        ("Preisgarantie für zwölf Monate", 8640.0, "exact"),
    ],
)
def test_durations(text, hours, bound):
    found = values(text, "duration")
    assert [(v["hours"], v["bound"]) for v in found] == [(hours, bound)], found


def test_same_day_and_next_working_day():
    assert values("Lieferung noch am selben Tag", "duration")[0]["same_day"] is True
    nxt = values("Zustellung am nächsten Werktag", "duration")[0]
    assert nxt["hours"] == 24.0 and nxt["business"] is True


def test_money():
    assert values("Die Liefergebühr beträgt 3,90 €.", "money") == [
        {"amount": 3.9, "currency": "EUR", "free": False}
    ]
    assert values("Ab 1.500 EUR Umsatz", "money")[0]["amount"] == 1500.0
    for free in ("Die Beratung ist kostenlos.", "Versandkostenfrei", "ohne Aufpreis"):
        assert values(free, "money") == [{"amount": 0.0, "currency": None, "free": True}], free
    assert values("Dieser Service ist nicht kostenlos.", "money") == []
    assert "charges" in polarities("Dieser Service ist nicht kostenlos.")
    assert "charges" in polarities("Die Expresslieferung ist kostenpflichtig.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bestellungen bis 14 Uhr", {"from": None, "to": "14:00"}),
        ("Annahme bis 13.30 Uhr", {"from": None, "to": "13:30"}),
        ("Abholung um 14:30 Uhr", {"from": "14:30", "to": "14:30"}),
        ("Geöffnet von 8 bis 20 Uhr", {"from": "08:00", "to": "20:00"}),
        ("Hotline 9:00–18:00 Uhr", {"from": "09:00", "to": "18:00"}),
    ],
)
def test_times(text, expected):
    assert expected in values(text, "time")


def test_days():
    week = ["mon", "tue", "wed", "thu", "fri", "sat"]
    assert values("Lieferung Montag bis Samstag", "days")[0]["days"] == week
    assert values("Hotline Mo.–Sa.", "days")[0]["days"] == week
    assert values("Wir haben am Wochenende geöffnet", "days")[0]["days"] == ["sat", "sun"]
    assert values("Service rund um die Uhr", "days")[0]["always"] is True


def test_channels():
    text = "Erreichbar telefonisch, per E-Mail, im Chat, per WhatsApp und in der Filiale."
    channels = [v["channel"] for v in values(text, "channel")]
    assert channels == ["phone", "email", "chat", "whatsapp", "in_person"]
    assert values("Ganz ohne Anruf oder Papierkram.", "channel") == []


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Eine Rückgabe von Arzneimitteln ist nicht möglich.", "refuses"),
        ("Arzneimittel werden nicht zurückgenommen und nicht erstattet.", "refuses"),
        ("Fahrer nehmen keine Altmedikamente an.", "refuses"),
        ("Kulanz nur nach Genehmigung durch die Filialleitung.", "requires_approval"),
        ("Termine nach Rücksprache mit dem Apotheker.", "requires_approval"),
        ("Abendtermine auf Anfrage.", "requires_approval"),
        ("Upgrades nach Verfügbarkeit.", "not_guaranteed"),
        ("Passwörter niemals am Telefon herausgeben.", "never"),
        ("Der Ausweis muss vorgelegt werden.", "must"),
        ("Monatlich kündbar, ohne Mindestlaufzeit.", "free"),
    ],
)
def test_polarity(text, polarity):
    assert polarity in polarities(text)


def test_negated_refusal_words_in_a_free_phrase_are_not_refusals():
    assert polarities("Für Sie entstehen keine zusätzlichen Kosten.") == set()


# -- what German needed from the code ---------------------------------------------------


def test_a_24_hour_range_is_not_shifted_to_the_afternoon():
    assert values("Geöffnet 7–20 Uhr.", "time") == [{"from": "07:00", "to": "20:00"}]
    # ...while an English range with a meridiem still is.
    assert [f.value for f in extract_facts("Open 1-5pm.", "en") if f.kind == "time"] == [
        {"from": "13:00", "to": "17:00"}
    ]


def test_working_days_said_by_the_unit_are_business_days():
    assert values("Lieferung in 5 Werktagen.", "duration")[0]["business"] is True
    assert values("Lieferung in 5 Tagen.", "duration")[0]["business"] is False


def test_capitalised_nouns_are_counted():
    assert values("Wir haben 3 Filialen in Leipzig.", "count") == [
        {"amount": 3, "noun": "filial", "ordinal": False}
    ]


def test_a_testimonial_in_german_quotes_is_not_a_promise():
    text = "„Die Lieferung kam pünktlich, alles kostenlos.“ – Özlem K."
    assert not any(flagged(text).values())


def test_inflected_nouns_meet_their_lemma_in_lexical_matching():
    from consistency.words import terms

    assert terms("Lieferungen in Filialen", "de") == terms("Lieferung Filiale", "de")
