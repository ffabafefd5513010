"""The authoring trial's guess points (docs/authoring-trial-2026-12.md, findings 1-3, 5-11): each one is
now written in the guide or said by `--check`, and the rules behind them hold: one case that earns the
point and one that must not."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from test_schema_v2_grading import build, case_data, item, plan

from course.language import lexicon
from course.scoring import score_plan
from course.scoring.safety import risk_label
from course.vignette_check import Finding, lint, visible_turns
from course.vignettes import all_vignettes

from conftest import CASE_IDS, ROOT

GUIDE = ROOT / "docs" / "writing-a-vignette.md"
VIGNETTES = ROOT / "course" / "data" / "vignettes"


def run_course(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def guide() -> str:
    return " ".join(GUIDE.read_text(encoding="utf-8").split())


# -- finding 1: the transcript cut ---------------------------------------------------------------------
def test_the_guide_says_how_to_write_the_transcript_cut():
    text = guide()
    assert "| `homework_discussion_from` | the index, counting from 0, of the first transcript turn" in text


def test_the_cut_decides_which_turns_are_linted_for_giveaways():
    data = case_data("maya-activation")
    case = build(data)
    turns, known = visible_turns(case)
    assert known and turns == list(range(data["homework_discussion_from"]))
    assert not [f for f in lint(case) if "gives away" in f.message]
    data.pop("homework_discussion_from")
    data.pop("voice", None)
    uncut = lint(build(data))
    assert [f for f in uncut if "gives away" in f.message], "the homework discussion gives the plan away"
    note = next(f for f in uncut if f.path == "homework_discussion_from")
    assert "`homework_discussion_from: N`" in note.fix and "counting from 0" in note.fix


# -- finding 2: kind defaults an author can switch off ------------------------------------------------
def eilidh_with_a_schedule_default_only():
    """Eilidh's daylight constraint, addressed in the plan only by a schedule default ("fits")."""
    data = case_data("eilidh-postnatal")
    daylight = next(i for i, c in enumerate(data["constraints"]) if c["kind"] == "schedule" and c.get("key", True)
                    )
    return data, daylight


def fits_only_plan(case):
    ref = case.key.reference_plan
    return plan(case, when="Tuesday and Thursday", adaptations="The walk fits her week as it is.",
                format="A card on the fridge.", summary_format="A card on the fridge.",
                task=ref.task, where=ref.where)


@pytest.fixture(scope="module")
def daylight_case():
    data, index = eilidh_with_a_schedule_default_only()
    for i, c in enumerate(data["constraints"]):
        c["key"] = i == index  # only the daylight constraint is key, so `fit` turns on it alone
        if i != index:
            c["breaks"] = []
    data["constraints"][index]["addressed_by"] = ["sunlit hours"]
    data["constraints"][index]["defaults"] = True  # the shipped case switches them off; these tests switch
    data["constraints"][index]["breaks"] = []
    data["constraints"][index].pop("unavailable", None)
    return data, index


def fit_status(data, the_plan_for):
    case = build(data)
    return item(case, the_plan_for(case), "fit")


def test_a_kind_default_counts_while_it_is_on(daylight_case):
    data, _ = daylight_case
    result = fit_status(data, fits_only_plan)
    assert result.status == "met" and any("fits" in e for e in result.evidence)


def test_a_default_switched_off_for_one_constraint_no_longer_counts(daylight_case):
    data, index = daylight_case
    off = json.loads(json.dumps(data))
    off["constraints"][index]["defaults_not_counted"] = ["fits", "after work"]
    assert fit_status(off, fits_only_plan).status == "missing"
    none = json.loads(json.dumps(data))
    none["constraints"][index]["defaults"] = False
    assert fit_status(none, fits_only_plan).status == "missing"


def test_switching_defaults_off_leaves_the_authors_own_phrases_and_the_other_defaults(daylight_case):
    data, index = daylight_case
    off = json.loads(json.dumps(data))
    off["constraints"][index]["defaults_not_counted"] = ["fits"]
    weekend = fit_status(off, lambda c: fits_only_plan(c).model_copy(update={"adaptations": "At the weekend."}))
    assert weekend.status == "met", "another default still counts"
    off["constraints"][index]["defaults"] = False
    own = fit_status(off, lambda c: fits_only_plan(c).model_copy(update={"adaptations": "A walk in the sunlit hours."}))
    assert own.status == "met", "addressed_by still counts with defaults: false"


