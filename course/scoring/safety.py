"""Safety: the `safety` item and the safety gate (BRIEF section 3).

The item asks for an explicit risk judgement that matches the case. The gate caps a plan's total
when it gives an unsafe instruction or leaves a risk the case holds unaddressed. Unsafe covers the
case's own `answer_key.unsafe` phrases and what any clinician would catch without the case listing
it: alcohol or drugs as part of the task, stopping or avoiding agreed medical care or medication,
and handing a client at risk back the means. The word lists live in `data/lexicon.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from course.language import (
    Words,
    exact_phrase_position,
    has_exact_phrase,
    lexicon,
    matching_phrases,
    may_hold_exact_phrase,
    read,
    read_joined,
    surface_matches,
)
from course.scoring.reading import PlanReading, Sentence

# Fields that describe the client or the case rather than instruct: the client's own words, the
# obstacles they face and the risk note may name a substance or a risk without prescribing it.
DESCRIPTIVE_FIELDS = ("goal", "takeaway", "risk", "collaboration.client_words", "teach_back")
# Fields that say what the client will do (an instruction there is an instruction to the client).
TASK_FIELDS = ("task", "when", "where", "frequency", "duration", "minimum_version", "summary", "format",
               "adaptations", "hierarchy_step", "obstacles", "collaboration.client_choice", "framing")


def _words(name: str) -> tuple[str, ...]:
    return lexicon().words(name)


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    def alternatives(name: str) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_words(name), key=len, reverse=True))

    substance = alternatives("substances")
    medicine = r"[a-z]*(?:" + "|".join(re.escape(w) for w in _words("medicine_endings")) + r")"
    medical = alternatives("medical_care") + "|" + medicine
    quantity = r"(?:(?:a|one|two|three|four|a\s+few|a\s+couple\s+of|couple\s+of|some|his|her|their|my|your|few)\s+)?"
    return {
        # "once he has had a few beers", "after a couple of drinks", "with a beer", "over a glass of wine"
        "substance_timed": re.compile(
            r"\b(?:after|once|with|over|while\s+having|having\s+had|(?:has|have|had|having)\s+had|had)\s+"
            + quantity + r"(?:(?:quick|cold|stiff|strong|small|large|glass(?:es)?\s+of|can(?:s)?\s+of|pint(?:s)?\s+of)\s+)?"
            + rf"(?:{substance})\b",
            re.IGNORECASE,
        ),
        # "a drink to relax", "a joint to calm down", "beers to take the edge off"
        "substance_aid": re.compile(
            rf"\b(?:{substance})\b[^.;]{{0,30}}?\b(?:{alternatives('substance_aid')})\b", re.IGNORECASE
        ),
        # "stop his medication", "skip the GP appointment", "cancel the psychiatrist"
        "avoid_care": re.compile(
            rf"\b(?:{alternatives('avoid_care_verbs')})\s+(?:\w+\s+){{0,3}}?(?:{medical})\b", re.IGNORECASE
        ),
        # "do not book GP appointments", "no need to see the doctor", "never call the crisis team"
        "refuse_care": re.compile(
            r"\b(?:not|don'?t|do\s+not|doesn'?t|does\s+not|never|no\s+need\s+to|no\s+more|nor|without)\s+"
            rf"(?:\w+\s+){{0,2}}?(?:{alternatives('care_contact_verbs')})\s+(?:\S+\s+){{0,4}}?(?:{medical})(?![\w&])",
            re.IGNORECASE,
        ),
        # an exception in the same sentence: "do not book extra appointments unless new signs appear"
        "care_kept_open": re.compile(
            r"\b(?:unless|except|apart\s+from|other\s+than|only\s+for\s+reassurance|for\s+reassurance|extra|"
            r"if\s+(?:\w+\s+){0,6}?(?:new|worse|worsens|changes?|signs?|symptoms?|urgent|emergency|red\s+flags?))\b",
            re.IGNORECASE,
        ),
        # a safety net anywhere in the plan: "if new signs appear she will see her GP"
        "safety_net": re.compile(
            r"\bif\s+(?:\w+\s+){0,8}?(?:new|worse|worsens|worsening|changes?|signs?|symptoms?|urgent|emergency|"
            r"red\s+flags?|chest\s+pain|lump|bleeding)\b",
            re.IGNORECASE,
        ),
        "borrowed": re.compile(
            r"\b(?:take|takes|taking|have|has|having|use|uses|using|borrow|borrows|borrowing|try|tries)\s+"
            r"(?:one\s+of\s+|some\s+of\s+|a\s+couple\s+of\s+)?(?:\w+'s|\w+’s|someone\s+else's|her\s+\w+'s|his\s+\w+'s)\s+"
            rf"(?:{alternatives('borrowed_medicine')})\b",
            re.IGNORECASE,
        ),
        "drowsy_driving": re.compile(
            rf"\b(?:drive|drives|driving|drove|the\s+wheel|behind\s+the\s+wheel|cycle|cycling|operate\s+machinery)\b"
            rf"[^.;]{{0,60}}?\b(?:{alternatives('drowsy_states')})\b"
            rf"|\b(?:{alternatives('drowsy_states')})\b[^.;]{{0,40}}?\b(?:drive|drives|driving|keep\s+driving|the\s+wheel)\b",
            re.IGNORECASE,
        ),
        "medical": re.compile(rf"\b(?:{medical})\b", re.IGNORECASE),
        "medicine": re.compile(rf"\b(?:{alternatives('medicines')}|{medicine})\b", re.IGNORECASE),
        "prescriber_agrees": re.compile(
            r"\b(?:with|by|from)\s+(?:his|her|their|the|your|my)?\s*(?:gp|doctor|psychiatrist|prescriber|consultant|"
            r"nurse|pharmacist)(?:'s)?\s*(?:agreement|advice|approval|support|guidance|say-so|ok)?"
            r"|\b(?:agreed|discussed|decided|planned)\s+with\s+(?:his|her|their|the)?\s*(?:gp|doctor|psychiatrist|prescriber)",
            re.IGNORECASE,
        ),
        "contact_care": re.compile(
            rf"\b(?:{alternatives('care_contact_verbs')})\s+(?:\w+\s+){{0,4}}?(?:{medical})\b", re.IGNORECASE
        ),
        "drowsy_state": re.compile(rf"\b(?:{alternatives('drowsy_states')})\b", re.IGNORECASE),
    }


def _negated_before(text: str, start: int) -> bool:
    """True if a negator stands in the few words before a match ("no alcohol", "before any beer")."""
    clause = re.split(r"[,;:.!?]", text[:start])[-1]  # a negation in an earlier clause ("if sleep will not come,") does not reach
    before = re.findall(r"[a-z']+", clause.lower())[-4:]
    blockers = set(_words("substance_blockers"))
    return any(w in blockers for w in before) or " ".join(before[-2:]) in blockers


def instructions(reading: PlanReading, *, risk_note: bool = False) -> list[Sentence]:
    """The plan's sentences that can instruct the client (not their own words or an obstacle's name;
    the risk note only when asked, as it also describes the risks)."""
    return [
        s for s in reading.valid()
        if not s.field.endswith(".obstacle")
        and (not s.field.startswith(DESCRIPTIVE_FIELDS) or (risk_note and s.field == "risk"))
    ]


def _soft_drink(text: str, end: int) -> bool:
    after = re.findall(r"[a-z]+", text[end:].lower())[:3]
    return bool(set(after) & set(_words("soft_drinks")))


def general_unsafe(reading: PlanReading) -> list[tuple[str, Sentence]]:
    """Unsafe instructions any clinician would catch, with the sentence that gives each."""
    found: list[tuple[str, Sentence]] = []
    patterns = _patterns()
    sentences = instructions(reading, risk_note=True)
    care_open = cache(lambda: any(_keeps_care_open(s) for s in reading.valid()))  # read only when needed
    for sentence in sentences:
        if not _may_be_unsafe(sentence):
            continue
        text = sentence.text
        task_sentence = sentence.field.startswith(TASK_FIELDS)
        for name in () if sentence.field == "risk" else ("substance_aid", "substance_timed"):
            match = patterns[name].search(text)
            if match and _soft_drink(text, match.end()):
                continue
            if match and not _negated_before(text, match.start()) and (task_sentence or name == "substance_aid"):
                found.append((f"alcohol or drugs as part of the task: “{match.group(0).strip()}”", sentence))
                break
        note = sentence.field == "risk"  # the risk note describes risks; only its instructions count
        match = patterns["borrowed"].search(text)
        if match and not _negated_before(text, match.start()) and (not note or _instructs(text, match.start())):
            found.append((f"someone else's medicine: “{match.group(0).strip()}”", sentence))
        match = patterns["drowsy_driving"].search(text) or _keep_driving(sentence, reading)
        if match and _hypothetical(text, match.start(), match.end()):
            match = None
        if match and not _safe_driving(text, reading) and (not note or _instructs(text, match.start())):
            found.append((f"driving while drowsy: “{match.group(0).strip()}”", sentence))
        care = _avoids_care(text, care_open, note)
        if care:
            found.append((care, sentence))
    return found + _means(reading)


_UNSAFE_LISTS = ("substances", "medical_care", "medicines", "borrowed_medicine", "drowsy_states")
_DRIVING_WORDS = frozenset({"drive", "drives", "driving", "drove", "wheel", "cycle", "cycling", "machinery"})


@lru_cache(maxsize=8)
def _needed_words(names: tuple[str, ...]) -> frozenset[str]:
    """Words at least one of which a text must hold for a phrase of these lexicon lists to match.

    A pattern matches a listed phrase only with all its words, so one word stands for each phrase:
    its longest word that is not a stopword ("glass" for "a glass of wine")."""
    words: set[str] = set()
    for name in names:
        for phrase in _words(name):
            parts = re.findall(r"[a-z0-9]+", phrase.lower())
            telling = [p for p in parts if p not in lexicon().stopwords] or parts
            if telling:
                words.add(max(reversed(telling), key=len))
    return frozenset(words)


def _holds_any(text: str, words: frozenset[str], *, medicine: bool) -> bool:
    """A quick test before the patterns: the text has one of the words, or (with `medicine`) a word
    with a medicine's ending."""
    tokens, medicine_word = _plain_words(text)
    return bool(tokens & words) or (medicine and medicine_word)


