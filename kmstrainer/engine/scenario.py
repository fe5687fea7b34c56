"""Scenario and test-case files (scenario-format.md): loading, edits, checks, validity, questions.

`load_scenario(path)` reads a file and validates its structure with file/line/key errors.
`run_checks(scenario, edits)` applies edits to the starting world and runs every check, each on
its own copy of the world. `validate_scenario` proves a scenario is teachable: the solution passes
every check, the starting world fails one, and every question has exactly one correct answer.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass, field

from .edits import EDIT_KINDS, Editor, apply_edits, edit_target, editors_of
from .errors import EngineInputError
from .operations import Simulator
from .results import Result, matches_expectation
from .request import Request, parse_request
from .review_config import ReviewConfig, parse_review_config
from .source import Positions, load_file, load_text
from .vocabulary import Decision
from .world import World
from .world_parser import parse_world

TIPS = (
    "cross-account", "grants-vs-key-policies", "root-access-lockout", "service-linked-roles", "condition-keys",
    "key-deletion-and-grants", "eventual-consistency", "organizations", "key-policy-basics", "grant-basics",
    "best-practices",
)
OUTCOMES = (
    "allow", "deny", "explicit-deny", "implicit-deny", "AccessDeniedException", "NotFoundException",
    "DisabledException", "KMSInvalidStateException", "InvalidGrantTokenException", "InvalidGrantIdException",
    "InvalidArnException", "MalformedPolicyDocumentException", "LimitExceededException", "ValidationException",
    "InvalidKeyUsageException", "DryRunOperationException", "UnsupportedOperationException",
    "AlreadyExistsException", "CustomKeyStoreInvalidStateException", "CustomKeyStoreNotFoundException",
)
TOP_KEYS = ("id", "title", "tip", "topics", "difficulty", "sources", "story", "task", "hint", "explanation", "world",
            "access_review",
            "editable", "solution", "checks", "questions")
CHECK_KEYS = ("name", "request", "expect", "hidden", "steps", "save_as", "note")
STEP_KEYS = ("name", "request", "expect", "save_as", "note")
EDIT_OPS = ("add_statement", "remove_statement", "add_grant", "remove_grant")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w-]*)\.(\w+)\s*\}\}")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(slots=True)
class Step:
    request: Request
    raw: dict
    expect: str
    path: tuple
    save_as: str | None = None
    name: str | None = None
    templated: bool = False  # the request has {{ step.field }} placeholders: filled in at run time


@dataclass(slots=True)
class Check:
    name: str
    steps: list[Step]
    path: tuple
    hidden: bool = False

    @property
    def single(self) -> bool:
        return len(self.steps) == 1


@dataclass(slots=True)
class Question:
    prompt: str
    choose: int
    options: list[tuple[str, list[dict]]]
    checks: list[Check] | None
    path: tuple
    sources: tuple[str, ...] = ()
    author_answer: tuple[int, ...] | None = None  # `key: author`: the author's answer, not computed


@dataclass(slots=True)
class Scenario:
    id: str
    data: dict  # the file's data, as loaded
    positions: Positions
    world_data: dict
    world: World
    checks: list[Check]
    editable: list[dict] = field(default_factory=list)
    solution: list[dict] | None = None
    questions: list[Question] = field(default_factory=list)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    _reference: World | None = field(default=None, repr=False, compare=False)
    #: probe -> the reference world's authorization (None: denied), kept across grades; see review.py
    reference_answers: dict = field(default_factory=dict, repr=False, compare=False)
    #: canonical edits -> their access review (a pure function of the scenario and the edits); see review.py
    reviews: dict = field(default_factory=dict, repr=False, compare=False)
    _editors: tuple[Editor, ...] | None = field(default=None, repr=False, compare=False)

    def reference_world(self) -> World:
        """The world with the reference solution applied, parsed once (the access review asks it
        on every grade; nothing mutates it: checks run on copies)."""
        if self._reference is None:
            self._reference = world_with(self, self.solution)
        return self._reference

    def editors(self) -> tuple[Editor, ...]:
        """What the learner may edit, in `editable` order, with starting values (worked out once)."""
        if self._editors is None:
            self._editors = editors_of(self.editable, self.world_data, self.world)
        return self._editors

    @property
    def file(self) -> str | None:
        return self.positions.file

    @property
    def title(self) -> str:
        return str(self.data.get("title") or self.id)


@dataclass(slots=True)
class StepOutcome:
    step: Step
    result: Result
    passed: bool


@dataclass(slots=True)
class CheckOutcome:
    check: Check
    passed: bool
    steps: list[StepOutcome]

    @property
    def failing(self) -> StepOutcome | None:
        return next((s for s in self.steps if not s.passed), None)

    @property
    def last(self) -> StepOutcome:
        return self.failing or self.steps[-1]


# -- loading --------------------------------------------------------------------------------------


def load_scenario(path: str) -> Scenario:
    data, positions = load_file(path)
    return parse_scenario(data, positions)


def load_scenario_text(text: str, *, file: str | None = None) -> Scenario:
    data, positions = load_text(text, file=file)
    return parse_scenario(data, positions)


def parse_scenario(data: object, positions: Positions) -> Scenario:
    fail = positions.error
    if not isinstance(data, dict):
        raise fail("a scenario or test file must be a mapping with `id`, `world` and `checks`", ())
    for key in data:
        if key not in TOP_KEYS:
            raise fail(f"unknown top-level key `{key}` (allowed: {', '.join(TOP_KEYS)})", (key,),
                       code="scenario.unknown_key")
    for key in ("id", "world", "checks"):
        if key not in data:
            raise fail(f"missing `{key}`", (), code="scenario.missing_key")
    sid = data["id"]
    if not isinstance(sid, str) or not _SLUG.match(sid):
        raise fail("`id` must be a slug: lower-case letters, digits and dashes", ("id",))
    _check_metadata(data, positions)
    try:
        world = parse_world(data["world"], positions.sub(("world",)))
    except EngineInputError as exc:
        exc.path = "world" + ("" if not exc.path else exc.path if exc.path.startswith("[") else "." + exc.path)
        raise
    checks = [_parse_check(c, positions, ("checks", i)) for i, c in enumerate(_list(data["checks"], positions,
                                                                                        ("checks",)))]
    if not checks:
        raise fail("a file needs at least one check", ("checks",))
    _unique_names(checks, positions)
    editable = [_parse_editable(e, positions, ("editable", i))
                for i, e in enumerate(_list(data.get("editable"), positions, ("editable",)))]
    solution = None
    if data.get("solution") is not None:
        solution = [_parse_edit(e, positions, ("solution", i), editable, full_only=True)
                    for i, e in enumerate(_list(data["solution"], positions, ("solution",)))]
    questions = [_parse_question(q, positions, ("questions", i), editable)
                 for i, q in enumerate(_list(data.get("questions"), positions, ("questions",)))]
    review = parse_review_config(data.get("access_review"), positions)
    scenario = Scenario(sid, data, positions, data["world"] or {}, world, checks, editable, solution, questions,
                        review)
    # every edit must name something that exists in the world
    for entry in (solution or []):
        apply_edits(scenario.world_data, [entry], positions)
    for q in questions:
        for _, edits in q.options:
            apply_edits(scenario.world_data, edits, positions)
    return scenario


def _check_metadata(data: dict, positions: Positions) -> None:
    fail = positions.error
    if "tip" in data and data["tip"] not in TIPS:
        raise fail(f"unknown tip `{data['tip']}` (one of {', '.join(TIPS)})", ("tip",))
    if "difficulty" in data and data["difficulty"] not in (1, 2, 3):
        raise fail("`difficulty` is 1, 2 or 3", ("difficulty",))
    for key in ("title", "story", "task", "hint", "explanation"):
        if key in data and not isinstance(data[key], str):
            raise fail(f"`{key}` must be text", (key,))
    for key in ("topics", "sources"):
        if key in data and (not isinstance(data[key], list) or not all(isinstance(x, str) for x in data[key])):
            raise fail(f"`{key}` must be a list of strings", (key,))
    for i, url in enumerate(data.get("sources") or []):
        if not url.startswith(("https://", "http://")):
            raise fail("a source must be an http(s) address of the documentation", ("sources", i))


def _list(value: object, positions: Positions, path: tuple) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise positions.error(f"`{path[-1]}` must be a list", path)
    return value


def _unique_names(checks: list[Check], positions: Positions) -> None:
    seen = {}
    for c in checks:
        if c.name in seen:
            raise positions.error(f"two checks are named `{c.name}`; names must be unique", c.path + ("name",))
        seen[c.name] = c


def _parse_check(raw: object, positions: Positions, path: tuple) -> Check:
    fail = positions.error
    if not isinstance(raw, dict):
        raise fail("a check must be a mapping with `name` and `request` or `steps`", path)
    for key in raw:
        if key not in CHECK_KEYS:
            raise fail(f"unknown check key `{key}` (allowed: {', '.join(CHECK_KEYS)})", path + (key,),
                       code="scenario.unknown_key")
    if not isinstance(raw.get("name"), str) or not raw["name"].strip():
        raise fail("a check needs a `name`: a sentence saying what it proves", path)
    hidden = raw.get("hidden", False)
    if not isinstance(hidden, bool):
        raise fail("`hidden` must be true or false", path + ("hidden",))
    if ("request" in raw) == ("steps" in raw):
        raise fail("a check has either `request` (with `expect`) or `steps`", path)
    saved: set[str] = set()
    if "request" in raw:
        steps = [_parse_step({k: raw[k] for k in ("request", "expect", "save_as") if k in raw}, positions, path,
                             saved)]
    else:
        items = _list(raw["steps"], positions, path + ("steps",))
        if not items:
            raise fail("`steps` must not be empty", path + ("steps",))
        steps = [_parse_step(s, positions, path + ("steps", i), saved) for i, s in enumerate(items)]
    return Check(raw["name"].strip(), steps, path, hidden)


def _parse_step(raw: object, positions: Positions, path: tuple, saved: set[str]) -> Step:
    fail = positions.error
    if not isinstance(raw, dict):
        raise fail("a step must be a mapping with `request` and `expect`", path)
    for key in raw:
        if key not in STEP_KEYS:
            raise fail(f"unknown step key `{key}` (allowed: {', '.join(STEP_KEYS)})", path + (key,),
                       code="scenario.unknown_key")
    if "request" not in raw:
        raise fail("missing `request`", path)
    expect = raw.get("expect")
    if expect not in OUTCOMES:
        raise fail(f"`expect` must be one of {', '.join(OUTCOMES)}", path + ("expect",) if "expect" in raw else path)
    for m in _PLACEHOLDER.finditer(repr(raw["request"])):
        if m.group(1) not in saved:
            raise fail(f"`{{{{ {m.group(1)}.{m.group(2)} }}}}` refers to no earlier step's `save_as`",
                       path + ("request",))
    request = parse_request(raw["request"], positions, path + ("request",))
    save_as = raw.get("save_as")
    if save_as is not None:
        if not isinstance(save_as, str) or not re.match(r"^[A-Za-z_][\w-]*$", save_as):
            raise fail("`save_as` must be a simple name", path + ("save_as",))
        saved.add(save_as)
    return Step(request, raw["request"], expect, path, save_as, raw.get("name"), "{{" in repr(raw["request"]))


def _parse_editable(raw: object, positions: Positions, path: tuple) -> dict:
    fail = positions.error
    if not isinstance(raw, dict) or raw.get("kind") not in EDIT_KINDS:
        raise fail(f"an editable entry needs `kind`: one of {', '.join(EDIT_KINDS)}", path)
    targets, _ = EDIT_KINDS[raw["kind"]]
    for key in raw:
        if key not in ("kind", *targets, "label"):
            raise fail(f"unknown key `{key}` for an editable {raw['kind']}", path + (key,))
    for t in targets:
        if not isinstance(raw.get(t), str):
            raise fail(f"an editable {raw['kind']} needs `{t}`", path)
    return dict(raw)


def _parse_edit(raw: object, positions: Positions, path: tuple, editable: list[dict], *,
                full_only: bool = False) -> dict:
    fail = positions.error
    if not isinstance(raw, dict) or raw.get("kind") not in EDIT_KINDS:
        raise fail(f"an edit needs `kind`: one of {', '.join(EDIT_KINDS)}", path)
    kind = raw["kind"]
    targets, value_key = EDIT_KINDS[kind]
    allowed = ("kind", *targets, value_key) if full_only else ("kind", *targets, value_key, *EDIT_OPS)
    for key in raw:
        if key not in allowed:
            raise fail(f"unknown key `{key}` in a {kind} edit (allowed: {', '.join(allowed)})", path + (key,))
    for t in targets:
        if not isinstance(raw.get(t), str):
            raise fail(f"a {kind} edit needs `{t}`", path)
    ops = [k for k in (value_key, *EDIT_OPS) if k in raw]
    if len(ops) != 1:
        raise fail(f"a {kind} edit says exactly one of: {', '.join((value_key,) + EDIT_OPS)}", path)
    if editable and not any(edit_target(e) == edit_target(raw) for e in editable):
        raise fail(f"this {kind} edit changes something that `editable` does not list", path)
    return dict(raw)


def parse_edits(data: object, positions: Positions, scenario: Scenario) -> list[dict]:
    """A learner's edits (a list in the `solution` shape), checked against the scenario: each names
    something `editable` lists and that exists in the world; problems name the entry and line."""
    if isinstance(data, dict) and "edits" in data:
        data, positions = data["edits"], positions.sub(("edits",))
    if not isinstance(data, list):
        raise positions.error("the edits must be a list in the shape of a scenario's `solution`", ())
    edits = [_parse_edit(e, positions, (i,), scenario.editable, full_only=True) for i, e in enumerate(data)]
    for i, edit in enumerate(edits):
        try:
            apply_edits(scenario.world_data, [edit], positions)
        except EngineInputError as exc:
            raise positions.error(exc.message, (i,)) from None
    return edits


def _parse_question(raw: object, positions: Positions, path: tuple, editable: list[dict]) -> Question:
    fail = positions.error
    if not isinstance(raw, dict):
        raise fail("a question must be a mapping with `prompt`, `choose` and `options`", path)
    for key in raw:
        if key not in ("prompt", "choose", "options", "checks", "explanation", "sources", "key", "answer"):
            raise fail(f"unknown question key `{key}`", path + (key,))
    sources = raw.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(u, str) and u.startswith(("https://", "http://"))
                                               for u in sources):
        raise fail("a question's `sources` must be a list of http(s) addresses", path + ("sources",))
    if not isinstance(raw.get("prompt"), str):
        raise fail("a question needs a `prompt`", path)
    choose = raw.get("choose", 1)
    options_raw = _list(raw.get("options"), positions, path + ("options",))
    if len(options_raw) < 2:
        raise fail("a question needs at least two options", path + ("options",))
    if not isinstance(choose, int) or isinstance(choose, bool) or not 1 <= choose < len(options_raw):
        raise fail("`choose` must be a whole number from 1 to one less than the number of options",
                   path + ("choose",))
    options = []
    for i, opt in enumerate(options_raw):
        opath = path + ("options", i)
        if not isinstance(opt, dict) or not isinstance(opt.get("text"), str):
            raise fail("an option needs `text` (and `edits`)", opath)
        for key in opt:
            if key not in ("text", "edits", "why"):
                raise fail(f"unknown option key `{key}`", opath + (key,))
        edits = [_parse_edit(e, positions, opath + ("edits", j), [])
                 for j, e in enumerate(_list(opt.get("edits"), positions, opath + ("edits",)))]
        options.append((opt["text"], edits))
    checks = None
    if raw.get("checks") is not None:
        checks = [_parse_check(c, positions, path + ("checks", i))
                  for i, c in enumerate(_list(raw["checks"], positions, path + ("checks",)))]
    author_answer = None
    if raw.get("key") is not None or raw.get("answer") is not None:
        if raw.get("key") != "author":
            raise fail("`key` is `author` for a concept question (omit it: the simulator computes the key)",
                       path + ("key",))
        answer = raw.get("answer")
        if (not isinstance(answer, list) or len(answer) != choose or len(set(answer)) != choose
                or not all(isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(options) for i in answer)):
            raise fail(f"a concept question's `answer` lists {choose} different option indexes (0-based)",
                       path + ("answer",))
        author_answer = tuple(sorted(answer))
    return Question(raw["prompt"], choose, options, checks, path, tuple(sources), author_answer)


# -- running checks -------------------------------------------------------------------------------


def world_with(scenario: Scenario, edits: list[dict] | None) -> World:
    if not edits:
        return scenario.world
    data = apply_edits(scenario.world_data, edits, scenario.positions)
    return parse_world(data, Positions(scenario.file))


def run_check(world: World, check: Check) -> CheckOutcome:
    """Run one check as if on a private copy of `world` (copied only when a step could change it)."""
    sim = Simulator(world, shared=True)
    saved: dict[str, dict] = {}
    outcomes = []
    for step in check.steps:
        request = _resolved(step, saved)
        result = sim.run(request)
        passed = matches_expectation(result, step.expect)
        outcomes.append(StepOutcome(step, result, passed))
        if step.save_as:
            saved[step.save_as] = result.output
        if not passed:
            return CheckOutcome(check, False, outcomes)
    return CheckOutcome(check, True, outcomes)


def _resolved(step: Step, saved: dict) -> Request:
    if not step.templated:
        return step.request

    def fill(value):
        if isinstance(value, str):
            def sub(m):
                return str((saved.get(m.group(1)) or {}).get(m.group(2), f"<no {m.group(1)}.{m.group(2)}>"))
            return _PLACEHOLDER.sub(sub, value)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    request = copy.copy(step.request)
    request.grant_tokens = fill(step.request.grant_tokens)
    request.params = fill(step.request.params)
    if request.key:
        request.key = fill(request.key)
    return request


def run_checks(scenario: Scenario, edits: list[dict] | None = None, checks: list[Check] | None = None) -> list[CheckOutcome]:
    world = world_with(scenario, edits)
    return [run_check(world, c) for c in (checks if checks is not None else scenario.checks)]


# -- validity -------------------------------------------------------------------------------------


@dataclass(slots=True)
class QuestionKey:
    question: Question
    correct: list[tuple[int, ...]]  # every combination of `choose` options that passes

    @property
    def valid(self) -> bool:
        return len(self.correct) == 1


def question_key(scenario: Scenario, question: Question) -> QuestionKey:
    """The answer key, computed: combinations whose edits together make every check pass (or, for a
    concept question, the author's answer)."""
    if question.author_answer is not None:
        return QuestionKey(question, [question.author_answer])
    checks = question.checks if question.checks is not None else scenario.checks
    correct = []
    for combo in itertools.combinations(range(len(question.options)), question.choose):
        edits = [e for i in combo for e in question.options[i][1]]
        try:
            outcomes = run_checks(scenario, edits, checks)
        except EngineInputError:
            continue  # the options together make a policy AWS would refuse: not an answer
        if all(o.passed for o in outcomes):
            correct.append(combo)
    return QuestionKey(question, correct)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a scenario is not valid: a stable code, the scenario field to fix, and the sentence."""

    code: str  # no-solution, solution-fails-check, solution-invalid, nothing-to-do, nothing-editable, question-key
    field: str  # solution, checks, editable, questions
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(slots=True)
class Validation:
    problems: list[Problem]
    solution_outcomes: list[CheckOutcome]
    start_outcomes: list[CheckOutcome]
    keys: list[QuestionKey]

    @property
    def valid(self) -> bool:
        return not self.problems


def validate_scenario(scenario: Scenario) -> Validation:
    """Scenario-format.md §4: a scenario is valid only when all of these hold."""
    problems: list[Problem] = []
    start = run_checks(scenario)
    solved: list[CheckOutcome] = []
    if scenario.solution is None:
        problems.append(Problem("no-solution", "solution", "the scenario has no `solution`"))
    else:
        try:
            solved = run_checks(scenario, scenario.solution)
        except EngineInputError as exc:
            problems.append(Problem("solution-invalid", "solution", f"the solution does not load: {exc}"))
        for o in solved:
            if not o.passed:
                step = o.failing
                problems.append(Problem(
                    "solution-fails-check", "solution",
                    f"the solution fails check `{o.check.name}`: expected {step.step.expect}, got "
                    f"{describe_outcome(step.result)}",
                ))
    if start and all(o.passed for o in start):
        problems.append(Problem("nothing-to-do", "checks",
                                "the starting world already passes every check: there is nothing to do"))
    if not scenario.editable and scenario.solution is not None:
        problems.append(Problem("nothing-editable", "editable", "`editable` is empty: the learner cannot change anything"))
    keys = []
    for i, q in enumerate(scenario.questions):
        key = question_key(scenario, q)
        keys.append(key)
        if not key.valid:
            shown = ", ".join("+".join(chr(65 + j) for j in combo) for combo in key.correct) or "none"
            problems.append(Problem("question-key", "questions",
                                    f"question {i + 1} has {len(key.correct)} correct combinations ({shown}); "
                                    "it needs exactly one"))
    return Validation(problems, solved, start, keys)


def describe_outcome(result: Result) -> str:
    if result.outcome == "deny" and result.decision:
        return "explicit-deny" if result.decision == Decision.EXPLICITLY_DENIED else "implicit-deny"
    return result.outcome
