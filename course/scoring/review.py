"""Scoring a review script (the client did not, or only partly, do the task) with the `review` rubric."""

from __future__ import annotations

import re
from dataclasses import dataclass

from course.checklist import load_checklist
from course.language import coverage, lexicon, matching_phrases, read, split_sentences, surface_matches
from course.reviews import ReviewScript
from course.scoring import ItemResult, _Blank
from course.vignettes import Vignette

OPEN_STARTS = re.compile(r"^\s*(what|how|tell me|talk me through|walk me through|i'?m curious|can you tell|could you tell)\b", re.IGNORECASE)
CLOSED_STARTS = re.compile(r"^\s*(did|didn't|have|haven't|were|was|are|is|do|don't|why didn't|why did not)\b", re.IGNORECASE)
MOVE_FIELDS = {
    "ask_openly": ["ask_openly", "words_to_client"],
    "credit_attempt": ["credit_attempt", "words_to_client"],
    "draw_out_learning": ["draw_out_learning", "words_to_client"],
    "explore_obstacles": ["explore_obstacles", "words_to_client"],
    "revise_together": ["revise_together", "words_to_client"],
}
CREDIT_CUES = ["you did", "you managed", "you got", "you filled", "you started", "that counts", "well done",
               "good that", "great that", "glad you", "credit", "that is a start", "that's a start",
               "first step", "a real step", "you tried", "you made", "really useful", "thank you for",
               "that took", "it matters that", "counts", "point to", "name what", "the first time", "that's real",
               "you kept", "you left", "you held", "you noticed", "you caught", "you wrote", "you got as far"]
LEARNING_CUES = ["what did you notice", "what did you learn", "what does that tell", "what did that tell",
                 "what stood out", "what did you find", "what do you make of", "what did it show",
                 "what can we learn", "what might we learn", "learned", "learnt", "noticed", "tells us",
                 "what was it like", "what was different", "surprised", "what actually happened", "what struck you",
                 "what would it mean", "what does it mean", "what did it mean", "what that means", "what that says",
                 "what does that say", "what it says", "prediction", "the belief", "what happened to the worry",
                 "what happened to", "what did you see", "what came of"]
OBSTACLE_CUES = ["get in the way", "got in the way", "gets in the way", "made it hard", "makes it hard",
                 "harder", "hard to", "what stopped", "stood in the way", "barrier", "tricky", "difficult",
                 "what happened when", "what was going on", "too much", "my part", "i could have",
                 "i should have explained", "the sheet", "the form", "reminder", "remember", "forgot"]
REVISE_CUES = ["together", "shall we", "should we", "would it help", "what would make", "what would help",
               "change", "instead", "adjust", "revise", "different", "easier", "smaller", "try next",
               "next week", "would you like", "how about", "what if we", "let's", "your idea", "you suggested",
               "which would you", "what do you think", "ask him what", "ask her what", "ask them what",
               "build it from", "from his answer", "from her answer", "from their answer", "his choice", "her choice",
               "their choice", "he chooses", "she chooses", "they choose", "let him pick", "let her pick"]


@dataclass(frozen=True)
class MoveResult:
    """Whether one review move is present, and the evidence."""

    id: str
    name: str
    present: bool
    evidence: str


def _text(script: ReviewScript, name: str) -> str:
    return str(getattr(script, name) or "")


def _sentences(script: ReviewScript, names: list[str]) -> list[str]:
    return [s for name in names for s in split_sentences(_text(script, name))]


def _find(script: ReviewScript, move: str, test) -> str:
    for sentence in _sentences(script, MOVE_FIELDS[move]):
        if test(sentence):
            return sentence
    return ""


_OPEN_INSIDE = re.compile(r"\b(what|how)\b[^?.!]*\?|\b(tell me|talk me through|walk me through)\b", re.IGNORECASE)


def _open_question(sentence: str) -> bool:
    spoken = sentence.lstrip(" \"'“‘(")
    if CLOSED_STARTS.search(spoken) and not _OPEN_INSIDE.search(spoken):
        return False
    return bool(_OPEN_INSIDE.search(spoken)) or ("?" in spoken and bool(OPEN_STARTS.search(spoken)))


def _credits(sentence: str, case: Vignette) -> bool:
    if surface_matches(CREDIT_CUES, sentence):
        return True
    attempt = case.review_case.partial_attempt if case.review_case else ""
    return bool(attempt) and coverage(attempt, sentence) >= 0.4 and len(read(sentence).tokens) >= 5