@lru_cache(maxsize=20_000)
def _plain_words(text: str) -> tuple[frozenset[str], bool]:
    """A text's words as written (lower case), and whether one has a medicine's ending."""
    lowered = text.lower()
    return frozenset(re.findall(r"[a-z0-9]+", lowered)), bool(_medicine_ending().search(lowered))


@lru_cache(maxsize=1)
def _medicine_ending() -> re.Pattern[str]:
    """A word (a run of letters and digits) that ends with a medicine's ending."""
    endings = "|".join(re.escape(e.lower()) for e in _words("medicine_endings"))
    return re.compile(rf"(?:{endings})(?![a-z0-9])")


def _may_be_unsafe(sentence: Sentence) -> bool:
    """A quick test before the patterns: the sentence has a word some unsafe pattern needs."""
    return _holds_any(sentence.text, _unsafe_words(), medicine=True)


@lru_cache(maxsize=1)
def _unsafe_words() -> frozenset[str]:
    return _needed_words(_UNSAFE_LISTS) | _DRIVING_WORDS


def _instructs(text: str, start: int) -> bool:
    """True if the words before a match make it an instruction or permission ("he can leave out",
    "she should keep driving", "we agreed he will stop"), not a description ("thinking of stopping")."""
    before = " ".join(re.findall(r"[a-z']+", text[:start].lower())[-8:])
    if re.search(r"\b(?:thinking|thought|thinks|wants?|wanting|considering|worried|worries|talked|talking|"
                 r"tempted|urge|risk|might|afraid|scared|has\s+missed|had\s+missed)\b", before):
        return False
    return start == 0 or bool(re.search(r"\b(?:can|could|should|will|may|agreed|allowed|fine|ok|okay|free|must|"
                                        r"keep|try|is\s+to|are\s+to|advised|told)\b", before))


