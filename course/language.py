"""Reading plan text the way the grader needs: stems, synonyms, phrases, negation, sentences.

Every word is reduced to a *concept key*: its Snowball stem, joined with its synonyms from
`data/lexicon.yaml`. Two texts that say the same thing in different word forms or with listed
synonyms share keys. Nothing here knows about a particular case.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain

from course.datafiles import DATA_DIR, read_yaml

LEXICON_FILE = DATA_DIR / "lexicon.yaml"
NEGATION_WINDOW = 3
INFLECTION = 3
"""A word joins a synonym group through a shared stem only if it is within this many letters of the
listed word: an inflection ("phoning", "rings"), not another word with the same stem ("apart", "apartment")."""
ABSENCE_WORDS = frozenset({"no", "not", "never", "nor"})
OPENING_ABSENCE_WORDS = frozenset({"without", "none", "nothing", "neither"})
"""A cue phrase holding one of `ABSENCE_WORDS`, or opening with one of `OPENING_ABSENCE_WORDS`, is an absence
phrase ("no worksheet", "can't face", "without writing"): it matches its other words when they are negated,
by whichever negator, and the absence word itself need not occur. ("better off without her" and "costs
nothing" are ordinary phrases: the word does not open them.)"""
LIST_NEGATORS = frozenset({"no", "without", "nor", "neither", "never", "none"})
"""Negators that reach through a list that follows them: "no worksheet, counts or ratings" negates all three."""
LIST_ITEM = 3
"""The longest item (in words) a negated list may hold; a longer one ends the list."""
_LIST_BREAKS = frozenset({"but", "instead", "just", "only", "so", "then", "because", "rather", "except", "unless"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|%|/100")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[.!?])[\"”’']\s*")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "forty-five": "45",
    "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100", "once": "1x", "twice": "2x",
}
_CONTRACTIONS = [
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"'s\b"), ""),
]
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass(frozen=True)
class Lexicon:
    """The general vocabulary the grader reads with (see `data/lexicon.yaml`)."""

    stopwords: frozenset[str]
    negators: frozenset[str]
    phrase_pattern: re.Pattern[str] | None
    phrase_canon: dict[str, str]
    word_canon: dict[str, tuple[tuple[str, str], ...]]
    """stem -> (member word, canonical key) for every synonym sharing that stem."""
    lists: dict[str, tuple[str, ...]]
    constraint_defaults: dict[str, tuple[str, ...]]
    distinct_words: frozenset[str]
    """Words that keep their own key instead of sharing a shorter word's stem ("authority" is not "author")."""

    def words(self, name: str) -> tuple[str, ...]:
        """A named word list from the lexicon file (e.g. `jargon`, `vague_when`)."""
        return self.lists[name]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read once."""
    raw = read_yaml(LEXICON_FILE)
    phrase_canon: dict[str, str] = {}
    word_canon: dict[str, list[tuple[str, str]]] = {}
    for group in raw["synonyms"]:
        canon = _stem(_simple(group[0]))
        for member in group:
            member = _simple(str(member))
            if " " in member:
                phrase_canon[member] = group[0]
            else:
                word_canon.setdefault(_stem(member), []).append((member, canon))
    pattern = None
    if phrase_canon:
        alternatives = sorted(phrase_canon, key=len, reverse=True)
        pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in alternatives) + r")\b")
    negators = {str(n) for n in raw["negators"]}
    skip = {"schema_version", "synonyms", "stopwords", "negators", "constraint_defaults", "distinct_words"}
    return Lexicon(
        stopwords=frozenset(str(w) for w in raw["stopwords"]),
        negators=frozenset(negators),
        phrase_pattern=pattern,
        phrase_canon=phrase_canon,
        word_canon={k: tuple(v) for k, v in word_canon.items()},
        lists={k: tuple(str(w) for w in v) for k, v in raw.items() if k not in skip},
        constraint_defaults={k: tuple(v or ()) for k, v in raw["constraint_defaults"].items()},
        distinct_words=frozenset(str(w).lower() for w in raw.get("distinct_words", ())),
    )


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    if word.isdigit() or not word.isalpha():
        return word
    return _stemmer().stemWord(word)


@lru_cache(maxsize=50_000)
def _simple(text: str) -> str:
    text = text.lower().translate(_QUOTES)
    if "'" in text or "cannot" in text:  # every contraction has an apostrophe, or is "cannot"
        text = _CONTRACTION.sub(_expand_contraction, text)
    return text


# The contractions above as one pattern, tried in their order at each place (one pass over the text).
_CONTRACTION = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in _CONTRACTIONS))
_EXPANSIONS = {"can't": "can not", "cannot": "can not", "won't": "will not", "n't": " not", "'ll": " will",
               "'re": " are", "'ve": " have", "'m": " am", "'d": " would", "'s": ""}


def _expand_contraction(match: re.Match[str]) -> str:
    return _EXPANSIONS[match.group(0)]  # each pattern above matches exactly one string


@dataclass(frozen=True)
class Words:
    """A text read as tokens, each with its concept key (None for words without content)."""

    text: str
    tokens: tuple[str, ...]
    keys: tuple[str | None, ...]

    @cached_property
    def pieces(self) -> tuple[str, ...]:
        """The text around the tokens, in simple form: before the first, between each two, after the last."""
        return tuple(_WORD.split(_phrased(self.text)))

    def gap(self, i: int) -> str:
        """The text between token i and the token before it (its punctuation), in simple form. A joined
        reading (`read_joined`) finds it in the part that holds the token, without splitting the whole."""
        parts = self.__dict__.get("parts")
        if not parts or "pieces" in self.__dict__:
            return self.pieces[i]
        k = bisect_right(self._part_starts, i) - 1  # the (non-empty) part that holds token i
        if i > self._part_starts[k]:
            return parts[k].pieces[i - self._part_starts[k]]
        gap = parts[k].pieces[0]
        for before in reversed(parts[:k]):  # the parts meet at a space; a part without tokens is all gap
            gap = f"{before.pieces[-1]} {gap}"
            if before.tokens:
                break
        return gap

    @cached_property
    def _part_starts(self) -> list[int]:
        starts, count = [], 0
        for part in self.__dict__["parts"]:
            starts.append(count)
            count += len(part.tokens)
        return starts

    @cached_property
    def content(self) -> frozenset[str]:
        """The concept keys of the content words."""
        return frozenset(k for k in self.keys if k)

    def __len__(self) -> int:
        return len(self.tokens)


def read(text: str) -> Words:
    """Tokenise a text into words and concept keys."""
    joined = _JOINED.get(text)
    return joined if joined is not None else _read(text)


def read_joined(parts: list[str]) -> Words:
    """`read(" ".join(parts))`, made from the readings of the parts, which are usually read already
    (the sentences of a plan), rather than reading the whole text again."""
    text = " ".join(parts)
    if text in _JOINED:
        return _JOINED[text]
    if len(parts) < 2 or _phrase_at_joins(parts):
        return read(text)
    readings = [read(part) for part in parts]
    words = Words(
        text,
        tuple(chain.from_iterable(reading.tokens for reading in readings)),
        tuple(chain.from_iterable(reading.keys for reading in readings)),
    )
    words.__dict__["parts"] = tuple(readings)  # for `Words.gap`
    if len(_JOINED) >= _JOINED_KEPT:
        del _JOINED[next(iter(_JOINED))]  # the oldest
    _JOINED[text] = words
    return words


_JOINED: dict[str, Words] = {}
_JOINED_KEPT = 2_000


def _phrase_at_joins(parts: list[str]) -> bool:
    """True if a multi-word phrase of the lexicon could run across the space between two parts (then the
    parts' readings do not add up to the whole's). Every other step of reading stays within a word."""
    lex = lexicon()
    if lex.phrase_pattern is None:
        return False
    inner, reach = _phrase_inner_words()
    for before, after in zip(parts, parts[1:], strict=False):
        head = _simple(after[:reach])
        first = _WORD.search(head)
        if first is None or first.group(0) not in inner:
            continue  # a phrase across the join would go on with the next part's first word
        tail = _simple(before[-reach:])
        for match in lex.phrase_pattern.finditer(f"{tail} {head}"):
            if match.start() <= len(tail) < match.end():
                return True
    return False


@lru_cache(maxsize=1)
def _phrase_inner_words() -> tuple[frozenset[str], int]:
    """The words of multi-word phrases other than their first, and how far before and after a join to
    look: the longest phrase and a little more, for letters reading drops ("'s")."""
    phrases = lexicon().phrase_canon
    inner = frozenset(w for phrase in phrases for w in _WORD.findall(phrase)[1:])
    return inner, max(map(len, phrases)) + 10


@lru_cache(maxsize=50_000)
def _read(text: str) -> Words:
    found = _WORD.findall(_phrased(text))
    tokens = tuple(map(_NUMBER_WORDS.get, found, found))
    keys = tuple(map(_token_keys(lexicon()).__getitem__, tokens))
    return Words(text, tokens, keys)


@lru_cache(maxsize=50_000)
def _phrased(text: str) -> str:
    """A text in simple form with the lexicon's multi-word phrases joined into one token each."""
    lex = lexicon()
    simple = _simple(text)
    if lex.phrase_pattern is None:
        return simple
    present = tuple(p for p in lex.phrase_canon if p in simple)  # a quick test before the pattern
    if not present:
        return simple
    return _phrase_subset(present).sub(lambda m: lex.phrase_canon[m.group(1)], simple)


