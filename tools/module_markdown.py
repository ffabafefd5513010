"""Read a module's Markdown file (modules/<assignment>.md) into its parts: header, cells and directives.

The file is MyST Markdown, parsed with markdown-it-py and the MyST plugins of mdit-py-plugins (the
parser stack MyST-Parser and jupytext use): YAML front matter for the header, `+++ name` block breaks
between notebook cells, `% comment` lines for notes to other authors, one-line directives written as
MyST roles on a line of their own (`{plan}`03-maya maya-activation``), inline roles inside prose
(`{item}`goal_link``), and fenced code cells (```` ```{code-cell} ````, ```` ```{answer} ````,
```` ```{checks} ````). The prose itself is copied from the file line for line, never re-rendered.
See docs/authoring-modules.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

# Directive name -> (argument names, whether the text above it is the exercise's introduction).
DIRECTIVES: dict[str, tuple[tuple[str, ...], bool]] = {
    "plan": (("exercise", "case"), True),
    "spotting": (("exercise", "case"), True),
    "review": (("exercise", "case"), True),
    "reflection": (("exercise", "points"), True),
    "concept": (("exercise", "question"), False),
    "code-task": (("cell", "task"), False),
    "capstone": (("exercise",), False),
    "self-rating": (("exercise", "plan_exercise"), False),
}
# Inline roles, replaced inside the prose where they stand.
INLINE_ROLES = {"item", "excerpt", "band", "estimate", "course-estimate"}
CODE_FENCES = {"code-cell", "answer", "checks"}
HEADER_KEYS = {"title", "objectives", "graded"}
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ROLE = re.compile(r"\{([A-Za-z][\w-]*)\}`([^`]*)`")


class ModuleSyntaxError(ValueError):
    """A mistake in a module file, with the file, the line and what to do."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line = path, line
        super().__init__(f"{_shown(path)}, line {line}: {message}")


def _shown(path: Path) -> Path:
    """The path as an author would type it: relative to the current folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


@dataclass(frozen=True)
class MarkdownCell:
    """A read-only Markdown cell: its grade id, its text (inline roles not yet expanded), its line."""

    name: str
    text: str
    line: int


@dataclass(frozen=True)
class CodeCell:
    """A fenced code cell: `code-cell` (read-only when named, else free), `answer` or `checks`."""

    kind: str
    name: str
    source: str
    line: int
    points: float | None = None


@dataclass(frozen=True)
class Directive:
    """A one-line exercise directive, with the introduction written above it (if it takes one)."""

    name: str
    args: dict[str, str]
    line: int
    intro: str = ""


@dataclass
class ModuleDoc:
    """One module file: its header fields and its body, in order."""

    path: Path
    assignment: str
    header: dict
    body: list[MarkdownCell | CodeCell | Directive] = field(default_factory=list)


def number(text: str) -> float:
    """Points as written: an int when whole (so the notebook says 2, not 2.0); ValueError otherwise."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _parser() -> MarkdownIt:
    return (MarkdownIt("commonmark").use(front_matter_plugin).use(myst_block_plugin).use(myst_role_plugin)
            .enable("table"))