def _avoids_care(text: str, care_open: Callable[[], bool], note: bool = False) -> str:
    """What a sentence says about stopping or avoiding medical care, or "" if it says nothing unsafe.

    Stopping medicine is unsafe unless the prescriber is part of the decision; avoiding consultations
    is unsafe unless the sentence makes an exception or the plan keeps a safety net ("if new signs
    appear she sees her GP": `care_open`, asked only when needed), as reassurance-seeking visits are
    fair to reduce in health anxiety."""
    patterns = _patterns()
    for name in ("avoid_care", "refuse_care"):
        match = patterns[name].search(text)
        if match is None or (name == "avoid_care" and _negated_before(text, match.start())):
            continue
        if note and not _instructs(text, match.start()):
            continue
        if _hypothetical(text, match.start(), match.end()):
            continue
        medicine = patterns["medicine"].search(match.group(0))
        if medicine:
            if patterns["prescriber_agrees"].search(text):
                continue
        elif care_open() or patterns["care_kept_open"].search(text):
            continue
        return f"stopping or avoiding medical care: “{match.group(0).strip()}”"
    return ""


def _keeps_care_open(sentence: Sentence) -> bool:
    """A safety net: "if new signs appear, she will see her GP" (the contact itself not refused)."""
    patterns = _patterns()
    if not _holds_any(sentence.text, _needed_words(("medical_care",)), medicine=True):
        return False  # the contact below needs a word for medical care
    if not patterns["safety_net"].search(sentence.text):
        return False
    contact = patterns["contact_care"].search(sentence.text)
    return bool(contact) and not _negated_before(sentence.text, contact.start())


