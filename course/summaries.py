"""The client-facing written summary: a plain-language draft built from the trainee's own plan,
and how hard a text is to read.

Everything here is a pure function over plain data. The draft speaks to the client ("you") and
keeps the trainee's own words; it only turns third-person references to the client into "you",
splits long sentences and leaves out the parts the plan leaves empty. It is a starting point the
trainee edits, not a finished summary.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from course.language import jargon_in
from course.plans import Plan
from course.vignettes import Vignette

DEFAULT_WORD = "practice"
GRADE_HIGH = 8  # a client handout reads best at this school grade or below; simpler is fine
LONG_SENTENCE = 20  # words; longer sentences are split at a clause boundary where one is safe
MIN_PART = 6  # words each side of a split
WHY_WORDS = 28  # the reason taken from the plan is cut to about this many words (one or two short sentences)
_SCHOOL_WORDS = re.compile(r"\bhome\s*-?\s*work\b", re.IGNORECASE)
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "padre", "señora", "señor", "sra", "sr"}
_ABBREVIATION = re.compile(r"\b(Mrs|Mr|Ms|Mx|Dr|Prof|St|Sra|Sr|e\.g|i\.e|etc|vs|approx|a\.m|p\.m|No)\.(?=\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"”’)])\s+|\n+")
_CLAUSE = re.compile(r"(?:,\s+(?P<joiner>and|so|but)|(?<!\d):)\s+", re.IGNORECASE)
# after ", and" or a colon a new sentence only starts where the rest clearly is one (not a list)
_NEW_CLAUSE_AFTER_AND = {"i", "you", "we", "he", "she", "they", "it", "your", "on", "then", "later", "after",
                         "before", "every", "each", "once", "when", "if", "afterwards", "next", "from", "whoever"}
_CLAUSE_CUT = re.compile(r",\s+(?=(?:so|and|but|which|because|then|while|until)\b)|\s*[;:]\s", re.IGNORECASE)
_COMMA_CUT = re.compile(r",\s")
_BAD_DAY = re.compile(
    r"^(?:on|for)\s+(?:an?\s+|any\s+)?(?:very\s+|really\s+)?(?:bad|hard|tough|difficult|low|rough)"
    r"(?:\s+or\s+\w+)?\s+(?:day|evening|night|morning|afternoon|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\s*[,:]\s*",
    re.IGNORECASE,
)
_PARTICLES = {"a", "an", "the", "out", "up", "in", "on", "for", "to", "my", "his", "her", "their", "your", "it", "off"}
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\s+|.", re.UNICODE)


# -- names and words ------------------------------------------------------------------------
def first_name(vignette: Vignette) -> str:
    """How the summary addresses the client: the first name, or the whole name after a title."""
    name = " ".join(vignette.client.name.split())
    parts = name.split(" ")
    if parts[0].lower().rstrip(".") in _TITLES:
        return name
    return parts[0]


def framing_word(plan: Plan) -> str:
    """The word for the task: the plan's framing word without notes in brackets, never "homework"."""
    word = re.sub(r"\s*\([^)]*\)", "", plan.framing_word or "").strip(" \"'“”‘’.,;:")
    if not word or _SCHOOL_WORDS.search(word):
        return DEFAULT_WORD
    return word


def practice_title(plan: Plan) -> str:
    """A heading such as "Your experiment for this week"."""
    word = framing_word(plan)
    if _is_verb_phrase(word):
        return f"This week: {word}"
    return f"Your {word} for this week"


def _is_verb_phrase(word: str) -> bool:
    """True for words like "keeping an eye out", which read badly after "your"."""
    parts = word.lower().split()
    return len(parts) > 1 and parts[0].endswith("ing") and parts[1] in _PARTICLES


def _is_plural(word: str) -> bool:
    last = word.lower().split()[-1]
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


# -- speaking to the client -----------------------------------------------------------------
_ADVERBS = {"always", "never", "often", "still", "also", "just", "usually", "only", "then", "sometimes",
            "really", "already", "now", "even", "first", "actually", "probably", "rarely", "mostly", "most",
            "almost", "nearly", "hardly", "barely", "finally", "truly", "seldom", "soon", "quickly"}