@lru_cache(maxsize=1_000)
def _phrase_subset(present: tuple[str, ...]) -> re.Pattern[str]:
    """The lexicon's phrase pattern narrowed to the phrases a text holds (longest first, as in the whole)."""
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(present, key=len, reverse=True)) + r")\b")


class _PerToken(dict):
    """A value worked out once per token (a token's key or light form never changes with its text)."""

    def __init__(self, work_out: Callable[[str], str | None]):
        super().__init__()
        self.work_out = work_out

    def __missing__(self, token: str) -> str | None:
        value = self[token] = self.work_out(token)
        return value


_TOKEN_KEYS: list[tuple[Lexicon, _PerToken]] = []


def _token_keys(lex: Lexicon) -> _PerToken:
    """Each token's concept key for the lexicon in use."""
    if not _TOKEN_KEYS or _TOKEN_KEYS[0][0] is not lex:
        _TOKEN_KEYS[:] = [(lex, _PerToken(lambda token: _key(token, lex)))]
    return _TOKEN_KEYS[0][1]


def _token_key(token: str, lex: Lexicon) -> str | None:
    """`_key`, remembered per token for the lexicon in use."""
    return _token_keys(lex)[token]


def _key(token: str, lex: Lexicon) -> str | None:
    if token in lex.stopwords:
        return None
    plain = _light(token)
    if token in lex.distinct_words or plain in lex.distinct_words:  # "authority" keeps its own key, not "author"'s
        return "=" + (plain if plain in lex.distinct_words else token)
    stem = _stem(token)
    for member, canon in lex.word_canon.get(stem, ()):
        if abs(len(token) - len(member)) <= INFLECTION:  # "rings" is "ring"; "apart" is not "apartment"
            return canon
    return stem