def test_check_names_the_switch_and_flags_a_phrase_that_is_no_default(daylight_case):
    data, index = daylight_case
    data = json.loads(json.dumps(data))
    data["constraints"][index]["defaults_not_counted"] = ["fits", "on a whim"]
    found = lint(build(data))
    path = f"constraints[{index}].defaults_not_counted[1]"
    wrong = next(f for f in found if f.path == path)
    assert wrong.severity == "warning" and "'on a whim' is not a default phrase of kind 'schedule'" in wrong.message
    switched = next(f for f in found if f.path == f"constraints[{index}] (schedule)" and "switched off" in f.message)
    assert "fits" in switched.message
    counted = next(f for f in found if f.path == f"constraints[{index}] (schedule)" and "also count" in f.message)
    assert "fits" not in counted.message.split(": ", 1)[1].split(", ")


def test_the_guide_says_how_to_switch_defaults_off():
    text = guide()
    for words in ("`constraints[].defaults`", "`constraints[].defaults_not_counted`",
                  "list it in `defaults_not_counted`", "set `defaults: false`"):
        assert words in text, words


# -- finding 3: stopwords written down, and cue phrases read as one word ------------------------------
def test_the_guides_stopword_list_is_the_lexicons():
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("<!-- stopwords: begin -->", 1)[1].split("<!-- stopwords: end -->", 1)[0]
    written = set(re.findall(r"`([^`]+)`", block))
    assert written == set(lexicon().stopwords), (
        f"missing from the guide: {sorted(set(lexicon().stopwords) - written)}; "
        f"not stopwords: {sorted(written - set(lexicon().stopwords))}")


def test_lexicon_stopwords_prints_the_list():
    done = run_course("lexicon", "stopwords", "--json")
    assert done.returncode == 0 and set(json.loads(done.stdout)) == set(lexicon().stopwords)
    text = run_course("lexicon", "stopwords")
    assert text.returncode == 0 and "after" in text.stdout and "herself" in text.stdout


def test_lexicon_defaults_prints_a_kinds_phrases():
    done = run_course("lexicon", "defaults", "schedule")
    assert done.returncode == 0 and "after work" in done.stdout and "privacy" not in done.stdout
    assert run_course("lexicon", "defaults", "no-such-kind").returncode == 2


def test_a_time_word_read_away_is_flagged_with_its_path_and_a_fix():
    data = case_data("eilidh-postnatal")
    daylight = data["constraints"][1]
    assert not daylight.get("unavailable") and not daylight.get("rota"), "no clock times catch the wrong time"
    daylight["addressed_by"].append("after her feed")
    path = f"constraints[1].addressed_by[{len(daylight['addressed_by']) - 1}]"
    found = {f.path: f for f in lint(build(data))}
    assert found[path].severity == "warning"
    assert "'after her feed' is read as just 'feed'" in found[path].message
    assert "lexicon stopwords" in found[path].fix and "between feeds" in found[path].fix


def test_a_time_word_is_not_lost_where_the_constraints_hours_catch_the_wrong_time():
    data = case_data("eilidh-postnatal")
    routine = data["constraints"][0]
    assert routine["unavailable"], "Eilidh's routine has hours she cannot do the task"
    routine["addressed_by"].append("after her feed")
    path = f"constraints[0].addressed_by[{len(routine['addressed_by']) - 1}]"
    found = {f.path: f for f in lint(build(data))}
    assert found[path].severity == "note" and "`unavailable` hours" in found[path].message


def test_a_time_word_before_a_word_the_case_never_uses_is_not_flagged():
    data = case_data("eilidh-postnatal")
    data["constraints"][1]["addressed_by"].append("after the zumba class")  # 'zumba class': two content words
    data["constraints"][1]["addressed_by"].append("after zumba")  # one word, but not of Eilidh's story
    found = [f for f in lint(build(data)) if "zumba" in f.message]
    assert not found


def test_articles_alone_are_no_loss_but_a_common_word_is_flagged():
    data = case_data("klaus-grief")
    data["obstacles"][0]["cues"] += ["the grief", "the time"]
    found = {f.message.split(" is ")[0]: f for f in lint(build(data)) if f.path.startswith("obstacles[0]")}
    assert "'the grief'" not in found
    assert found["'the time'"].severity == "warning" and "a common word" in found["'the time'"].message


