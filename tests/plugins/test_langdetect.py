"""Language detection: a stopword vote over the start of the article; None when unsure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import read_seed

from classifier.plugins.langdetect import LanguageDetector, detect_language, plugin

TEXTS = {
    "en": "The government said on Tuesday that it would impose new sanctions on the bank, "
          "which has been accused of moving money for the cartel.",
    "es": "El gobierno anunció el martes que impondrá nuevas sanciones contra el banco, al que "
          "acusa de mover dinero para el cártel, según un comunicado.",
    "pt": "O governo anunciou nesta terça-feira que vai impor novas sanções ao banco, que foi "
          "acusado de movimentar dinheiro para o cartel.",
    "fr": "Le gouvernement a annoncé mardi qu'il imposerait de nouvelles sanctions contre la "
          "banque, qui est accusée de blanchir l'argent du cartel.",
    "de": "Die Regierung hat am Dienstag angekündigt, dass sie neue Sanktionen gegen die Bank "
          "verhängen wird, die Geld für das Kartell gewaschen haben soll.",
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_detects_each_language(lang):
    assert detect_language(TEXTS[lang]) == lang


def test_seed_article_is_english():
    assert detect_language(read_seed()) == "en"


@pytest.mark.parametrize("text", [
    "", "   ", "12,500 / 3.4 %", "Sanctions!", "Cartel de los Soles", "Trump — Sheinbaum",
    "OK",
])
def test_too_little_evidence_gives_none(text):
    assert detect_language(text) is None


def test_mixed_text_with_no_clear_winner_gives_none():
    mixed = "the of and to in " + "el la los las de del "
    assert detect_language(mixed) is None


def test_only_the_start_of_a_long_article_counts():
    long = TEXTS["es"] + " " + "x" * 3000 + " " + TEXTS["en"] * 20
    assert detect_language(long) == "es"


def test_hook_answers_like_the_function():
    assert plugin.policy_classifier_detect_language(TEXTS["es"]) == "es"
    assert plugin.policy_classifier_detect_language("") is None


def test_custom_stopwords_add_a_language():
    detector = LanguageDetector({"en": "the of and to in is", "it": "il lo la di e che per non"})
    assert detector.detect("il governo ha detto che la banca non è per il cartello di lo") == "it"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_gives_a_known_code_or_none(text):
    assert detect_language(text) in (None, "en", "es", "pt", "fr", "de")


@pytest.mark.parametrize("text,lang", [
    # single news sentences with few function words (written for this test)
    ("China aplicó gravámenes adicionales del 15% a la soja y el maíz estadounidenses.", "es"),
    ("Tras la extradición de 29 capos, Trump volvió a amenazar con aranceles a México.", "es"),
    ("Ottawa slapped duties on steel from the EU and Japan.", "en"),
    ("La FGR entregó en extradición a Estados Unidos a un presunto operador del CJNG.", "es"),
    ("El Comando Sur informó que sus fuerzas llevaron a cabo un ataque contra una embarcación.", "es"),
])
def test_short_sentences_need_fewer_votes_but_a_wider_margin(text, lang):
    assert detect_language(text) == lang


def test_short_text_with_a_close_runner_up_stays_none():
    assert detect_language("de la le la de la") is None


def test_spanish_spelling_counts_one_vote_per_word():
    # ñ and a final -ó or -ción/-sión in one word still give that word a single vote.
    from classifier.plugins.langdetect import plugin
    assert plugin.scores("enseñó")["es"] == 1.0
    assert plugin.scores("niño acción pasó Sión")["es"] == 4.0
    assert plugin.scores("ocioso cione")["es"] == 0.0  # -ión only counts at a word's end