def key_of(word: str) -> str | None:
    """The concept key of one word."""
    keys = read(word).keys
    return keys[0] if keys else None


@lru_cache(maxsize=1)
def weak_keys() -> frozenset[str]:
    """Keys of words too common to be evidence on their own (`weak_words` in the lexicon)."""
    return frozenset(k for w in lexicon().words("weak_words") for k in read(w).content)


WEAK_WEIGHT = 0.25


def coverage(reference: str | Words, text: str | Words | Iterable[str]) -> float:
    """Weighted share of the reference's content keys that the text also holds (0 to 1).

    Common words (`weak_words`) weigh a quarter, and a match made only of them counts as 0
    when the reference has other words."""
    ref = read(reference).content if isinstance(reference, str) else reference.content
    if not ref:
        return 0.0
    if isinstance(text, str):
        have = read(text).content
    elif isinstance(text, Words):
        have = text.content
    else:
        have = frozenset(text)
    weak = weak_keys()
    strong_ref = ref - weak
    if not strong_ref and isinstance(reference, str):
        return _surface_overlap(reference, text)
    shared = ref & have
    if strong_ref and not (shared - weak):
        return 0.0
    weight = lambda keys: sum(WEAK_WEIGHT if k in weak else 1.0 for k in keys)  # noqa: E731
    return weight(shared) / weight(ref)


