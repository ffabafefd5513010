"""How long a module takes, estimated from its built notebook: the words a trainee reads at a stated
rate, plus stated minutes for each field or exercise they work on (rates in data/time_estimates.yaml).

`estimate_notebook` is the one function that makes the figure; the notebook builder writes it into
each module's header and into the overview of module 00.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from course.datafiles import DATA_DIR, read_yaml

RATES_FILE = DATA_DIR / "time_estimates.yaml"
WORD = re.compile(r"[^\W\d_]+(?:['’‑–-][^\W\d_]+)*")
TIME_LINE = re.compile(r"^\*\*Time:\*\*.*$", re.MULTILINE)  # the estimate itself is not reading
FORM_CALL = re.compile(r'\b(draft_plan|spot_behaviours|review_script|concept_check|rate_my_plan)\("([^"]+)"')


@dataclass(frozen=True)
class WorkItem:
    """Exercises of one kind in a module: how many, and the minutes for all of them."""

    kind: str
    count: int
    minutes: float


@dataclass(frozen=True)
class TimeEstimate:
    """A module's estimated time: reading plus work, rounded to the nearest 5 minutes."""

    words: int
    words_per_minute: int
    work: tuple[WorkItem, ...]

    @property
    def reading_minutes(self) -> float:
        return self.words / self.words_per_minute

    @property
    def minutes(self) -> int:
        """The whole estimate, to the nearest 5 minutes (at least 5)."""
        raw = self.reading_minutes + sum(w.minutes for w in self.work)
        return max(5, 5 * math.floor(raw / 5 + 0.5))

    def describe(self) -> str:
        """What the estimate is made of, e.g. 'reading 2,639 words at 150 words a minute, 18 minutes; 3 plans,
        about 88 minutes each' (figures in digits only, so the words around them never change)."""
        parts = [f"reading {self.words:,} words at {self.words_per_minute} words a minute, "
                 f"{round(self.reading_minutes)} minutes"]
        for item in self.work:
            singular, plural = rates()["work"][item.kind]["label"]
            if item.count == 1:
                parts.append(f"1 {singular}, about {round(item.minutes)} minutes")
            else:
                parts.append(f"{item.count} {plural}, about {round(item.minutes / item.count)} minutes each")
        return "; ".join(parts)


@lru_cache(maxsize=1)
def rates() -> dict[str, Any]:
    """The reading rate and the minutes per field or exercise (data/time_estimates.yaml)."""
    return read_yaml(RATES_FILE)


def count_words(text: str) -> int:
    """Words in a text (runs of letters; figures and Markdown marks are not words)."""
    return len(WORD.findall(text))


def _case_words(case) -> int:
    """Words a plan, spotting or review form shows of its case."""
    texts = [case.title, case.presenting_problem, case.client.context, case.takeaway.text]
    texts += [g.text for g in case.goals] + [c.text for c in case.constraints] + [t.text for t in case.transcript]
    review_case = getattr(case, "review_case", None)
    if review_case is not None:
        texts += [v for v in review_case.model_dump().values() if isinstance(v, str)]
    return sum(count_words(t) for t in texts if t)


def _question_words(question_id: str) -> int:
    from course.concepts import get_question

    question = get_question(question_id)
    return count_words(question.prompt) + sum(count_words(o.text) + count_words(o.explanation) for o in question.options)


def _plan_minutes() -> float:
    from course.forms.plan_form import LAYOUT

    r = rates()["work"]["plan"]
    kind_of = {"area": "area", "line": "line", "summary": "summary"}
    fields = [kind for _, _, group in LAYOUT for _, _, kind, _ in group]
    minutes = sum(r[kind_of.get(kind, "choice")] for kind in fields)
    return minutes + r["obstacle"] * r["obstacles"] + r["feedback"]


def _review_minutes() -> float:
    from course.forms.review_form import FIELDS

    r = rates()["work"]["review"]
    return r["field"] * len(FIELDS) + r["feedback"]


def _spotting_minutes(case) -> float:
    from course.spotting import therapist_turns

    r = rates()["work"]["spotting"]
    return r["therapist_turn"] * len(therapist_turns(case)) + r["feedback"]


def _case(ref: str, folder: Path | None):
    from course.vignettes import get_vignette, load_vignette_file

    if ref.endswith((".yaml", ".yml")) and folder is not None:
        return load_vignette_file(folder / ref)
    return get_vignette(ref)


def estimate_notebook(nb, folder: str | Path | None = None) -> TimeEstimate:
    """The time estimate of a built module notebook; `folder` holds files its forms read (case.yaml)."""
    from course.checklist import load_checklist

    folder = Path(folder) if folder is not None else None
    r = rates()["work"]
    words = 0
    work: dict[str, list[float]] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown":
            if meta.get("solution") and meta.get("grade"):
                work.setdefault("reflection", []).append(r["reflection"]["answer"])
            else:
                words += count_words(TIME_LINE.sub("", cell.source))
            continue
        if meta.get("solution"):
            work.setdefault("code", []).append(r["code"]["task"])
        for form, ref in FORM_CALL.findall(cell.source):
            if form == "draft_plan":
                words += _case_words(_case(ref, folder))
                work.setdefault("plan", []).append(_plan_minutes())
            elif form == "spot_behaviours":
                case = _case(ref, folder)
                words += count_words(" ".join(t.text for t in case.transcript))
                work.setdefault("spotting", []).append(_spotting_minutes(case))
            elif form == "review_script":
                words += _case_words(_case(ref, folder))
                work.setdefault("review", []).append(_review_minutes())
            elif form == "concept_check":
                words += _question_words(ref)
                work.setdefault("concept", []).append(r["concept"]["question"])
            elif form == "rate_my_plan":
                work.setdefault("self_rating", []).append(r["self_rating"]["behaviour"] * len(load_checklist().plan_items))
    order = list(r)
    items = tuple(WorkItem(kind, len(m), sum(m)) for kind, m in sorted(work.items(), key=lambda kv: order.index(kv[0])))
    return TimeEstimate(words, rates()["reading_words_per_minute"], items)


def hours(minutes: int) -> str:
    """Minutes as hours to the nearest half hour, e.g. '17.5' (digits only)."""
    return f"{round(minutes / 30) / 2:g}"