# words after which a name is an object ("with Aisha", "tell Aisha"): its next word is not her verb
_NAME_OBJECT_AFTER = {
    "to", "with", "for", "by", "about", "at", "from", "of", "on", "in", "into", "than", "like", "onto",
    "towards", "toward", "without", "between", "among", "help", "helps", "helped", "let", "lets", "tell",
    "tells", "told", "ask", "asks", "asked", "give", "gives", "gave", "show", "shows", "showed", "remind",
    "reminds", "encourage", "encourages", "call", "calls", "meet", "meets", "see", "sees", "saw", "leave",
    "leaves", "left", "make", "makes", "made", "get", "gets", "take", "takes", "bring", "brings", "thank",
    "thanks", "offer", "offers", "support", "supports", "keep", "keeps", "drive", "drives", "join", "joins",
}
_CAUSATIVE = {"let", "lets", "letting", "make", "makes", "made", "making", "see", "sees", "saw", "watch",
              "watches", "hear", "hears", "help", "helps", "helped", "helping"}
_LEAVES = {"leave", "leaves", "left", "keep", "keeps", "kept", "get", "gets", "got", "set", "sets", "find", "finds",
           "found", "catch", "catches", "caught"}
_BASE_VERBS = {
    "act", "be", "do", "go", "get", "feel", "see", "know", "learn", "notice", "find", "keep", "stay", "sleep",
    "remember", "face", "cope", "calm", "relax", "manage", "take", "make", "use", "try", "build", "break",
    "stop", "start", "move", "walk", "talk", "speak", "say", "tell", "ask", "think", "understand", "become",
    "catch", "carry", "practise", "practice", "settle", "return", "reach", "hear", "test", "answer", "show",
    "choose", "decide", "live", "enjoy", "connect", "meet", "call", "come", "give", "put", "look", "listen",
    "write", "read", "wash", "eat", "rest", "breathe", "sit", "stand", "leave", "bring", "hold", "let",
    "plan", "pick", "ride", "drive", "wait", "watch", "change", "believe", "recover", "discover", "realise",
    "realize", "spot", "name", "drop", "fall", "rise", "lift", "pass", "work", "play", "hug", "share",
    "grow", "gain", "lose", "miss", "want", "need", "like", "love", "hate", "fear", "avoid", "escape", "run",
    "check", "rate", "score", "record", "mark", "tick", "circle", "count", "sing", "cook", "shop", "clean",
    "reconnect", "withdraw", "approach", "tolerate", "accept", "allow", "reduce", "increase", "master", "handle",
}
# after "her": it is the object ("offers her a lift"), not the possessive ("her card")
_OBJECT_NEXT = {"a", "an", "the", "this", "that", "these", "those", "some", "any", "to", "with", "for", "about",
                "at", "in", "on", "up", "off", "out", "back", "down", "and", "or", "if", "when", "while", "before",
                "after", "so", "as", "from", "into", "again", "too", "how", "what", "why", "not", "each", "every",
                "once", "twice", "through", "by", "until", "of", "more", "less", "yourself", "herself"}
# adjectives that make "her" the object when they end the phrase ("leaves her flat."), not before a noun
_PREDICATIVE = {"alone", "awake", "afraid", "anxious", "calm", "safe", "stuck", "free", "busy", "well", "sure",
                "able", "ready", "low", "flat", "better", "worse", "closer", "lower", "higher", "stronger",
                "weaker", "calmer", "safer", "happy", "sad", "upset", "tense", "lonely"}
_JOINED_VERB_NEXT = {"a", "an", "the", "one", "two", "his", "her", "their", "your", "it", "them", "up", "out",
                     "back", "down", "off", "what", "how", "whether", "this", "that", "each", "every", "any",
                     "some", "most", "more", "less", "all"}
_CLAUSE_BREAK = {"which", "who", "whom", "because", "so", "but", "while", "when", "whenever", "although",
                 "though", "if", "unless", "until", "where"}
_IRREGULAR = {"is": "are", "was": "were", "has": "have", "does": "do", "isn't": "aren't", "wasn't": "weren't",
              "hasn't": "haven't", "doesn't": "don't", "isn’t": "aren’t", "wasn’t": "weren’t",
              "hasn’t": "haven’t", "doesn’t": "don’t"}