def _surface_overlap(reference: str, text: str | Words | Iterable[str]) -> float:
    """For references made only of common words: share of their words present as written."""
    ref = {t for t in read(reference).tokens if t not in {"a", "an", "the", "to", "of"}}
    if isinstance(text, str):
        have = set(read(text).tokens)
    elif isinstance(text, Words):
        have = set(text.tokens)
    else:
        return 0.0
    return len(ref & have) / len(ref) if ref else 0.0


def _negated(words: Words, start: int) -> bool:
    """True if a negator stands in the three words before a token, or the token is in a list a
    negator opens ("no worksheet, counts or ratings")."""
    lex = lexicon()
    wide = words.tokens[max(0, start - NEGATION_WINDOW) : start]
    if not any(token in lex.negators for token in wide) and " ".join(wide[-2:]) not in lex.negators:
        return start in list_negated(words.text)  # the clause can only narrow the window: no negator in it
    lo = _clause_start(words.text, start)
    window = words.tokens[max(lo, start - NEGATION_WINDOW) : start]
    if any(token in lex.negators for token in window):
        return True
    pair = " ".join(window[-2:])
    return pair in lex.negators or start in list_negated(words.text)


_CLAUSE_BREAK = re.compile(r"[.;:!?()\[\]]")


def _clause_start(text: str, position: int) -> int:
    """The first token of the clause a token is in: after the last . ; : ! ? or bracket before it, or after
    a word that turns from what was negated ("no worksheet, just notice", "no app but a card")."""
    words = read(text)
    tokens = words.tokens
    for j in range(min(position, len(tokens) - 1), 0, -1):
        if j < position and tokens[j] in _LIST_BREAKS:
            return j
        if _CLAUSE_BREAK.search(words.gap(j)):
            return j
    return 0


@lru_cache(maxsize=50_000)
def list_negated(text: str) -> frozenset[int]:
    """Token positions negated because they are in a list that a negator opens: items of at most
    three words, joined by commas, "or", "nor", "and" or "/", up to a clause break (. ; : ! ? or a
    bracket), a longer item, or a word such as "but", "instead" or "just"."""
    words = read(text)
    if LIST_NEGATORS.isdisjoint(words.tokens):
        return frozenset()
    negated: set[int] = set()
    for i, token in enumerate(words.tokens):
        if token in LIST_NEGATORS:
            negated |= _list_after(words, i + 1)
    return frozenset(negated)


def _list_after(words: Words, first: int) -> set[int]:
    tokens = words.tokens
    items: list[list[int]] = [[]]
    for j in range(first, len(tokens)):
        gap = words.gap(j)
        if j > first and re.search(r"[.;:!?()\[\]]", gap):
            break
        if tokens[j] in _LIST_BREAKS or tokens[j] in lexicon().negators:
            break
        if tokens[j] in {"or", "nor", "and"}:
            items.append([])
            continue
        if j > first and ("," in gap or "/" in gap) and items[-1]:
            items.append([])
        items[-1].append(j)
        if len(items[-1]) > LIST_ITEM:
            items.pop()
            break
    if len(items) < 2:  # no list: the three-word window already covers a single item
        return set()
    return {j for item in items for j in item}