def test_a_long_stopword_phrase_is_a_note_and_a_short_one_a_warning():
    data = case_data("maya-activation")
    data["obstacles"][0]["cues"] += ["as much as she can", "get out"]
    found = {f.message.split(" is ")[0]: f for f in lint(build(data)) if f.path.startswith("obstacles[0]")}
    assert found["'as much as she can'"].severity == "note"
    assert found["'get out'"].severity == "warning"


def all_findings() -> list[Finding]:
    return [f for case in all_vignettes() for f in lint(case)]


def test_every_command_the_check_mentions_exists():
    mentioned = set()
    texts = [f"{f.message} {f.fix}" for f in all_findings()]
    texts.append((ROOT / "course" / "vignette_check.py").read_text(encoding="utf-8"))
    for text in texts:
        mentioned |= set(re.findall(r"python -m course ([a-z-]+(?: [a-z]+)?)", text))
    assert {"lexicon stopwords", "lexicon defaults"} <= mentioned
    for command in sorted(mentioned):
        done = run_course(*command.split())
        assert done.returncode == 0, f"`python -m course {command}` does not run: {done.stderr[-300:]}"


# -- findings 5-7 and 10: what each descriptive field does, truthfully ---------------------------------
def code_reading(field: str) -> list[str]:
    """Python files under course/ that read `.field` of something (a case)."""
    pattern = re.compile(rf"(?<!course)\.{field}\b")  # not the module course.language
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "course").rglob("*.py")
                  if p.name != "vignettes.py" and pattern.search(p.read_text(encoding="utf-8")))


def test_country_is_read_by_no_code_and_the_guide_says_so():
    assert code_reading("country") == [], "code reads `country` now: say in the guide what it does"
    assert "| `country` | where the case is set (ISO 3166-1 alpha-2, e.g. `GB`, `DE`). **No code reads it yet**" in guide()


@pytest.mark.parametrize(("field", "readers", "said"), [
    ("language", ["course/cli.py", "course/client/transcript.py", "course/handouts.py"],
     "**The grader does not read it**: to mark a plan on the language"),
    ("interpreter", ["course/cli.py", "course/client/transcript.py"],
     "**The grader does not read it**: what a plan must do about the interpreter"),
    ("delivery", ["course/cli.py", "course/client/transcript.py", "course/forms/plan_form.py"],
     "**The grader does not read it**: a telephone case needs its own constraint"),
])
def test_descriptive_fields_are_read_only_where_the_guide_says(field, readers, said):
    assert code_reading(field) == readers, "the readers changed: update the guide's row for " + field
    assert said in guide()


def test_the_guide_says_what_task_types_and_modality_do():
    text = guide()
    assert "| `answer_key.task_types` | catalogue ids" in text
    assert "A plan whose `task_type` is not listed loses nothing for that alone" in text
    assert "no other value loads. Pick the nearest (grief-focused CBT: `cbt`)" in text


# -- findings 8 and 9: which plans need a hierarchy step, and which step a sentence names --------------
def klaus_plan(case, **changes):
    return plan(case, **changes)


def test_a_letter_plan_in_a_case_that_lists_letters_needs_no_step():
    case = build(case_data("klaus-grief"))
    letter = klaus_plan(case, task_type="expressive_writing", hierarchy_step="")
    result = item(case, letter, "doable_dose")
    assert result.status == "met" and "hierarchy" not in result.next_step.lower()


def test_an_exposure_plan_without_a_step_still_loses_it():
    case = build(case_data("klaus-grief"))
    bare = klaus_plan(case, hierarchy_step="", task="Go to the garden colony on Tuesday and Saturday mornings "
                      "for 20 minutes and rate the grief.")
    result = item(case, bare, "doable_dose")
    assert result.status == "partial" and "step" in result.next_step


def test_a_non_exposure_type_the_case_does_not_list_is_held_to_the_hierarchy():
    case = build(case_data("klaus-grief"))
    bare = klaus_plan(case, task_type="thought_record", hierarchy_step="",
                      task="Write down the thoughts about Ulla each morning for 20 minutes.")
    assert item(case, bare, "doable_dose").status == "partial"