_PRONOUNS = {
    "she": {"she": "you", "she's": "you're", "she'll": "you'll", "she'd": "you'd", "herself": "yourself",
            "hers": "yours"},
    "he": {"he": "you", "he's": "you're", "he'll": "you'll", "he'd": "you'd", "himself": "yourself",
           "his": "your", "him": "you"},
    "they": {"themself": "yourself"},
}
_SUBJECTS = {"she", "he"}
_REFLEXIVES = {"herself", "himself", "themself"}
_QUOTES = "\"“”'‘’"
_CLIENT = "Qzclientqz"  # stand-ins for the client's name while pronouns are worked out
_CLIENT_POSSESSIVE = "Qzclientsqz"


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _name_forms(name: str) -> list[str]:
    """The ways a plan may write a person's name: as written, without accents, the first name."""
    name = " ".join(name.split())
    forms = {name, _plain(name)}
    parts = name.split(" ")
    if parts[0].lower().rstrip(".") not in _TITLES:
        forms |= {parts[0], _plain(parts[0])}
    else:
        forms |= {p for p in parts[1:] if len(p) > 2} | {_plain(p) for p in parts[1:] if len(p) > 2}
    return sorted(forms, key=len, reverse=True)


def _other_names(vignette: Vignette) -> set[str]:
    names: set[str] = set()
    for other in vignette.client.others:
        for part in other.split():
            if len(part) > 2 and part.lower().rstrip(".") not in _TITLES:
                names |= {part.lower(), _plain(part).lower()}
    return names


def _mark_client(text: str, vignette: Vignette) -> str:
    for form in _name_forms(vignette.client.name):
        pattern = re.escape(form).replace(r"\ ", r"\s+")
        text = re.sub(rf"(?<![\w.]){pattern}['’]s(?!\w)", _CLIENT_POSSESSIVE, text)
        text = re.sub(rf"(?<![\w.]){pattern}(?![\w'’])", _CLIENT, text)
    return text