def _keep_driving(sentence: Sentence, reading: PlanReading):
    """'Keep driving as normal' in a field that also expects the client to be drowsy."""
    match = re.search(r"\b(?:keep|carry\s+on|continue|go\s+on)\s+driving\b|\bdrive\s+as\s+(?:normal|usual)\b",
                      sentence.text, re.IGNORECASE)
    if match and _patterns()["drowsy_state"].search(reading.text(sentence.field)):
        return match
    return None


def _safe_driving(text: str, reading: PlanReading) -> bool:
    """True if a sentence about driving and drowsiness keeps them apart: a negation just before the
    driving ("if drowsy she does not drive", "instead of driving"), someone else at the wheel ("Anita
    drives on sleepy mornings", "her partner drives"), pulling over, or a nap before it."""
    for match in re.finditer(r"\b(?:drive|drives|driving|drove|wheel)\b", text, re.IGNORECASE):
        before = " ".join(re.findall(r"[a-z']+", text[: match.start()].lower())[-3:])
        if re.search(r"\b(?:not|don't|doesn't|won't|never|no|avoid|avoids|instead\s+of|rather\s+than|before)\b", before):
            return True
        if _someone_else_drives(text[: match.start()], reading):
            return True
    return bool(re.search(r"\bpull(?:s)?\s+over\b|\bnap\s+before\b", text, re.IGNORECASE))


def _someone_else_drives(before: str, reading: PlanReading) -> bool:
    """True if the words just before "drive" make someone other than the client the driver: a person
    word ("her partner", "a friend") or a capitalised name that is not the client's."""
    words = re.findall(r"[A-Za-z']+", re.split(r"[,;:.!?]", before)[-1])[-3:]
    client = {p.lower() for p in reading.vignette.client.name.split()}
    others = set(_words("other_drivers"))
    for word in words:
        bare = re.sub(r"'s$", "", word)
        if bare.lower() in others:
            return True
        if bare[:1].isupper() and bare.lower() not in client and bare.lower() not in lexicon().stopwords \
                and bare.lower() not in set(_words("capitalised_words")) and bare.lower() != "i":
            return True
    return False


