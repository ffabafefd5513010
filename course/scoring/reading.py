"""A plan read as a whole against one case: its sentences, which of them are gamed, and
whether the plan is about this client at all."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from course.language import (
    Words,
    coverage,
    is_keyword_list,
    is_phrase_list,
    is_word_salad,
    lexicon,
    matching_phrases,
    read,
    read_joined,
    shingles,
    split_sentences,
)
from course.plans import Plan
from course.vignettes import Vignette, all_vignettes

# Fields whose answer may be terse ("Mon-Fri 15:30", "kitchen", "try-out") without being a keyword list.
TERSE_FIELDS = {"when", "where", "frequency", "duration", "framing_word", "hierarchy_step", "summary_format", "format"}
# Fields whose answer is expected to be prose; gaming is judged on these.
NARRATIVE_FIELDS = (
    "goal_link", "takeaway_link", "task", "rationale", "collaboration.options_offered",
    "collaboration.client_choice", "collaboration.client_words", "minimum_version", "teach_back",
    "confidence_change", "framing", "adaptations", "record", "review", "risk", "summary",
)
# Fields where quoting the client, or restating the case (its risks), is expected.
QUOTE_FIELDS = {"goal", "takeaway", "collaboration.client_words", "collaboration.client_choice", "teach_back", "risk"}
COPY_SHARE = 0.6
OPTIONS_FIELD = "collaboration.options_offered"
VERBATIM_SHARE = 0.8  # restating what the therapist said in session is fine; pasting it is not
REPEAT_FIELDS = 3
GAMED_SHARE = 0.5
CASE_WORDS_SHARE = 0.85  # genuine plans reach at most about 60 % of fields without a word of their own
QUOTE_ONLY_FIELDS = {"goal", "takeaway", "collaboration.client_words", "teach_back"}
SUBSTANTIAL_PLAN = 60
FOREIGN_SHARE = 0.35  # a plan about something else shares fewer than this share of its words with the case
# A capitalised word not at the start of a sentence or clause: a name (or a day, an acronym: filtered out).
_NAME = re.compile(r"(?<![.!?:;(\"“'‘\-–—]\s)(?<![.!?:;(\"“'‘\-–—])\b([A-Z][a-z]{2,})(?:'s|’s)?\b")  # content words; below this a plan is judged item by item, not gated


# A capitalised word opening a sentence or clause: a name only if what follows says so (see foreign_names).
_OPENING_WORD = re.compile(r"(?:[.!?:;(\"“‘\-–—]\s*)([A-Z][a-z]{2,})\b")


def _common(word: str, common: set[str]) -> bool:
    """True if a capitalised word is a common one (a day, a month...), in the singular or plural ("Mondays")."""
    lowered = word.lower()
    return lowered in common or lowered.removesuffix("s") in common


def _named_by_what_follows(word: str, after: str) -> bool:
    """True if a capitalised word opening a sentence is used as a person's name: a possessive follows
    ("Ananya's boss") or a verb a person does ("Ananya will", "Ananya chose"). Ordinary words that open
    sentences ("Practise", "Walking") are not names: function words, -ing forms and words the plan
    also writes in lower case are left out before this test."""
    if word.lower() in lexicon().stopwords or word.lower().endswith("ing"):
        return False
    if re.match(r"(?:'s|’s|'ll|’ll|'d|’d)\b", after):
        return True
    following = re.match(r"\s+([a-z']+)", after)
    return bool(following) and following.group(1) in set(lexicon().words("name_followers"))


@dataclass
class Sentence:
    """One sentence of one plan field, with what the grader concluded about it."""

    field: str
    text: str
    words: Words
    flags: set[str] = field(default_factory=set)
    listed: bool = False
    """A list of short phrases: valid evidence, but a plan made of such lists is gamed."""

    @property
    def valid(self) -> bool:
        """True if the sentence can serve as evidence."""
        return not self.flags


_OFFERS = re.compile(r"\bor\b|\beither\b|\boptions?\b|\bchoices?\b|\balternatives?\b|\bideas?\b|;|\n", re.IGNORECASE)


def offers_options(text: str) -> bool:
    """True if a text sets out options ("... or ...", "two ideas: ...", a list split by semicolons or
    lines): the words in which options were offered in session, which a plan may restate."""
    return bool(_OFFERS.search(text))


def name_parts(name: str) -> set[str]:
    """The words of a person's name that identify them: not titles or function words ("the Boss" is "boss")."""
    return set(_name_parts(name))


