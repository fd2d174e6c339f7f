"""Extraction: statements with exact offsets, headings, promise cues, facts, language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consistency import extract, words
from consistency.extract import PROMISE_THRESHOLD, score_promise, segment
from consistency.models import Statement

CORPORA = sorted((Path(__file__).parent.parent / "corpora").glob("*.json"))


def texts(text: str, lang: str = "en") -> list[str]:
    statements = segment(text, lang)
    for s in statements:
        assert text[s.start : s.end] == s.text
    return [s.text for s in statements]


# -- segmentation -----------------------------------------------------------------------


def test_bullets_and_numbered_items_are_statements_without_markers():
    text = "Perks:\n- Free parking\n* Late check-out\n• Welcome drink\n1. Spa access\n2) Gym"
    assert texts(text) == [
        "Perks:", "Free parking", "Late check-out", "Welcome drink", "Spa access", "Gym",
    ]  # fmt: skip


def test_list_item_with_several_sentences_is_split():
    assert texts("- Free breakfast. Served from 7 am.\n- Parking") == [
        "Free breakfast.", "Served from 7 am.", "Parking",
    ]  # fmt: skip


def test_headline_without_punctuation_is_its_own_statement():
    text = "Summer at the Seaside\nBook two nights and the third is on us."
    assert texts(text) == ["Summer at the Seaside", "Book two nights and the third is on us."]


def test_fragments_and_blank_lines_end_statements():
    text = "Free returns. No questions asked!\n\nFast delivery\n\nwithin 2 days"
    assert texts(text) == ["Free returns.", "No questions asked!", "Fast delivery", "within 2 days"]


def test_soft_wrapped_line_continues_the_sentence():
    assert texts("We refund your money within\nfive business days.") == [
        "We refund your money within\nfive business days."
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Check-in from approx. 3 pm in room No. 5 near St. Mary's.",
        "Bring ID, e.g. a passport, i.e. photo ID, tickets etc. and more.",
        "Open 9 a.m. to 5 p.m. CET every day.",
        "Mr. Lopez and Dr. Chan meet vs. the board at 9.30 for EUR 9.99 each.",
    ],
)
def test_abbreviations_decimals_and_times_do_not_end_sentences(sentence):
    assert texts(sentence + " Next sentence here.") == [sentence, "Next sentence here."]


def test_abbreviation_at_sentence_end_still_splits():
    assert texts("Open until 9 p.m. Members stay longer.") == [
        "Open until 9 p.m.", "Members stay longer.",
    ]  # fmt: skip


def test_footnotes_are_statements():
    text = "Free delivery on all orders.* Members save more.\n*Terms apply."
    assert texts(text) == ["Free delivery on all orders.*", "Members save more.", "*Terms apply."]


def test_headings_give_context():
    text = (
        "## Our rooms\nEvery room has a balcony.\n\nLate check-out:\n"
        "- free until 2 pm for members\n- EUR 20 until 4 pm\n\nWe love our guests."
    )
    got = {s.text: s.heading for s in segment(text, "en")}
    assert got["Every room has a balcony."] == "Our rooms"
    assert got["free until 2 pm for members"] == "Late check-out"
    assert got["EUR 20 until 4 pm"] == "Late check-out"
    assert got["We love our guests."] == "Our rooms"  # the list ended, the section did not


def test_offsets_exact_with_crlf_and_indentation():
    text = "  Title line\r\n\r\n   - Free Wi-Fi everywhere.  \r\n\tMembers save 10%."
    assert texts(text) == ["Title line", "Free Wi-Fi everywhere.", "Members save 10%."]


def test_spanish_abbreviations():
    assert texts("Te esperamos aprox. a las 9 h en la Avda. del Mar. Trae tu toalla.", "es") == [
        "Te esperamos aprox. a las 9 h en la Avda. del Mar.", "Trae tu toalla.",
    ]  # fmt: skip


# -- promise cues -----------------------------------------------------------------------


def score(text: str, lang: str = "en", heading: str | None = None) -> tuple[float, list[str]]:
    return score_promise(Statement(0, len(text), text, heading=heading), lang)


CUE_CASES = [
    ("en", "Late checkout is free for members.", "offer:free"),
    ("en", "Members get 10% off every stay.", "offer:discount"),
    ("en", "Breakfast is included in every rate.", "offer:included"),
    ("en", "Your bike is guaranteed for two years.", "commit:guarantee"),
    ("en", "We'll call you back the same day.", "commit:we_will"),
    ("en", "Support is available 24/7.", "level:24_7"),
    ("en", "Refunds arrive within 5 business days.", "level:within_duration"),
    ("en", "You'll receive a welcome drink on arrival.", "benefit:you_get"),
    ("es", "El envío es gratis en todos los pedidos.", "offer:free"),
    ("es", "Los socios tienen un 20% de descuento.", "offer:discount"),
    ("es", "La toalla está incluida en tu cuota.", "offer:included"),
    ("es", "Te devolveremos el dinero sin preguntas.", "commit:we_will"),
    ("es", "Atención al cliente 24 horas.", "level:24_7"),
    ("es", "Respondemos en menos de 2 horas.", "level:within_duration"),
    ("es", "Recibirás un regalo de bienvenida.", "benefit:you_get"),
    ("pt", "A entrega é gratuita em todo o país.", "offer:free"),
    ("pt", "Ganhe 20% de desconto na primeira reserva.", "offer:discount"),
    ("pt", "Cancelamento sem custos até 48 horas antes.", "offer:free"),
    # an enclitic pronoun after the verb; "ficar satisfeito" describes no place
    ("pt", "Se não ficar satisfeito, devolvemos-lhe o valor na totalidade.", "commit:we_do"),
    ("ru", "Доставка бесплатна при заказе от 1500 рублей.", "offer:free"),
    ("ru", "Доставим заказ за 45 минут или вернём деньги.", "level:within_duration"),
]


@pytest.mark.parametrize("lang,text,cue", CUE_CASES)
def test_cue_families_fire_and_make_promises(lang, text, cue):
    value, cues = score(text, lang)
    assert cue in cues
    assert value >= PROMISE_THRESHOLD, cues


NOT_PROMISES = [
    ("en", "We love our guests.", "neg:fluff"),
    ("en", "Experience the magic of the coast!", "neg:fluff"),
    ("en", "Book now!", "neg:cta"),
    ("en", "Call us today on 0800 123 456.", "neg:cta"),
    ("en", "Need a late checkout?", "neg:question"),
    ("en", '"The free upgrade made our week!" — Ana', "neg:testimonial"),
    ("en", '★★★★★ "Free parking and they upgraded us."', "neg:testimonial"),
    ("en", "— Maria, Lisbon", "neg:testimonial"),
    ("en", "Hi Anna, thanks for staying with us!", "neg:greeting"),
    ("en", "Our hotel sits on the seafront.", "neg:description"),
    ("pt", "O nosso cais fica a 5 minutos a pé da estação.", "neg:description"),
    ("es", "¡Reserva ya en nuestra web!", "neg:cta"),
    ("es", "¿Quieres ponerte en forma?", "neg:question"),
    # the firm's history
    (
        "de",
        "Seit 1998 begleiten wir Menschen in Sachsen auf dem Weg zu besserem Hören.",
        "neg:history",
    ),
    ("es", "Desde 2009 reparamos lavadoras en Valencia.", "neg:history"),
    ("ru", "Мы делаем кухни с 2009 года.", "neg:history"),
    # an agent told what not to promise
    ("en", "Never promise a same-day engineer, even to Gold members.", "neg:unsaid"),
    ("en", "Don’t guarantee a refund within 24 hours.", "neg:unsaid"),
    ("es", "No prometas la entrega gratis en 24 horas.", "neg:unsaid"),
    ("pt", "Nunca prometa reembolso em 24 horas.", "neg:unsaid"),
    ("fr", "Ne promettez jamais un rendez-vous gratuit le jour même.", "neg:unsaid"),
    ("de", "Versprechen Sie nie einen kostenlosen Termin am selben Tag.", "neg:unsaid"),
    ("ru", "Не обещайте бесплатную доставку за час.", "neg:unsaid"),
    # an email's subject line repeats an offer the body states, and the body is judged
    (
        "en",
        "Subject: Your 2026 Broads holiday, 10% off if you book by 31 January",
        "neg:email_header",
    ),
    (
        "pt",
        "Assunto: O rio está à sua espera, 15% nos cruzeiros de primavera",
        "neg:email_header",
    ),
    ("fr", "Objet : -20 % sur votre abonnement", "neg:email_header"),
    ("de", "Betreff: 50 € Gutschein für dich", "neg:email_header"),
    ("es", "Asunto: tu primera clase gratis", "neg:email_header"),
    ("ru", "Тема: скидка 10% на первую смену", "neg:email_header"),
]


@pytest.mark.parametrize("lang,text,cue", NOT_PROMISES)
def test_non_promises_stay_below_threshold(lang, text, cue):
    """A veto cue (a testimonial, a line an agent must not say, a subject line) scores 0
    whatever else the statement carries."""
    value, cues = score(text, lang)
    assert cue in cues
    assert value < PROMISE_THRESHOLD
    if cue in extract.VETO:
        assert value == 0.0


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "El bono mensual de 10 paseos cuesta 180 €, IVA incluido."),
        ("fr", "Le forfait de 10 heures coûte 390 € TTC."),
        ("en", "Adults are £49, VAT included."),
        ("de", "Die Türöffnung kostet 89 € inkl. MwSt."),
    ],
)
def test_a_price_with_its_tax_included_is_a_promise_not_small_print(lang, text):
    value, cues = score(text, lang)
    assert "neg:terms" not in cues
    assert value >= PROMISE_THRESHOLD, cues


@pytest.mark.parametrize(
    "text",
    [
        "Дети болеют — это нормально, и мы это понимаем.",
        "Мы верим, что кататься может каждый.",
    ],
)
def test_what_we_believe_or_understand_commits_to_nothing(text):
    assert "commit:we_will" not in score(text, "ru")[1]


def test_bare_topic_heading_is_not_a_promise():
    assert score("Our rooms")[0] < PROMISE_THRESHOLD


def test_heading_that_offers_lends_it_to_its_list():
    text = "What's included:\n- Towels and a locker\n- Parking"
    _, statements = extract.extract(text, "campaign", "en")
    flags = {s.text: s.is_promise for s in statements}
    assert flags == {"What's included:": False, "Towels and a locker": True, "Parking": True}


def test_testimonial_spanning_sentences():
    text = '"Great stay. They upgraded us for free!" — Ana, Porto'
    _, statements = extract.extract(text, "campaign", "en")
    assert [s.is_promise for s in statements] == [False, False, False]


def test_procedures_are_not_scored_and_campaigns_are():
    text = "Offer a free upgrade to Gold members."
    _, procedure = extract.extract(text, "procedure", "en")
    _, campaign = extract.extract(text, "campaign", "en")
    assert procedure[0].cues == [] and not procedure[0].is_promise
    assert campaign[0].is_promise and "offer:free" in campaign[0].cues


def test_every_cue_file_loads_and_names_cues_by_family():
    shared = json.loads(extract.WEIGHTS_FILE.read_text("utf-8"))
    assert extract.language_files()
    for path in extract.language_files():
        data = json.loads(path.read_text("utf-8"))
        assert data["language"] == path.stem
        for name in data["cues"]:
            assert name.split(":")[0] in {"offer", "commit", "level", "benefit", "condition", "neg"}
            assert name in shared["weights"] and name in shared["prior"]["weights"], name
        extract._lexicon(path.stem)
    for weights in (shared["weights"], shared["prior"]["weights"]):
        for name, weight in weights.items():
            if name.startswith("neg:"):
                assert weight < 0, name
            elif not name.startswith(("ctx:", "fact:")):
                assert weight > 0, name


# -- facts, language, version -----------------------------------------------------------


def test_facts_are_attached_to_every_statement():
    text = "Parking costs EUR 20 per night.\n\n1. Charge EUR 20 at check-in."
    for kind in ("campaign", "procedure"):
        _, statements = extract.extract(text, kind, "en")
        assert all(any(f.kind == "money" for f in s.facts) for s in statements)


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Book two nights and late checkout until 2 pm is on us. Breakfast is included."),
        ("es", "Reserva dos noches y la salida tardía hasta las 14 h corre de nuestra cuenta."),
        ("pt", "Reserve duas noites e a saída tardia até às 14 h fica por nossa conta."),
        ("ru", "Забронируйте две ночи, и поздний выезд до 14:00 будет за наш счёт."),
    ],
)
def test_detect_language(lang, text):
    assert extract.detect_language(text) == lang
    assert extract.extract(text, "campaign")[0] == lang


def test_short_text_falls_back_to_english():
    assert extract.detect_language("OK 123") == "en"


def test_version_combines_code_cues_and_facts():
    assert "+facts" in extract.EXTRACTOR_VERSION and "+cues" in extract.EXTRACTOR_VERSION


@pytest.mark.skipif(not CORPORA, reason="no corpora/*.json yet")
@pytest.mark.parametrize("path", CORPORA, ids=[p.stem for p in CORPORA])
def test_corpus_documents_extract_with_exact_offsets(path):
    corpus = json.loads(path.read_text("utf-8"))
    for doc in corpus["documents"]:
        lang, statements = extract.extract(doc["text"], doc["kind"], doc.get("language"))
        assert statements, doc["id"]
        for s in statements:
            assert doc["text"][s.start : s.end] == s.text
            assert s.text == s.text.strip()
        if doc["kind"] == "procedure":
            assert not any(s.is_promise for s in statements)


# -- general structure rules ------------------------------------------------------------


def flagged(text: str, lang: str = "en") -> dict[str, bool]:
    _, statements = extract.extract(text, "campaign", lang)
    return {s.text: s.is_promise for s in statements}


def test_numbered_clauses_are_list_items():
    text = "2. Points\n2.1 You earn 1 point per euro.\n2.1.3. Points never expire."
    assert texts(text) == ["Points", "You earn 1 point per euro.", "Points never expire."]


def test_numbered_line_over_prose_titles_its_section():
    text = (
        "Crumb Card: loyalty terms\n\n3. Birthdays\n\nAdd your birthday and enjoy a free "
        "slice of cake.\n\n4. Member prices\n\nMembers save 10% on cakes.\n\n"
        "Perks:\n1. Free parking\n2. Late checkout\n\nBook now."
    )
    got = {s.text: s.heading for s in segment(text, "en")}
    assert got["Add your birthday and enjoy a free slice of cake."] == "Birthdays"
    assert got["Members save 10% on cakes."] == "Member prices"
    assert got["Late checkout"] == "Perks"  # the last item of a list stays an item
    assert got["Book now."] == "Member prices"
    flags = flagged(text)
    assert not flags["Birthdays"] and not flags["Member prices"]


def test_not_saying_no_is_not_an_agent_direction():
    assert "neg:unsaid" not in score("We never say no to a muddy dog.")[1]


def test_subject_to_is_no_subject_line():
    value, cues = score("Subject to availability, we upgrade you for free.")
    assert "neg:email_header" not in cues and value >= PROMISE_THRESHOLD


@pytest.mark.parametrize(
    "lang,heading",
    [
        ("en", "What isn't covered?"),
        ("es", "Lo que no incluye:"),
        ("pt", "O que não está coberto"),
        ("fr", "Ce qui n'est pas compris dans la garantie :"),
        ("de", "Was nicht versichert ist:"),
    ],
)
def test_heading_that_excludes_lends_no_offer(lang, heading):
    """Headings that name what is not covered carry words of cover, but the list under them
    is exclusions, not benefits."""
    lex = extract._lexicon(lang)
    found = extract._cues_in(heading, lex)
    assert "neg:excluded" in found
    assert not extract._offers(found, extract.extract_facts(heading, lang), lex)
    assert extract._offers(found - {"neg:excluded"}, [], lex)  # the exclusion alone decides


@pytest.mark.parametrize(
    "lang,quote,attribution",
    [
        ("en", '"We\'ll send you a mesh booster free of charge."', " – Tom, Leeds"),
        ("es", "«Te enviamos el router gratis en 24 horas.»", " – Lucía, Valencia"),
    ],
)
def test_quotes_are_testimonials_only_with_a_name_or_stars(lang, quote, attribution):
    script = f"THE OFFER\n{quote}\n[Note for the agent: read it as written.]"
    got = flagged(script, lang)
    assert got[quote] is True  # a line a sales script gives its agent is the business talking
    assert got["[Note for the agent: read it as written.]"] is False
    assert not any(flagged(f"Reviews\n\n{quote}{attribution}", lang).values())
    assert flagged(f"Reviews\n\n{quote}\n— Maria", lang)[quote] is False
    assert flagged(f"Reviews\n\n★★★★★ {quote}", lang)[f"★★★★★ {quote}"] is False


def test_question_inside_quotes_is_a_question():
    value, cues = score('"Have you got five minutes?"')
    assert "neg:question" in cues and value < PROMISE_THRESHOLD


@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "Free delivery on all orders.*\n\n*Offer available to new customers who spend "
               "£50 within 30 days. Cashback capped at £5 a month."),
        ("es", "Envío gratis en todos los pedidos.*\n\n*Promoción válida para nuevos socios. "
               "Un regalo por persona con un 10% de descuento."),
    ],
)  # fmt: skip
def test_footnotes_and_small_print_are_not_promises(lang, text):
    flags = list(flagged(text, lang).values())
    assert flags == [True, False, False]


@pytest.mark.parametrize(
    "lang,text,title,items",
    [
        ("en", "Why families choose us\n- Kids stay in your room\n- Parking right by the door",
         "Why families choose us", ["Kids stay in your room", "Parking right by the door"]),
        ("es", "Por qué elegir Activa\n- Abrimos los domingos\n- Clases en los 12 centros",
         "Por qué elegir Activa", ["Abrimos los domingos", "Clases en los 12 centros"]),
        ("pt", "Vantagens do cartão\n✔ Anuidade grátis no primeiro ano\n• Acesso às salas VIP",
         "Vantagens do cartão", ["Anuidade grátis no primeiro ano", "Acesso às salas VIP"]),
    ],
)  # fmt: skip
def test_benefit_titles_lend_to_their_list_but_are_not_promises(lang, text, title, items):
    got = flagged(text, lang)
    assert got[title] is False
    assert all(got[item] for item in items), got


def test_topic_title_over_prose_is_not_a_promise():
    got = flagged("Our Price Guarantee\n\nWe'll match any lower price within 14 days.")
    assert got == {
        "Our Price Guarantee": False,
        "We'll match any lower price within 14 days.": True,
    }


# (lang, text, cue it must carry, whether it is a promise): checked by test_general_rules
RULE_CASES = [
    # a sales script's directions to its agent, about the customer ("they")
    ("en", "If they hesitate, remind them about the offer.", "neg:direction", False),
    ("en", "Never say the delivery date is guaranteed.", "neg:direction", False),
    ("en", "Just use code WINTER10 at checkout.", "neg:cta", False),
    ("en", "Savings are shown against our previous selling prices.", "neg:terms", False),
    ("en", "Our two-person crew will assemble your wardrobe.", "commit:we_will", True),
    ("en", "Members take a third off every class pass.", "offer:discount", True),
    ("en", "You will receive a welcome pack on your first visit.", "commit:we_will", True),
    # a first-person plural verb after a clitic: "we check your boiler for you"
    ("es", "Le revisamos la caldera gratis cada año.", "commit:we_do", True),
    ("es", "El bono es personal e intransferible.", "neg:terms", False),
    ("en", "You can leave without paying any early termination charges.", "offer:free", True),
    ("es", "Cancela tu clase sin ninguna penalización.", "offer:free", True),
    ("pt", "Pague em até 10x sem juros no cartão.", "offer:free", True),
    ("en", "Emergency calls are answered by a dentist within the hour.", "commit:service", True),
    ("es", "Tu plan es revisado por un entrenador cada mes.", "commit:service", True),
    ("en", "You'll need to be 18 or over to apply.", "neg:requirement", False),
    ("es", "Necesitas ser mayor de 18 años para apuntarte.", "neg:requirement", False),
    ("pt", "É preciso ter 21 anos ou mais para alugar.", "neg:requirement", False),
    ("en", "Most installations take two to four hours.", "neg:hedge_start", False),
    (
        "es",
        "Normalmente la instalación tarda dos horas, dependiendo de tu casa.",
        "neg:hedge",
        False,
    ),
    ("en", "The offer doesn't apply to outlet items or bundle deals.", "neg:terms", False),
    ("pt", "Não cumulativo com outras promoções.", "neg:terms", False),
    ("en", "The harbour is a 10-minute walk from the hotel.", "neg:description", False),
]


# -- general rules: staff, scripts, conditional CTAs, prices, rights ----------------------

MORE_RULES = [
    ("en", "On the day, your installer will text you when they're on their way.",
     "commit:we_will", True),
    ("en", "Sign up today and your first month is half price.", "ctx:cta_clause", True),
    ("en", "Call us on 0330 088 4400 and ask about our plans.", "neg:cta", False),
    ("en", "Kennel cough vaccine is just £25 when booked with the booster.", "offer:price", True),
    ("en", "We may cancel points or close an account if we find fraud.", "neg:terms", False),
    ("en", "Vouchers are non-transferable and have no cash value.", "neg:terms", False),
    ("en", "Children under 12 are seen by a specialist hygienist.", "commit:service", True),
    ("es", "Apúntate a la lista de espera y te avisaremos en cuanto quede un hueco.",
     "ctx:cta_clause", True),
    ("es", "Tu asesor te llamará en menos de 24 horas.", "commit:we_will", True),
]  # fmt: skip


def test_first_person_is_the_agent_only_in_script_quotes():
    _, quoted = score('"Just tell me and I\'ll set that up for you today."')
    assert "commit:agent" in quoted and "neg:first_person" not in quoted
    _, plain = score("I'll be back next summer with my kids.")
    assert "commit:agent" not in plain and "neg:first_person" in plain


# -- Russian --------------------------------------------------------------------------------


def test_russian_dash_lists_are_items_not_testimonials():
    text = (
        "Почему с нами удобно\n— Бесплатная доставка при заказе от 1 500 ₽.\n"
        "— Привозим каждый день с 7:00 до 01:00.\n\n"
        "«Ни разу не ждала дольше обещанного.»\n— Марина, Москва"
    )
    assert texts(text, "ru")[1:3] == [
        "Бесплатная доставка при заказе от 1 500 ₽.", "Привозим каждый день с 7:00 до 01:00.",
    ]  # fmt: skip
    got = flagged(text, "ru")
    assert got["Бесплатная доставка при заказе от 1 500 ₽."] is True
    assert got["Привозим каждый день с 7:00 до 01:00."] is True
    assert got["«Ни разу не ждала дольше обещанного.»"] is False


def test_russian_lemmas_ignore_yo():
    assert score("Мы вернем деньги.", "ru") == score("Мы вернём деньги.", "ru")
    assert "commit:we_will" in score("Пришлем push, как только заказ соберут.", "ru")[1]


RUSSIAN = [
    ("Включите уведомления — пришлём push, как только курьер выйдет к вам.", "commit:we_will",
     True),
    ("Оформите заказ с вечера — курьер приедет именно в это время.", "ctx:cta_clause", True),
    ("Напишите нам в чат — деньги вернутся на карту в течение суток.",
     "level:within_duration", True),
    ("−20 % на всю фермерскую полку по 12 апреля включительно.", "offer:discount", True),
    ("Гарантируем свежесть: не понравится — заменим товар за наш счёт.", "commit:guarantee",
     True),
    ("Вы получаете двойные баллы за все заказы в неделю дня рождения.", "offer:bonus", True),
    ("Золото: ваши вопросы в чате решаются в первую очередь.", "level:within_duration", True),
    ("Скачайте приложение или закажите на сайте.", "neg:cta", False),
    ("Как оплатить заказ?", "neg:question", False),
    ("Баллы нельзя обменять на деньги или передать другому участнику.", "neg:terms", False),
    ("Сервис вправе изменить правила программы в любой момент.", "neg:terms", False),
    ("Время доставки зависит от загруженности и погоды.", "neg:hedge", False),
]  # fmt: skip


@pytest.mark.parametrize(
    "lang,text,cue,promise", RULE_CASES + MORE_RULES + [("ru", *case) for case in RUSSIAN]
)
def test_general_rules(lang, text, cue, promise):
    value, cues = score(text, lang)
    assert cue in cues
    assert (value >= PROMISE_THRESHOLD) is promise, cues


def test_a_present_tense_is_not_a_future_promise():
    # "queremos" ends like a future ("-eremos") but is the present of querer
    _, cues = score("Te queremos ver en forma.", "es")
    assert "commit:we_will" not in cues


def test_lemma_tables_are_cached_and_a_corrupt_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load = words.lemma_table.__wrapped__
    first = load("fr")
    (cached,) = (tmp_path / "hinge").glob("lemmas-fr-*.marshal")
    assert load("fr") == first and first["remboursons"] == "rembourser"
    cached.write_bytes(b"\x00not marshal")
    assert load("fr") == first


def test_a_why_question_over_a_list_lends_it_its_offer():
    # The question asks only to answer with the list; a later sentence in the same item is
    # elaboration, and a question over prose is still a question.
    text = (
        "Why open a StowAway Business Account?\n"
        "• One monthly tax invoice for all your units. Simple.\n"
        "• A dedicated account manager who knows your name.\n\n"
        "Why was I charged twice?\n\nBecause the card failed."
    )
    assert flagged(text) == {
        "Why open a StowAway Business Account?": False,
        "One monthly tax invoice for all your units.": True,
        "Simple.": False,
        "A dedicated account manager who knows your name.": True,
        "Why was I charged twice?": False,
        "Because the card failed.": False,
    }


def test_an_app_section_named_my_is_not_a_customer_speaking():
    _, cues = score("Your watch history and My List are kept for 12 months after you leave.")
    assert "neg:first_person" not in cues
    _, cues = score("My kids loved it.")
    assert "neg:first_person" in cues