def _key_positions(words: Words, key: str) -> list[int]:
    """Every position of a concept key in a text's keys, in order."""
    keys, found, at = words.keys, [], -1
    try:
        while True:
            at = keys.index(key, at + 1)
            found.append(at)
    except ValueError:
        return found


@lru_cache(maxsize=50_000)
def _phrase_parts(phrase: str) -> tuple[Words, frozenset[int], tuple[str, ...], tuple[str, ...]]:
    """A phrase read once: its words, the positions of its absence words, the keys it needs and the
    keys that must be negated ("no phone": phone)."""
    ref = read(phrase)
    absent = frozenset(absence_positions(ref.tokens))
    wanted = tuple(k for i, k in enumerate(ref.keys) if k and i not in absent)
    negated_part = tuple(k for i, k in enumerate(ref.keys) if k and absent and i > min(absent) and i not in absent)
    return ref, absent, wanted, negated_part


def phrase_position(phrase: str, words: Words, *, respect_negation: bool = True) -> int | None:
    """Where a phrase's content words all occur close together (in order-free form), or None.

    A phrase whose content words are all stopwords matches on its surface tokens instead.
    A match preceded by a negator ("no", "without", "instead of") does not count when
    `respect_negation` is set.
    """
    ref, absent, wanted, negated_part = _phrase_parts(phrase)
    needs_negation = bool(absent)
    if not wanted:
        return _surface_position(ref.tokens, words, respect_negation)
    content = words.content
    if any(k not in content for k in wanted):
        return None
    span = len(ref.tokens) + 3
    for start in _key_positions(words, wanted[0]):
        lo, hi = max(0, start - span), min(len(words.keys), start + span + 1)
        window = words.keys[lo:hi]
        if all(k in window for k in wanted[1:]):
            first = min([start] + [lo + window.index(k) for k in wanted[1:]])
            if needs_negation:
                if _absence_holds(words, lo, window, negated_part, first, span):
                    return first
                continue
            if respect_negation and _negated(words, first):
                continue
            return first
    return None


def _absence_holds(words: Words, lo: int, window: tuple[str | None, ...], negated_part: tuple[str, ...], first: int,
                   span: int) -> bool:
    """For an absence phrase: the words after its absence word are negated in the text ("sister not
    available" in "her sister is not available"), or, when none follow it ("Rafa not there"), a negator
    stands just after the words before it."""
    if negated_part:
        return _negated(words, min(lo + window.index(k) for k in negated_part))
    if _negated(words, first):
        return True
    after = words.tokens[first + 1 : first + span]
    return any(t in lexicon().negators or t in ABSENCE_WORDS for t in after)


def absence_positions(tokens: tuple[str, ...]) -> frozenset[int]:
    """Which tokens of a cue phrase make it an absence phrase (see `ABSENCE_WORDS`); empty if it is not one."""
    found = {i for i, t in enumerate(tokens) if t in ABSENCE_WORDS}
    if tokens and tokens[0] in OPENING_ABSENCE_WORDS:
        found.add(0)
    return frozenset(found)


def _surface_position(tokens: tuple[str, ...], words: Words, respect_negation: bool) -> int | None:
    n = len(tokens)
    if not n:
        return None
    for i in range(len(words.tokens) - n + 1):
        if words.tokens[i : i + n] == tokens:
            if respect_negation and _negated(words, i):
                continue
            return i
    return None


def _light(token: str) -> str:
    """A token without a plural ending ("diaries" is "diary", "boxes" is "box", "calls" is "call")."""
    for suffix in ("ies", "es", "s"):
        if token.endswith(suffix) and len(token) > len(suffix) + 2:
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