@lru_cache(maxsize=5_000)
def _name_parts(name: str) -> frozenset[str]:
    stop = lexicon().stopwords | {"mrs", "mr", "ms", "dr", "and"}
    return frozenset(p for p in read(name).tokens if len(p) > 2 and p not in stop)


def plan_fields(plan: Plan) -> dict[str, str]:
    """Every text field of a plan, flattened to `name` or `parent.child` keys."""
    fields: dict[str, str] = {}
    for name, value in plan.model_dump().items():
        if name in {"schema_version", "vignette_id", "confidence", "confidences", "obstacles", "collaboration", "conversation"}:
            continue
        fields[name] = value or ""
    for name, value in plan.collaboration.model_dump().items():
        fields[f"collaboration.{name}"] = value or ""
    for i, item in enumerate(plan.obstacles):
        fields[f"obstacles.{i}.obstacle"] = item.obstacle or ""
        fields[f"obstacles.{i}.if_then"] = item.if_then or ""
    return fields


def is_narrative(name: str) -> bool:
    """True if a field is expected to hold prose."""
    return name in NARRATIVE_FIELDS or name.endswith(".if_then")


class PlanReading:
    """A plan's sentences, with gamed ones flagged, and what ties the plan to the case."""

    def __init__(self, plan: Plan, vignette: Vignette):
        self.plan = plan
        self.vignette = vignette
        self.fields = plan_fields(plan)
        self.sentences: list[Sentence] = [
            Sentence(name, text, read(text))
            for name, value in self.fields.items()
            for text in split_sentences(value)
        ]
        self._flag_keyword_lists()
        self._flag_copies()
        self._flag_repeats()
        self.gamed_fields = self._gamed_fields()
        self.filled_narrative = [
            n for n, v in self.fields.items()
            if v.strip() and n not in {"goal", "takeaway"} and (n not in TERSE_FIELDS or n in self.gamed_fields)
        ]
        self.only_case_words = self._made_of_case_words()
        self._valid_cache: dict[tuple[str, ...] | None, list[Sentence]] = {}
        self._valid_by_field: dict[str, list[Sentence]] = {}
        for sentence in self.sentences:
            if sentence.valid:
                self._valid_by_field.setdefault(sentence.field, []).append(sentence)
        # the names that select a field: itself and each dotted parent ("obstacles", "obstacles.0")
        self._field_names = {
            f: frozenset(".".join(f.split(".")[: i + 1]) for i in range(f.count(".") + 1)) for f in self.fields
        }
        self.memo: dict[str, object] = {}
        """Findings computed once and shared by several rules (e.g. safety)."""

    # -- gaming ---------------------------------------------------------------------------
    def _flag_keyword_lists(self) -> None:
        quotes = client_quotes(self.vignette)
        for sentence in self.sentences:
            if sentence.field in {"goal", "takeaway"}:
                continue
            rest = re.sub(r"\([^()]*\)", " ", _without_quotes(sentence.text, quotes))  # "(mood, sleep, drinking)" lists what was asked
            if sentence.field in TERSE_FIELDS and (re.search(r"\d", rest) or len(rest.split()) <= 6):
                continue
            parts = [part for part in re.split(r":|\s[-–—]\s", rest) if part.strip()]
            if any(is_keyword_list(part) or is_word_salad(part) for part in parts):
                sentence.flags.add("keyword list")
            elif any(is_phrase_list(part) for part in parts):
                sentence.listed = True

    def _flag_copies(self) -> None:
        corpus = case_text_shingles(self.vignette)
        said = therapist_shingles(self.vignette)
        narration = case_sentence_keys(self.vignette, with_client_turns=False)
        everything = case_sentence_keys(self.vignette, with_client_turns=True)

        def copied(sentence: Sentence) -> bool:
            quoting = sentence.field in QUOTE_FIELDS
            if _contained(sentence.words, narration if quoting else everything):
                return True
            if quoting:
                return False
            grams = shingles(sentence.text)
            if len(grams) < 4:
                return False
            if len(grams & corpus) / len(grams) >= COPY_SHARE:
                return True
            if sentence.field == OPTIONS_FIELD and offers_options(self.fields[OPTIONS_FIELD]):
                return False  # the options offered in session, restated, are the record this field asks for
            return len(grams & said) / len(grams) >= VERBATIM_SHARE

        for sentence in self.sentences:
            if ".obstacle" in sentence.field or sentence.field in {"goal", "takeaway", "risk"}:
                continue
            if copied(sentence):
                sentence.flags.add("copied from the case")

    def _flag_repeats(self) -> None:
        signature: dict[int, tuple[str, ...]] = {}
        for i, sentence in enumerate(self.sentences):
            keys = tuple(sorted(sentence.words.content))
            if len(keys) >= 4:
                signature[i] = keys
        owners: dict[tuple[str, ...], list[int]] = {}
        for i, keys in signature.items():
            owners.setdefault(keys, []).append(i)
        for indices in owners.values():
            fields = {self.sentences[i].field for i in indices}
            if len(fields) >= REPEAT_FIELDS:
                for i in indices[1:]:
                    self.sentences[i].flags.add("pasted into several fields")

    def _gamed_fields(self) -> set[str]:
        """Fields at least half of whose words are in gamed sentences or lists of phrases."""
        total: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        for sentence in self.sentences:
            total[sentence.field] += len(sentence.words) or 1
            if sentence.flags or sentence.listed:
                flagged[sentence.field] += len(sentence.words) or 1
        return {name for name in total if flagged[name] * 2 >= total[name] and flagged[name]}

    @property
    def gaming(self) -> Counter[str]:
        """How many sentences carry each gaming flag."""
        counts = Counter(flag for s in self.sentences for flag in s.flags)
        if self.only_case_words:
            counts["words taken from the case and strung together"] += len(self.sentences) + 1
        return counts

    def _made_of_case_words(self) -> bool:
        """True if nearly every field that says something uses only words found in the case: words
        drawn from the case and strung together, not a plan in the trainee's own words."""
        case_words = case_vocabulary(self.vignette)
        field_keys: dict[str, set[str]] = {}
        for sentence in self.sentences:  # a field's words are its sentences' words
            field_keys.setdefault(sentence.field, set()).update(sentence.words.content)
        checked = only = 0
        for name, value in self.fields.items():
            if name in QUOTE_ONLY_FIELDS or not value.strip():
                continue
            keys = field_keys.get(name, set())
            if len(keys) < 3:
                continue
            checked += 1
            only += not (keys - case_words)
        return checked >= 5 and only >= CASE_WORDS_SHARE * checked

    @property
    def is_gamed(self) -> bool:
        """True if most of the plan is keyword lists, case copies, one pasted sentence or case words strung together."""
        gamed = [n for n in self.filled_narrative if n in self.gamed_fields]
        if self.only_case_words:
            return True
        return bool(self.filled_narrative) and len(gamed) >= GAMED_SHARE * len(self.filled_narrative)

    # -- access to valid text ---------------------------------------------------------------
    def valid(self, names: Iterable[str] | None = None) -> list[Sentence]:
        """Valid sentences, from the named fields (prefix match) or from all fields."""
        wanted = tuple(names) if names is not None else None
        if wanted not in self._valid_cache:
            if wanted is None:
                chosen = [s for s in self.sentences if s.valid]
            else:
                chosen = [s for f, names_of_f in self._field_names.items()
                          if not names_of_f.isdisjoint(wanted) for s in self._valid_by_field.get(f, ())]
            self._valid_cache[wanted] = chosen
        return self._valid_cache[wanted]

    def text(self, *names: str) -> str:
        """The valid text of the named fields, joined."""
        return " ".join(s.text for s in self.valid(names))

    def words(self, *names: str) -> Words:
        """The valid text of the named fields, read."""
        return read_joined([s.text for s in self.valid(names or None)])

    def best(self, reference: str, names: Iterable[str] | None = None) -> tuple[float, Sentence | None]:
        """The valid sentence that covers most of a reference text, and its coverage."""
        best_score, best_sentence = 0.0, None
        for sentence in self.valid(names):
            score = coverage(reference, sentence.words)
            if score > best_score:
                best_score, best_sentence = score, sentence
        return best_score, best_sentence

    def find(self, phrases: Iterable[str], names: Iterable[str] | None = None) -> tuple[str, Sentence] | None:
        """The first phrase from a list found in a valid sentence, with that sentence."""
        phrases = list(phrases)
        for sentence in self.valid(names):
            hits = matching_phrases(phrases, sentence.words)
            if hits:
                return hits[0], sentence
        return None

    # -- is this plan about this client? ----------------------------------------------------
    def case_anchor(self) -> tuple[bool, str]:
        """Whether the plan is about this case, and a reason when it is not.

        Judged from the plan and this case alone: a plan that names none of this client's goals,
        takeaway or people and is about someone else (it names people the case never mentions) or
        about something else (a substantial plan with hardly a word of this case's problem) is not."""
        case = self.vignette
        spoken_for = any(
            self.speaks_for(goal.text, "goal") or (goal.clinical and self.speaks_for(goal.clinical, "goal", 0.6))
            for goal in case.goals
        ) or self.speaks_for(case.takeaway.text, "takeaway")
        if spoken_for or self.names_client(case):
            return True, ""
        strangers = self.foreign_names()
        if len(strangers) >= 2:
            who = strangers.most_common(1)[0][0]
            return False, (f"it is about {who}, who is not in this case, and names none of {case.client.name}'s "
                           "goals, their takeaway or the people in their life")
        if self.distinctive_hits(case) >= 3:
            return True, ""
        if len(self.words().content) >= SUBSTANTIAL_PLAN and self.case_share() < FOREIGN_SHARE:
            return False, f"it names none of {case.client.name}'s goals, their takeaway or their situation"
        return True, ""

    def speaks_for(self, reference: str, field: str, share: float = 0.5) -> bool:
        """True if a sentence of the plan restates a goal or takeaway of the case: most of its words,
        and at least two of its telling ones (a one-word goal counts only in its own field)."""
        from course.language import weak_keys
        from course.scoring.rules import action_verb_keys

        strong = read(reference).content - weak_keys() - action_verb_keys()  # "stop", "ask" tie no plan to a client
        score, sentence = self.best(reference)
        if sentence is None or score < share:
            return False
        shared = sentence.words.content & strong
        if len(strong) >= 2:
            return len(shared) >= 2
        return bool(shared) and sentence.field == field

    def foreign_names(self) -> Counter[str]:
        """Names of people or places the plan uses that appear nowhere in this case (each mention counted)."""
        known = case_words_as_written(self.vignette)
        common = set(lexicon().words("capitalised_words"))
        found: Counter[str] = Counter()
        openings: list[tuple[str, str]] = []
        for sentence in self.sentences:
            for match in _NAME.finditer(sentence.text):
                word = match.group(1)
                if _common(word, common) or word.lower() in known or word.isupper():
                    continue
                if match.start(1) == 0:
                    openings.append((word, sentence.text[match.end(1):]))
                    continue
                found[word] += 1
            openings += [(m.group(1), sentence.text[m.end(1):]) for m in _OPENING_WORD.finditer(sentence.text)
                         if m.start(1) > 0 and not _common(m.group(1), common) and m.group(1).lower() not in known]
        lower = set(re.findall(r"\b[a-z]+\b", " ".join(s.text for s in self.sentences)))
        for word, after in openings:
            if word in found or (word.lower() not in lower and _named_by_what_follows(word, after)):
                found[word] += 1
        return found

    def case_share(self) -> float:
        """Share of the plan's content words that occur anywhere in the case."""
        have = self.words().content
        return len(have & case_vocabulary(self.vignette)) / len(have) if have else 1.0

    def names_client(self, case: Vignette) -> bool:
        """True if the plan names this case's client (or someone else in their case)."""
        names = [case.client.name, *case.client.others, *(person.name for person in case.people)]
        text = " ".join(s.text for s in self.valid())
        tokens = set(read(text).tokens)
        return any(name_parts(name) & tokens for name in names)

    def distinctive_hits(self, case: Vignette) -> int:
        """How many of a case's distinctive words the plan's valid text uses."""
        have = self.words().content
        return len(have & distinctive_keys(case))


