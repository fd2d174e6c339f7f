"""French: promise cues (data/cues/fr.json) and facts (data/facts/fr.json) on French copy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from consistency import extract, words
from consistency.extract import PROMISE_THRESHOLD, score_promise, segment
from consistency.facts import extract_facts
from consistency.models import Statement

DATA = Path(__file__).resolve().parent.parent / "consistency" / "data"


def score(text: str) -> tuple[float, list[str]]:
    return score_promise(Statement(0, len(text), text), "fr")


def values(text: str, kind: str) -> list[Any]:
    return [f.value for f in extract_facts(text, "fr") if f.kind == kind]


def polarities(text: str) -> set[str]:
    return {v["polarity"] for v in values(text, "polarity")}


# -- data files ---------------------------------------------------------------------------


def test_french_lemma_table_gives_strings():
    """spacy-lookups-data ships French lemmas as one-element lists; words.lemma_table
    must hand the matchers plain strings, as it does for the other languages."""
    table = words.lemma_table("fr")
    assert table, "no French lemma table"
    assert isinstance(table["remboursons"], str), table["remboursons"]


def test_french_cues_share_the_shape_of_the_others():
    """The facts file's shape is checked with every language's in test_facts."""
    shared = json.loads((DATA / "cues" / "weights.json").read_text("utf-8"))["weights"]
    cues = json.loads((DATA / "cues" / "fr.json").read_text("utf-8"))
    es = json.loads((DATA / "cues" / "es.json").read_text("utf-8"))
    assert cues["language"] == "fr"
    assert set(cues["cues"]) == set(es["cues"])
    assert all(name in shared for name in cues["cues"])


# -- segmentation and promise cues --------------------------------------------------------


def test_french_abbreviations_do_not_end_sentences():
    text = "Comptez env. 20 minutes, tél. 02 47 00 12 34. Nous vous rappelons sous 2 h."
    assert [s.text for s in segment(text, "fr")] == [
        "Comptez env. 20 minutes, tél. 02 47 00 12 34.",
        "Nous vous rappelons sous 2 h.",
    ]


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Livraison offerte dès 50 € d'achat.", "offer:free"),
        ("Nous vous remboursons sous 14 jours.", "commit:we_do"),
        ("Votre conseiller vous rappellera dans l'heure.", "commit:we_will"),
        ("Un technicien se déplace chez vous sous 48 h.", "commit:we_will"),
        ("Profitez de 20 % de réduction sur votre deuxième paire.", "offer:discount"),
        ("Le petit-déjeuner est inclus dans toutes nos offres.", "offer:included"),
        ("Assistance dépannage 24h/24 incluse.", "level:24_7"),
        ("Les adhérents bénéficient d'un bilan gratuit chaque année.", "benefit:you_get"),
        ("Le prix de votre abonnement est bloqué pendant 2 ans.", "commit:policy"),
    ],
)
def test_french_promises_carry_their_cue(text, cue):
    value, cues = score(text)
    assert cue in cues
    assert value >= PROMISE_THRESHOLD, cues


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("Bonjour Marie,", "neg:greeting"),
        ("Réservez dès maintenant sur notre site !", "neg:cta"),
        ("Vous avez des questions ?", "neg:question"),
        ("Depuis 1987, nos opticiens vous accompagnent au quotidien.", "neg:description"),
        ("Offre valable jusqu'au 31 mars, non cumulable avec d'autres promotions.", "neg:terms"),
        ("« J'ai adoré l'accueil, je recommande ! » – Julie, Lyon", "neg:testimonial"),
        ("N'hésitez pas à nous écrire.", "neg:not_an_offer"),
    ],
)
def test_french_non_promises_stay_below_threshold(text, cue):
    value, cues = score(text)
    assert cue in cues
    assert value < PROMISE_THRESHOLD, cues


def test_french_copy_is_detected_as_french():
    text = "Réservez deux nuits et le départ tardif jusqu'à 14 h vous est offert."
    assert extract.detect_language(text) == "fr"


# -- facts --------------------------------------------------------------------------------


def dur(hours: float, bound: str, business: bool = False) -> dict[str, Any]:
    return {"hours": hours, "business": business, "bound": bound}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remboursement sous 14 jours ouvrés", dur(336.0, "within", business=True)),
        ("annulation jusqu'à 48 heures avant", dur(48.0, "before")),
        ("une garantie de deux ans", dur(17520.0, "exact")),
        ("essai de vingt et un jours", dur(504.0, "exact")),
        ("retour sous quatre-vingt-dix jours", dur(2160.0, "within")),
    ],
)
def test_duration(text, expected):
    assert expected in values(text, "duration")


def test_same_day_is_stricter_than_a_day():
    assert values("envoyé le jour même", "duration")[0]["same_day"] is True


@pytest.mark.parametrize(
    ("text", "amount"),
    [("29,90 € par mois", 29.9), ("une franchise de 1 500 €", 1500.0), ("10 euros", 10.0)],
)
def test_price(text, amount):
    assert {"amount": amount, "currency": "EUR", "free": False} in values(text, "money")


@pytest.mark.parametrize("text", ["livraison gratuite", "sans frais de dossier", "examen offert"])
def test_free_is_a_zero_price(text):
    assert {"amount": 0.0, "currency": None, "free": True} in values(text, "money")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ouvert de 9 h 30 à 19 h", {"from": "09:30", "to": "19:00"}),
        ("retrait avant 14h30", {"from": None, "to": "14:30"}),
        ("fermeture à midi", {"from": None, "to": "12:00"}),
        ("rendez-vous à 8 h 45", {"from": "08:45", "to": "08:45"}),
    ],
)
def test_time(text, expected):
    assert expected in values(text, "time")


def test_days_range():
    assert values("du lundi au samedi", "days") == [
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "always": False}
    ]
    assert values("service 24h/24 et 7j/7", "days")[0]["always"] is True


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("répondre par courriel", "email"),
        ("écrivez-nous par e-mail", "email"),
        ("une question ? notre tchat", "chat"),
        ("un SMS de confirmation", "sms"),
        ("par téléphone", "phone"),
        ("uniquement en agence", "in_person"),
        ("depuis l'appli", "app"),
        ("sur notre site", "website"),
        ("par lettre recommandée", "post"),
    ],
)
def test_channel(text, channel):
    assert {"channel": channel} in values(text, "channel")


def test_channel_after_a_negation_is_left_out():
    assert not values("sans passer en agence", "channel")


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Les retours ne sont pas acceptés après 30 jours.", "refuses"),
        ("Nous ne remboursons pas les verres.", "refuses"),
        ("La résiliation ne se fait que par lettre recommandée.", "refuses"),
        ("Le magasin est fermé le dimanche.", "refuses"),
        ("Ne jamais promettre de date au client.", "never"),
        ("Geste commercial à la discrétion du responsable.", "requires_approval"),
        ("Sous réserve de l'accord du responsable.", "requires_approval"),
        ("Sous réserve de disponibilité.", "not_guaranteed"),
        ("Le parking est payant.", "charges"),
        ("Le contrôle sera facturé 15 €.", "charges"),
        ("Sans engagement.", "free"),
        ("Vous pouvez annuler en ligne.", "can"),
    ],
)
def test_polarity(text, polarity):
    assert polarity in polarities(text)


def test_free_phrases_are_not_charges():
    pols = polarities("Les frais de port ne sont pas facturés.")
    assert "charges" not in pols and "refuses" not in pols
    assert values("Les frais de port ne sont pas facturés.", "money")[0]["free"] is True


def test_spaced_hours_are_clock_times_and_after_a_bound_word_a_duration():
    assert values("Ouvert de 9 h 30 à 19 h.", "time") == [{"from": "09:30", "to": "19:00"}]
    assert values("Nous rappelons sous 2 h.", "duration")[0]["hours"] == 2.0
