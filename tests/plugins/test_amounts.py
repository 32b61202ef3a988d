"""The amounts refiner: money, people and percentages, normalised, with article spans.

Every sentence is written for these tests.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import read_seed

from classifier.model import Article, Sentence, Tag
from classifier.plugins.amounts import (
    AmountRefiner,
    extract_amounts,
    find_figures,
    parse_number,
    plugin,
)


def figures(text: str, lang: str = "en") -> list[tuple[str, float, str, str]]:
    return [(kind, a.value, a.unit, a.text) for kind, a in find_figures(text, lang)]


MONEY = [
    ("The State Department offered $50 million for information.", "en", 50e6, "USD", "$50 million"),
    ("A bounty of US$5m was posted.", "en", 5e6, "USD", "US$5m"),
    ("Assets worth $1.2 billion were frozen.", "en", 1.2e9, "USD", "$1.2 billion"),
    ("The fine reached USD 300,000 in total.", "en", 300_000, "USD", "USD 300,000"),
    ("Brussels froze €2bn of reserves.", "en", 2e9, "EUR", "€2bn"),
    ("London froze £40 million in property.", "en", 40e6, "GBP", "£40 million"),
    ("They offered five million dollars.", "en", 5e6, "USD", "five million dollars"),
    ("Ofrecen 50 millones de dólares por su captura.", "es", 50e6, "USD",
     "50 millones de dólares"),
    ("La recompensa es de 5 millones de pesos.", "es", 5e6, "MXN", "5 millones de pesos"),
    ("Se congelaron 2.500 millones de euros.", "es", 2.5e9, "EUR", "2.500 millones de euros"),
    ("Se incautaron 1,2 millones de dólares.", "es", 1.2e6, "USD", "1,2 millones de dólares"),
    ("Pagaron mil millones de dólares.", "es", 1e9, "USD", "mil millones de dólares"),
    ("Ofrece $10 millones de pesos por el capo.", "es", 10e6, "MXN", "$10 millones de pesos"),
    ("Un millón de dólares por información.", "es", 1e6, "USD", "Un millón de dólares"),
]
PEOPLE = [
    ("Mexico extradited 29 cartel members on Thursday.", "en", 29, "29 cartel members"),
    ("Police detained two suspects near the port.", "en", 2, "two suspects"),
    ("Colombia sent five Venezuelan nationals to Florida.", "en", 5, "five Venezuelan nationals"),
    ("The order covers more than 100 officials.", "en", 100, "more than 100 officials"),
    ("Some 1,500 people were deported.", "en", 1500, "Some 1,500 people"),
    ("Twenty-one fugitives were returned.", "en", 21, "Twenty-one fugitives"),
    ("México entregó a 29 narcotraficantes.", "es", 29, "29 narcotraficantes"),
    ("Fueron enviados dos presuntos integrantes del cártel.", "es", 2,
     "dos presuntos integrantes"),
    ("Extraditaron a dos presuntos.", "es", 2, "dos presuntos"),
    ("Más de 1.500 personas fueron deportadas.", "es", 1500, "Más de 1.500 personas"),
    ("Llegaron diecisiete detenidos.", "es", 17, "diecisiete detenidos"),
]
PERCENT = [
    ("Tariffs of 25% on steel.", "en", 25, "25%"),
    ("A 25 percent duty on cars.", "en", 25, "25 percent"),
    ("A 10-per-cent levy.", "en", 10, "10-per-cent"),
    ("Aranceles del 25 por ciento.", "es", 25, "25 por ciento"),
    ("Un gravamen del 25 % al acero.", "es", 25, "25 %"),
    ("Un arancel del 7,5% al aluminio.", "es", 7.5, "7,5%"),
]


@pytest.mark.parametrize("text, lang, value, unit, shown", MONEY, ids=[m[0] for m in MONEY])
def test_money(text, lang, value, unit, shown):
    assert figures(text, lang) == [("money", pytest.approx(value), unit, shown)]


@pytest.mark.parametrize("text, lang, value, shown", PEOPLE, ids=[p[0] for p in PEOPLE])
def test_people(text, lang, value, shown):
    assert figures(text, lang) == [("people", value, "people", shown)]


@pytest.mark.parametrize("text, lang, value, shown", PERCENT, ids=[p[0] for p in PERCENT])
def test_percent(text, lang, value, shown):
    assert figures(text, lang) == [("percent", pytest.approx(value), "percent", shown)]


@pytest.mark.parametrize("text, lang", [
    ("Dozens of suspects were detained.", "en"),  # vague: no figure
    ("Decenas de detenidos fueron trasladados.", "es"),
    ("In 2019 cartel members moved north.", "en"),  # a year, not a count
    ("Two officials said the sanctions were ready.", "en"),  # a source, not people acted on
    ("A suspect was flown to Houston.", "en"),  # an article is not a count
    ("The five-year plan ended.", "en"),
    ("Sanctions hit the bank on May 5.", "en"),
])
def test_no_figure(text, lang):
    assert figures(text, lang) == []


@pytest.mark.parametrize("text, lang, expected", [
    # articles are the only number words: a figure only before a multiplier, else digits only
    ("Washington offered a million dollars for an arrest in 2 states.", "en",
     [("money", 1e6, "USD", "a million dollars")]),
    ("Ofrecen un millón de dólares por una captura.", "es",
     [("money", 1e6, "USD", "un millón de dólares")]),
    ("It is a program of an alliance worth $5 m, a team said.", "en",
     [("money", 5e6, "USD", "$5 m")]),
    ("A bank in Islam abad was hit with a 25% tariff.", "en", [("percent", 25.0, "percent", "25%")]),
])
def test_articles_alone_name_a_figure_only_before_a_multiplier(text, lang, expected):
    assert figures(text, lang) == expected


@pytest.mark.parametrize("raw, lang, value", [
    ("1,500", "en", 1500), ("1.500", "es", 1500), ("1.500", "en", 1.5), ("1,5", "es", 1.5),
    ("1.2", "en", 1.2), ("1,2", "es", 1.2), ("1.234.567", "en", 1234567),
    ("1,234,567", "es", 1234567), ("1,234.5", "en", 1234.5), ("1.234,5", "es", 1234.5),
    ("twenty", "en", 20), ("veinte", "es", 20), ("forty-two", "en", 42), ("once", "es", 11),
])
def test_parse_number_reads_both_conventions(raw, lang, value):
    assert parse_number(raw, lang) == Decimal(str(value))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9))
def test_thousands_separators_round_trip(n):
    assert parse_number(f"{n:,}", "en") == n
    assert parse_number(f"{n:,}".replace(",", "."), "es") == n


# -- which figures go to which action ---------------------------------------------------------

SENTENCE = ("Mexico extradited 29 cartel members to the U.S., while Washington offered a "
            "$5 million reward and raised tariffs to 25%.")


@pytest.mark.parametrize("phrase, action, expected", [
    ("extradited", "extradition", ["29 cartel members"]),
    ("reward", "rewards", ["$5 million"]),
    ("tariffs", "tariffs", ["25%"]),
    ("extradited", "military", []),  # troop numbers and casualties are not attached
])
def test_each_action_takes_its_kind_of_figure_from_its_clause(phrase, action, expected):
    start = SENTENCE.index(phrase)
    found = extract_amounts(SENTENCE, start, start + len(phrase), action, "en")
    assert [a.text for a in found] == expected


def test_unknown_actions_get_money_and_people():
    text = "The ministry barred 12 officials and froze $3 million in deposits."
    start = text.index("barred")
    found = extract_amounts(text, start, start + 6, "visa_bans", "en")
    assert [(a.unit, a.value) for a in found] == [("people", 12), ("USD", 3e6)]


def test_a_user_action_can_take_percentages():
    body = "Brussels set a 15% levy on imported steel."
    sentence = Sentence(0, 0, len(body), body)
    at = body.index("levy")
    tag = Tag("levies", "levies.t", "t", 0, (at, at + 4), "levy")
    article = Article(None, body, "en")
    assert plugin.policy_classifier_refine_tags(sentence, [tag], article) == [tag]
    custom = AmountRefiner({"levies": ("percent",)})
    (out,) = custom.policy_classifier_refine_tags(sentence, [tag], article)
    assert [(a.value, a.unit) for a in out.amounts] == [(15, "percent")]


def test_out_of_clause_figure_used_only_when_no_other_tag_claims_it():
    text = "The reward was raised; it now stands at $2 million."
    start = text.index("reward")
    assert [a.value for a in extract_amounts(text, start, start + 6, "rewards", "en")] == [2e6]
    claimed = [(text.index(";"), len(text))]
    assert extract_amounts(text, start, start + 6, "rewards", "en", claimed=claimed) == ()


# -- the hook, end to end ---------------------------------------------------------------------

def test_hook_spans_are_in_article_coordinates():
    prefix = "Officials met on Monday. "
    body = "The Treasury offered a reward of up to $25 million for the cartel's leader."
    text = prefix + body
    start = text.index("reward")
    sentence = Sentence(1, len(prefix), len(text), body)
    tag = Tag("rewards", "rewards.t", "t", 1, (start, start + 6), "reward")
    (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article("x", text, "en"))
    (amount,) = out.amounts
    assert (amount.value, amount.unit, amount.text) == (25e6, "USD", "$25 million")
    assert text[amount.span[0]:amount.span[1]] == amount.text
    assert amount.to_dict()["value"] == 25000000


def test_hook_keeps_amounts_another_plugin_set_and_tags_without_figures():
    body = "Washington imposed sanctions on the port."
    sentence = Sentence(0, 0, len(body), body)
    tag = Tag("sanctions", "s.t", "t", 0, (19, 28), "sanctions")
    article = Article(None, body, "en")
    assert plugin.policy_classifier_refine_tags(sentence, [tag], article) == [tag]


def test_seed_article_figures():
    text = read_seed()
    for phrase, action, value, unit in [("reward", "rewards", 50_000_000, "USD"),
                                        ("extradition", "extradition", 29, "people")]:
        at = text.index(phrase)
        start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
        stop = text.index(". ", at) + 1
        sentence = Sentence(0, start, stop, text[start:stop])
        tag = Tag(action, f"{action}.t", "t", 0, (at, at + len(phrase)), phrase)
        (out,) = plugin.policy_classifier_refine_tags(sentence, [tag], Article("seed", text, "en"))
        assert [(a.value, a.unit) for a in out.amounts] == [(value, unit)]
        assert all(text[a.span[0]:a.span[1]] == a.text for a in out.amounts)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,$€%-abcdefghilmnoprstuvy")),
               max_size=80))
def test_any_text_gives_figures_whose_text_is_their_span(text):
    for _, amount in find_figures(text, "en") + find_figures(text, "es"):
        assert text[amount.span[0]:amount.span[1]] == amount.text
        assert re.search(r"\d|[a-z]", amount.text, re.I)
