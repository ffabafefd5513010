"""Scoring a review script (the client did not, or only partly, do the task) with the `review` rubric."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from course.checklist import load_checklist
from course.datafiles import DATA_DIR, DataFileError, read_yaml
from course.language import coverage, lexicon, matching_phrases, read, split_sentences, surface_matches
from course.reviews import ReviewScript
from course.scoring import ItemResult, _Blank
from course.vignettes import Vignette

MOVE_FIELDS = {
    "ask_openly": ["ask_openly", "words_to_client"],
    "credit_attempt": ["credit_attempt", "words_to_client"],
    "draw_out_learning": ["draw_out_learning", "words_to_client"],
    "explore_obstacles": ["explore_obstacles", "words_to_client"],
    "revise_together": ["revise_together", "words_to_client"],
}
REVIEW_CUES_FILE = DATA_DIR / "review_cues.yaml"


@dataclass(frozen=True)
class ReviewCues:
    """The phrases each review move looks for (course/data/review_cues.yaml)."""

    open_starts: re.Pattern[str]
    closed_starts: re.Pattern[str]
    credit: tuple[str, ...]
    learning: tuple[str, ...]
    obstacle: tuple[str, ...]
    curious: re.Pattern[str]
    revise: tuple[str, ...]


def _alternatives(phrases: list[str], anchored: bool) -> re.Pattern[str]:
    words = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile((r"^\s*" if anchored else r"\b") + f"({words})" + r"\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def review_cues() -> ReviewCues:
    """The review rubric's cue phrases, read once from the data file."""
    data = read_yaml(REVIEW_CUES_FILE)
    try:
        return ReviewCues(
            open_starts=_alternatives(data["open_question"]["open_starts"], anchored=True),
            closed_starts=_alternatives(data["open_question"]["closed_starts"], anchored=True),
            credit=tuple(data["credit_attempt"]["cues"]),
            learning=tuple(data["draw_out_learning"]["cues"]),
            obstacle=tuple(data["explore_obstacles"]["cues"]),
            curious=_alternatives(data["explore_obstacles"]["curious"], anchored=False),
            revise=tuple(data["revise_together"]["cues"]),
        )
    except (KeyError, TypeError) as exc:
        raise DataFileError(f"{REVIEW_CUES_FILE}: missing or malformed list {exc}; compare it with the shipped file") from None


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
    if review_cues().closed_starts.search(spoken) and not _OPEN_INSIDE.search(spoken):
        return False
    return bool(_OPEN_INSIDE.search(spoken)) or ("?" in spoken and bool(review_cues().open_starts.search(spoken)))


def _credits(sentence: str, case: Vignette) -> bool:
    if surface_matches(review_cues().credit, sentence):
        return True
    attempt = case.review_case.partial_attempt if case.review_case else ""
    return bool(attempt) and coverage(attempt, sentence) >= 0.4 and len(read(sentence).tokens) >= 5


def _learning(sentence: str) -> bool:
    return bool(surface_matches(review_cues().learning, sentence))


def _obstacles(sentence: str, case: Vignette) -> bool:
    barriers = case.review_case.barriers if case.review_case else []
    curious = "?" in sentence or bool(review_cues().curious.search(sentence))
    named = surface_matches(review_cues().obstacle, sentence) or matching_phrases(barriers, sentence, respect_negation=False)
    return bool(named) and (curious or bool(matching_phrases(barriers, sentence, respect_negation=False)))


def _revises(sentence: str) -> bool:
    return bool(surface_matches(review_cues().revise, sentence)) and len(read(sentence).tokens) >= 5


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