def _base_form(verb: str) -> str:
    """The verb form that goes with "you" ("writes" -> "write", "tries" -> "try")."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if len(low) > 4 and low.endswith("ies"):
        return verb[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z|o)es$", low):
        return verb[:-2]
    if low.endswith("s") and not re.search(r"(ss|us|is)$", low) and low.isalpha():
        return verb[:-1]
    return verb


def _match_case(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _is_word(token: str) -> bool:
    return token[:1].isalnum()


def _next_word(tokens: list[str], i: int) -> int | None:
    """The index of the next word after i (past spaces and quote marks), or None at punctuation."""
    for j in range(i + 1, len(tokens)):
        if _is_word(tokens[j]):
            return j
        if tokens[j].strip() and tokens[j] not in _QUOTES:
            return None
    return None


def _previous_word(tokens: list[str], i: int) -> str:
    """The word just before i in the same clause, lower-cased ("" after punctuation or at the start)."""
    for j in range(i - 1, -1, -1):
        if _is_word(tokens[j]):
            return tokens[j].lower()
        if tokens[j].strip() and tokens[j] not in _QUOTES:
            return ""
    return ""


def _agree_verb(tokens: list[str], i: int) -> None:
    """Make the verb after a new "you" at index i agree with it, skipping a few adverbs."""
    j = _next_word(tokens, i)
    while j is not None and tokens[j].lower() in _ADVERBS:
        j = _next_word(tokens, j)
    if j is None:
        return
    verb = tokens[j]
    tokens[j] = _base_form(verb)
    if tokens[j] != verb:
        _agree_joined_verbs(tokens, j)


def _clause_words(tokens: list[str], i: int) -> list[int]:
    """Indices of the words after i up to the end of its clause (commas kept, "which" ends it)."""
    words = []
    for j in range(i + 1, len(tokens)):
        if tokens[j] in ".!?;:()" or tokens[j].lower() in _CLAUSE_BREAK:
            break
        if _is_word(tokens[j]) or tokens[j] == ",":
            words.append(j)
    return words


def _agree_joined_verbs(tokens: list[str], i: int) -> None:
    """Also fix verbs joined to the first ("you sit down, gets off or feels ...", "and remembers one")."""
    words = _clause_words(tokens, i)
    if words and tokens[words[0]] == ",":
        return  # "however she feels, breaks the cycle": the verb ended an aside
    for a, b, c in zip(words, words[1:], [*words[2:], None], strict=False):
        if tokens[a].lower() not in {"and", "or", "then", ","} or not _is_word(tokens[b]):
            continue
        word = tokens[b].lower()
        after = tokens[c].lower() if c is not None else ""
        if word in _IRREGULAR or (len(word) > 3 and word.endswith("s") and (
                _base_form(word) in _BASE_VERBS or after in _JOINED_VERB_NEXT)):
            tokens[b] = _base_form(tokens[b])


def _her(tokens: list[str], i: int) -> str:
    """Whether "her" at index i is the object ("you") or the possessive ("your")."""
    j = _next_word(tokens, i)
    if j is None:
        return "you"
    following = tokens[j].lower()
    if j + 1 < len(tokens) and tokens[j + 1] == "-":
        return "your"  # "her before-and-after scores"
    if following in _OBJECT_NEXT:
        return "you"
    if following in _PREDICATIVE or (len(following) > 4 and following.endswith(("ed", "ier"))):
        k = _next_word(tokens, j)
        return "you" if k is None or tokens[k].lower() in _OBJECT_NEXT else "your"
    before = _previous_word(tokens, i)
    if before in _CAUSATIVE and following in _BASE_VERBS:
        return "you"
    if before in _LEAVES and following.endswith("ing"):
        return "you"  # "leaves her feeling flat"
    return "your"


@dataclass
class _Referent:
    """What the text has said about people so far, to tell the client's pronouns from another's."""

    last_named: str = ""  # "client" or "other": who was named most recently (across sentences)
    other_in_sentence: bool = False  # someone else was named in this sentence
    client_in_sentence: bool = False  # this sentence has already referred to the client
    object_left: bool = False  # an object pronoun in this sentence was left as it was


def speak_to_client(text: str, vignette: Vignette) -> str:
    """Turn the plan's third-person references to the client into "you" and "your".

    Only the client's: the client's name always, and the client's pronouns only while the client
    is the person named most recently ("ring Tess if she is free" keeps "she"). An object pronoun
    ("him", "her") changes only in a sentence that has referred to the client and named nobody
    else ("Text Callum, then meet him" stays). First person stays."""
    if not text:
        return ""
    pronoun = vignette.client.subject_pronoun
    table = _PRONOUNS.get(pronoun, {})
    others = _other_names(vignette)
    tokens = _TOKEN.findall(_mark_client(text, vignette))
    state = _Referent()
    for i, token in enumerate(tokens):
        low = token.lower()
        if token in ".!?;":
            state = _Referent(last_named=state.last_named)
        elif low in others:
            state.last_named, state.other_in_sentence = "other", True
        elif token in (_CLIENT, _CLIENT_POSSESSIVE):
            _name_to_you(tokens, i)
            state.last_named, state.client_in_sentence = "client", True
        elif low in table or (pronoun == "she" and low == "her"):
            _pronoun_to_you(tokens, i, table, state)
    return _capitalise_sentences("".join(tokens))


def _name_to_you(tokens: list[str], i: int) -> None:
    if tokens[i] == _CLIENT_POSSESSIVE:
        tokens[i] = "your"
        return
    is_object = _previous_word(tokens, i) in _NAME_OBJECT_AFTER
    tokens[i] = "you"
    if not is_object:
        _agree_verb(tokens, i)


def _pronoun_to_you(tokens: list[str], i: int, table: dict[str, str], state: _Referent) -> None:
    low = tokens[i].lower()
    word = _her(tokens, i) if low == "her" else table[low]
    is_object = low == "him" or (low == "her" and word == "you")
    if is_object and (not state.client_in_sentence or state.other_in_sentence):
        state.object_left = True
        return
    if state.last_named == "other" or (low in _REFLEXIVES and state.object_left):
        return
    tokens[i] = _match_case(word, tokens[i])
    if low in _SUBJECTS:
        _agree_verb(tokens, i)
    state.client_in_sentence = True


def _capitalise_sentences(text: str) -> str:
    shielded = _ABBREVIATION.sub(lambda m: m.group(1) + "\u2024", text)
    shielded = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), shielded)
    return shielded.replace("\u2024", ".")


# -- short sentences ------------------------------------------------------------------------
def _sentences(text: str) -> list[str]:
    shielded = _ABBREVIATION.sub(lambda m: m.group(1) + "\u2024", text or "")
    parts = [p.strip().replace("\u2024", ".") for p in _SENTENCE_END.split(shielded)]
    return [p for p in parts if p and any(ch.isalnum() for ch in p)]


def _word_count(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def _split_long(sentence: str) -> list[str]:
    """Split a long sentence at a clause boundary (", and", ", so", ", but", a colon) near its middle."""
    if _word_count(sentence) <= LONG_SENTENCE:
        return [sentence]
    splits = [m for m in _CLAUSE.finditer(sentence) if _safe_split(sentence, m)]
    if not splits:
        return [sentence]
    middle = _word_count(sentence) / 2
    best = min(splits, key=lambda m: abs(_word_count(sentence[: m.start()]) - middle))
    joiner = (best.group("joiner") or "").lower()
    lead = "" if joiner in ("", "and") else joiner + " "
    head, tail = sentence[: best.start()], lead + sentence[best.end():]
    return _split_long(head) + [_finish(part) for part in _split_long(tail)]


def _safe_split(sentence: str, match: re.Match[str]) -> bool:
    """True if both sides are long enough and, after ", and" or a colon, the rest is clearly a new clause."""
    head, tail = sentence[: match.start()], sentence[match.end():]
    if _word_count(head) < MIN_PART or _word_count(tail) < MIN_PART:
        return False
    joiner = (match.group("joiner") or "").lower()
    return joiner not in ("and", "") or tail.split()[0].lower() in _NEW_CLAUSE_AFTER_AND


def _finish(sentence: str) -> str:
    sentence = sentence.strip().rstrip(",;:")
    sentence = sentence[:1].upper() + sentence[1:]
    if not re.search(r"[.!?][\"”’)]?$", sentence):
        sentence += "."
    return sentence


def plain_sentences(text: str) -> str:
    """Text as short sentences: semicolons end sentences and long ones are split at a clause."""
    out: list[str] = []
    for sentence in _sentences(text):
        for part in re.split(r"\s*;\s*", sentence):
            part = re.sub(r"^(and|or)\s+", "", part.strip(), flags=re.IGNORECASE)
            if any(ch.isalnum() for ch in part):
                out += [_finish(p) for p in _split_long(part.strip())]
    return " ".join(out)


def client_text(text: str, vignette: Vignette) -> str:
    """A plan field as the client reads it: spoken to them, in short sentences."""
    return plain_sentences(speak_to_client(text, vignette))


def _shorten(text: str, words: int = WHY_WORDS) -> str:
    """The first sentence of a text; if it runs on, cut at a clause boundary (or else a comma)
    so that about `words` words remain."""
    sentences = _sentences(text)
    if not sentences:
        return ""
    first = sentences[0]
    if _word_count(first) > words + 6:
        first = _cut(first, _CLAUSE_CUT, words) or _cut(first, _COMMA_CUT, words) or first
    return _finish(re.sub(r"\s+(and|or|but|so|then)$", "", first.rstrip(), flags=re.IGNORECASE))


def _cut(sentence: str, boundary: re.Pattern[str], words: int) -> str:
    """The longest head of a sentence ending at a boundary, with 6 to `words` + 6 words."""
    heads = [sentence[: m.start()] for m in boundary.finditer(sentence)]
    fitting = [h for h in heads if MIN_PART <= _word_count(h) <= words + 6]
    return max(fitting, key=_word_count, default="")


# -- the parts of the summary ---------------------------------------------------------------
def _quoted(text: str) -> str:
    """The client's words in quotation marks (kept as they are if the trainee already quoted them)."""
    text = text.strip()
    if any(q in text for q in "\"“”"):
        return text
    return f"“{text.rstrip('.')}”"


