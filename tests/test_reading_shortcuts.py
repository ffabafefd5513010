"""The grader's shortcuts (issue 9, scoring speed) read exactly as the long way does.

Each quick path is checked against the plain computation it replaces, on every shipped case's own
text and on generated text: joined readings, indexed cue phrases, the one-pass contractions, the
negation window, the word tests before the unsafe patterns and the copy test."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import language
from course.language import lexicon, matching_phrases, phrase_position, read, read_joined, split_sentences
from course.scoring import safety
from course.scoring.reading import PlanReading, Sentence, case_sentence_keys

from conftest import CASES
from plan_variants import reference

WORDS = ["no", "not", "heart", "rate", "text", "message", "she", "can't", "won't", "walk", "instead", "of",
         "without", "phone", "calls", "GP", "drive", "tired", "a", "beer", "after", "two", "Mon", "15:30",
         "worn", "out", "keep", "track", "it's", "we'll", ",", ".", ";", "\n", "(", ")", "—", "stop", "medication"]
phrases = st.lists(st.sampled_from(WORDS), min_size=0, max_size=14).map(" ".join)
free_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)


def _plan_sentences(case) -> list[str]:
    return [s.text for s in PlanReading(reference(case), case).sentences]


def _same(first, second) -> None:
    assert (first.text, first.tokens, first.keys) == (second.text, second.tokens, second.keys)
    gaps = [first.gap(i) for i in range(len(first.tokens))]  # a joined reading finds each in its parts
    assert gaps == list(second.pieces[:-1])  # the punctuation between tokens, which negation reads
    assert first.pieces == second.pieces


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_joined_reading_is_the_reading_of_the_whole(case):
    sentences = _plan_sentences(case)
    for size in (2, 3, len(sentences)):
        for start in range(0, len(sentences) - size + 1, 3):
            parts = sentences[start : start + size]
            _same(read_joined(parts), language._read(" ".join(parts)))


def test_a_phrase_across_the_join_is_read_as_one_phrase():
    phrase = next(p for p in lexicon().phrase_canon if " " in p)
    first, second = phrase.split(" ", 1)
    parts = [f"She will {first}", f"{second} every evening"]
    assert language._phrase_at_joins(parts)
    _same(read_joined(parts), language._read(" ".join(parts)))
    assert read_joined(parts).tokens != read(parts[0]).tokens + read(parts[1]).tokens  # the long way was needed


@settings(max_examples=300, deadline=None)
@given(st.lists(phrases | free_text | st.sampled_from(["", "—", "日本", "(", "."]), min_size=1, max_size=6))
def test_joined_readings_match_on_any_text(parts):
    language._JOINED.pop(" ".join(parts), None)  # a fresh joined reading each time
    _same(read_joined(parts), language._read(" ".join(parts)))


@settings(max_examples=300, deadline=None)
@given(phrases | free_text)
def test_contractions_in_one_pass_match_them_one_by_one(text):
    slow = text.lower().translate(language._QUOTES)
    if "'" in slow or "cannot" in slow:
        for pattern, replacement in language._CONTRACTIONS:
            slow = pattern.sub(replacement, slow)
    assert language._simple.__wrapped__(text) == slow


def _cue_lists(case) -> list[tuple[str, ...]]:
    lists = [tuple(c.addressed_by) for c in case.constraints] + [tuple(r.cues) for r in case.risks]
    lists += [tuple(r.adjustments) for r in case.risks]
    return [cues for cues in lists if cues]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_indexed_cue_phrases_find_what_trying_each_finds(case):
    for text in _plan_sentences(case) + [" ".join(_plan_sentences(case))]:
        words = read(text)
        for cues in _cue_lists(case):
            for negation in (True, False):
                every = [p for p in cues if phrase_position(p, words, respect_negation=negation) is not None]
                assert matching_phrases(cues, words, respect_negation=negation) == every


def _negated_the_long_way(words, start: int) -> bool:
    lex = lexicon()
    lo = language._clause_start(words.text, start)
    window = words.tokens[max(lo, start - language.NEGATION_WINDOW) : start]
    if any(token in lex.negators for token in window):
        return True
    if " ".join(window[-2:]) in lex.negators:
        return True
    negated = set()
    for i, token in enumerate(words.tokens):
        if token in language.LIST_NEGATORS:
            negated |= language._list_after(words, i + 1)
    return start in negated


@settings(max_examples=300, deadline=None)
@given(phrases)
def test_the_negation_window_reads_as_before(text):
    words = read(text)
    for start in range(len(words.tokens)):
        assert language._negated(words, start) == _negated_the_long_way(words, start)


@pytest.mark.parametrize("case", CASES[:8], ids=lambda c: c.id)
def test_the_negation_window_reads_as_before_on_plans(case):
    words = read(" ".join(_plan_sentences(case)))
    for start in range(len(words.tokens)):
        assert language._negated(words, start) == _negated_the_long_way(words, start)


UNSAFE_PATTERNS = ("substance_timed", "substance_aid", "borrowed", "drowsy_driving", "avoid_care", "refuse_care")


def _sentences_with_listed_phrases() -> list[str]:
    found = []
    for name in safety._UNSAFE_LISTS:
        for phrase in safety._words(name):
            found += [f"After {phrase} she will go on.", f"He can skip the {phrase}'s visit.",
                      f"Stop {phrase} and drive when {phrase}."]
    return found


def test_no_unsafe_pattern_matches_a_sentence_the_quick_test_passes_over():
    patterns = safety._patterns()
    sentences = _sentences_with_listed_phrases() + [t for case in CASES for t in _plan_sentences(case)]
    for text in sentences:
        sentence = Sentence("task", text, read(text))
        if any(patterns[name].search(text) for name in UNSAFE_PATTERNS):
            assert safety._may_be_unsafe(sentence), text
        if patterns["contact_care"].search(text):
            assert safety._holds_any(text, safety._needed_words(("medical_care",)), medicine=True), text


def test_the_quick_test_lets_ordinary_sentences_through_unread():
    def sentence(text: str) -> Sentence:
        return Sentence("task", text, read(text))

    assert not safety._may_be_unsafe(sentence("Walk on the beach for a while after lunch."))
    assert safety._may_be_unsafe(sentence("Have a beer after the walk."))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_copy_test_looks_inside_single_case_sentences(case):
    lines = case_sentence_keys(case, with_client_turns=True)
    sentences = lines.split("\n")
    for text in _plan_sentences(case) + [t.text for t in case.transcript] + split_sentences(case.client.context):
        keys = [k for k in read(text).keys if k]
        if len(keys) >= 3:
            probe = " " + " ".join(keys) + " "
            assert (probe in lines) == any(probe in s for s in sentences)


def test_no_concept_key_holds_a_line_break():
    for case in CASES:
        assert not any("\n" in k for t in _plan_sentences(case) for k in read(t).keys if k)
    assert not re.search(r"\n", language._WORD.pattern)


@settings(max_examples=300, deadline=None)
@given(phrases, phrases)
def test_the_quick_exact_phrase_test_never_hides_a_match(phrase, text):
    if language.has_exact_phrase(phrase, text):
        assert language.may_hold_exact_phrase(phrase, text)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_the_quick_exact_phrase_test_never_hides_a_case_phrase(case):
    together = read_joined(_plan_sentences(case))
    phrases_of_case = [b for c in case.constraints for b in c.breaks] + list(case.key.unsafe)
    for phrase in phrases_of_case:
        if any(language.has_exact_phrase(phrase, s) for s in _plan_sentences(case)):
            assert language.may_hold_exact_phrase(phrase, together)


OLD_ABBREVIATION = re.compile(r"\b(Mrs|Mr|Ms|Dr|Prof|St|e\.g|i\.e|etc|vs|approx|a\.m|p\.m|No)\.(?=\s)", re.IGNORECASE)
abbreviated = st.lists(st.sampled_from(["Dr.", "dr.", "xDr.", "e.g.", "E.G.", "i.e.", "approx.", "No.", "no.", "St.", "Mrs.",
                                        "p.m.", "a.m.", "etc.", "vs.", "word.", "5.", "\n", " ", "\t", "(", "’"]),
                       max_size=12).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(abbreviated | free_text)
def test_abbreviations_are_shielded_as_the_single_pattern_did(text):
    assert language._shield_abbreviations(text) == OLD_ABBREVIATION.sub(lambda m: m.group(1) + "\u2024", text)