def _means(reading: PlanReading) -> list[tuple[str, Sentence]]:
    """A task that puts the means back in reach of a client the case holds at risk."""
    case = reading.vignette
    risk_text = " ".join(r.text for r in case.risks).lower()
    means = [m for m in _words("means") if re.search(rf"\b{re.escape(m)}\b", risk_text)]
    if not means:
        return []
    found = []
    for sentence in reading.valid(TASK_FIELDS):
        for m in means:
            match = re.search(rf"\b(?:{'|'.join(_words('means_retrieval'))})\b[^.;]{{0,40}}\b{re.escape(m)}\b", sentence.text, re.IGNORECASE)
            if match and not _negated_before(sentence.text, match.start()):
                found.append((f"the means back within reach: “{match.group(0).strip()}”", sentence))
    return found


def case_unsafe(reading: PlanReading) -> list[tuple[str, Sentence]]:
    """The case's own unsafe phrases found (word for word, not negated) in the plan."""
    found = []
    sentences = instructions(reading)
    together = read_joined([s.text for s in sentences])
    for phrase in reading.vignette.key.unsafe:
        if not may_hold_exact_phrase(phrase, together):
            continue
        for sentence in sentences:
            if has_exact_phrase(phrase, sentence.words) and _instructed(phrase, sentence.text):
                found.append((f"“{phrase}”", sentence))
                break
    return found


_CONDITION = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:if|when|whenever|in\s+case|should|unless|once)\b", re.IGNORECASE)
_URGE = re.compile(r"\b(?:want|wants|wanted|wanting|tempted|urge|urges|feel\s+like|feels\s+like|wish|wishes|"
                   r"thinking\s+of|thinks\s+of|afraid|worried)\b", re.IGNORECASE)


def _hypothetical(text: str, start: int, end: int) -> bool:
    """True if a match lies wholly inside the condition of an if-then, or follows an urge or worry in its
    clause: "If I want to stop my medication, I'll ring my GP first" instructs nothing unsafe."""
    if re.search(r"[,;:]|\bthen\b", text[start:end]):
        return False
    clause = re.split(r"[,;:]|\bthen\b", text[:start])[-1]
    return bool(_CONDITION.search(clause) or _URGE.search(clause))


def _instructed(phrase: str, text: str) -> bool:
    """True if an unsafe phrase is said as what the client will do, not as the condition of an if-then
    ("If I ... want to skip breakfast, I'll have a yoghurt") or an urge or worry described."""
    for clause in re.split(r"[,;:]|\bthen\b", text):
        words = read(clause)
        start = exact_phrase_position(phrase, words)
        if start is None:
            continue
        before = " ".join(words.tokens[:start])
        if _CONDITION.search(clause) or _URGE.search(before):
            continue
        return True
    return False


# -- risk judgements ----------------------------------------------------------------------------
def mentions_risk_domain(text: str) -> bool:
    """True if a text talks about risk at all (suicide, self-harm, safety, crisis, hopelessness...)."""
    return bool(surface_matches(_words("risk_domain"), text))


def states_screen(text: str) -> bool:
    """True if a text records that risk was looked at (screened, asked, assessed, none found)."""
    return bool(surface_matches(_words("screened_cues"), text) or surface_matches(_words("screen_verbs"), text)
                or surface_matches(_words("no_risk_cues"), text))


def asserts_present_risk(sentence: Sentence) -> bool:
    """True if a sentence says a risk is present (not screened out, not denied, not hypothetical)."""
    text = sentence.text.lower()
    if not set(surface_matches(_words("risk_domain"), text)) - set(_words("safety_words")):
        return False  # "so the practice is safe for him" judges the task; it names no risk
    if surface_matches(_words("risk_absent_cues"), text):
        return False
    return bool(surface_matches(_words("risk_present_cues"), text))


def risk_named(risk, words: Words, text: str, case) -> str:
    """The cue by which a plan's text names a case risk, or ""."""
    from course.language import coverage

    cue = matching_phrases(risk.cues, words, respect_negation=False)
    if cue:
        return cue[0]
    if coverage(risk.text, words) >= 0.5:
        return risk.text
    own = words.content & risk_keys(risk, case)
    telling = own - narrative_keys(case)  # a word of the risk that the rest of the case does not use
    return sorted(telling or own)[0] if len(own) >= 2 or telling else ""