def _without_speaker(text: str, vignette: Vignette) -> str:
    """A quote without a leading "Kim:" or "Kim said:" naming the client as the speaker."""
    text = text.strip()
    for form in _name_forms(vignette.client.name):
        match = re.match(rf"{re.escape(form)}(\s+said)?\s*:\s*", text, re.IGNORECASE)
        if match:
            return text[match.end():].strip()
    return text


# A later sentence of a rationale that says how the task acts on the problem.
_HOW_IT_HELPS = re.compile(
    r"\b(help|helps|so that|this (task|practice|experiment|plan)|doing (it|this)|by \w+ing|lets|will|can|shows?|"
    r"tests?|breaks?|learns?|lifts?|builds?)\b", re.IGNORECASE)


def _how_it_helps(text: str) -> str:
    """The rationale's first sentence after its opening that says how the task helps, if any."""
    return next((sentence for sentence in _sentences(text)[1:] if _HOW_IT_HELPS.search(sentence)), "")


def _client_safe(text: str) -> bool:
    """Free of jargon and of must-complete wording ("have to"), which a client summary avoids."""
    from course.language import lexicon, surface_matches

    return not jargon_in(text) and not surface_matches(lexicon().words("must_cues"), text)


def _plain_reason(plan: Plan, vignette: Vignette) -> str:
    """The first of rationale, goal link and takeaway link whose opening is free of jargon, shortened;
    a rationale keeps its sentence about how the task helps as well."""
    for text in (plan.rationale, plan.goal_link, plan.takeaway_link):
        if not text.strip():
            continue
        spoken = speak_to_client(text, vignette)
        reason = plain_sentences(_shorten(spoken))
        if reason and not jargon_in(reason):
            helps = plain_sentences(_shorten(_how_it_helps(spoken))) if text is plan.rationale else ""
            return f"{reason} {helps}" if helps and _client_safe(helps) else reason
    return ""