def two_steps(case, suitable: list[str], step_text: str):
    data = case_data("klaus-grief")
    data["answer_key"]["suitable_steps"] = suitable
    case = build(data)
    return item(case, klaus_plan(case, hierarchy_step=step_text), "doable_dose")


def test_a_sentence_naming_two_steps_is_read_as_the_highest():
    step = "Sit on Ulla's bench for 20 minutes, after a few minutes at the gate."
    only_gate = two_steps(None, ["gate"], step)
    assert only_gate.status == "partial", "the bench (SUDS 65) is the step named, and it does not suit"
    assert "“Go into the plot and sit on the bench" in only_gate.feedback + only_gate.next_step
    assert two_steps(None, ["bench"], step).status == "met"


def test_a_negated_higher_step_is_not_the_one_named():
    step = "Walk to the gate and look at the plot from the path, not yet the bench."
    assert two_steps(None, ["gate"], step).status == "met"
    assert two_steps(None, ["bench"], step).status == "partial"


def test_the_guide_says_which_plans_need_a_step_and_which_step_is_taken():
    text = guide()
    assert "**When the text names two or more steps by their cues, the highest is taken**" in text
    assert "a letter plan is not asked for one" in text


# -- finding 11: risks named in feedback, never by their id -------------------------------------------
def test_a_risk_name_is_what_feedback_shows():
    data = case_data("eilidh-postnatal")
    data["risks"][0]["id"] = "passive-si"
    data["risks"][0]["name"] = "thoughts of not waking up"
    data.pop("voice", None)  # the scripted client refers to risks by id
    data.get("answer_key", {}).get("reference_plan", {}).pop("conversation", None)
    case = build(data)
    result = item(case, plan(case, risk="Screened for risk."), "safety")
    shown = " ".join([result.feedback, result.next_step, *result.evidence])
    assert "thoughts of not waking up" in shown and "passive" not in shown


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_feedback_never_shows_a_risk_id(case_id):
    data = case_data(case_id)
    if not data.get("risks"):
        return
    for i, risk in enumerate(data["risks"]):
        risk["id"] = f"zq-risk-{i}"  # an id no feedback sentence could say by chance
    data.pop("voice", None)  # the scripted client refers to risks by id
    case = build(data)
    for the_plan in (case.key.reference_plan, plan(case, risk="Screened for risk: no concerns.", adaptations="")):
        report = score_plan(the_plan, case)
        text = json.dumps([[i.feedback, i.next_step, *i.evidence] for i in report.items]
                          + [f.message for f in report.flags])
        assert "zq-risk" not in text and "zq risk" not in text


def test_a_long_risk_text_without_a_name_is_cut_and_check_asks_for_a_name():
    data = case_data("maya-activation")
    data["risks"] = [{"id": "x1", "text": "Passing thoughts at night that it would be easier not to wake up, no plan",
                      "cues": ["not to wake up"], "adjustments": ["check in"]}]
    case = build(data)
    assert risk_label(case.risks[0]) == "passing thoughts at night that…"
    warned = next(f for f in lint(case) if f.path == "risks[0]")
    assert warned.severity == "warning" and "`name`" in warned.fix


# -- item 8: answers of exercises the course no longer has -------------------------------------------
@pytest.fixture()
def module_02(tmp_path):
    folder = tmp_path / "02-spotting-the-behaviours"
    answers = folder / "answers"
    answers.mkdir(parents=True)
    old = {"02-spot-maya.json": '{"ticks": {"0": ["session_link"]}}\n',
           "02-spot-maya.unreadable-20261201-101010.json": "{not json",
           "02-spot-sofia.json": '{"ticks": {}}\n'}
    for name, text in old.items():
        (answers / name).write_text(text, encoding="utf-8")
    return folder, old


def test_old_answers_are_kept_and_the_modules_first_form_says_so(module_02):
    from course.answers import AnswersFile, answers_path

    folder, old = module_02
    loaded = AnswersFile(answers_path("02-spot-aisha", folder)).load()
    assert loaded.data is None
    for name in old:
        assert name in loaded.message
    assert "nothing was deleted" in loaded.message and "no longer count" in loaded.message
    other = AnswersFile(answers_path("02-spot-farid", folder)).load()
    assert other.message == "", "told once, on the module's first exercise"
    for name, text in old.items():
        assert (folder / "answers" / name).read_text(encoding="utf-8") == text, "kept byte for byte"