def _role_only(tokens: list[Token], i: int) -> Token | None:
    """The role when tokens[i] opens a paragraph holding exactly one role and nothing else."""
    if tokens[i].type != "paragraph_open" or i + 1 >= len(tokens):
        return None
    children = [c for c in tokens[i + 1].children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "myst_role":
        return children[0]
    return None


def _closest(name: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f" Did you mean {{{close[0]}}}?" if close else ""


def _header(path: Path, tokens: list[Token]) -> dict:
    if not tokens or tokens[0].type != "front_matter":
        raise ModuleSyntaxError(path, 1, "a module file starts with its header between two '---' lines "
                                         "(title, objectives, graded); see docs/authoring-modules.md")
    try:
        header = yaml.safe_load(tokens[0].content) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ModuleSyntaxError(path, 2 + (mark.line if mark else 0),
                                f"the header is not valid YAML ({getattr(exc, 'problem', exc)}); check the "
                                "indentation and put quotes around text that contains a colon") from None
    if not isinstance(header, dict):
        raise ModuleSyntaxError(path, 2, "the header must be 'key: value' lines")
    missing = HEADER_KEYS - set(header)
    unknown = set(header) - HEADER_KEYS
    if missing or unknown:
        parts = ([f"add {', '.join(sorted(missing))}"] if missing else []) + (
            [f"remove or correct {', '.join(sorted(unknown))}"] if unknown else [])
        raise ModuleSyntaxError(path, 2, f"the header needs exactly {', '.join(sorted(HEADER_KEYS))}: "
                                         + "; ".join(parts))
    if not isinstance(header["objectives"], list) or not header["objectives"]:
        raise ModuleSyntaxError(path, 2, "objectives must be a list, one '- ...' line per objective")
    return header


def _fence(path: Path, token: Token) -> CodeCell:
    line = token.map[0] + 1
    kind, _, rest = token.info.strip()[1:].partition("}")
    args = rest.split()
    body = token.content.splitlines()
    options = {}
    while body and re.match(r"^:[\w-]+:", body[0]):
        key, _, value = body.pop(0)[1:].partition(":")
        options[key] = value.strip()
    source = "\n".join(body).strip("\n")
    if kind == "code-cell":
        if args or set(options) - {"name"}:
            raise ModuleSyntaxError(path, line, "a code cell takes only a ':name: grade-id' option (read-only "
                                                "cell); leave it out for a free cell the trainee can edit")
        return CodeCell("code-cell", options.get("name", ""), source, line)
    expected = 1 if kind == "answer" else 2
    if len(args) != expected or options:
        usage = "```{answer} grade-id" if kind == "answer" else "```{checks} grade-id points"
        raise ModuleSyntaxError(path, line, f"write the first line of this block as {usage}")
    points = None
    if kind == "checks":
        try:
            points = number(args[1])
        except ValueError:
            raise ModuleSyntaxError(path, line, f"the points of a checks cell must be a number, not {args[1]!r}") from None
    return CodeCell(kind, args[0], source, line, points)


def _directive(path: Path, role: Token, line: int, intro: str) -> Directive:
    arg_names, _ = DIRECTIVES[role.meta["name"]]
    values = role.content.split()
    if len(values) != len(arg_names):
        usage = " ".join(f"<{a}>" for a in arg_names)
        raise ModuleSyntaxError(path, line, f"{{{role.meta['name']}}} takes {len(arg_names)} value(s): "
                                            f"{{{role.meta['name']}}}`{usage}`; found {role.content!r}")
    return Directive(role.meta["name"], dict(zip(arg_names, values, strict=True)), line, intro)


def _check_roles(path: Path, tokens: list[Token]) -> None:
    """Every role in the file is a known directive or inline role (typos get a suggestion)."""
    known = set(DIRECTIVES) | INLINE_ROLES
    for token in tokens:
        for child in token.children or []:
            if child.type == "myst_role" and child.meta["name"] not in known:
                name = child.meta["name"]
                raise ModuleSyntaxError(path, token.map[0] + 1, f"unknown directive {{{name}}}.{_closest(name, known)} "
                                                                f"Known directives: {', '.join(sorted(known))}.")


def parse_module(path: Path) -> ModuleDoc:
    """The module in `path`; raises ModuleSyntaxError naming the line of the first mistake."""
    # utf-8-sig: a byte-order mark (Notepad adds one) is not part of the text; newline=None reads CRLF as LF
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    tokens = _parser().parse(text)
    doc = ModuleDoc(path, path.stem, _header(path, tokens))
    _check_roles(path, tokens)
    name: str | None = None
    name_line = 0
    pending: list[int] = []  # line numbers (0-based) of the current cell's prose
    comments: set[int] = set()
    started = False

    def prose() -> str:
        kept = [lines[n] for n in range(min(pending), max(pending) + 1) if n not in comments] if pending else []
        return "\n".join(kept).strip("\n")

    def flush() -> None:
        nonlocal name, pending
        text = prose()
        if text and not name:
            raise ModuleSyntaxError(path, min(pending) + 1, "this text needs a cell name: put a line "
                                                            "'+++ some-name' (unique in this file) above it")
        if name and not text:
            raise ModuleSyntaxError(path, name_line, f"the cell '{name}' is empty: write its text below this "
                                                     "line, or delete the line")
        if text:
            doc.body.append(MarkdownCell(name, text, min(pending) + 1))
        name, pending = None, []

    after_block = False
    i = 1  # tokens[0] is the front matter
    while i < len(tokens):
        token = tokens[i]
        if token.type == "myst_line_comment":
            comments.update(range(*token.map))
            i += 1
            continue
        if token.type == "myst_block_break":
            flush()
            started = True
            name = token.content.strip() or None
            after_block = False
            name_line = token.map[0] + 1
            if name and not NAME.match(name):
                raise ModuleSyntaxError(path, name_line, f"a cell name uses lower-case letters, digits, '-' and "
                                                         f"'_' only, with no spaces: not {name!r}")
            i += 1
            continue
        if not started and token.map:
            raise ModuleSyntaxError(path, token.map[0] + 1, "start the first cell with a line '+++ some-name' "
                                                            "after the header")
        role = _role_only(tokens, i)
        if role is not None and role.meta["name"] in DIRECTIVES:
            line = token.map[0] + 1
            takes_intro = DIRECTIVES[role.meta["name"]][1]
            if takes_intro:
                if name:
                    raise ModuleSyntaxError(path, name_line, f"the text above {{{role.meta['name']}}} (line {line}) "
                                                             "is the exercise's introduction and is named after the "
                                                             f"exercise: write '+++' without '{name}'")
                intro = prose()
                if not intro:
                    raise ModuleSyntaxError(path, line, f"write the exercise's introduction above "
                                                        f"{{{role.meta['name']}}}, after a '+++' line")
                pending = []
                doc.body.append(_directive(path, role, line, intro))
            else:
                flush()
                doc.body.append(_directive(path, role, line, ""))
            name, pending, after_block = None, [], True
            i += 3  # paragraph_open, inline, paragraph_close
            continue
        if token.type == "fence" and token.info.strip().startswith("{"):
            kind = token.info.strip()[1:].partition("}")[0]
            if kind not in CODE_FENCES:
                raise ModuleSyntaxError(path, token.map[0] + 1, f"unknown code block {{{kind}}}.{_closest(kind, CODE_FENCES)} "
                                                                f"Known: {', '.join(sorted(CODE_FENCES))}.")
            flush()
            doc.body.append(_fence(path, token))
            after_block = True
            i += 1
            continue
        if token.map and token.level == 0:
            if after_block:
                raise ModuleSyntaxError(path, token.map[0] + 1, "text after a directive or code block starts a new "
                                                                "cell: put a line '+++ some-name' above it")
            pending.extend(range(*token.map))
        i += 1
    flush()
    seen: set[str] = set()
    for b in doc.body:
        if isinstance(b, (MarkdownCell, CodeCell)) and b.name in seen:
            raise ModuleSyntaxError(path, b.line, f"the cell name '{b.name}' is used twice in this file: make it unique")
        if isinstance(b, (MarkdownCell, CodeCell)) and b.name:
            seen.add(b.name)
    return doc


def expand_roles(path: Path, line: int, text: str, expand) -> str:
    """`text` with every inline role replaced by `expand(name, value)`; directives here are a mistake."""
    def one(match: re.Match) -> str:
        role, value = match.group(1), match.group(2)
        if role in DIRECTIVES:
            raise ModuleSyntaxError(path, line, f"{{{role}}} is an exercise directive: put it on a line of its own")
        return expand(role, value)

    return ROLE.sub(one, text)
