"""`python -m course`: the checklist, task types, vignettes, example plans and scoring."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from collections.abc import Sequence

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the user can fix; reported as one line on stderr with exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, as promised for bad input
        raise BadInput(f"{message} (see `python -m course --help`)")


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    lines = []
    wrapped_rows = [[textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths, strict=False)] for row in [headers, *rows]]
    for index, cells in enumerate(wrapped_rows):
        height = max(len(c) for c in cells)
        for line in range(height):
            parts = [(c[line] if line < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=False)]
            lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_checklist(args: argparse.Namespace) -> int:
    from course.checklist import load_checklist

    items = load_checklist().items
    if args.json:
        print(json.dumps([item.model_dump(exclude={"feedback"}) for item in items], indent=2))
        return 0
    width = shutil.get_terminal_size((120, 20)).columns
    rest = max(30, width - 20 - 30 - 7 - 3 - 10)
    rows = [
        [item.id, item.name, item.phase, str(item.weight), f"{item.definition} Met: {item.met}."]
        for item in items
    ]
    print(_table(["id", "behaviour", "phase", "pts", "definition"], rows, [18, 28, 7, 3, rest]))
    print("\nPartial = half the points. Sources per item: python -m course checklist --json")
    return 0


def cmd_task_types(args: argparse.Namespace) -> int:
    from course.catalogue import load_task_types

    types = load_task_types()
    if args.json:
        print(json.dumps([t.model_dump() for t in types.values()], indent=2))
        return 0
    rows = [[t.id, t.name, ", ".join(t.suits), t.mechanism] for t in types.values()]
    print(_table(["id", "task type", "suits", "mechanism a rationale names"], rows, [28, 26, 22, 60]))
    return 0


def cmd_lexicon(args: argparse.Namespace) -> int:
    """Print a word list of the grader's lexicon (course/data/lexicon.yaml), for case authors."""
    from course.language import lexicon

    lex = lexicon()
    if args.list == "stopwords":
        words = sorted(lex.stopwords)
        if args.json:
            print(json.dumps(words))
            return 0
        print("Stopwords: the grader drops these words when it reads a cue phrase or a plan (course/data/lexicon.yaml).")
        print(textwrap.fill(", ".join(words), 100))
        print(f"\n{len(words)} words. A cue phrase made only of them is matched word for word.")
        return 0
    kinds = {k: list(v) for k, v in lex.constraint_defaults.items() if not args.kind or k == args.kind}
    if args.kind and not kinds:
        print(f"unknown constraint kind {args.kind!r}; kinds: {', '.join(lex.constraint_defaults)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(kinds, indent=2))
        return 0
    print("Default phrases of each constraint kind: each also counts as addressing a key constraint of that kind\n"
          "when a plan's format, adaptations or summary_format uses it (switch off: `defaults: false` or\n"
          "`defaults_not_counted` on the constraint).")
    for kind, phrases in kinds.items():
        print(f"  {kind:11} {', '.join(phrases) or '(none)'}")
    return 0


def cmd_vignettes(args: argparse.Namespace) -> int:
    from course.vignettes import all_vignettes, load_vignette_file

    if args.upgrade:
        from course.vignette_upgrade import upgrade_vignette_file

        print(upgrade_vignette_file(args.upgrade).message)
        return 0
    if args.check:
        return _check_vignette(args.check, load_vignette_file, strict=args.strict)
    cases = all_vignettes()
    if args.json:
        print(json.dumps([
            {
                "id": v.id, "title": v.title, "use": v.use, "modality": v.modality, "delivery": v.delivery,
                "language": v.language, "interpreter": v.interpreter, "client": v.client.name,
                "age": v.client.age, "goals": [g.text for g in v.goals], "risks": [r.id for r in v.risks],
                "review_case": v.review_case is not None, "task_types": v.key.task_types,
            }
            for v in cases
        ], indent=2, ensure_ascii=False))
        return 0
    rows = [
        [v.id, v.title, v.modality.replace("_", " "), v.delivery.replace("_", " "), v.use
         + (", review" if v.review_case else "") + (", risk" if v.risks else "")]
        for v in cases
    ]
    print(_table(["id", "case", "modality", "delivery", "notes"], rows, [20, 46, 22, 10, 16]))
    print(f"\n{len(cases)} vignettes. Details: python -m course vignettes --json")
    return 0


EXIT_CHECK_FAILED = 1


def _check_vignette(path: str, loader, *, strict: bool = False) -> int:
    """Print what `--check` finds; exit 0 if the case passes, 1 if not (warnings too, with --strict)."""
    from pathlib import Path

    from course.datafiles import read_yaml
    from course.scoring import score_plan
    from course.vignette_check import enforced, lint

    case = loader(path)
    version = (read_yaml(Path(path)) or {}).get("schema_version")
    report = score_plan(case.key.reference_plan, case)
    older = f" (written for schema {version}, read as {case.schema_version}; `--upgrade` rewrites it)" \
        if version != case.schema_version else ""
    print(f"{path}: valid vignette {case.id!r}{older}; its reference plan scores {report.total:g}/{report.max:g}")
    print("\n== The reference plan, scored ==")
    print(render_report(report, case.title, evidence_limit=None))
    print("\n== What the test suite checks ==")
    errors = warnings = 0
    checks = enforced(case, Path(path))
    checks.append(("the reference plan scores full marks", [] if report.total == report.max else [
        _full_marks_finding(report)]))
    for rule, findings in checks:
        print(f"[{'ok' if not findings else 'FAIL'}] {rule}")
        for finding in findings:
            _print_finding(finding)
        errors += len(findings)
    print("\n== Lint: where the grader reads the case differently from how it reads to you ==")
    findings = lint(case)
    for finding in findings:
        _print_finding(finding)
    errors += sum(f.severity == "error" for f in findings)
    warnings += sum(f.severity == "warning" for f in findings)
    if not findings:
        print("nothing found")
    failed = errors or (strict and warnings)
    print(f"\n{errors} error(s), {warnings} warning(s). "
          + ("The case does not pass." if failed else "The case passes" + (" (read the warnings)." if warnings else ".")))
    return EXIT_CHECK_FAILED if failed else 0


def _full_marks_finding(report):
    from course.vignette_check import Finding

    lost = [f"{i.id} ({i.status})" for i in report.items if i.status != "met"]
    flags = [f.id for f in report.flags]
    return Finding("error", "answer_key.reference_plan", "loses points: " + ", ".join(lost + flags),
                   "read the items above: each says what is missing and the evidence it found")


def _print_finding(finding) -> None:
    lines = textwrap.wrap(f"{finding.severity:7} {finding.path}: {finding.message}", 100,
                          subsequent_indent="          ")
    if finding.fix:
        lines += textwrap.wrap(f"fix: {finding.fix}", 100, initial_indent="          ", subsequent_indent="          ")
    print("\n".join("  " + line for line in lines))


def cmd_example_plan(args: argparse.Namespace) -> int:
    from course.plans import plan_to_json
    from course.settings import SettingsError, assignments_using, expert_access
    from course.vignettes import get_vignette

    case = get_vignette(args.vignette)
    try:
        for assignment in assignments_using(case.id):
            access = expert_access(assignment)
            if not access.allowed:
                raise BadInput(f"no example plan for {case.id}: {access.reason} ({assignment})")
    except SettingsError as exc:
        raise BadInput(f"no example plan: the course settings file cannot be read: {exc}") from None
    sys.stdout.write(plan_to_json(case.key.reference_plan))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from course.plans import load_plan
    from course.scoring import score_plan
    from course.vignettes import get_vignette

    plan = load_plan(args.plan)
    vignette_id = args.vignette or plan.vignette_id
    if not vignette_id:
        raise BadInput("the plan names no vignette_id; give one with --vignette ID_OR_PATH")
    case = get_vignette(vignette_id)
    report = score_plan(plan, case)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print(render_report(report, case.title))
    return 0


def render_report(report, title: str, evidence_limit: int | None = 3) -> str:
    """A plan report as readable text (at most `evidence_limit` pieces of evidence per item; None: all)."""
    marks = {"met": "[met]    ", "partial": "[partly] ", "missing": "[missing]"}
    lines = [f"{title}"]
    for flag in report.flags:  # a gate or the safety cap leads the report
        lines += textwrap.wrap(f"NEEDS REVIEW ({flag.id}): {flag.message}", 100)
    capped = f" (capped; the behaviours add up to {report.raw_total:g})" if report.capped else ""
    lines += [f"Score: {report.total:g} / {report.max:g}{capped}  [grader {report.grader_version}]", ""]
    for item in report.items:
        lines.append(f"{marks[item.status]} {item.name}  {item.points:g}/{item.max_points:g}")
        lines += textwrap.wrap(item.feedback, 96, initial_indent="    ", subsequent_indent="    ")
        for evidence in item.evidence[:evidence_limit]:
            lines += textwrap.wrap(f"- {evidence}", 96, initial_indent="      ", subsequent_indent="        ")
        if item.status != "met":
            lines += textwrap.wrap(f"Next step: {item.next_step}", 96, initial_indent="    ", subsequent_indent="    ")
    gains = report.biggest_gains()
    if gains:
        lines += ["", "Biggest gains: " + "; ".join(f"{g.name} (+{g.max_points - g.points:g})" for g in gains)]
    return "\n".join(lines)


def cmd_grade(args: argparse.Namespace) -> int:
    from course.cohort_grading import GradingInterrupted, grade_assignment, interrupted_summary, outcomes_json, summary

    if args.dry_run:
        from pathlib import Path

        from course.regrade_preview import preview_text

        root = Path(args.course).resolve()
        if not (root / "nbgrader_config.py").exists():
            raise BadInput(f"{root} is not a course folder (no nbgrader_config.py); run this from the course root")
        print(preview_text(root, args.assignment))
        return 0
    try:
        outcomes = grade_assignment(args.course, args.assignment, jobs=args.jobs, force=args.force,
                                    timeout=args.timeout, progress=not args.json)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    except GradingInterrupted as stop:
        print(outcomes_json(stop.outcomes) if args.json else summary(stop.outcomes, args.assignment), flush=True)
        print(interrupted_summary(stop, args.assignment), flush=True)
        return 130
    print(outcomes_json(outcomes) if args.json else summary(outcomes, args.assignment))
    return 1 if any(not o.ok for o in outcomes) else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from course.demo import run_demo

    try:
        report = run_demo(args.dir, size=args.trainees, jobs=args.jobs)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    print(report.resolve())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.reports import write_report

    root = Path(args.course).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise BadInput(f"{root} is not a course folder (no nbgrader_config.py): run this from the course folder "
                       "or give --course DIR")
    from course.nbgrader_run import gradebook_url

    url = gradebook_url(root)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise BadInput(f"no gradebook at {url[len('sqlite:///'):]}: grade first with python -m course grade ASSIGNMENT")
    out = Path(args.out) if args.out else root / "reports" / (args.assignment or "all")
    try:
        files = write_report(url, out, assignment=args.assignment, course_root=root)
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    for name, path in files.items():
        print(f"{name}: {path}")
    print(Path(files["html"]).resolve())
    return 0


def cmd_case(args: argparse.Namespace) -> int:
    from course.client.transcript import case_markdown
    from course.vignettes import get_vignette

    sys.stdout.write(case_markdown(get_vignette(args.vignette)))
    return 0


def cmd_talk(args: argparse.Namespace) -> int:
    from course.client.engine import MOVES, replay
    from course.vignettes import get_vignette

    case = get_vignette(args.vignette)
    if args.moves:
        moves = _read_moves(args.moves)
        try:
            _, replies = replay(case, moves)
        except ValueError as exc:
            raise BadInput(f"{args.moves}: {exc}") from None
        if args.json:
            print(json.dumps([r.to_dict() for r in replies], indent=2, ensure_ascii=False))
        else:
            for move, answer in zip(moves, replies, strict=True):
                print(f"> {MOVES[answer.move][0]}" + (f": {move.get('text', '')}" if move.get("text") else ""))
                print(textwrap.fill(answer.text, 100), end="\n\n")
        return 0
    return _talk_interactively(case)


def _read_moves(path: str) -> list[dict]:
    """A moves file: a JSON list of {"move", "text"}, or a plan JSON with a `conversation`."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BadInput(f"{path}: not valid JSON ({exc})") from None
    if isinstance(data, dict):
        data = data.get("conversation", [])
    if not isinstance(data, list) or not all(isinstance(m, dict) and isinstance(m.get("move"), str) for m in data):
        raise BadInput(f'{path}: expected a JSON list of moves such as [{{"move": "options", "text": "..."}}]')
    return [{"move": m["move"], "text": str(m.get("text") or "")} for m in data]


def _talk_interactively(case) -> int:
    from course.client.engine import MOVES, reply

    print(f"Talking with {case.client.name} ({case.title}). Pick a move by number; an empty line or q ends.\n")
    ids = list(MOVES)
    conversation: list[dict] = []
    while True:
        for number, move_id in enumerate(ids, start=1):
            print(f"  {number:>2}. {MOVES[move_id][0]}")
        try:
            choice = input("move> ").strip()
        except EOFError:
            break
        if choice in {"", "q", "quit"}:
            break
        if not choice.isdigit() or not 1 <= int(choice) <= len(ids):
            print(f"Type a number from 1 to {len(ids)}.")
            continue
        move_id = ids[int(choice) - 1]
        text = ""
        if MOVES[move_id][1] or move_id in {"when", "risk"}:
            try:
                text = input(f"{MOVES[move_id][2] or 'your words'}> ")
            except EOFError:
                break
        move = {"move": move_id, "text": text}
        answer = reply(case, conversation, move)
        conversation.append(move)
        print("\n" + textwrap.fill(answer.text, 100) + "\n")
    return 0


def cmd_schemas(args: argparse.Namespace) -> int:
    from course.schemas import write_schemas

    for path in write_schemas():
        print(path)
    return 0


def cmd_exam(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course import exam

    root = Path(args.course_dir).expanduser().resolve()
    try:
        if args.exam_command == "new":
            created = exam.new_exam(root, args.id)
            print(exam_next_steps(created))
            return 0
        if args.exam_command == "set-key":
            done = exam.set_key(root, args.id, args.key_file)
            print(f"The key is now in the hidden tests of {done.notebook}.\n"
                  f"Delete {args.key_file} (the key should live only in the notebook), then run: "
                  f"python -m course exam check {args.id} --course-dir {root}")
            return 0
        check = exam.check_exam(root, args.id)
    except exam.ExamError as exc:
        raise BadInput(str(exc)) from None
    if check.reference_score:
        print(f"Reference plan: {check.reference_score[0]:g}/{check.reference_score[1]:g}")
    for problem in check.problems:
        print(f"- {problem}")
    print(f"{args.id}: ready to release." if check.ready else f"{args.id}: not ready; fix the problems above.")
    return 0 if check.ready else 1


def exam_next_steps(folder) -> str:
    """What the instructor does after `exam new`, in order."""
    root, eid = folder.root, folder.exam_id
    return textwrap.dedent(f"""\
        Created the private exam {eid} in {root}:
          {folder.case_file.relative_to(root)}   the public case (trainees receive it): fill in every TODO
          {folder.notebook.relative_to(root)}    the notebook; its first hidden test holds the key (fill in every TODO)
        Next:
          1. Write a new, invented client in case.yaml (docs/writing-a-vignette.md says what each field does).
          2. Write the key in a file outside this folder and load it into the hidden tests:
               python -m course exam set-key {eid} KEY.yaml --course-dir {root}
             (or edit the EXAM_KEY cell of the notebook in Jupyter), then delete KEY.yaml.
          3. python -m course exam check {eid} --course-dir {root}
          4. cd {root} && nbgrader generate_assignment {eid} && nbgrader release_assignment {eid}
          5. After the due date: nbgrader collect {eid} && python -m course grade {eid} --course {root}""")


def cmd_rubrics(args: argparse.Namespace) -> int:
    from course.rubrics import get_rubric, load_rubrics, rubric_markdown

    if not args.id:
        for rubric in load_rubrics().values():
            print(f"{rubric.id:22} {rubric.points} pts  {rubric.title}")
        return 0
    try:
        get_rubric(args.id)
    except KeyError as exc:
        raise BadInput(str(exc.args[0])) from None
    print(rubric_markdown(args.id, anchors=args.anchors), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m course", description="Between Sessions: the course's command line.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, required=True)
    p = sub.add_parser("checklist", help="print the checklist of therapist behaviours")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_checklist)
    p = sub.add_parser("task-types", help="print the catalogue of task types")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_task_types)
    p = sub.add_parser("lexicon", help="print a word list the grader reads with: stopwords, or each constraint "
                       "kind's default phrases")
    p.add_argument("list", choices=["stopwords", "defaults"], help="which list")
    p.add_argument("kind", nargs="?", default="", help="with defaults: only this constraint kind")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=cmd_lexicon)
    p = sub.add_parser("vignettes", help="list the vignettes")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--check", metavar="PATH",
                   help="validate a vignette file: its reference plan's full report, what the tests enforce, and lint "
                        "(exit 0 passes, 1 fails, 2 unreadable)")
    p.add_argument("--strict", action="store_true", help="with --check: warnings fail the check too")
    p.add_argument("--upgrade", metavar="PATH",
                   help="rewrite a vignette file as the current schema version (the original is kept as PATH.v1.bak)")
    p.set_defaults(run=cmd_vignettes)
    p = sub.add_parser("example-plan", help="print a vignette's reference plan as plan JSON")
    p.add_argument("vignette", metavar="ID_OR_PATH")
    p.set_defaults(run=cmd_example_plan)
    p = sub.add_parser("score", help="score a plan JSON file against a vignette")
    p.add_argument("plan", metavar="PLAN.json")
    p.add_argument("--vignette", metavar="ID_OR_PATH", help="defaults to the plan's vignette_id")
    p.add_argument("--json", action="store_true", help="print one JSON object (the public format)")
    p.set_defaults(run=cmd_score)
    p = sub.add_parser("grade", help="autograde every collected submission of an assignment, in parallel")
    p.add_argument("assignment", metavar="ASSIGNMENT")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: the number of cores)")
    p.add_argument("--force", action="store_true", help="grade again submissions that are already graded")
    p.add_argument("--timeout", type=float, default=None, help="seconds a cell may run (default: nbgrader_config.py)")
    p.add_argument("--course", default=".", help="the course folder (default: the current folder)")
    p.add_argument("--json", action="store_true", help="print the outcome of every submission as JSON")
    p.add_argument("--dry-run", action="store_true",
                   help="grade nothing: show what the current grader would change, per trainee and behaviour")
    p.set_defaults(run=cmd_grade)
    p = sub.add_parser("report", help="write per-behaviour cohort reports (CSV, heatmap, HTML) from the gradebook")
    p.add_argument("assignment", metavar="ASSIGNMENT", nargs="?", help="default: every assignment")
    p.add_argument("--course", default=".", help="the course folder (default: the current folder)")
    p.add_argument("--out", help="where to write the report (default: reports/<assignment> in the course)")
    p.set_defaults(run=cmd_report)
    p = sub.add_parser("demo", help="grade a simulated cohort end to end in a throwaway folder; prints the report path")
    p.add_argument("--dir", help="the folder to build the demo in (default: a new temporary folder)")
    p.add_argument("--trainees", type=int, default=20, help="how many simulated trainees (default 20)")
    p.add_argument("--jobs", type=int, default=None, help="grading workers (default: the number of cores)")
    p.set_defaults(run=cmd_demo)
    p = sub.add_parser("case", help="print a case as the trainee sees it with a plan exercise (Markdown)")
    p.add_argument("vignette", metavar="ID_OR_PATH")
    p.set_defaults(run=cmd_case)
    p = sub.add_parser("talk", help="rehearse a case with its scripted client (interactive, or replay --moves FILE)")
    p.add_argument("vignette", metavar="ID_OR_PATH")
    p.add_argument("--moves", metavar="FILE", help="a JSON list of moves to replay (or a plan JSON with a conversation)")
    p.add_argument("--json", action="store_true", help="with --moves: print the replies as JSON")
    p.set_defaults(run=cmd_talk)
    p = sub.add_parser("exam", help="private exam cases in your own nbgrader course folder (new, set-key, check)")
    exam_sub = p.add_subparsers(dest="exam_command", parser_class=_Parser, required=True)
    for name, help_text in (("new", "start a private exam from the blank case template, with its notebook"),
                            ("set-key", "put the answer key from a YAML file into the notebook's hidden tests"),
                            ("check", "check the case and key before release (reference plan must earn full marks)")):
        q = exam_sub.add_parser(name, help=help_text)
        q.add_argument("id", metavar="ID", help="the exam id, e.g. exam-2026-spring")
        if name == "set-key":
            q.add_argument("key_file", metavar="KEY.yaml")
        q.add_argument("--course-dir", default=".", help="your own nbgrader course folder, outside this repository "
                                                         "(default: the current folder)")
        q.set_defaults(run=cmd_exam)
    p = sub.add_parser("rubrics", help="print the rubrics of instructor-graded answers (with --anchors: example answers)")
    p.add_argument("id", nargs="?", metavar="ID")
    p.add_argument("--anchors", action="store_true", help="include one example answer at each score")
    p.set_defaults(run=cmd_rubrics)
    p = sub.add_parser("schemas", help="rewrite the published JSON Schemas in schemas/ from the models")
    p.set_defaults(run=cmd_schemas)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; bad input exits 2 with one line on stderr."""
    from course.datafiles import DataFileError
    from course.plans import PlanError
    from course.vignettes import VignetteError

    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except (BadInput, PlanError, VignetteError, DataFileError) as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