def _narrative_text(case: Vignette, *, client_turns: bool = True) -> list[str]:
    """The case's description and (unless asked not to) the client's side of the transcript.

    The therapist's turns are left out: a plan restating what was agreed in session is not
    a copy of the case."""
    parts = [case.presenting_problem, case.client.context]
    parts += [c.text for c in case.constraints] + [o.text for o in case.obstacles] + [r.text for r in case.risks]
    if case.review_case:
        parts += [case.review_case.assigned_task, case.review_case.what_happened]
    if client_turns:
        parts += [turn.text for turn in case.transcript if turn.speaker.lower() != "therapist"]
    return parts


def case_text_shingles(case: Vignette) -> frozenset[tuple[str, ...]]:
    """Word trigrams of the case's narrative text, minus those of its goals and takeaway."""
    if "shingles" not in case.cache:
        case.cache["shingles"] = _case_shingles(case)
    return case.cache["shingles"]


def _case_shingles(case: Vignette) -> frozenset[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    for part in _narrative_text(case):
        for sentence in split_sentences(part):
            grams |= shingles(sentence)
    allowed: set[tuple[str, ...]] = set()
    for text in [g.text for g in case.goals] + [case.takeaway.text]:
        allowed |= shingles(text)
    return frozenset(grams - allowed)


def _contained(words: Words, case_sentences: str) -> bool:
    """True if a sentence's content words (three or more) run, in order, inside a case sentence (the
    case's sentences as key strings, one per line: see `case_sentence_keys`)."""
    keys = [k for k in words.keys if k]
    if len(keys) < 3:
        return False
    return " " + " ".join(keys) + " " in case_sentences


def case_sentence_keys(case: Vignette, *, with_client_turns: bool) -> str:
    """Each sentence of the case's narration (and, if asked, the client's turns) as a key string with a
    space at each end, one per line, minus the goals and takeaway, which a plan is expected to quote."""
    name = f"sentence_keys_{with_client_turns}"
    if name not in case.cache:
        parts = _narrative_text(case, client_turns=with_client_turns)
        quotable = {" ".join(k for k in read(t).keys if k) for t in [g.text for g in case.goals] + [case.takeaway.text]}
        keyed = []
        for part in parts:
            for sentence in split_sentences(part):
                line = " ".join(k for k in read(sentence).keys if k)
                if line and line not in quotable:
                    keyed.append(" " + line + " ")
        case.cache[name] = "\n".join(keyed)  # no key holds a line break, so no probe runs across two lines
    return case.cache[name]


def therapist_shingles(case: Vignette) -> frozenset[tuple[str, ...]]:
    """Word trigrams of the therapist's turns in the transcript."""
    if "therapist_shingles" not in case.cache:
        grams: set[tuple[str, ...]] = set()
        for turn in case.transcript:
            if turn.speaker.lower() == "therapist":
                for sentence in split_sentences(turn.text):
                    grams |= shingles(sentence)
        case.cache["therapist_shingles"] = frozenset(grams)
    return case.cache["therapist_shingles"]


def distinctive_keys(case: Vignette) -> frozenset[str]:
    """Content words of a case that few other cases in the library share."""
    if "distinctive" not in case.cache:
        case.cache["distinctive"] = _distinctive(case)
    return case.cache["distinctive"]


def _distinctive(case: Vignette) -> frozenset[str]:
    library = [v for v in all_vignettes() if v.id != case.id] + [case]
    frequency: Counter[str] = Counter()
    for other in library:
        frequency.update(_case_keys(other))
    limit = max(1, len(library) // 4)
    general = general_keys()
    return frozenset(
        k for k in _case_keys(case) if frequency[k] <= limit and not k.isdigit() and k not in general
    )


@lru_cache(maxsize=1)
def general_keys() -> frozenset[str]:
    """Words of the task catalogue's mechanisms and of generic aims and reasons: general, so
    never evidence of one case."""
    from course.catalogue import load_task_types
    from course.language import lexicon

    keys: set[str] = set()
    for task_type in load_task_types().values():
        keys |= read(task_type.mechanism).content | read(task_type.name).content
        for group in task_type.mechanism_cues:
            for phrase in group:
                keys |= read(phrase).content
    lists = lexicon().lists
    for name in ("jargon", "generic_goals", "generic_rationale", "why_cues", "link_cues"):
        for phrase in lists[name]:
            keys |= read(phrase).content
    return frozenset(keys)


def _case_keys(case: Vignette) -> frozenset[str]:
    texts = _narrative_text(case) + [g.text for g in case.goals] + [case.takeaway.text]
    keys: set[str] = set()
    for text in texts:
        keys |= read(text).content
    return frozenset(keys)



def client_quotes(case: Vignette) -> tuple[re.Pattern[str] | None, frozenset[str]]:
    """What the client said that a plan may quote (goals, takeaway, the client's own turns), as one
    pattern, with the opening (first 12 characters, lower case) of each thing said."""
    if "client_quotes" not in case.cache:
        quotes = [g.text for g in case.goals] + [case.takeaway.text]
        quotes += [t.text for t in case.transcript if t.speaker.lower() != "therapist"]
        quotes = sorted({q.strip(" .\"'") for q in quotes if len(q.strip(" .\"'")) > 8}, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(q) for q in quotes), re.IGNORECASE) if quotes else None
        case.cache["client_quotes"] = pattern, frozenset(q[:12].lower() for q in quotes)
    return case.cache["client_quotes"]


def _without_quotes(text: str, quotes: tuple[re.Pattern[str] | None, frozenset[str]]) -> str:
    """A sentence with the client's quoted words (and anything in quotation marks) taken out."""
    pattern, openings = quotes
    if pattern is not None:
        lowered = text.lower()
        if any(opening in lowered for opening in openings):  # a quick test before the pattern
            text = pattern.sub(" ", text)
    return _QUOTED.sub(" ", text)


_QUOTED = re.compile(r"[\"“”][^\"“”]*[\"“”]")


def case_vocabulary(case: Vignette) -> frozenset[str]:
    """Every content key in the case's text, transcript included."""
    if "vocabulary" not in case.cache:
        keys = set(_case_keys(case))
        for turn in case.transcript:
            keys |= read(turn.text).content
        keys |= read(case.title).content
        case.cache["vocabulary"] = frozenset(keys)
    return case.cache["vocabulary"]


def case_words_as_written(case: Vignette) -> frozenset[str]:
    """Every word of the case (all its text, key included), lower-cased as written."""
    if "as_written" not in case.cache:
        import json

        text = json.dumps(case.model_dump(mode="json"), ensure_ascii=False)
        case.cache["as_written"] = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", text))
    return case.cache["as_written"]