_LIGHT = _PerToken(_light)


@lru_cache(maxsize=20_000)
def _light_phrase(phrase: str) -> tuple[str, ...]:
    return tuple(_light(t) for t in read(phrase).tokens)


@lru_cache(maxsize=50_000)
def _light_text(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    tokens = tuple(map(_LIGHT.__getitem__, read(text).tokens))
    return tokens, frozenset(tokens)


def exact_phrase_position(phrase: str, words: Words, *, gap: int = 1) -> int | None:
    """Where a phrase occurs word for word (plurals aside, at most `gap` extra words between
    its words), not negated; or None. Used where a loose match would be costly: things a plan
    must not do. An absence phrase ("no phone", "without writing") matches its other words when
    they are negated, by whichever negator."""
    rest, needs_negation = _exact_parts(phrase)
    for start in _exact_starts(rest, words, gap):
        if _negated(words, start) == needs_negation:
            return start
    return None


@lru_cache(maxsize=20_000)
def _exact_parts(phrase: str) -> tuple[tuple[str, ...], bool]:
    """The light tokens a phrase must show word for word, and whether they must be negated."""
    wanted = _light_phrase(phrase)
    absent = absence_positions(read(phrase).tokens)
    rest = tuple(t for i, t in enumerate(wanted) if i not in absent)
    if not rest:
        rest = wanted  # a phrase made only of absence words ("not now") is matched as written
    return rest, len(rest) < len(wanted)


def _exact_starts(wanted: tuple[str, ...], words: Words, gap: int) -> Iterable[int]:
    """Every position where the light tokens occur in order, at most `gap` words apart."""
    if not wanted:
        return
    have, present = _light_text(words.text)
    if any(t not in present for t in wanted):
        return
    for start, token in enumerate(have):
        if token != wanted[0]:
            continue
        position, ok = start, True
        for target in wanted[1:]:
            window = have[position + 1 : position + 2 + gap]
            if target not in window:
                ok = False
                break
            position = position + 1 + window.index(target)
        if ok:
            yield start


def may_hold_exact_phrase(phrase: str, text: str | Words) -> bool:
    """A quick test: False if the text lacks a word `has_exact_phrase` would need for this phrase."""
    words = read(text) if isinstance(text, str) else text
    return _light_text(words.text)[1].issuperset(_exact_parts(phrase)[0])


def has_exact_phrase(phrase: str, text: str | Words) -> bool:
    """True if the phrase occurs word for word (see `exact_phrase_position`)."""
    words = read(text) if isinstance(text, str) else text
    return exact_phrase_position(phrase, words) is not None


def has_phrase(phrase: str, text: str | Words, *, respect_negation: bool = True) -> bool:
    """True if the phrase occurs in the text (close together, not negated)."""
    words = read(text) if isinstance(text, str) else text
    return phrase_position(phrase, words, respect_negation=respect_negation) is not None


def matching_phrases(
    phrases: Iterable[str], text: str | Words, *, respect_negation: bool = True
) -> list[str]:
    """The phrases from a list that occur in the text."""
    words = read(text) if isinstance(text, str) else text
    return [
        p for p in _phrase_book(tuple(phrases)).candidates(words.content)
        if phrase_position(p, words, respect_negation=respect_negation) is not None
    ]


class _PhraseBook:
    """A list of cue phrases, indexed by one content key each phrase needs (its rarest in the list), so
    that a text is tried only against phrases whose key it holds. Order is kept."""

    def __init__(self, phrases: tuple[str, ...]):
        self.phrases = phrases
        needs = [_phrase_parts(p)[2] for p in phrases]
        frequency: dict[str, int] = {}
        for wanted in needs:
            for key in set(wanted):
                frequency[key] = frequency.get(key, 0) + 1
        self.always: list[int] = []
        self.by_key: dict[str, list[int]] = {}
        for i, wanted in enumerate(needs):
            if wanted:
                self.by_key.setdefault(min(wanted, key=lambda k: (frequency[k], k)), []).append(i)
            else:
                self.always.append(i)  # matched on its surface words

    def candidates(self, keys: frozenset[str]) -> list[str]:
        """The phrases worth trying on a text with these content keys, in list order."""
        if len(keys) < len(self.by_key):
            chosen = [i for key in keys for i in self.by_key.get(key, ())]
        else:
            chosen = [i for key, members in self.by_key.items() if key in keys for i in members]
        return [self.phrases[i] for i in sorted(chosen + self.always)]


@lru_cache(maxsize=5_000)
def _phrase_book(phrases: tuple[str, ...]) -> _PhraseBook:
    return _PhraseBook(phrases)


def surface_matches(phrases: Iterable[str], text: str) -> list[str]:
    """Phrases found as whole words in the text, ignoring case (no stemming, no negation)."""
    simple = _surface(text)
    return [phrase for phrase, probe in _probes(tuple(phrases)) if probe in simple]


@lru_cache(maxsize=2_000)
def _probes(phrases: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each phrase with the surface form looked for (phrases with no words are left out)."""
    return tuple((phrase, _surface(phrase)) for phrase in phrases if _surface(phrase).strip())


@lru_cache(maxsize=50_000)
def _surface(text: str) -> str:
    return " " + " ".join(_WORD.findall(_simple(text))) + " "


_ABBREVIATIONS = r"Mrs|Mr|Ms|Dr|Prof|St|e\.g|i\.e|etc|vs|approx|a\.m|p\.m|No"
_ABBREVIATION_BEFORE = re.compile(rf"(?:^|\W)(?:{_ABBREVIATIONS})\Z", re.IGNORECASE)
_ABBREVIATION_REACH = 7  # the longest abbreviation ("approx") and the character before it
_FULL_STOP = re.compile(r"\.(?=\s)")


def _shield_abbreviations(text: str) -> str:
    """The text with the full stop after "Mrs", "e.g", "approx"... (a whole word, any case) made a
    one-dot leader, so that no sentence ends there."""
    pieces, last = [], 0
    for stop in _FULL_STOP.finditer(text):
        at = stop.start()
        if _ABBREVIATION_BEFORE.search(text, max(0, at - _ABBREVIATION_REACH), at):
            pieces += [text[last:at], "\u2024"]
            last = at + 1
    return "".join(pieces) + text[last:] if pieces else text


def split_sentences(text: str) -> list[str]:
    """Split a text into sentences (also at semicolons and line breaks), not after "Mrs." or "e.g."."""
    shielded = _shield_abbreviations(text or "")
    parts = [p.strip(" \t-•*").replace("\u2024", ".") for p in _SENTENCE_END.split(shielded)]
    return [p for p in parts if p and any(ch.isalnum() for ch in p)]


def function_word_share(words: Words) -> float:
    """Share of tokens that are function words (natural sentences have many, keyword lists few)."""
    if not words.tokens:
        return 0.0
    return sum(1 for k in words.keys if k is None) / len(words.tokens)


def is_keyword_list(sentence: str) -> bool:
    """True if a sentence is a bag of keywords rather than prose.

    Terse but real notes ("Mon-Fri 15:30", "Screened for risk today: none identified") are not lists:
    a list has four or more short separated items with hardly a function word between them, or runs
    on for eight or more words without a single one."""
    words = read(sentence)
    n = len(words.tokens)
    if n < 4:
        return False
    items = _list_items(sentence)
    if len(items) >= 4 and n / len(items) <= 2.5 and function_word_share(words) < 0.2:
        return True
    return n >= 8 and function_word_share(words) == 0.0


_LIST_SEPARATOR = re.compile(r"[,/|+;]|\s-\s|\s–\s")


@lru_cache(maxsize=50_000)
def _list_items(sentence: str) -> tuple[str, ...]:
    """The parts of a sentence between commas, slashes, semicolons, plus signs and spaced dashes."""
    return tuple(i for i in _LIST_SEPARATOR.split(sentence) if i.strip())


def is_phrase_list(sentence: str) -> bool:
    """True if a sentence is a list of short phrases (four or more, none longer than six words) rather
    than a sentence. A list of options can be a real answer; a plan made of such lists is not."""
    items = _list_items(sentence)
    if len(items) < 4:
        return False
    sizes = [len(read(i).tokens) for i in items]
    return max(sizes) <= 6 and sum(sizes) / len(sizes) <= 4


# Word classes for telling a sentence from words strung together at random.
_DETERMINERS = frozenset({"a", "an", "the", "every", "each"})
_PREPOSITIONS = frozenset({"of", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about", "under", "during"})
_FINITE = frozenset({"is", "are", "was", "were", "am", "will", "would", "shall", "should", "can", "could", "may",
                     "might", "must", "does", "did"})
_SUBJECTS = frozenset({"i", "he", "she", "we", "they"})
_CONJUNCTIONS = frozenset({"and", "or", "but", "nor"})


def _never_after() -> dict[str, frozenset[str]]:
    """For each word of the classes above, the words that never follow it in a sentence (the first
    rule that applies to a word decides, as determiners are never also finite verbs, and so on)."""
    rules = [
        (_DETERMINERS, _DETERMINERS | _PREPOSITIONS | _FINITE | _SUBJECTS | _CONJUNCTIONS),
        (_PREPOSITIONS - {"in", "on", "about", "under"}, _FINITE | _SUBJECTS),
        (_SUBJECTS, _DETERMINERS | _SUBJECTS | _PREPOSITIONS),
        (_CONJUNCTIONS, _CONJUNCTIONS),
        (_FINITE, _FINITE),
    ]
    table: dict[str, frozenset[str]] = {}
    for firsts, seconds in rules:
        for word in firsts:
            table.setdefault(word, seconds)
    return table


_NEVER_AFTER = _never_after()
_NEVER_LAST = frozenset({"a", "an", "the"}) | _CONJUNCTIONS


def grammar_breaks(words: Words) -> int:
    """How many neighbouring word pairs no English sentence would have ("the she", "of and", "a will")."""
    tokens = words.tokens
    breaks = 0
    for first, second in zip(tokens, tokens[1:], strict=False):
        followers = _NEVER_AFTER.get(first)
        if followers is not None and second in followers:
            breaks += 1
    if tokens and tokens[-1] in _NEVER_LAST:
        breaks += 1
    return breaks


def is_word_salad(sentence: str) -> bool:
    """True if a sentence reads as words strung together rather than written: two or more pairs
    no sentence would have, or one in a short run with no punctuation at all."""
    words = read(sentence)
    n = len(words.tokens)
    if n < 6:
        return False
    breaks = grammar_breaks(words)
    return breaks >= 2 or (breaks >= 1 and n <= 20 and not re.search(r"[,.;:!?\"'()]", sentence))


def jargon_in(text: str) -> list[str]:
    """Clinical jargon terms used in the text."""
    return surface_matches(lexicon().words("jargon"), text)


def numbers_in(text: str) -> list[float]:
    """Numbers written in digits or as common number words."""
    values = []
    for token in read(text).tokens:
        token = token.rstrip("x")
        if token.replace(".", "", 1).isdigit():
            values.append(float(token))
    return values


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    """Word n-grams of the content keys, used to detect copied text."""
    keys = [k for k in read(text).keys if k]
    return {tuple(keys[i : i + size]) for i in range(len(keys) - size + 1)}


def excerpt(text: str, limit: int) -> str:
    """A text shortened to at most `limit` characters at a word boundary, with "…" where it was cut."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
