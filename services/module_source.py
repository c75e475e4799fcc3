"""A case-study module's source file (SPEC §2.3) → sections and decision points.

One parser serves the content sync, the browser editor's preview and the learner page,
so what a trainer previews is what a learner reads. Every problem carries the line
of the whole file it is on (front matter included), for `path:line: message`.
"""
import re
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache

from flask_babel import gettext as _
from markupsafe import Markup

from models import ModuleVersion
from services import yaml_lines
from services.markdown import new_parser
from services.markdown import render_tokens
from services.module_decisions import parse_decision

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COMPETENCIES = ("recognition", "discernment", "intervention")
KEYS = {"title", "summary", "roles", "competencies", "hours", "version", "language"}
FENCE = "---"

_parser = new_parser()


@dataclass
class DecisionOption:
    text: str
    correct: bool
    feedback: str


@dataclass
class Decision:
    id: str
    prompt: str
    options: list[DecisionOption]
    line: int

    @property
    def correct_indexes(self) -> set[int]:
        """The options that count as right (a first choice among them scores)."""
        return {i for i, option in enumerate(self.options) if option.correct}


@dataclass
class Section:
    index: int
    title: str
    #: rendered text and decision points, in reading order
    parts: list[Markup | Decision] = field(default_factory=list)


@dataclass
class ParsedModule:
    slug: str
    title: str
    summary: str
    roles: list[str]
    competencies: list[str]
    hours: float
    version: int
    language: str
    sections: list[Section]
    source: str

    @property
    def decisions(self) -> list[Decision]:
        """Every decision point, in reading order."""
        return [p for s in self.sections for p in s.parts if isinstance(p, Decision)]

    def decision(self, decision_id: str) -> Decision | None:
        """The decision point called `decision_id`, if the module has one."""
        return next((d for d in self.decisions if d.id == decision_id), None)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, file line of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, text, 1
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() == FENCE:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:]), number + 2
    return None, text, 1


def key_line(front: str, key: str) -> int:
    """The file line where front-matter `key` is written (front matter starts on line 2)."""
    for number, line in enumerate(front.split("\n"), start=2):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            return number
    return 1


def read_front_matter(front: str, known_roles: set[str] | None, problems: list) -> dict:
    """Check the front matter's fields; return them with their defaults filled in."""
    try:
        data = yaml_lines.load(front)
    except yaml_lines.YamlError as error:
        problems.append((error.line + 1, _("front matter: %(error)s", error=error.message)))
        return {}
    if not isinstance(data, dict):
        problems.append((2, _("the front matter must be a mapping of key: value")))
        return {}

    def problem(key, message):
        problems.append((key_line(front, key), message))

    for key in sorted(set(map(str, data)) - KEYS):
        problem(key, _("unknown front-matter key %(key)r", key=key))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problem("title", _("title is required"))
    summary = data.get("summary") or ""
    if not isinstance(summary, str):
        problem("summary", _("summary must be text"))
    roles = data.get("roles") or []
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        problem("roles", _("roles must be a list of role codes"))
        roles = []
    for role in roles:
        if known_roles is not None and role not in known_roles:
            problem("roles", _("unknown role %(role)r", role=role))
    competencies = data.get("competencies") or []
    if not isinstance(competencies, list):
        problem("competencies", _("competencies must be a list"))
        competencies = []
    for competency in competencies:
        if competency not in COMPETENCIES:
            problem("competencies", _("unknown competency %(name)r (use %(known)s)",
                                      name=competency, known=", ".join(COMPETENCIES)))
    hours = data.get("hours", 0)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 <= hours <= 1000:
        problem("hours", _("hours must be a number from 0 to 1000"))
        hours = 0
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problem("version", _("version must be a whole number ≥ 1"))
        version = 1
    language = data.get("language", "zh")
    if not isinstance(language, str) or not re.match(r"^[A-Za-z_-]{2,8}$", language):
        problem("language", _("language must be a language code such as zh or en"))
        language = "zh"
    return {"title": str(title or "").strip(), "summary": str(summary).strip(),
            "roles": list(roles), "competencies": list(competencies),
            "hours": float(hours), "version": version, "language": language}


def read_body(body: str, first_line: int, title: str, problems: list) -> list[Section]:
    """Split the body into sections at `##` headings, with decision points in place."""
    env: dict = {}
    tokens = _parser.parse(body, env)
    sections = [Section(0, title)]
    pending: list = []
    seen_ids: set[str] = set()

    def flush():
        if pending:
            sections[-1].parts.append(render_tokens(pending, env))
        pending.clear()

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            flush()
            sections.append(Section(0, tokens[index + 1].content.strip()))
            index += 3
            continue
        if token.type == "fence" and token.info.strip().split(" ")[0] == "decision":
            flush()
            line = first_line + token.map[0]
            decision = parse_decision(token.content, line, seen_ids, problems)
            if decision is not None:
                sections[-1].parts.append(decision)
        else:
            pending.append(token)
        index += 1
    flush()
    if not sections[0].parts:
        sections.pop(0)
    for number, section in enumerate(sections):
        section.index = number
    if not sections:
        problems.append((first_line, _("the module has no text")))
    return sections


def parse_module(slug: str, text: str, known_roles: set[str] | None = None
                 ) -> tuple[ParsedModule | None, list[tuple[int, str]]]:
    """Parse a module file; on any problem return (None, [(line, message), …])."""
    problems: list[tuple[int, str]] = []
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if not SLUG.match(slug or "") or len(slug) > 100:
        problems.append((1, _("the name must be lowercase letters, digits and hyphens "
                              "(got %(slug)r)", slug=slug)))
    front, body, first_line = split_front_matter(text)
    if front is None:
        problems.append((1, _("the file must start with front matter between --- lines")))
        return None, problems
    meta = read_front_matter(front, known_roles, problems)
    sections = read_body(body, first_line, meta.get("title") or slug, problems)
    if problems:
        return None, sorted(problems, key=lambda p: p[0])
    return ParsedModule(slug=slug, sections=sections, source=text, **meta), []


def load_version(version: ModuleVersion) -> ParsedModule:
    """The stored version, parsed (cached: the same source parses the same)."""
    return parse_stored(version.id, version.module.slug, version.source)


@lru_cache(maxsize=256)
def parse_stored(version_id: int, slug: str, source: str) -> ParsedModule:
    parsed, problems = parse_module(slug, source)
    if parsed is None:
        raise ValueError(f"stored module {slug} (version id {version_id}) does not parse: "
                         f"{problems}")
    return parsed