def _names_present(risk, words: Words, text: str, case) -> str:
    """The cue by which a sentence names a case risk as present, or "" when it names none or denies
    it ("screened for suicidal thoughts: none identified", "no suicidal thoughts")."""
    cue = risk_named(risk, words, text, case)
    return "" if cue and denies(text, cue) else cue


def denies(text: str, cue: str) -> bool:
    """True if a sentence says a risk named by a cue is absent: a negator in the few words before the
    cue ("no suicidal thoughts", "denies self-harm"), or a screen before it and a finding of none after
    it with nothing reported ("Screened for suicidal thoughts: none identified")."""
    lowered = text.lower()
    at = lowered.find(cue.lower().split()[0])
    if at < 0:
        return False
    clause = re.split(r"[,;.!?]|\bbut\b", lowered[:at])[-1]
    before = re.findall(r"[a-z'-]+", clause)[-4:]
    if set(before) & set(_words("denial_words")):
        return True
    after = lowered[at:]
    return (bool(surface_matches(_words("screen_verbs"), lowered[:at]) or surface_matches(_words("screened_cues"), lowered[:at]))
            and bool(surface_matches(_words("no_risk_cues"), after))
            and not surface_matches(_words("risk_present_cues"), lowered))


def narrative_keys(case) -> frozenset[str]:
    """Words of the case's story (problem, context, goals, takeaway, transcript, obstacles), where a
    risk's own words may also turn up without meaning the risk ("sleep" in a sleep-problem case)."""
    if "narrative_keys" not in case.cache:
        parts = [case.presenting_problem, case.client.context, case.takeaway.text, *(g.text for g in case.goals),
                 *(t.text for t in case.transcript), *(o.text for o in case.obstacles)]
        case.cache["narrative_keys"] = read(" ".join(parts)).content
    return case.cache["narrative_keys"]


def risk_keys(risk, case) -> frozenset[str]:
    """The words that name a risk: its opening clause, less common and general words and the words
    of the client's goals and takeaway (the problem the whole plan is about does not name a risk)."""
    from course.language import weak_keys
    from course.scoring.reading import general_keys

    remembered = case.cache.setdefault("risk_keys", {})
    if risk.text not in remembered:
        opening = re.split(r"[(:;.]| - | – ", risk.text, maxsplit=1)[0]
        about = read(" ".join([case.title, case.takeaway.text, *(g.text for g in case.goals)])).content
        filler = read(" ".join(_words("risk_name_filler"))).content
        remembered[risk.text] = frozenset(read(opening).content - weak_keys() - general_keys() - filler - about)
    return remembered[risk.text]


def adjustment_for(risk, text: str) -> str:
    """An adjustment of the task for a risk found in a text, or "".

    The case's own adjustment phrases count, and so do the general ways of adjusting a task
    (a stop rule, timing chosen around the risk, a check-in, someone on hand). Naming an existing
    crisis or safety plan alone is not an adjustment of this task."""
    words = read(text)
    crisis_only = set(_words("crisis_plan_only"))
    own = [a for a in matching_phrases(risk.adjustments, words) if a.lower() not in crisis_only]
    if own:
        return own[0]
    general = surface_matches(_words("risk_adjustments"), text)
    if general:
        return general[0]
    crisis = [a for a in matching_phrases(risk.adjustments, words) if a.lower() in crisis_only]
    if crisis and surface_matches(_words("crisis_plan_tied"), text):
        return crisis[0]
    return ""


# -- the item and the gate ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SafetyFindings:
    """What the plan does about safety, read once for the item and the gate."""

    unsafe: tuple[tuple[str, Sentence], ...]
    named: tuple[str, ...]
    handled: tuple[str, ...]
    evidence: tuple[str, ...]
    judgement: Sentence | None
    empty: bool
    says_none: bool
    invented: Sentence | None

    def unaddressed(self, case) -> list:
        """The case's risks the plan does not both name and adjust for."""
        return [r for r in case.risks if r.id not in self.handled]