def test_the_real_spotting_form_of_module_02_tells_the_trainee_and_saves_beside_the_old_files(module_02, monkeypatch):
    from course.forms.spotting_form import spot_behaviours

    folder, old = module_02
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("NBGRADER_VALIDATING", raising=False)
    form = spot_behaviours("aisha-panic", exercise="02-spot-aisha", folder=folder)
    status = " ".join(form.autosave.status.value.split())
    assert "02-spot-maya.json" in status and "02-spot-sofia.json" in status and "nothing was deleted" in status
    turn, behaviour = next(iter(form.boxes))
    form.boxes[(turn, behaviour)].value = True
    assert (folder / "answers" / "02-spot-aisha.json").exists()
    for name, text in old.items():
        assert (folder / "answers" / name).read_text(encoding="utf-8") == text


def test_old_answers_never_read_as_a_problem_by_grading_or_progress(module_02, capsys):
    from course.answers import AnswersFile, answers_path
    from course.grading import spotting_points
    from course.progress import collect_progress

    folder, old = module_02
    quiet = AnswersFile(answers_path("02-spot-aisha", folder)).load(move_aside=False)
    assert quiet.message == "", "grading and progress read without the notice: no answers is not unreadable"
    points = spotting_points("02-spot-aisha", "aisha-panic", folder=folder)
    assert points == 0 and "could not be read" not in capsys.readouterr().out
    progress = collect_progress(folder.parent)
    aisha = next(e for e in progress.exercises if e.exercise == "02-spot-aisha")
    assert aisha.note == "not started"
    assert not [e for e in progress.exercises if e.exercise in {"02-spot-maya", "02-spot-sofia"}]
    for name, text in old.items():
        assert (folder / "answers" / name).read_text(encoding="utf-8") == text


def test_saving_the_new_exercise_leaves_the_old_answers_alone(module_02):
    from course.answers import AnswersFile, answers_path

    folder, old = module_02
    file = AnswersFile(answers_path("02-spot-aisha", folder))
    file.load()
    assert file.save({"ticks": {"0": ["collaboration"]}})
    again = AnswersFile(answers_path("02-spot-aisha", folder)).load()
    assert again.data == {"ticks": {"0": ["collaboration"]}} and "02-spot-maya.json" in again.message
    assert sorted(p.name for p in (folder / "answers").iterdir()) == sorted([*old, "02-spot-aisha.json"])


def test_every_retired_exercise_names_a_module_of_this_course_and_is_no_longer_in_it():
    from course.answers import RETIRED_EXERCISES
    from course.assignments import load_course

    course = load_course()
    current = {e.id for a in course.assignments for e in a.exercises}
    modules = {a.id for a in course.assignments}
    for exercise, (module, _) in RETIRED_EXERCISES.items():
        assert exercise not in current and module in modules


def test_a_folder_without_old_answers_says_nothing(tmp_path):
    from course.answers import AnswersFile, answers_path, retired_answers

    assert retired_answers(tmp_path / "nowhere") == {}
    assert AnswersFile(answers_path("02-spot-aisha", tmp_path)).load().message == ""


# -- item 7: case data the lint showed was read against its intent ---------------------------------------
def test_tasha_keeping_the_blades_is_safe_and_keisha_keeping_them_is_not():
    case = build(case_data("keisha-dbt-skills"))
    safe = plan(case, adaptations="Tasha keeps the blades and the first-aid kit in her room this week.")
    assert item(case, safe, "safety").status == "met"
    unsafe = plan(case, adaptations="Keisha keeps the blades in her own room again this week.")
    assert item(case, unsafe, "safety").outcome == "unsafe"


def test_naming_the_evening_beer_is_not_adjusting_for_it():
    from course.scoring.safety import adjustment_for

    case = build(case_data("marcus-pe"))
    beer = next(r for r in case.risks if "beer" in r.cues or "beers" in r.text)
    assert adjustment_for(beer, "He drinks beer most evenings.") == "", "the risk's own word is no adjustment"
    assert adjustment_for(beer, "He will stay alcohol free on those afternoons.") == "alcohol free"
