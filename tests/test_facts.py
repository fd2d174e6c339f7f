"""Facts: each kind in several languages, number words, phrases that must not be facts,
and the judge seeing (or not seeing) a conflict between two statements' facts."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from consistency import judge, words
from consistency.facts import FACTS_VERSION, extract_facts, fact_summary

DATA = Path(__file__).resolve().parent.parent / "consistency" / "data" / "facts"


# A refusal that confines the service ("only by phone") rather than denying it.
RESTRICTS = {"polarity": "refuses", "restricts": True}


def values(text: str, lang: str, kind: str) -> list[Any]:
    return [f.value for f in extract_facts(text, lang) if f.kind == kind]


def dicts(text: str, lang: str = "en") -> list[dict[str, Any]]:
    return [asdict(f) for f in extract_facts(text, lang)]


# (lang, text, kind, expected value) -- the expected value must be among the facts of that kind
CASES = [
    # duration
    ("en", "30-day returns", "duration", {"hours": 720.0, "business": False, "bound": "exact"}),
    # Swiss "innert" is "within", not "24 hours a day"
    ("de", "Wir bestätigen innert 24 Stunden.", "duration",
     {"hours": 24.0, "business": False, "bound": "within"}),
    (
        "en",
        "returns within thirty days",
        "duration",
        {"hours": 720.0, "business": False, "bound": "within"},
    ),
    (
        "en",
        "refunds in 2 business days",
        "duration",
        {"hours": 48.0, "business": True, "bound": "within"},
    ),
    (
        "en",
        "we reply within 24h",
        "duration",
        {"hours": 24.0, "business": False, "bound": "within"},
    ),
    (
        "en",
        "cancel 48 hours before arrival",
        "duration",
        {"hours": 48.0, "business": False, "bound": "before"},
    ),
    (
        "en",
        "it takes seven working days",
        "duration",
        {"hours": 168.0, "business": True, "bound": "exact"},
    ),
    (
        "en",
        "valid for six months",
        "duration",
        {"hours": 4320.0, "business": False, "bound": "exact"},
    ),
    (
        "en",
        "a callback within one hour",
        "duration",
        {"hours": 1.0, "business": False, "bound": "within"},
    ),
    (
        "en",
        "a callback within an hour",
        "duration",
        {"hours": 1.0, "business": False, "bound": "within"},
    ),
    (
        "en",
        "ready in half an hour",
        "duration",
        {"hours": 0.5, "business": False, "bound": "within"},
    ),
    (
        "en",
        "twenty-four hours' notice",
        "duration",
        {"hours": 24.0, "business": False, "bound": "before"},
    ),
    (
        "en",
        "same-day dispatch",
        "duration",
        {"hours": 0.0, "business": False, "bound": "exact", "same_day": True},
    ),
    (
        "en",
        "Your points never expire.",
        "duration",
        {"hours": 876000.0, "business": False, "bound": "exact", "unlimited": True},
    ),
    (
        "es",
        "devoluciones en treinta días",
        "duration",
        {"hours": 720.0, "business": False, "bound": "within"},
    ),
    (
        "es",
        "reembolso en 10 días hábiles",
        "duration",
        {"hours": 240.0, "business": True, "bound": "within"},
    ),
    (
        "es",
        "anula hasta 2 horas antes",
        "duration",
        {"hours": 2.0, "business": False, "bound": "before"},
    ),
    (
        "pt",
        "devolução em até trinta dias",
        "duration",
        {"hours": 720.0, "business": False, "bound": "within"},
    ),
    (
        "pt",
        "resposta em 2 dias úteis",
        "duration",
        {"hours": 48.0, "business": True, "bound": "within"},
    ),
    (
        "ru",
        "возврат в течение тридцати дней",
        "duration",
        {"hours": 720.0, "business": False, "bound": "within"},
    ),
    ("ru", "ответим за два часа", "duration", {"hours": 2.0, "business": False, "bound": "within"}),
    ("ru", "5 рабочих дней", "duration", {"hours": 120.0, "business": True, "bound": "exact"}),
    # money
    ("en", "free delivery", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("en", "late checkout is on us", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("en", "at no extra cost", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("en", "complimentary breakfast", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("en", "no foreign transaction fees", "money", {"amount": 0.0, "currency": None, "free": True}),
    (
        "en",
        "we'll pay £150 into your account",
        "money",
        {"amount": 150.0, "currency": "GBP", "free": False},
    ),
    ("en", "a fee of €20", "money", {"amount": 20.0, "currency": "EUR", "free": False}),
    ("en", "a fee of EUR 20", "money", {"amount": 20.0, "currency": "EUR", "free": False}),
    ("en", "costs 20 euros", "money", {"amount": 20.0, "currency": "EUR", "free": False}),
    ("en", "just $5.99", "money", {"amount": 5.99, "currency": "USD", "free": False}),
    ("en", "over $1,000", "money", {"amount": 1000.0, "currency": "USD", "free": False}),
    ("en", "twenty dollars", "money", {"amount": 20.0, "currency": "USD", "free": False}),
    ("es", "entrada gratis", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("es", "sin coste adicional", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("es", "una matrícula de 29 €", "money", {"amount": 29.0, "currency": "EUR", "free": False}),
    ("pt", "cancelamento grátis", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("pt", "apenas R$ 49,90", "money", {"amount": 49.9, "currency": "BRL", "free": False}),
    ("ru", "доставка бесплатно", "money", {"amount": 0.0, "currency": None, "free": True}),
    ("ru", "стоимость 1.500 ₽", "money", {"amount": 1500.0, "currency": "RUB", "free": False}),
    # percent
    ("en", "10% off", "percent", {"amount": 10.0}),
    ("en", "10 per cent off", "percent", {"amount": 10.0}),
    ("en", "ten percent off", "percent", {"amount": 10.0}),
    ("en", "0% interest", "percent", {"amount": 0.0}),
    ("en", "39.9% EAR", "percent", {"amount": 39.9}),
    ("en", "save 10 %", "percent", {"amount": 10.0}),
    ("es", "un 15 % de descuento", "percent", {"amount": 15.0}),
    ("es", "diez por ciento", "percent", {"amount": 10.0}),
    ("pt", "20% de desconto", "percent", {"amount": 20.0}),
    ("ru", "скидка 10 процентов", "percent", {"amount": 10.0}),
    # count
    ("en", "stay 2 nights", "count", {"amount": 2, "noun": "night", "ordinal": False}),
    ("en", "stay two nights", "count", {"amount": 2, "noun": "night", "ordinal": False}),
    ("en", "your first bag flies free", "count", {"amount": 1, "noun": "bag", "ordinal": True}),
    ("en", "the third night is on us", "count", {"amount": 3, "noun": "night", "ordinal": True}),
    ("en", "any of our 84 branches", "count", {"amount": 84, "noun": "branch", "ordinal": False}),
    ("en", "a dozen sessions", "count", {"amount": 12, "noun": "session", "ordinal": False}),
    ("es", "nuestros 12 centros", "count", {"amount": 12, "noun": "centro", "ordinal": False}),
    ("es", "tu primera sesión", "count", {"amount": 1, "noun": "sesion", "ordinal": True}),
    ("pt", "três diárias", "count", {"amount": 3, "noun": "diaria", "ordinal": False}),
    ("ru", "две ночи", "count", {"amount": 2, "noun": "ноч", "ordinal": False}),
    # time
    ("en", "open 9am-5pm", "time", {"from": "09:00", "to": "17:00"}),
    ("en", "open 9-5pm", "time", {"from": "09:00", "to": "17:00"}),
    ("en", "late checkout until 2 pm", "time", {"from": None, "to": "14:00"}),
    ("en", "check-in at 11:00", "time", {"from": "11:00", "to": "11:00"}),
    ("en", "staffed 08:00–20:00", "time", {"from": "08:00", "to": "20:00"}),
    ("en", "order by noon", "time", {"from": None, "to": "12:00"}),
    ("en", "until midnight", "time", {"from": None, "to": "00:00"}),
    ("en", "open from 7 a.m.", "time", {"from": "07:00", "to": None}),
    ("en", "closes at 6:30 p.m.", "time", {"from": None, "to": "18:30"}),
    ("es", "hasta las 14:00", "time", {"from": None, "to": "14:00"}),
    ("es", "de 9:00 a 14:00", "time", {"from": "09:00", "to": "14:00"}),
    ("es", "abrimos a las 7 de la mañana", "time", {"from": "07:00", "to": None}),
    ("es", "a las 14h", "time", {"from": "14:00", "to": "14:00"}),
    ("pt", "das 9h às 18h", "time", {"from": "09:00", "to": "18:00"}),
    ("pt", "até às 18h", "time", {"from": None, "to": "18:00"}),
    ("ru", "выезд до 12:00", "time", {"from": None, "to": "12:00"}),
    ("ru", "с 9:00 до 18:00", "time", {"from": "09:00", "to": "18:00"}),
    # days
    (
        "en",
        "support 24/7",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": True},
    ),
    (
        "en",
        "day or night",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": True},
    ),
    (
        "en",
        "open 7 days a week",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": False},
    ),
    (
        "en",
        "open every day",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": False},
    ),
    ("en", "on weekdays", "days", {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False}),
    ("en", "at weekends", "days", {"days": ["sat", "sun"], "always": False}),
    (
        "en",
        "Monday to Saturday",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "always": False},
    ),
    ("en", "Mon–Fri", "days", {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False}),
    ("en", "Tuesdays and Thursdays", "days", {"days": ["tue", "thu"], "always": False}),
    (
        "es",
        "de lunes a viernes",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False},
    ),
    (
        "es",
        "todos los días",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": False},
    ),
    ("es", "los sábados, domingos y festivos", "days", {"days": ["sat", "sun"], "always": False}),
    ("pt", "fins de semana", "days", {"days": ["sat", "sun"], "always": False}),
    # an abbreviation's full stop does not break the range
    (
        "pt",
        "sem custo, por ordem de chegada, de seg. a sáb.",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat"], "always": False},
    ),
    (
        "en",
        "Open Mon. to Fri., 9-5pm",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False},
    ),
    (
        "pt",
        "de segunda a sexta",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False},
    ),
    ("ru", "по будням", "days", {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False}),
    (
        "ru",
        "круглосуточно",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "always": True},
    ),
    (
        "ru",
        "с понедельника по пятницу",
        "days",
        {"days": ["mon", "tue", "wed", "thu", "fri"], "always": False},
    ),
    # channel
    ("en", "call us", "channel", {"channel": "phone"}),
    ("en", "via live chat", "channel", {"channel": "chat"}),
    ("en", "email us", "channel", {"channel": "email"}),
    ("en", "ask at the front desk", "channel", {"channel": "in_person"}),
    ("en", "in the app", "channel", {"channel": "app"}),
    ("en", "on our website", "channel", {"channel": "website"}),
    ("en", "message us on WhatsApp", "channel", {"channel": "whatsapp"}),
    ("en", "a text message reminder", "channel", {"channel": "sms"}),
    ("en", "sent by post", "channel", {"channel": "post"}),
    ("en", "a video call", "channel", {"channel": "video"}),
    ("es", "por teléfono", "channel", {"channel": "phone"}),
    ("es", "en recepción", "channel", {"channel": "in_person"}),
    ("es", "por correo electrónico", "channel", {"channel": "email"}),
    ("pt", "pelo aplicativo", "channel", {"channel": "app"}),
    ("ru", "в приложении", "channel", {"channel": "app"}),
    ("ru", "по телефону", "channel", {"channel": "phone"}),
    # polarity
    ("en", "we do not offer upgrades", "polarity", {"polarity": "refuses"}),
    ("en", "upgrades are not available", "polarity", {"polarity": "refuses"}),
    ("en", "accounts can only be opened face to face", "polarity", RESTRICTS),
    ("en", "there is no express option", "polarity", {"polarity": "refuses"}),
    ("en", "a fee of £20 applies", "polarity", {"polarity": "charges"}),
    ("en", "parking is charged at £5", "polarity", {"polarity": "charges"}),
    ("en", "subject to manager approval", "polarity", {"polarity": "requires_approval"}),
    ("en", "refunds need sign-off", "polarity", {"polarity": "requires_approval"}),
    ("en", "at the manager's discretion", "polarity", {"polarity": "requires_approval"}),
    ("en", "on request, subject to availability", "polarity", {"polarity": "not_guaranteed"}),
    ("en", "late checkout cannot be guaranteed", "polarity", {"polarity": "not_guaranteed"}),
    ("en", "never share your PIN", "polarity", {"polarity": "never"}),
    ("en", "staff must check ID", "polarity", {"polarity": "must"}),
    ("en", "delivery guaranteed", "polarity", {"polarity": "grants"}),
    ("en", "no strings attached", "polarity", {"polarity": "free"}),
    ("es", "sin compromiso", "polarity", {"polarity": "free"}),
    ("en", "you can cancel online", "polarity", {"polarity": "can"}),
    ("es", "no se permite fumar", "polarity", {"polarity": "refuses"}),
    ("es", "no ofrecemos reembolsos", "polarity", {"polarity": "refuses"}),
    ("es", "se cobra una comisión", "polarity", {"polarity": "charges"}),
    ("es", "requiere aprobación del gerente", "polarity", {"polarity": "requires_approval"}),
    ("es", "sujeto a disponibilidad", "polarity", {"polarity": "not_guaranteed"}),
    ("pt", "não é possível cancelar", "polarity", {"polarity": "refuses"}),
    ("pt", "a taxa é cobrada na retirada", "polarity", {"polarity": "charges"}),
    ("pt", "mediante aprovação do gerente", "polarity", {"polarity": "requires_approval"}),
    ("ru", "курить нельзя", "polarity", {"polarity": "refuses"}),
    ("ru", "услуга не предоставляется", "polarity", {"polarity": "refuses"}),
    ("ru", "парковка платно", "polarity", {"polarity": "charges"}),
    ("ru", "взимается плата", "polarity", {"polarity": "charges"}),
    ("ru", "поздний выезд по согласованию", "polarity", {"polarity": "requires_approval"}),
    ("es", "Le garantizo que va a pagar menos", "polarity", {"polarity": "grants"}),
    ("es", "No le garantizo nada", "polarity", {"polarity": "not_guaranteed"}),
    ("pt", "Eu garanto o melhor preço", "polarity", {"polarity": "grants"}),
    (
        "fr",
        "Livraison en moins de 3 jours",
        "duration",
        {"hours": 72.0, "business": False, "bound": "within"},
    ),
    # a multiple glued to its number: instalments, points
    ("pt", "Pague em até 10x sem juros", "count", {"amount": 10, "noun": "x", "ordinal": False}),
    ("en", "Earn 3x points on Tuesdays", "count", {"amount": 3, "noun": "x", "ordinal": False}),
    # pence need no currency symbol elsewhere in the statement
    ("en", "ADD-SPORT: 999p per calendar month", "money",
     {"amount": 9.99, "currency": "GBP", "free": False}),
    # half price is 50% off, in every language
    ("en", "Half price for your first month.", "percent", {"amount": 50.0}),
    ("es", "Entradas a mitad de precio", "percent", {"amount": 50.0}),
    ("ru", "Вторая пицца за полцены", "percent", {"amount": 50.0}),
    # instalments and times written out are multiples, like "10x"
    ("pt", "parcelamento sem juros em até 10 vezes", "count",
     {"amount": 10, "noun": "x", "ordinal": False}),
    ("fr", "Payez en 3 fois sans frais", "count", {"amount": 3, "noun": "x", "ordinal": False}),
    ("en", "Pay in 3 interest-free instalments", "count",
     {"amount": 3, "noun": "x", "ordinal": False}),
    # so is half of an amount
    ("ru", "не более половины суммы корзины", "percent", {"amount": 50.0}),
    ("de", "höchstens die Hälfte des Rechnungsbetrags", "percent", {"amount": 50.0}),
    ("en", "up to half of the total", "percent", {"amount": 50.0}),
    # a service switched off is refused
    ("en", "The live chat has been discontinued.", "polarity", {"polarity": "refuses"}),
    ("de", "Der In-App-Chat wurde mit Release 4.2 abgeschaltet.", "polarity",
     {"polarity": "refuses"}),
    ("fr", "L'option a été supprimée.", "polarity", {"polarity": "refuses"}),
    # a restriction written after the thing it restricts
    ("en", "Wi-Fi is fitted to Class 170 units only.", "polarity", RESTRICTS),
    ("en", "Celebration cakes are collection-only: the vans do not carry them.", "polarity",
     RESTRICTS),
    ("en", "AC-12 is the only aftercare visit included.", "polarity", RESTRICTS),
    ("es", "Las bajas solo se gestionan en recepción.", "polarity", RESTRICTS),
    ("pt", "O SAC não abre sinistro por chat nem WhatsApp.", "polarity", {"polarity": "refuses"}),
    # declined as something staff do (as a status name it is none: NOT_FACTS)
    ("en", "Requests received by email must be declined.", "polarity", {"polarity": "refuses"}),
    # nobody is charged: free, not a charge
    ("en", "No card is charged at the time of reserving.", "money",
     {"amount": 0.0, "currency": None, "free": True}),
    # a spaced hour mark: a clock time in a range or after a clock word, else a duration
    ("es", "Abierto de 9 a 14 h y de 16 a 20 h.", "time", {"from": "16:00", "to": "20:00"}),
    ("es", "Recepción: de 9 h a 18 h.", "time", {"from": "09:00", "to": "18:00"}),
    ("pt", "Atendimento das 9 h às 18 h.", "time", {"from": "09:00", "to": "18:00"}),
    ("es", "Una sesión de 2 h con el fisioterapeuta.", "duration",
     {"hours": 2.0, "business": False, "bound": "exact"}),
    # "24 h" counted from something is a duration, not round-the-clock service
    ("es", "antes de que se cumplan 24 h de concluido el examen", "duration",
     {"hours": 24.0, "business": False, "bound": "exact"}),
    ("es", "en las primeras 24 horas", "duration",
     {"hours": 24.0, "business": False, "bound": "exact"}),
    # Found by listing gold-covered promises whose facts no gold evidence agreed with:
    # "N or more", the day before, three quarters of an hour, an ordinal working day.
    ("en", "Move the booking, no fee.", "money",
     {"amount": 0.0, "currency": None, "free": True}),
    ("en", "An active plan zero-rates one full service.", "money",
     {"amount": 0.0, "currency": None, "free": True}),
    ("pt", "Cada aluno tem uma sessão sem qualquer faturação.", "money",
     {"amount": 0.0, "currency": None, "free": True}),
    ("ru", "Плата за пакет в этот период не начисляется.", "money",
     {"amount": 0.0, "currency": None, "free": True}),
    ("en", "Stays of 7 or more days.", "duration",
     {"hours": 168.0, "business": False, "bound": "at_least"}),
    ("en", "Changes requested 2 or more days ahead.", "duration",
     {"hours": 48.0, "business": False, "bound": "before"}),
    ("pt", "Aulas de 3 ou mais dias.", "duration",
     {"hours": 72.0, "business": False, "bound": "at_least"}),
    ("en", "Delivered in 3 or fewer days.", "duration",
     {"hours": 72.0, "business": False, "bound": "within"}),
    ("en", "An SMS is sent on the day preceding the appointment.", "duration",
     {"hours": 24.0, "business": False, "bound": "before"}),
    ("pt", "Dispara às 10h da véspera de cada consulta.", "duration",
     {"hours": 24.0, "business": False, "bound": "before"}),
    ("pt", "Enviada às 18h do dia anterior a cada sessão.", "duration",
     {"hours": 24.0, "business": False, "bound": "before"}),
    ("es", "Se llama al cliente la víspera.", "duration",
     {"hours": 24.0, "business": False, "bound": "before"}),
    ("fr", "Réservations ouvertes jusqu'à J-2.", "duration",
     {"hours": 48.0, "business": False, "bound": "before"}),
    ("de", "Danach mit Monatsfrist kündbar.", "duration",
     {"hours": 720.0, "business": False, "bound": "before"}),
    ("fr", "Prévoir trois quarts d'heure par départ.", "duration",
     {"hours": 0.75, "business": False, "bound": "exact"}),
    ("en", "Allow three quarters of an hour.", "duration",
     {"hours": 0.75, "business": False, "bound": "exact"}),
    ("en", "Sent by close of business on the second working day.", "duration",
     {"hours": 48.0, "business": True, "bound": "exact"}),
    ("de", "Versand am zweiten Werktag.", "duration",
     {"hours": 48.0, "business": True, "bound": "exact"}),
    ("ru", "МИС отправляет текстовое сообщение на мобильный номер.", "channel",
     {"channel": "sms"}),
    ("en", "Check-in sends an automatic push alert to every guardian.", "channel",
     {"channel": "app"}),
    ("en", "Reducing the fee by a tenth.", "percent",
     {"amount": 10.0}),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "text", "kind", "expected"), CASES)
def test_fact_values(lang: str, text: str, kind: str, expected: dict[str, Any]) -> None:
    found = values(text, lang, kind)
    assert expected in found, f"{text!r}: {kind} facts {found}"


@pytest.mark.parametrize(
    ("lang", "text", "free"),
    [
        ("en", "Return transport from Lisbon is included in every pack.", True),
        ("es", "Luz incluida en todas las reservas de socio.", True),
        ("pt", "Transporte incluído em todos os packs.", True),
        ("fr", "Petit-déjeuner inclus pour les adhérents.", True),
        ("de", "Die Endreinigung ist im Preis bereits enthalten.", True),
        ("de", "Die Kilometer sind im Stundensatz enthalten.", True),
        ("fr", "Les kilomètres sont compris dans le tarif horaire.", True),
        ("ru", "Полотенце включено в абонемент.", True),
        ("es", "Desayuno incluido.", True),  # "desayuno" ends in "no" but does not negate
        # a price with its tax included is a price, not free
        ("en", "Only £25, VAT included.", False),
        ("es", "Serenata: $3,900 MXN con IVA incluido.", False),
        ("pt", "49 € com IVA incluído.", False),
    ],
)
def test_what_included_makes_free(lang: str, text: str, free: bool) -> None:
    assert [f["value"]["free"] for f in dicts(text, lang) if f["kind"] == "money"] == [free]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "You won't be charged for the swap."),
        ("en", "Advisor users are non-billable."),
        ("en", "Betterment can never be charged."),
        ("en", "Repairs under the plan are not chargeable."),
        ("fr", "Dans ce délai, l'annulation n'est pas facturée."),
        ("fr", "Le parking n'est pas payant."),
        ("fr", "L'usure normale : ne rien facturer."),
        ("de", "Die Ladekosten werden den Nutzern nicht weiterbelastet."),
        ("de", "Dem Kunden wird dafür nichts berechnet."),
        ("es", "Si se atrasa, no le cobramos recargos."),
        ("es", "El conductor le espera sin ningún coste adicional."),
        ("es", "La segunda visita no se facturará."),
        ("pt", "Pode devolver às 10:00 do dia seguinte, sem acréscimo."),
        ("pt", "Não cobramos taxa de adesão."),
        ("es", "No hay recargo por pago con tarjeta."),
        ("ru", "Доставка не оплачивается."),
    ],
)
def test_a_negated_charge_is_free(lang: str, text: str) -> None:
    """ "n'est pas facturée" is free, not a charge or a refusal: read as either, a promise
    kept to the letter would look contradicted."""
    facts = dicts(text, lang)
    assert [f["value"]["free"] for f in facts if f["kind"] == "money"] == [True], facts
    assert not {f["value"]["polarity"] for f in facts if f["kind"] == "polarity"} & {
        "charges",
        "refuses",
    }, facts


@pytest.mark.parametrize(
    ("lang", "text", "hours"),
    [
        ("fr", "avec un préavis d'un mois seulement", 720.0),
        ("es", "Te regalamos un mes de cuota.", 720.0),
        ("pt", "Oferecemos uma semana de aulas.", 168.0),
        ("de", "Ein Jahr Garantie auf alle Reparaturen.", 8760.0),
    ],
)
def test_one_unit_with_an_article_is_a_duration(lang: str, text: str, hours: float) -> None:
    """Where a rate goes without the article ("par mois", "pro Monat"), "un mois" is one month."""
    assert [v["hours"] for v in values(text, lang, "duration")] == [hours]


def test_a_rate_is_no_duration() -> None:
    assert not values("9,90 € par mois", "fr", "duration")
    assert not values("5 € pro Monat", "de", "duration")
    assert not values("£5 a month", "en", "duration")


def test_each_price_of_a_promise_meets_its_own() -> None:
    promise = dicts("Fahren Sie schon ab 29 Cent pro Minute oder ab 8,90 € pro Stunde.", "de")
    evidence = dicts("Klasse S: 0,29 EUR/min bzw. Stundenpaket 8,90 EUR", "de")
    agree, conflicts = judge.compare_facts(promise, evidence)
    assert len(agree) == 2 and not conflicts


def test_a_price_less_the_saving_is_no_rival() -> None:
    promise = dicts("If you pay in full today, you save $300 off the $2,195 price.")
    evidence = dicts("Paid-in-full orders take the list price to $1,895.")
    assert judge.compare_facts(promise, evidence) == ([], [])
    _, conflicts = judge.compare_facts(promise, dicts("Paid-in-full orders pay $1,995."))
    assert conflicts


def test_a_fraction_off_meets_its_rounded_percentage() -> None:
    agree, conflicts = judge.compare_facts(
        dicts("Members take a third off every class pass."), dicts("CLUB33: 33% off class passes.")
    )
    assert len(agree) == 1 and not conflicts
    _, conflicts = judge.compare_facts(
        dicts("Members take a third off every class pass."), dicts("CLUB25: 25% off class passes.")
    )
    assert conflicts


def test_a_price_beside_the_promise_own_is_still_compared() -> None:
    """A statement that repeats one of the promise's prices may state another one that is
    a rival, not a worked-out saving."""
    promise = dicts("Mit dem Schutzpaket Plus für 1,50 € pro Fahrt sinkt sie auf 150 €.", "de")
    evidence = dicts("Mit SP+ (1,50 EUR je Fahrt) sinkt die SB auf 250,00 EUR.", "de")
    agree, conflicts = judge.compare_facts(promise, evidence)
    assert [p["value"]["amount"] for p, _ in conflicts] == [150.0]
    assert [p["value"]["amount"] for p, _ in agree] == [1.5]


def test_a_refusal_to_release_a_channel() -> None:
    facts = dicts("SMS sind für Leistungskorrespondenz nicht freigegeben.", "de")
    assert [f["value"]["polarity"] for f in facts if f["kind"] == "polarity"] == ["refuses"]


@pytest.mark.parametrize(
    ("lang", "text", "closed", "open_days"),
    [
        ("en", "We are closed on Sundays and bank holidays.", ["sun"], []),
        ("en", "Mon–Fri 8:00–18:00, Saturday 9:00–13:00, closed Sundays", ["sun"], ["sat"]),
        ("en", "Saturday 9-1 and closed on Sunday.", ["sun"], ["sat"]),
        ("en", "Open Monday to Friday.", [], ["mon", "tue", "wed", "thu", "fri"]),
        ("es", "Sábados y domingos las clínicas están cerradas.", ["sat", "sun"], []),
        ("pt", "Aos domingos a loja está fechada.", ["sun"], []),
        ("fr", "Ils restent fermés le dimanche et les jours fériés.", ["sun"], []),
        ("de", "An Sonn- und Feiertagen ist der Chat nicht besetzt.", ["sun"], []),
        ("ru", "По воскресеньям клуб закрыт.", ["sun"], []),
    ],
)
def test_days_of_closing(lang: str, text: str, closed: list[str], open_days: list[str]) -> None:
    days = [f["value"] for f in dicts(text, lang) if f["kind"] == "days"]
    assert [d for v in days if v.get("closed") for d in v["days"]] == closed
    assert set(open_days) <= {d for v in days if not v.get("closed") for d in v["days"]}


@pytest.mark.parametrize(
    ("lang", "text", "polarity"),
    [
        ("en", "Don't worry about the cost: we will repair it.", "grants"),
        ("en", "Agents should not promise a date.", "never"),
        ("en", "We aren't able to pause memberships at this time.", "refuses"),
        ("es", "No se debe entregar ningún presupuesto.", "never"),
        ("es", "La devolución es discrecional.", "requires_approval"),
        ("pt", "O reembolso é discricionário.", "requires_approval"),
        ("ru", "Скидка предоставляется на усмотрение менеджера.", "requires_approval"),
        # what staff are told they do not do
        ("es", "La app no permite canjear puntos.", "refuses"),
        ("es", "No hay plaza gratuita para el cumpleañero.", "refuses"),
        ("en", "Cancellation is not self-serve.", "refuses"),
        ("en", "Reception does not phone members about guests.", "refuses"),
        ("en", "Add-on requests are not processed.", "refuses"),
        ("pt", "Não deixar encomendas com porteiros.", "never"),
        ("pt", "A colônia não oferece lanche.", "refuses"),
        ("pt", "Não existe opção de 12 meses neste tarifário.", "refuses"),
        ("pt", "O check-up não é atribuído automaticamente.", "refuses"),
        ("pt", "Pedidos só são aceites por telefone.", "refuses"),
        ("de", "Eine Weitergabe per E-Mail erfolgt grundsätzlich nicht.", "refuses"),
        ("de", "Nicht in Festpreisen enthalten: Betriebsprüfungen.", "refuses"),
        ("en", "If a guest messages the Hut, do not confirm a place.", "refuses"),
        ("en", "Decline new business where the pet is older.", "refuses"),
        ("en", "Gift card purchases earn no points.", "refuses"),
        ("es", "Almuerzo: el club no lo proporciona.", "refuses"),
        ("pt", "Não há transporte a partir de Lisboa.", "refuses"),
        ("fr", "Accès limité au titulaire, aucun accompagnant accepté.", "refuses"),
        ("fr", "Les commandes passées sur le site ne rapportent pas de points.", "refuses"),
        ("en", "FamilyDesk rejects it on camp weeks.", "refuses"),
        ("en", "Replacement bait stations are invoiced as consumables.", "charges"),
        ("fr", "La contre-visite est payée par le client.", "charges"),
        ("de", "Schülern keinen bestimmten Termin zusagen.", "refuses"),
        ("es", "El cliente no recibe aviso previo.", "refuses"),
        ("es", "Esas colonias están fuera de cobertura.", "refuses"),
        ("de", "Anfragen über WhatsApp nicht bestätigen.", "refuses"),
        ("es", "Milonga de Gala: no hay venta en puerta.", "refuses"),
        ("fr", "Les kilomètres sont refacturés au bénéficiaire.", "charges"),
        ("es", "Se refactura al cliente el desplazamiento.", "charges"),
        ("pt", "Refaturar ao cliente o deslocamento.", "charges"),
        ("de", "Bei der Buchung keine Zusage für eine spätere Abreise erteilen.", "refuses"),
        ("ru", "Возврат производится только с согласования управляющего.", "requires_approval"),
        ("de", "Keine Bestätigung per E-Mail versenden.", "refuses"),
        ("es", "Si te piden una anulación por WhatsApp, no la confirmes.", "never"),
        ("fr", "Les familles ne peuvent ni réserver ni déplacer une séance.", "refuses"),
        ("ru", "После срока начисляется 25 руб./сутки за комплект.", "charges"),
        ("de", "Vergabe nach Rotationsplan, keine verbindliche Terminzusage.", "not_guaranteed"),
        ("pt", "Canal só de informação: NÃO processar cancelamentos.", "never"),
    ],
)
def test_polarity_phrasings(lang: str, text: str, polarity: str) -> None:
    """ "Don't worry" is reassurance, not a prohibition; "aren't able to" refuses."""
    assert [f["value"]["polarity"] for f in dicts(text, lang) if f["kind"] == "polarity"] == [
        polarity
    ]


NOT_FACTS = [
    # a card payment's authorisation is no approval gate
    ("fr", "Dix minutes maximum après l'autorisation bancaire.", "polarity"),
    ("en", "Release the order after card authorisation.", "polarity"),
    # a free place there is not
    ("es", "No hay plaza gratuita.", "money"),
    # a benefit not taken away is no refusal
    ("de", "In dieser Zeit werden keine Beiträge eingezogen.", "polarity"),
    ("pt", "Não há taxa de adesão.", "polarity"),
    ("de", "Die alte Karte wird nicht eingezogen.", "polarity"),
    ("en", "hassle-free booking", "money"),
    ("en", "feel free to ask", "money"),
    ("en", "sugar-free options", "money"),
    ("en", "enjoy your free time", "money"),
    ("en", "parking is not free", "money"),
    ("en", "Breakfast is not included.", "money"),
    ("en", "Wall mounting isn't included.", "money"),
    ("es", "El montaje no está incluido.", "money"),
    ("pt", "O transporte não está incluído.", "money"),
    ("fr", "Boissons non incluses.", "money"),
    ("de", "Getränke sind nicht inbegriffen.", "money"),
    ("fr", "Le trajet n'est pas compris dans le tarif.", "money"),
    ("es", "No hay límite de clases.", "polarity"),
    ("ru", "За каждую покупку начисляем 5% бонусами.", "polarity"),  # points accrue, no charge
    ("ru", "Полотенце не включено.", "money"),
    ("en", "You'll need to be 18 or over", "count"),
    ("en", "Effective 1 February 2026", "count"),
    ("en", "4.1 Branch hours", "count"),
    ("en", "Calls to 0345 numbers", "count"),
    ("en", "Black Friday deals", "days"),
    ("en", "we help you three times a day", "duration"),
    ("en", "sat down with us", "days"),
    ("en", "No branch visit needed", "channel"),
    ("en", "replies within 24 hours", "days"),
    ("en", "Two slots (10:30 and 15:30)", "time_range"),
    ("en", "a 24x7 helpline", "count"),
    ("en", "for two, three and four year olds", "duration"),
    ("en", "a place for your 2-year-old", "duration"),
    ("en", "valid in all Zone 3 countries", "count"),
    ("en", "Code FM50 gives 50% off", "count"),  # the digits of a code count nothing
    ("en", "Our 30-day SIM-only plans", "polarity"),  # a product name, not a restriction
    ("en", "No card is charged at the time of reserving.", "polarity"),
    ("en", "Cancel in the app. No phone calls.", "channel:phone"),
    ("es", "Los menores de 14 años no pagan", "duration"),
    ("pt", "Crianças de 5 anos não pagam", "duration"),
    ("ru", "Детям до 7 лет бесплатно", "duration"),
    ("es", "sin llamadas ni papeleos", "channel"),
    ("es", "por el mismo medio de pago", "polarity"),
    ("es", "no es gratis", "money"),
    ("pt", "a segunda opção", "days"),
    # a date's month is no hour: not 11:00-20:00
    ("es", "hasta el miércoles 04/11 a las 20 h", "time_range"),
    ("ru", "это не влияет на рейтинг", "polarity"),
    ("es", "Una sesión de 2 h con el fisioterapeuta.", "time"),
    ("es", "antes de que se cumplan 24 h de concluido el examen", "days"),
    # Status names, not refusals.
    ("en", "Statuses: RECEIVED, ASSESSING, SETTLED, DECLINED.", "polarity"),
    ("en", "Log the outcome (QF-1 Interested, QF-3 Declined).", "polarity"),
    # The end of an age range is an age, not a guarantee of seventy years.
    ("ru", "Требования к клиенту: гражданство РФ, возраст 18–70 лет, паспорт.", "duration"),
    ("en", "Applicants aged 18 to 70 years.", "duration"),
    ("de", "Kunden im Alter von 18 bis 70 Jahren", "duration"),
    ("pt", "Idade entre 18 e 70 anos.", "duration"),
]


def test_staff_abbreviate_the_nouns_they_count() -> None:
    assert values("posts the IMM bonus (250 pts per vaccine)", "en", "count")[0]["noun"] == "point"
    promise, evidence = dicts("we'll add 500 bonus points"), dicts("IMM bonus: 250 pts")
    assert "count" in {p["kind"] for p, _ in judge.compare_facts(promise, evidence)[1]}


def test_an_age_is_no_duration_but_what_follows_it_is() -> None:
    assert [
        f["text"] for f in dicts("Members aged 65+ get 12 months free.") if f["kind"] == "duration"
    ] == ["12 months"]  # noqa: E501
    assert (
        values("Гарантия на корпус — 60 мес. с даты акта.", "ru", "duration")[0]["hours"] == 43200
    )


@pytest.mark.parametrize(("lang", "text", "kind"), NOT_FACTS)
def test_not_facts(lang: str, text: str, kind: str) -> None:
    facts = extract_facts(text, lang)
    if kind.startswith("channel:"):  # one channel left out, others may stay
        assert kind[8:] not in [f.value["channel"] for f in facts if f.kind == "channel"], facts
        return
    if kind == "time_range":  # two separate times, not one range
        assert all(f.value["from"] == f.value["to"] for f in facts if f.kind == "time"), facts
        return
    assert not [f for f in facts if f.kind == kind], facts


def test_a_saving_beside_an_agreed_price_is_no_rival() -> None:
    promise = dicts("Service your boiler for just £69, saving £30.")
    evidence = dicts("Boiler service at £69.00 instead of the standard £99.00.")
    agree, conflicts = judge.compare_facts(promise, evidence)
    assert not conflicts and agree
    # ...but a different price is still one.
    _, conflicts = judge.compare_facts(promise, dicts("Boiler service is £79.00."))
    assert "money" in {p["kind"] for p, _ in conflicts}


@pytest.mark.parametrize(
    ("promise", "evidence"),
    [
        ("Change your tickets up to an hour before the film.",
         "Latecomers are admitted up to 20 minutes after the start."),
        ("Refunds within 3 days.", "Hold the seat for at least 15 minutes."),
    ],
)  # fmt: skip
def test_durations_bounding_opposite_things_are_no_rivals(promise: str, evidence: str) -> None:
    _, conflicts = judge.compare_facts(dicts(promise), dicts(evidence))
    assert not conflicts


def test_the_same_number_of_something_else_agrees() -> None:
    promise = dicts("Bono de 10 clases por 330 €.", "es")
    agree, conflicts = judge.compare_facts(promise, dicts("BON10: bono de 10 prácticas.", "es"))
    assert "count" in {p["kind"] for p, _ in agree} and not conflicts
    # Another number of something else says nothing; another number of classes disagrees.
    assert judge.compare_facts(promise, dicts("Grupos de 8 alumnos.", "es")) == ([], [])
    _, conflicts = judge.compare_facts(promise, dicts("Bono de 12 clases.", "es"))
    assert "count" in {p["kind"] for p, _ in conflicts}


def test_another_channel_disagrees_only_where_the_step_confines_the_service() -> None:
    promise = dicts("We'll send you a text the day before each session.")
    _, conflicts = judge.compare_facts(
        promise, dicts("The office sends app notifications about weather closures.")
    )
    assert not conflicts
    _, conflicts = judge.compare_facts(promise, dicts("Reminders are sent only by email."))
    assert "channel" in {p["kind"] for p, _ in conflicts}


def test_a_symbol_before_an_amount_belongs_to_it() -> None:
    facts = extract_facts("every 500 pts becomes one £5.00 reward", "en")
    assert [f.value["amount"] for f in facts if f.kind == "money"] == [5.0]


def test_a_size_is_not_a_multiple() -> None:
    assert not [v for v in values("A 10 x 20 cm frame", "en", "count") if v["noun"] == "x"]


def test_number_words() -> None:
    cases = {
        ("en", "within twenty-one days"): 504.0,
        ("en", "for a hundred days"): 2400.0,
        ("en", "within thirty days"): 720.0,
        ("es", "en treinta y un días"): 744.0,
        ("es", "en veinticuatro horas"): 24.0,
        ("pt", "em vinte e um dias"): 504.0,
        ("pt", "em trinta dias"): 720.0,
        ("ru", "тридцать дней"): 720.0,
        ("ru", "двадцать четыре часа"): 24.0,
        ("ru", "в течение двух часов"): 2.0,
    }
    for (lang, text), hours in cases.items():
        assert [v["hours"] for v in values(text, lang, "duration")] == [hours], text


def test_offsets_and_text() -> None:
    text = "Free returns within 30 days, call us Mon–Fri 9am-5pm."
    facts = extract_facts(text, "en")
    assert {f.kind for f in facts} >= {"money", "duration", "channel", "days", "time"}
    for f in facts:
        assert text[f.start : f.end] == f.text
        json.dumps(f.value)  # JSON-serialisable
    # facts come in text order
    assert [f.start for f in facts] == sorted(f.start for f in facts)


def test_one_fact_per_number() -> None:
    facts = extract_facts("30 days, £20, 10%, 9am", "en")
    assert sorted(f.kind for f in facts) == ["duration", "money", "percent", "time"]


def test_unknown_language_uses_english() -> None:
    assert values("returns within 14 days", "xx", "duration") == values(
        "returns within 14 days", "en", "duration"
    )
    assert values("returns within 14 days", "", "duration")


def test_channel_and_polarity_once_each() -> None:
    facts = extract_facts("Call us, phone us or email us; we will call back, we will.", "en")
    channels = [f.value["channel"] for f in facts if f.kind == "channel"]
    assert channels == ["phone", "email"]
    assert [f.value["polarity"] for f in facts if f.kind == "polarity"].count("grants") == 1


def test_no_charge_is_free_not_a_charge() -> None:
    facts = extract_facts("There is no charge for this, and we do not charge a fee.", "en")
    pols = {f.value["polarity"] for f in facts if f.kind == "polarity"}
    assert "charges" not in pols and "refuses" not in pols
    assert any(f.kind == "money" and f.value["free"] for f in facts)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Dégustation libre au comptoir : non facturée.", "fr"),
        ("Ein Entgelt wird dafür nicht erhoben.", "de"),
        ("The management fee is waived for the first two months.", "en"),
        ("Le 3e enfant et les suivants sont tarifés 0 €.", "fr"),
        ("No surcharge, interest or admin fee is added to PP3 or PP12.", "en"),
        ("Amendments of this kind are free; do not post a change fee.", "en"),
        ("Aucun droit de bouchon ne vous sera facturé.", "fr"),
        ("Für Adressen in Zone 1 wird keine Aufmaßpauschale verrechnet.", "de"),
        ("Terminart KG: 30 Minuten, Leistungscode 000 (nicht abrechenbar).", "de"),
        ("O frete é custeado pela loja; nada é cobrado do cliente.", "pt"),
        ("Food is part of the daily camp rate; nothing extra is charged.", "en"),
        ("Survey fee: none.", "en"),
        ("On Fully Managed lets the clerk's fee is absorbed in our management fee.", "en"),
        ("Para PJ, o item SETUP-PJ fica zerado.", "pt"),
        ("Тариф DLV-A обнуляется автоматически.", "ru"),
        ("El cumpleañero no paga su entrada.", "es"),
    ],
)
def test_a_negated_or_zero_charge_is_free(text: str, lang: str) -> None:
    """Read as a charge, a refusal or a prohibition, such steps contradicted the free
    offers they keep."""
    facts = extract_facts(text, lang)
    pols = {f.value["polarity"] for f in facts if f.kind == "polarity"}
    assert not pols & {"charges", "refuses", "never"}, facts
    assert any(f.kind == "money" and f.value["free"] for f in facts)


def test_a_charge_with_an_amount_stays_a_charge() -> None:
    charged = extract_facts("A late fee is charged at £5.", "en")
    assert "charges" in {f.value["polarity"] for f in charged if f.kind == "polarity"}


def test_free_beside_a_threshold_meets_only_free() -> None:
    promise = dicts("Free delivery on orders over £50.")
    # A sum for something else is no rival to "free" (the £50 threshold meets it)...
    _, conflicts = judge.compare_facts(promise, dicts("Refunds over £5,000 need a manager."))
    assert [p["value"]["amount"] for p, _ in conflicts if p["kind"] == "money"] == [50.0]
    # ...and "free" still meets "free".
    agree, _ = judge.compare_facts(promise, dicts("Delivery is free over £75."))
    assert [p["value"]["free"] for p, _ in agree if p["kind"] == "money"] == [True]


def test_office_hours_are_not_a_visit_to_the_office() -> None:
    facts = extract_facts("Le respondemos en menos de una hora en horario de oficina.", "es")
    assert not [f for f in facts if f.kind == "channel"]
    assert [f.value["channel"] for f in extract_facts("Visítanos en la oficina.", "es")] == [
        "in_person"
    ]


@pytest.mark.parametrize(
    ("lang", "promise", "evidence"),
    [
        ("fr", "Notre équipe vous répond tous les jours de 9 h à 19 h.",
         "Aquagym : tous les jours 10h00 et 17h00, 20 places."),
        ("en", "The spa is open from 8am to 8pm.", "Towels are restocked at 10:00 and 15:00."),
    ],
)  # fmt: skip
def test_times_of_day_within_the_promised_hours_are_no_rivals(
    lang: str, promise: str, evidence: str
) -> None:
    _, conflicts = judge.compare_facts(dicts(promise, lang), dicts(evidence, lang))
    assert not [c for c in conflicts if c[0]["kind"] == "time"], conflicts
    # A closing time inside the promised hours still is one.
    _, conflicts = judge.compare_facts(
        dicts(promise, lang), dicts("Open 09:00-17:00 every day.", "en")
    )
    assert [c for c in conflicts if c[0]["kind"] == "time"], conflicts


def test_a_time_the_promise_states_elsewhere_is_no_rival() -> None:
    promise = dicts("Collected by 10am, back the same day from 6pm.")
    _, conflicts = judge.compare_facts(promise, dicts("Collections made by 10:00 go to the hub."))
    assert not conflicts
    _, conflicts = judge.compare_facts(promise, dicts("Deliveries leave the hub at 8pm."))
    assert "time" in {p["kind"] for p, _ in conflicts}


def test_data_files_share_a_shape() -> None:
    """A new language is a new data file: every file has the sections the code reads."""
    en = json.loads((DATA / "en.json").read_text("utf-8"))
    others = [path for path in sorted(DATA.glob("*.json")) if path.stem != "en"]
    assert {"es", "pt", "ru", "de", "fr"} <= {path.stem for path in others}
    for path in others:
        data = json.loads(path.read_text("utf-8"))
        missing = set(en) - set(data) - {"pence_suffix"}
        assert not missing, (path.stem, missing)
        assert set(data["channels"]) == set(en["channels"])
        assert set(data["polarity"]) == set(en["polarity"])


def test_fact_summary_accepts_dicts_and_facts() -> None:
    facts = extract_facts("Free returns within 30 days, 9am-5pm Mon–Fri by phone", "en")
    line = fact_summary([asdict(f) for f in facts])
    assert line == fact_summary(facts)
    assert "\n" not in line
    for part in ("free", "within 30d", "09:00–17:00", "Mon,Tue,Wed,Thu,Fri", "phone"):
        assert part in line
    assert fact_summary([]) == ""
    assert "duration: no time limit" in fact_summary(extract_facts("Kredite verfallen nie.", "de"))


def test_version_is_a_string() -> None:
    assert isinstance(FACTS_VERSION, str) and FACTS_VERSION


# -- the judge reads these facts --------------------------------------------------------

# (lang, promise, evidence, kind of fact they disagree or agree on)
CONFLICTS = [
    ("en", "30-day returns", "returns accepted within 14 days", "duration"),
    ("en", "valid for six months", "Vouchers expire 200 days after issue.", "duration"),
    ("de", "in bis zu 12 zinsfreien Monatsraten", "maximal 6 Monatsraten, ohne Zinsen", "count"),
    ("en", "late checkout until 2 pm is on us", "Late check-out until 12:00 is free", "time"),
    ("en", "support 24/7", "staffed 08:00–20:00 Monday to Friday", "days"),
    ("en", "free delivery", "a delivery fee of £4.99 applies", "money"),
    ("en", "Cancel up to 24 hours ahead at no charge.",
     "Cancellations with less than 48 hours' notice incur a $50 fee.", "duration"),
    ("en", "Teeth whitening is 20% off", "Promotional discounts are capped at 10%", "percent"),
    ("en", "Open your account in the app",
     "Current accounts can only be opened face to face in a branch.", "channel"),
    ("en", "We'll refund you within 24 hours", "Agents must never guarantee a refund.",
     "polarity"),
    ("es", "Prueba gratis 7 días", "El pase de prueba gratuito dura tres días consecutivos.",
     "duration"),
    ("es", "Abrimos todos los días", "El centro abre de lunes a viernes.", "days"),
    ("en", "Our kitchen serves food daily from 11am until 9pm.",
     "Kitchen: full menu Wed–Sun 11:00–21:00 (last orders 20:30).", "days"),
    ("es", "Date de baja online", "Las bajas solo se tramitan de forma presencial en recepción.",
     "channel"),
    ("pt", "Pague em até 10x sem juros no cartão.", "Parcelamento: até 6x sem juros no cartão.",
     "count"),
    # round the clock is about hours as well as days
    ("en", "Our team is on live chat around the clock.", "Live chat is staffed 08:00–21:00 daily.",
     "days"),
    ("en", "Phone support is included on every plan.",
     "The inbound phone line is for Pro and Plus subscriptions only.", "polarity"),
    # no time limit against a time limit
    ("en", "Points never expire while you're a member.",
     "Points expire 18 months after the month they were earned.", "duration"),
    ("es", "Las clases del bono no caducan nunca.",
     "Los bonos caducan a los 12 meses de la fecha de compra.", "duration"),
    ("es", "Tus implantes tienen garantía de por vida.",
     "La garantía cubre el implante durante 10 años.", "duration"),
    ("pt", "Os pontos nunca expiram.", "Os pontos expiram 12 meses após a compra.", "duration"),
    ("fr", "Vos points n'expirent jamais.", "Les points expirent 24 mois après leur attribution.",
     "duration"),
    ("de", "Ihre Punkte verfallen nicht.", "Punkte verfallen 24 Monate nach ihrer Gutschrift.",
     "duration"),
    ("ru", "Баллы не сгорают.", "Баллы сгорают через 12 месяцев.", "duration"),
    # included is free: a supplement breaks it
    ("es", "Luz incluida en todas las reservas de socio.",
     "Suplemento de iluminación (concepto LUZ): 3,50 € por reserva.", "money"),
    ("de", "Die Endreinigung ist im Preis bereits enthalten.",
     "Endreinigung: separate Pauschale, 79 € für Objekte bis 2 Zimmer.", "money"),
    # a day of closing breaks a day of opening
    ("es", "Y atendemos urgencias también los sábados por la mañana.",
     "Sábados y domingos las clínicas están cerradas.", "days"),
    ("en", "Our booking line is open seven days a week.",
     "We are closed on Sundays and bank holidays.", "days"),
    ("de", "Im Live-Chat erreichen Sie unser Team sogar am Sonntag.",
     "An Sonn- und Feiertagen ist der Chat nicht besetzt.", "days"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "promise", "evidence", "kind"), CONFLICTS)
def test_judge_sees_conflict(lang: str, promise: str, evidence: str, kind: str) -> None:
    _, conflicts = judge.compare_facts(dicts(promise, lang), dicts(evidence, lang))
    assert kind in {p["kind"] for p, _ in conflicts}, conflicts


AGREEMENTS = [
    ("en", "seven working days", "7 working days", "duration"),
    ("en", "valid for six months", "Offers expire 180 days after issue.", "duration"),
    ("ru", "Хранение шин до 6 месяцев.", "Срок хранения до 183 дней.", "duration"),
    ("de", "Rückgabe innerhalb von 12 Monaten", "Rückgabe bis 366 Tage nach Kauf", "duration"),
    ("en", "a text reminder two days before your visit", "an SMS 48 hours before the appointment",
     "duration"),
    ("en", "free delivery", "delivery is free of charge", "money"),
    ("es", "hasta 2 horas antes", "con más de 120 minutos de margen", "duration"),
    ("en", "every weekday", "every Monday to Friday", "days"),
    ("en", "guaranteed for 12 months", "a one-year guarantee", "duration"),
    ("en", "a 2-year warranty", "a 24-month warranty", "duration"),
    ("en", "Finance on orders over £799.", "Available on baskets of £799.01 or more.", "money"),
    ("en", "Support 24/7.", "The helpline is open 24 hours a day, every day.", "days"),
    ("en", "Add Sport Pass for £9.99 a month.", "ADD-SPORT: 999p per calendar month.", "money"),
    ("en", "Half price for your first month.", "FM50 gives 50% off the first month's rent.",
     "percent"),
    ("es", "Recibes tus resultados en menos de 24 horas.",
     "Recepción envía el resultado antes de que se cumplan 24 h de concluido el examen.",
     "duration"),
    ("en", "Ride credits you buy never expire.", "PURCHASE credit has no expiry date.", "duration"),
    ("en", "Points never expire.", "Points do not lapse while the account is live.", "duration"),
    ("en", "Open Monday through Saturday.",
     "Monday–Friday 8:00–18:00, Saturday 9:00–13:00, closed Sundays", "days"),
    ("pt", "No Plano Família, inclui até 4 dependentes sem pagar nada a mais.",
     "Família (FAM-M): R$ 69,90/mês, titular + até 4 dependentes incluídos.", "money"),
]  # fmt: skip


@pytest.mark.parametrize(("lang", "promise", "evidence", "kind"), AGREEMENTS)
def test_judge_sees_agreement(lang: str, promise: str, evidence: str, kind: str) -> None:
    agree, conflicts = judge.compare_facts(dicts(promise, lang), dicts(evidence, lang))
    assert kind in {p["kind"] for p, _ in agree}
    assert not [c for c in conflicts if c[0]["kind"] == kind], conflicts


def test_fast_enough() -> None:
    """The extraction stage must run above 5,000 statements/s; facts get a fraction of
    that budget (generous bound here, so a loaded CI machine does not flake)."""
    texts = [t for _, t, _, _ in CASES] + [p for _, p, _, _ in CONFLICTS + AGREEMENTS]
    for t in texts:
        extract_facts(t, "en")
    start = time.perf_counter()
    for _ in range(5):
        for t in texts:
            extract_facts(t, "en")
    per_statement = (time.perf_counter() - start) / (5 * len(texts))
    assert per_statement < 0.001


def _case(promise: str, evidence: str, lang: str = "en") -> judge.Case:
    p = {
        "text": promise,
        "facts": dicts(promise, lang),
        "terms": " ".join(sorted(words.terms(promise, lang))),
    }
    s = {
        "id": 1,
        "document_id": 1,
        "text": evidence,
        "text_hash": "h",
        "start": 0,
        "end": len(evidence),
        "facts": dicts(evidence, lang),
        "words": words.words(evidence, lang),
    }
    return judge.Case(p, [judge.Evidence(s, 0.6, 0.5, 0.6)])


@pytest.mark.parametrize(
    ("lang", "promise", "evidence"),
    [
        ("en", "Seniors 65+ save 20% on regular-priced front-store items.",
         "Apply discount key SR20 (20% off regular price, front-store only) for members 65+."),
        ("de", "Sie zahlen lediglich die gesetzliche Zuzahlung von 10 € je Hörgerät.",
         "Die Filiale kassiert ausschließlich die gesetzliche Zuzahlung: 10,00 € je Hörsystem."),
    ],
)  # fmt: skip
def test_a_restriction_the_promise_states_too_is_no_refusal(
    lang: str, promise: str, evidence: str
) -> None:
    refusal = [f for f in dicts(evidence, lang) if f["kind"] == "polarity"]
    assert refusal and refusal[0]["value"] == RESTRICTS
    case = _case(promise, evidence, lang)
    assert not judge.conflict_candidates(case)
    assert not judge.judge(case).evidence[0]["conflicts"]


def test_a_restriction_to_something_else_still_refuses() -> None:
    case = _case("Change your booking online at any time.", "Changes only by phone.")
    (candidate,) = judge.conflict_candidates(case)
    assert candidate.features["refusal"] == 1.0
    assert judge.judge(case).evidence[0]["conflicts"]