def read_safety(reading: PlanReading) -> SafetyFindings:
    """Read what the plan says about risk (cached on the reading)."""
    if "safety" not in reading.memo:
        reading.memo["safety"] = _read_safety(reading)
    return reading.memo["safety"]


def _read_safety(reading: PlanReading) -> SafetyFindings:
    case = reading.vignette
    unsafe = tuple(case_unsafe(reading) + general_unsafe(reading))
    risk_sentences = reading.valid(["risk"])
    risk_text = " ".join(s.text for s in risk_sentences)
    empty = not risk_text or _is_empty_judgement(risk_text)
    named, handled, evidence = [], [], []
    for risk in case.risks:
        naming = [s for s in reading.valid() if _names_present(risk, s.words, s.text, case)]
        if not naming:
            continue
        cue = risk_named(risk, naming[0].words, naming[0].text, case)
        named.append(risk.id)
        nearby = [*risk_sentences, *reading.valid(["adaptations"]), *reading.valid(["obstacles"]), *naming]
        near = read_joined([s.text for s in nearby])
        adjustment = adjustment_for(risk, near.text)
        label = risk_label(risk)
        if adjustment:
            handled.append(risk.id)
            evidence.append(f"{label}: named ({_clip(cue)}) and adjusted ({_clip(adjustment)})")
        else:
            evidence.append(f"{label}: named ({_clip(cue)}), no adjustment")
    named_in_note = [r for r in case.risks if any(_names_present(r, s.words, s.text, case) for s in risk_sentences)]
    denied_in_note = any(denies(s.text, cue) for r in case.risks for s in risk_sentences
                         if (cue := risk_named(r, s.words, s.text, case)))
    says_none = (bool(surface_matches(_words("no_risk_cues"), risk_text)) or denied_in_note) and not named_in_note
    invented = None
    if not case.risks:
        invented = next((s for s in reading.valid(["risk", "adaptations"]) if asserts_present_risk(s)), None)
    judgement = None
    screened = states_screen(risk_text) or (case.risk_screen is not None and says_none)
    if risk_sentences and not empty and mentions_risk_domain(risk_text) and screened:
        judgement = risk_sentences[0]
    return SafetyFindings(unsafe, tuple(named), tuple(handled), tuple(evidence), judgement, empty, says_none, invented)


def _clip(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def risk_label(risk) -> str:
    """A short name for a case risk, for feedback; never its id. Its `name` when the case gives one, else
    the opening words of its text (up to a colon, semicolon, comma, full stop, dash or bracket) when they
    are one to six words, else the first five words of that opening with an ellipsis."""
    if getattr(risk, "name", ""):
        return risk.name
    opening = re.split(r"[(:;,.]| - | – ", risk.text, maxsplit=1)[0].strip() or risk.text.strip()
    words = opening.split()
    label = opening if 1 <= len(words) <= RISK_LABEL_WORDS else " ".join(words[:5]) + "…"
    return label[:1].lower() + label[1:]


RISK_LABEL_WORDS = 6


def _is_empty_judgement(text: str) -> bool:
    simple = re.sub(r"[^a-z/ -]", "", text.lower()).strip()
    return simple in set(_words("empty_judgements")) or len(read(text).tokens) <= 1


def safety_gate(reading: PlanReading) -> str:
    """Why the safety gate caps this plan ("" when it does not): an unsafe instruction, or a risk
    the case holds left unaddressed. Written to follow "this plan ..."."""
    case = reading.vignette
    found = read_safety(reading)
    reasons = []
    if found.unsafe:
        reasons.append("gives an unsafe instruction, " + "; ".join(what for what, _ in found.unsafe[:2]))
    stated = bool(reading.valid(["task"]) or reading.valid(["summary"]))  # a blank form is not a plan to cap
    if case.risks and stated:
        if found.says_none:
            reasons.append(f"says there is no risk although the case's screen found {_and([risk_label(r) for r in case.risks])}")
        elif found.unaddressed(case):
            reasons.append(f"leaves {_and([risk_label(r) for r in found.unaddressed(case)])} unaddressed")
    return " and ".join(reasons)


def _and(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