def why_this_helps(plan: Plan, vignette: Vignette) -> str:
    """A short why: the plan's own reason cut to a sentence or two, then the client's words
    (what they took from the session, their goal). Adds no claims of its own."""
    parts = []
    reason = _plain_reason(plan, vignette)
    if reason:
        parts.append(reason)
    takeaway = _without_speaker(plan.takeaway, vignette)
    if takeaway:
        parts.append(_finish(f"Today you said: {_quoted(takeaway)}"))
    if plan.goal.strip():
        parts.append(_finish(f"What you want: {_quoted(plan.goal)}"))
    return " ".join(parts)


def hard_day(plan: Plan, vignette: Vignette) -> str:
    """The minimum version, spoken to the client, without a repeated "On a bad day,"."""
    text = _BAD_DAY.sub("", plan.minimum_version.strip())
    return client_text(text, vignette)


def if_then_plans(plan: Plan) -> list[str]:
    """Each obstacle's if-then plan as the trainee wrote it (the client's voice), skipping blanks."""
    return [_finish(item.if_then) for item in plan.obstacles if item.if_then.strip()]


def summary_parts(plan: Plan, vignette: Vignette) -> list[tuple[str, str]]:
    """The labelled parts of the summary that the plan fills, in order."""
    parts = [
        ("What", client_text(plan.task, vignette)),
        ("When", client_text(plan.when, vignette)),
        ("Where", client_text(plan.where, vignette)),
        ("How often", client_text(plan.frequency, vignette)),
        ("How long", client_text(plan.duration, vignette)),
        ("Why", why_this_helps(plan, vignette)),
        ("On a hard day", hard_day(plan, vignette)),
        ("If ... then", " ".join(if_then_plans(plan))),
        ("Bring next time", client_text(plan.record, vignette)),
        ("Next session", client_text(plan.review, vignette)),
    ]
    return [(label, text) for label, text in parts if text.strip()]


def draft_summary(plan: Plan, vignette: Vignette) -> str:
    """A plain-language summary written to the client, built from the plan's own fields.

    One line per part the plan fills (what, when, where, how often, how long, why, the hard-day
    version, if-then plans, what to bring, the review), opened with the client's name and the
    task's own word; "homework" is never written."""
    word = framing_word(plan)
    title = practice_title(plan)
    verb = "are" if _is_plural(word) else "is"
    opening = (
        f"{first_name(vignette)}, here {verb} your {word} for this week."
        if title.startswith("Your") else f"{first_name(vignette)}, here is your plan for this week: {word}."
    )
    lines = [opening]
    lines += [f"{label}: {text}" for label, text in summary_parts(plan, vignette)]
    return without_school_words("\n".join(lines), word)


def without_school_words(text: str, word: str = DEFAULT_WORD) -> str:
    """Text with "homework" replaced by the task's own word (the client sees no school words)."""
    return _SCHOOL_WORDS.sub(lambda m: _match_case(word, m.group(0)), text)


# -- reading level --------------------------------------------------------------------------
def reading_grade(text: str) -> float | None:
    """The Flesch-Kincaid grade of a text (US school grade), or None for empty text."""
    if not text or not any(ch.isalpha() for ch in text):
        return None
    import textstat  # lazily: importing the package stays cheap

    return float(textstat.flesch_kincaid_grade(text))


def describe_grade(grade: float | None) -> str:
    """The reading level in words. Up to grade 8 it says the text is easy to read (simpler is fine for a
    client handout); above it, it says what would help."""
    if grade is None:
        return "Reading level: nothing to measure yet."
    level = math.floor(grade + 0.5)
    said = "below grade 1" if level < 1 else f"about grade {level}"
    if level > GRADE_HIGH:
        return (f"Reading level: {said}. A client handout is easiest to read at grade {GRADE_HIGH} or below: "
                "shorter sentences and everyday words will help.")
    return f"Reading level: {said}, easy to read for most clients."