def _learning(sentence: str) -> bool:
    return bool(surface_matches(LEARNING_CUES, sentence))


def _obstacles(sentence: str, case: Vignette) -> bool:
    barriers = case.review_case.barriers if case.review_case else []
    curious = "?" in sentence or bool(re.search(r"\b(wonder|curious|let's look|let us look|maybe)\b", sentence, re.I))
    named = surface_matches(OBSTACLE_CUES, sentence) or matching_phrases(barriers, sentence, respect_negation=False)
    return bool(named) and (curious or bool(matching_phrases(barriers, sentence, respect_negation=False)))


def _revises(sentence: str) -> bool:
    return bool(surface_matches(REVISE_CUES, sentence)) and len(read(sentence).tokens) >= 5


def review_moves(script: ReviewScript, vignette: Vignette) -> list[MoveResult]:
    """Each of the five review moves, found or not, with the sentence that shows it."""
    tests = {
        "ask_openly": _open_question,
        "credit_attempt": lambda s: _credits(s, vignette),
        "draw_out_learning": _learning,
        "explore_obstacles": lambda s: _obstacles(s, vignette),
        "revise_together": _revises,
    }
    moves = load_checklist().item("review").moves
    results = []
    for move in moves:
        sentence = _find(script, move.id, tests[move.id])
        results.append(MoveResult(move.id, move.name, bool(sentence), sentence))
    return results


_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_DISOWNED = re.compile(
    r"\b(not|never|no|rather than|instead of|without|isn't|is not|wasn't|avoid|avoiding)\b(\W+\w+){0,3}\W*$"
    r"|\b(calls? (himself|herself|themselves|myself)|says? (he|she|they|i) (is|am|are)|feels?|believes?|"
    r"thinks?|worries|fears?|the word|the label|labels? like|words? like)\b(\W+\w+){0,2}\W*$",
    re.IGNORECASE,
)


def blaming_words(script: ReviewScript) -> list[str]:
    """Blaming or "resistance" words the trainee uses (the words that triggered the flag).

    Words inside quotation marks (the client's own words), negated ("not resistance") or reported
    as the client's belief ("he calls himself lazy") are not the trainee blaming."""
    parts = [_text(script, name) for name in ReviewScript.model_fields if name not in {"schema_version", "vignette_id"}]
    found: list[str] = []
    for sentence in (s for part in parts for s in split_sentences(part)):
        unquoted = _QUOTED.sub(" ", sentence)
        for cue in surface_matches(lexicon().words("blame_cues"), unquoted):
            if not _all_disowned(cue, unquoted):
                found.append(cue)
    unique: dict[str, str] = {}
    for cue in found:  # "didn't do your" and "did not do your" are one flag
        unique.setdefault(" ".join(read(cue).tokens), cue)
    return list(unique.values())


def _all_disowned(cue: str, sentence: str) -> bool:
    pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in read(cue).tokens) + r"\b", re.IGNORECASE)
    simple = " ".join(read(sentence).tokens)
    hits = list(pattern.finditer(simple))
    return bool(hits) and all(_DISOWNED.search(simple[: m.start()]) for m in hits)


def score_review(script: ReviewScript, vignette: Vignette) -> tuple[ItemResult, list[MoveResult], list[str]]:
    """Score a review script with the `review` rubric: the item result, each move, and blame words."""
    item = load_checklist().item("review")
    moves = review_moves(script, vignette)
    blame = blaming_words(script)
    present = sum(m.present for m in moves)
    status = "met" if present == 5 else "partial" if present >= 3 else "missing"
    if blame:
        status = {"met": "partial", "partial": "missing", "missing": "missing"}[status]
    lacking = [m.name.lower() for m in moves if not m.present]
    values = {"lacking": "; ".join(lacking) if lacking else "it uses blaming language"}
    wording = item.text_for(status)
    feedback = wording.feedback.format_map(_Blank(values))
    if blame:
        feedback += " Blaming words to drop: " + ", ".join(f'"{b}"' for b in blame) + "."
    points = {"met": 1.0, "partial": 0.5, "missing": 0.0}[status] * item.weight
    evidence = tuple(f'{m.name}: "{m.evidence[:90]}"' for m in moves if m.present)
    result = ItemResult(
        id="review", name=item.name, status=status, points=points, max_points=float(item.weight),
        evidence=evidence, feedback=feedback, next_step=wording.next_step.format_map(_Blank(values)),
        outcome=status,
    )
    return result, moves, blame
