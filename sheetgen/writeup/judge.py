"""`sheetgen check` on a write-up (.md, .txt, .rst): every equation of a backprop explanation, judged.

    text (mis-encoded UTF-8 repaired) -> lines -> equations (equations.py) -> judged -> report

An identity — a definition (h1 = w1·i1 + w2·i2), a local partial (∂a_o1/∂o1 = a_o1·(1 − a_o1)), a
chain product, a closed form, an update rule — is judged at several random points of (inputs,
targets, weights, η): its sides must agree at every one. What each quantity, and each partial
∂X/∂Y, equals there is the reference's (`reference.Local` with of=X gives every ∂X/∂Y of its graph),
so there is no second autograd; only ∂(an expression)/∂y is taken by central differences, through
the reference's partials of each name in it. A number (a_o1 = 0.6064) is judged at the first
iteration of a network, within one unit of its last printed digit: the one the user names (a template,
a student of a class), or else the one the file's numbers fit of the seeds' two (ERA: t1 = t2 = 0.5;
EVA8: t1 = 0.01, t2 = 0.99) and the one the file states (every i, t and w given, as a student with
numbers of their own writes them). Numbers that fit none of these are not judged: one warning says so,
as blaming each of them would blame a write-up of another network for every number it quotes. A
write-up whose identities hold with softmax outputs and cross-entropy (E1 = −t1·ln(a_o1)) rather than
the seeds' ½(t1 − a_o1)² is judged with that loss.

A wrong equation is said in the workbook judge's words (diagnose.why): the one symbol (or two)
whose swap makes it right, a sign, a missing ½, the chain rule through one output only, the left
side naming another quantity, or the number that stands where another belongs.
"""

import codecs
import itertools
import math
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sheetgen.build import formulas
from sheetgen.errors import SpecError, WorkbookError
from sheetgen.model import names, reference, slips, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup.equations import Call, Deriv, Equation, Neg, Num, Op, Partial, Skipped, Sym

SUFFIXES = {".md", ".markdown", ".txt", ".rst"}
# bounds on the work: a write-up is a few thousand lines; what is past these is said, not judged
MAX_CHARS = 1_000_000  # read and judged (about 5 s); the rest of a longer file is not
MAX_LINE = 100_000  # a line this long is data or a paste, not equations a reader follows (nor tokenized)
NETWORKS = ("era", "eva8")  # the seeds' networks: the same inputs and weights, targets 0.5/0.5 or 0.01/0.99
ASSIGNMENT = (0.1, 0.2, 0.5, 0.8, 1.0, 2.0)  # the learning rates the course asks for (as check.ASSIGNMENT)
POINTS = 5  # random points an identity must hold at
RTOL = 1e-6  # central differences agree to ~1e-9; two different quantities differ by far more
AT2 = " at iteration 2"  # E_total at iteration 2: what "reduced from 0.01418 to 0.01410" speaks of
SEED = 20240  # the random points are the same on every run
STATED = "stated"  # the network a write-up states: every input, target and weight given in it


class Skip(Exception):
    """Why an equation is not judged: it names what the reference does not give (b1, ∂h1/∂i1), or it
    cannot be computed (10^400, (−1)^0.5, w1/0). It is said to be skipped, never blamed."""


def _unknown(name: str) -> Skip:
    return Skip(f"names {name}, which the reference does not give")


DEFINITIONS = {"σ(x)": "1/(1 + exp(−x))", "σ'(x)": "σ(x)·(1 − σ(x))"}  # what a wrong definition is told
UNCOMPUTABLE = "it cannot be computed (a number beyond a double, a division by zero, a root of a negative number)"


@dataclass
class Mistake:
    line: int
    quantity: str
    text: str
    expected: str | None
    diagnosis: str

    def as_dict(self) -> dict:
        return {
            "line": self.line,
            "quantity": self.quantity,
            "text": self.text,
            "expected": self.expected,
            "diagnosis": self.diagnosis,
        }


@dataclass
class Result:
    """One write-up judged; like check.FileResult, it gives its JSON (as_dict) and its lines of text."""

    path: Path
    verdict: str = "right"  # right | wrong | no equations | unreadable
    reason: str = ""
    equations: int = 0
    network: str = ""
    mistakes: list[Mistake] = field(default_factory=list)
    warnings: list[tuple[int | None, str]] = field(default_factory=list)  # line None: the whole file's
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, why)
    stated: dict[str, float] = field(default_factory=dict)  # the given values it states: whose numbers it has

    def as_dict(self) -> dict:
        out = {"file": str(self.path), "verdict": self.verdict}
        if self.reason:
            out["reason"] = self.reason
        out["equations"] = self.equations
        out["network"] = self.network
        out["mistakes"] = [m.as_dict() for m in self.mistakes]
        out["warnings"] = [{"line": n, "text": w} for n, w in self.warnings]
        out["skipped"] = [{"line": n, "text": t, "reason": why} for n, t, why in self.skipped]
        return out

    # for `check --csv` (classroom.grade): a write-up's row, as a workbook's names its first wrong cell
    def first_mistake(self) -> str:
        if not self.mistakes:
            return ""
        m = self.mistakes[0]
        return f"line {m.line}: {m.quantity}: {m.diagnosis}"

    def note(self) -> str:
        if self.reason or not self.mistakes:
            return self.reason
        return f"{len(self.mistakes)} wrong of {self.equations} equations checked"

    def lines(self) -> list[str]:
        head = {"right": "RIGHT", "wrong": "WRONG", "no equations": "NO EQUATIONS", "unreadable": "UNREADABLE"}
        if self.verdict in ("unreadable", "no equations"):
            return [f"{self.path}: {head[self.verdict]}: {self.reason}"]
        n = len(self.mistakes)
        wrong = f"{n} wrong equation{'s' if n != 1 else ''} of" if n else "none wrong of"
        out = [f"{self.path}: {head[self.verdict]}: {wrong} {self.equations} equations checked ({self.network})"]
        for m in self.mistakes:
            out.append(f"  line {m.line}: {m.quantity}: {m.diagnosis}")
            out.append(f"      {_short(m.text)}" + (f"   expected {m.expected}" if m.expected else ""))
        lines_of: dict[str, list[int]] = {}  # the same warning on many lines (a_01) is said once
        for n, w in self.warnings:
            lines_of.setdefault(w, []).append(n)
        for w, at in lines_of.items():
            where = f"line{'s' if len(at) > 1 else ''} {', '.join(map(str, at))}: " if at != [None] else ""
            out.append(f"  warning: {where}{w}")
        out += [f"  skipped: line {n}: {_short(t)}   ({why})" for n, t, why in self.skipped]
        return out


def _short(text: str, size: int = 100) -> str:
    return text if len(text) <= size else text[: size - 2] + " …"


# -- reading ----------------------------------------------------------------------------------------
def read(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    """The file's lines, UTF-8 that was read as Windows-1252 and saved again repaired (`âˆ‚` is ∂)."""
    try:
        with open(path, "rb") as f:
            data = f.read(4 * MAX_CHARS + 4)  # a character is at most 4 bytes: what is judged, whatever the encoding
            longer = bool(f.read(1))
    except OSError as e:
        raise WorkbookError(f"{path}: {e.strerror or e}") from None
    try:
        text = _utf16(data)  # Notepad's "Unicode"
    except UnicodeDecodeError:
        raise WorkbookError(f"{path}: not a text file (UTF-16 with a broken character)") from None
    if text is None and b"\0" in data[:8192]:
        raise WorkbookError(f"{path}: not a text file")
    try:
        text = data.decode("utf-8-sig") if text is None else text
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # an 8-bit file of its own
    warnings = []
    if longer or len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        if len(text) - text.rfind("\n") <= MAX_LINE:  # whole lines only (one too long is said to be, below)
            text = text[: text.rfind("\n")]
        last = text.count("\n") + 1
        warnings.append((None, f"only its first {MAX_CHARS:,} characters (lines 1 to {last:,}) are read: a write-up "
                               "is far shorter; the rest is not judged"))  # fmt: skip
    lines, repaired = [], []
    for n, line in enumerate(text.splitlines(), 1):
        lines.append(_MISREAD.sub(lambda m, n=n: _repair(m, repaired, n), line))
    if repaired:
        n, bad, good = repaired[0]
        warnings.append((n, f"mis-encoded UTF-8 (read as Windows-1252 and saved again): {len(repaired)} "
                            f"places read as UTF-8 again, e.g. {bad!r} as {good!r}"))  # fmt: skip
    return lines, warnings


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 (or UTF-32) file by its byte-order mark, as Notepad's "Unicode" saves one,
    or of one without a mark whose every other byte is mostly NUL (Latin text in UTF-16); else None."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(codec)
    head = data[:8192]
    half = len(head) // 2
    if half >= 2 and len(data) % 2 == 0:  # text of Latin letters: most characters have a NUL high byte
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > 0.6 * half and even < 0.1 * half:
            return data.decode("utf-16-le")
        if even > 0.6 * half and odd < 0.1 * half:
            return data.decode("utf-16-be")
    return None


_MAY_EQUATE = re.compile(r"[=←≈]")  # what every equation eq.find reads holds (:= is one)


# The byte each character stands for in UTF-8 read as Windows-1252: its five unassigned bytes come
# through as themselves, and an emoji's F0 as ğ where the file went through Windows-1254 (Turkish).
_BYTE = {bytes([b]).decode("cp1252", "ignore") or chr(b): b for b in range(0x80, 0x100)} | {"ğ": 0xF0}


def _chars(low: int, high: int) -> str:
    return "[" + re.escape("".join(c for c, b in _BYTE.items() if low <= b <= high)) + "]"


_MISREAD = re.compile(  # a lead byte and its continuation bytes: one UTF-8 character of 2, 3 or 4 bytes
    f"{_chars(0xC2, 0xDF)}{_chars(0x80, 0xBF)}|{_chars(0xE0, 0xEF)}{_chars(0x80, 0xBF)}{{2}}"
    f"|{_chars(0xF0, 0xF4)}{_chars(0x80, 0xBF)}{{3}}"
)


def _repair(m: re.Match, repaired: list, line: int) -> str:
    try:
        char = bytes(_BYTE[c] for c in m[0]).decode("utf-8")
    except UnicodeDecodeError:  # looked like one, is not: left as written
        return m[0]
    repaired.append((line, m[0], char))
    return char


# `LR=0.1`, `learning rate (η) taken here is 2.0`, `Learning Rate : 0.1`; not `η*∂E_total/∂w5`
_ETA_SAID = re.compile(r"(?i)(?:η|ɳ|ƞ|\blr\b|\beta\b|learning[\s_]*rate)[^\d\n*/+^∂_]{0,25}?(\d*\.\d+|\d+)(?![\w.])")
_LOSS = r"(?:E_?total|E_?tot|total\s+(?:error|loss)|error|loss)"
_FROM_TO = re.compile(rf"(?i)\b{_LOSS}\b[^.;\n]{{0,60}}?\bfrom\s+(\d*\.\d+)\s+to\s+(\d*\.\d+)")
_ARROW = re.compile(rf"(?i)\b{_LOSS}\b\s*[:=]?\s*(\d*\.\d+)\s*(?:→|->|-->|⟶)\s*(\d*\.\d+)")


def _trajectory(line: str) -> list[Equation]:
    """`E_total 0.01418 → 0.01410`, `the error is reduced from 0.01418 to 0.01410`: E_total at the first
    two iterations."""
    out = []
    for m in [*_FROM_TO.finditer(line), *_ARROW.finditer(line)]:
        text = m[0].strip()
        out.append(Equation([Sym(names.E_TOTAL), Num(float(m[1]), m[1])], text))
        out.append(Equation([Sym(names.E_TOTAL + AT2), Num(float(m[2]), m[2])], text))
    return out


_ITERATION = r"(?i)\b(?:iteration|epoch)\s*(?:#|no\.?)?\s*{n}\b(?!\.\d)|\b(?:{nth})\s+(?:iteration|epoch)\b"
_AT_2 = re.compile(_ITERATION.format(n="0?2", nth="second|2nd"))
_AT_1 = re.compile(_ITERATION.format(n="0?[01]", nth="first|1st|initial"))


def _at_iteration_2(line: str):
    """`At iteration 2, E_total = 0.013777`: on a line that speaks of the second iteration (and not of
    the first), an equation of values (no update, no partial) is of that iteration's quantities."""
    if not _AT_2.search(line) or _AT_1.search(line):
        return lambda f: f

    def shifted(f):
        if isinstance(f, Skipped) or _as_update(f.sides) != f.sides:
            return f
        nodes = [x for side in f.sides for x in eq.walk(side)]
        if any(isinstance(x, Partial | Deriv) for x in nodes):
            return f
        names_ = {a for side in f.sides for a in eq.atoms(side)} - {names.ETA, eq.FREE, eq.GENERIC}
        return replace(f, sides=[eq.rename(side, {a: a + AT2 for a in names_}) for side in f.sides])

    return shifted


def _etas(lines, template=()) -> tuple[float, ...]:
    """The learning rates the file speaks of, first; then the template's, if it is judged on one; then
    the assignment's."""
    said = [float(m[1]) for line in lines for m in _ETA_SAID.finditer(line) if 0 < float(m[1]) <= 10]
    return tuple(dict.fromkeys([*said, *template, *ASSIGNMENT]))


# -- what each quantity equals at a point ----------------------------------------------------------
_LOCAL: dict = {}


def _local(net, of: str) -> reference.Local:
    """reference.Local for ∂of/∂…, made once per wiring (the numbers are given to it at each point)."""
    key = (net.layers, net.activations, net.bias, net.leaky_slope, net.loss, of)
    if key not in _LOCAL:
        _LOCAL[key] = reference.Local(net, of)
    return _LOCAL[key]


class Point:
    """One point of (inputs, targets, weights, η): every quantity of the network there, and its partials."""

    def __init__(self, net: spec.Spec, weights, inputs, targets, eta: float, x: float = 0.5, biases=None):
        self.net, self.eta, self.x = net, eta, x
        self.given = {names.weight(k): w for k, w in enumerate(weights, 1)}
        self.given |= {names.bias(k): b for k, b in enumerate(net.biases if biases is None else biases, 1)}
        self.given |= {names.input_(n): v for n, v in enumerate(inputs, 1)}
        self.given |= {names.target(n): v for n, v in enumerate(targets, 1)}
        self.values = _local(net, names.E_TOTAL)(self.given)  # forward values and ∂E_total/∂…
        self._partials = {names.E_TOTAL: self.values}
        self._next = None

    def value(self, name: str) -> float:
        if name in self.given:
            return self.given[name]
        if name in self.values:
            return self.values[name]
        if name == names.ETA:
            return self.eta
        if name == eq.FREE:
            return self.x
        if name.startswith(NEW) and name[len(NEW) :] in self.given:  # w1 after the step: the reference's SGD
            w = name[len(NEW) :]
            return reference.sgd([self.given[w]], [self.values[names.grad(w)]], self.eta)[0]
        if name.endswith(AT2):
            return self.next().value(name.removesuffix(AT2))
        raise _unknown(name)

    def next(self) -> "Point":
        """The same network one step of gradient descent later."""
        if self._next is None:
            ws = [self.value(NEW + names.weight(k)) for k in range(1, len(self.net.weights) + 1)]
            bs = [names.bias(k) for k in range(1, len(self.net.biases) + 1)]
            bs = [self.value(NEW + b if self.net.bias == "trainable" else b) for b in bs]
            ins = [self.given[names.input_(n)] for n in range(1, self.net.layers[0] + 1)]
            ts = [self.given[names.target(n)] for n in range(1, self.net.layers[-1] + 1)]
            self._next = Point(self.net, ws, ins, ts, self.eta, self.x, bs)
        return self._next

    def partial(self, of: str, by: str) -> float:
        """∂of/∂by: how `of` moves when `by` does, everything not computed from `by` held fixed."""
        if of == by:
            return 1.0
        if names.is_loss(by):  # E_total = E1 + E2: ∂E_total/∂E1 = 1; nothing else is computed from a loss
            if of == names.E_TOTAL or of in self.values:
                return 1.0 if of == names.E_TOTAL else 0.0
            raise _unknown(names.grad(by, of))
        if of in self.given or of in (names.ETA, eq.FREE):
            return 0.0  # a parameter depends on nothing else
        if of not in self.values or (by in self.given and not names.is_param(by)):
            raise _unknown(names.grad(by, of))  # ∂h1/∂i1, ∂E1/∂t1: not among the reference's partials
        if of not in self._partials:
            self._partials[of] = _local(self.net, of)(self.given)
        key = names.grad(by, of)
        if key not in self._partials[of]:
            raise _unknown(key)
        return self._partials[of][key]


def value(e, p: Point, override: dict | None = None) -> float:
    """A tree's value at a point; `override` replaces names (by name) or printed numbers (by id)."""
    override = override or {}
    try:
        return _value(e, p, override)
    except (OverflowError, ZeroDivisionError, ValueError):
        return math.nan


def _value(e, p, override) -> float:
    if isinstance(e, Num):
        return override.get(id(e), e.value)
    if isinstance(e, Sym):
        return override[e.name] if e.name in override else p.value(e.name)
    if isinstance(e, Partial):
        return p.partial(e.of, e.by)
    if isinstance(e, Deriv):
        return _derivative(e, p, override)
    if isinstance(e, Neg):
        return -_value(e.arg, p, override)
    if isinstance(e, Call):
        x = _value(e.arg, p, override)
        return 1 / (1 + math.exp(-x)) if e.fn == "σ" else math.exp(x) if e.fn == "exp" else math.log(x)
    a, b = _value(e.left, p, override), _value(e.right, p, override)
    if e.op == "+":
        return a + b
    if e.op == "-":
        return a - b
    if e.op == "*":
        return a * b
    if e.op == "/":
        return a / b
    return math.pow(a, b)  # a ValueError, not a complex number, for (−8)^(1/3)


def _derivative(e: Deriv, p: Point, override) -> float:
    """∂(expression)/∂by = Σ over each name n in it: ∂expression/∂n (central differences) · ∂n/∂by
    (the reference's)."""
    if any(isinstance(x, Partial | Deriv) for x in eq.walk(e.expr)):
        raise Skip("a derivative of a derivative, which the reference does not give")
    total = 0.0
    for n in dict.fromkeys(node.name for node in eq.walk(e.expr) if isinstance(node, Sym)):
        slope = 1.0 if n == e.by else p.partial(n, e.by)
        if slope == 0.0:
            continue
        v = override[n] if n in override else p.value(n)
        h = 1e-6 * max(1.0, abs(v))
        up = _value(e.expr, p, {**override, n: v + h})
        down = _value(e.expr, p, {**override, n: v - h})
        total += (up - down) / (2 * h) * slope
    return total


def _close(a: float, b: float) -> bool:
    if a != a or b != b:
        return a != a and b != b
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) + 1e-12


def _all_close(xs, ys) -> bool:
    return all(_close(x, y) for x, y in zip(xs, ys))


def random_points(net: spec.Spec, n: int = POINTS) -> list[Point]:
    """n points of (inputs, targets, weights, η) where the network is nowhere special (seeded)."""
    rng = random.Random(SEED)
    out = []
    for _ in range(n):
        weights = [rng.uniform(-1, 1) for _ in net.weights]
        inputs = [rng.uniform(0.05, 1) for _ in net.inputs]
        targets = [rng.uniform(0.05, 0.95) for _ in net.targets]
        if net.loss == "cross_entropy":  # probabilities, as the template requires: ∂E_total/∂o1 = a_o1 − t1
            targets = [t / sum(targets) for t in targets]
        out.append(Point(net, weights, inputs, targets, rng.uniform(0.05, 2), rng.uniform(-2, 2)))
    return out


# -- judging ----------------------------------------------------------------------------------------
def is_writeup(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def check(path: Path, network_of=None) -> Result:
    """Every equation of one write-up, judged. Its numbers are judged against `network_of(stated)`,
    when that gives one — (what to call it, its Spec, why it is this one), from the given values the
    file states: a template's, a student's — or else against the network they fit, if any."""
    result = Result(Path(path))
    try:
        lines, result.warnings = read(result.path)
    except WorkbookError as e:
        result.verdict, result.reason = "unreadable", str(e).removeprefix(f"{path}: ")
        return result
    return Judge(lines, network_of).run(result)


def judgeable(net: spec.Spec, what: str) -> spec.Spec:
    """A network a write-up's numbers can be judged on: one sample's (its first iteration is that
    sample's forward and backward pass; a batch's mean is not what a write-up works out by hand)."""
    if net.n_samples > 1:
        raise SpecError(f"{what}: a write-up is judged on one sample's network; it has {net.n_samples} samples")
    return net


def against(net: spec.Spec, label: str, why: str):
    """`network_of` for a network the user names (`check --template era`): every file is judged on it."""
    judgeable(net, label)
    return lambda stated: (label, net, why)


@dataclass
class _Link:
    """One `=` of an equation: `want` (the side before it, or what a number must be) against `test`."""

    line: int
    equation: Equation
    quantity: object  # the equation's left side when it names one quantity, else None
    want: object
    test: object
    first: bool  # the equation's first `=`
    eta: float | None = None  # the learning rate its numbers write (w5 = 0.4 − 0.5·0.0129), if one


class Judge:
    def __init__(self, lines: list[str], network_of=None):
        self.lines = lines
        self.network_of = network_of
        self.etas = _etas(lines)
        self.nets = {name: spec.load(name) for name in NETWORKS}
        self.net_name = NETWORKS[0]  # until the file's numbers say which (run)
        self.net = self.nets[self.net_name]
        self.points = random_points(self.net)
        self.numbers = True  # whether quoted numbers are judged: not when they fit no network
        self._seeds: dict = {}
        self._candidates = None

    # the network judged, at its first iteration, for each η the file might use
    def seed_point(self, net_name: str, eta: float) -> Point:
        key = (net_name, eta)
        if key not in self._seeds:
            n = self.nets[net_name]
            self._seeds[key] = Point(n, n.weights, n.inputs, n.targets, eta)
        return self._seeds[key]

    def run(self, result: Result) -> Result:
        equations = []  # (line, Equation), update rules read as such
        tabled = _table_statements(self.lines)
        for n, line in enumerate(self.lines, 1):
            if len(line) > MAX_LINE:
                result.skipped.append((n, line[:60], f"a line of {len(line):,} characters: data, not equations"))
                continue
            found = eq.find(line) if _MAY_EQUATE.search(line) else []  # no `=`, no equation: not tokenized
            for f in [*map(_at_iteration_2(line), found), *_trajectory(line), *tabled.get(n, [])]:
                if isinstance(f, Skipped):
                    result.skipped.append((n, f.text, f.reason))
                    continue
                result.warnings += [(n, note) for note in f.notes]
                f.sides, f.update = _as_update(f.sides), _as_update(f.sides) != f.sides
                why = _not_an_identity(f.sides)
                if why:
                    result.skipped.append((n, f.text, why))
                else:
                    equations.append((n, f))
        links = self._links(equations)
        result.stated = _stated(links)
        given = self.network_of(result.stated) if self.network_of else None
        if given:  # the user says whose numbers these are: they are judged there, whatever they fit
            self.net_name, net, basis = given
            self.nets, self.net, self.points = {self.net_name: net}, net, random_points(net)
            self.etas = _etas(self.lines, net.learning_rates)
            links = self._links(equations)  # `w_new = w_old − …` once for each of its weights
            result.network = f"numbers checked against {self.net_name}'s first iteration ({_givens(net)}): {basis}"
        else:
            self._choose_loss(links)
            if (stated := self._stated_network(result.stated)) is not None:
                self.nets[STATED] = stated
            result.network = self._choose_network(links, result)
        unjudged = 0
        for n, equation, instances in links:
            if not self.numbers and all(_quoted(link) for links_ in instances for link in links_):
                unjudged += 1  # said once, in the warning _choose_network gave
                continue
            try:
                outcome = self._judge(instances)
            except Skip as e:
                result.skipped.append((n, equation.text, str(e)))
                continue
            result.equations += 1
            if isinstance(outcome, Mistake):
                outcome.line = n
                result.mistakes.append(outcome)
            elif outcome:
                result.warnings.append((n, outcome))
        result.warnings = sorted(dict.fromkeys(result.warnings), key=lambda w: w[0] or 0)
        result.skipped.sort(key=lambda s: s[0])
        if result.mistakes:
            result.verdict = "wrong"
        elif not result.equations and unjudged:  # nothing judged: its numbers were all it had
            result.verdict = "no equations"
            result.reason = next(w for n, w in result.warnings if n is None)
        elif not result.equations:
            result.verdict = "no equations"
            result.reason = (
                "no line reads as an equation of the network's quantities (i1, w1, h1, a_h1, E_total, "
                f"∂E_total/∂w1 …){f'; {len(result.skipped)} skipped' if result.skipped else ''}"
            )
        return result

    def _links(self, equations) -> list[tuple[int, Equation, list[list[_Link]]]]:
        """Each equation's links, once per weight when it speaks of any weight (w_new = w_old − …).
        A value carried onto the next line (`w1_new = 0.15 − 0.1·0.000315`, then `w1_new = 0.1499685`)
        is checked as the arithmetic of the line before: a wrong number is blamed once, where written."""
        out, previous = [], None
        for n, equation in equations:
            sides = equation.sides
            quantity = sides[0] if isinstance(sides[0], Sym | Partial) else None
            pairs = list(zip(sides, sides[1:]))
            if (
                previous
                and previous[0] == n - 1
                and len(sides) == 2
                and sides[0] == previous[1][0]
                and _numeric(sides[1])
                and _numeric(previous[1][-1])
            ):
                pairs = [(previous[1][-1], sides[1])]
            if len(sides) > 2 and _numeric(sides[-1]):  # t1 = t2 = 0.5: each given value is the number
                pairs = [(a, sides[-1]) if _given(a) and _given(b) else (a, b) for a, b in pairs]
            eta = next((x for s in sides if (x := self._step_eta(s)) is not None), None)
            generic = any(a in (eq.GENERIC, eq.NEW_GENERIC) for s in sides for a in eq.atoms(s))
            mappings = [{eq.GENERIC: names.weight(k)} for k in range(1, len(self.net.weights) + 1)] if generic else [{}]
            instances = [
                [_Link(n, equation, quantity and eq.rename(quantity, m), eq.rename(a, m), eq.rename(b, m), i == 0, eta)
                 for i, (a, b) in enumerate(pairs)]
                for m in mappings
            ]  # fmt: skip
            out.append((n, equation, instances))
            previous = (n, sides)
        return out

    def _step_eta(self, e) -> float | None:
        """The η of a step of gradient descent in numbers, 0.4 − 0.5·0.0128808: the factor that is one
        of the file's learning rates (or the assignment's)."""
        step = _step(e)
        return next((x.value for x in step[1:] if x.value in self.etas), None) if step else None

    def _choose_loss(self, links) -> None:
        """Cross-entropy (a softmax output layer, E1 = −t1·ln(a_o1)) when more of the file's identities
        hold with it than with the seeds' E1 = ½(t1 − a_o1)²: a write-up of a template's cross-entropy
        net, as `sheetgen report` writes one. The seeds' loss on a tie."""
        held, total = self._holding(links, self.points)
        if held == total:
            return
        nets = {name: replace(n, loss="cross_entropy", activations=(*n.activations[:-1], reference.SOFTMAX))
                for name, n in self.nets.items()}  # fmt: skip
        points = random_points(nets[self.net_name])
        if self._holding(links, points)[0] > held:
            self.nets, self.net, self.points = nets, nets[self.net_name], points

    def _holding(self, links, points) -> tuple[int, int]:
        """How many of the identities hold at the points, of how many."""
        held = total = 0
        for _, _, instances in links:
            for link in instances[0]:
                if _quoted(link):
                    continue
                try:
                    want, got = [value(link.want, p) for p in points], [value(link.test, p) for p in points]
                except Skip:
                    continue
                total += 1
                held += all(map(math.isfinite, want + got)) and _all_close(want, got)
        return held, total

    def _stated_network(self, stated: dict[str, float]) -> spec.Spec | None:
        """The seeds' network with the numbers the file states, when it states every input, target and
        weight (fewer do not fix a network: the seeds' numbers for the rest would be a guess) and they
        are not one of the seeds' networks' own."""
        n = self.nets[NETWORKS[0]]
        labels = [[f(k) for k in range(1, len(xs) + 1)] for f, xs in
                  ((names.input_, n.inputs), (names.target, n.targets), (names.weight, n.weights))]  # fmt: skip
        if not all(q in stated for group in labels for q in group):
            return None
        ins, ts, ws = (tuple(stated[q] for q in group) for group in labels)
        if any((s.inputs, s.targets, s.weights) == (ins, ts, ws) for s in self.nets.values()):
            return None
        return replace(n, inputs=ins, targets=ts, weights=ws)

    def _choose_network(self, links, result: Result) -> str:
        """The network whose first iteration the file's numbers fit best (ERA on a tie), said as the
        result's `network` line. Numbers that fit none of them (fewer than half of them fit the best)
        are a network the file does not fully state, or mistakes; not judged, and said once."""
        scores = {}
        for name in self.nets:
            fit = total = 0
            for _, _, instances in links:
                for link in instances[0]:
                    if not _quoted(link):
                        continue
                    try:
                        fit += self._numbers_agree(link, name) is not None
                        total += 1
                    except Skip:
                        pass
            scores[name] = (fit, total)
        best = max(self.nets, key=lambda name: scores[name][0])  # max keeps the first on a tie
        self.net_name, self.net = best, self.nets[best]
        fit, total = scores[best]
        others = ", ".join(f"{scores[name][0]} {_called(name)}" for name in self.nets if name != best)
        if total and 2 * fit < total:
            self.numbers = False
            fits = f"{fit} of the {total} it quotes fit {_called(best)}, {others}"
            neither = " nor ".join(map(_called, self.nets))
            why = f"its numbers fit neither {neither} first iteration ({fits}): not judged"
            result.warnings.append((None, f"{why}; give --template or --class to judge them"))
            return f"numbers not judged: they fit no network's first iteration ({fits})"
        if best == STATED:
            where = f"the network the file states ({_givens(self.net)})"
            basis = f"{fit} of the {total} numbers it quotes fit it, {others}"
        else:
            t = ", ".join(f"{names.target(k)} = {x:g}" for k, x in enumerate(self.net.targets, 1))
            ce = ", softmax outputs and cross-entropy" if self.net.loss == "cross_entropy" else ""
            where = f"{best.upper()}'s first iteration ({t}{ce})"
            basis = f"{fit} of the {total} numbers it quotes fit these targets, {others}"
            basis = basis if total else "it quotes no numbers"
        return f"numbers checked against {where}: {basis}"

    def _judge(self, instances) -> Mistake | str | None:
        """Right (None), a warning (str), or the first wrong link's Mistake."""
        for links in instances:
            for link in links:
                if _quoted(link):
                    if self.numbers and self._numbers_agree(link, self.net_name) is None:
                        return self._number_mistake(link)
                    continue
                want = [value(link.want, p) for p in self.points]
                got = [value(link.test, p) for p in self.points]
                if not any(map(math.isfinite, want)) or not any(map(math.isfinite, got)):
                    raise Skip(UNCOMPUTABLE)
                if _all_close(want, got):
                    continue
                if link.first and (held := self._held_constant(link, got)):
                    return held
                return self._mistake(link, want, got)
        return None

    # -- numbers ------------------------------------------------------------------------------------
    def _exact(self, net_name: str) -> set[float]:
        """Numbers a write-up quotes exactly: the network's given values and the learning rates."""
        n = self.nets[net_name]
        return {round(x, 12) for x in (*n.inputs, *n.targets, *n.weights, *n.biases, *self.etas)}

    def _with_tolerance(self, e, p: Point, exact: set[float]) -> tuple[float, float]:
        """A side's value and how far off it may be: one unit of the last printed digit of each
        number that is not a given value, carried through the arithmetic."""
        v = value(e, p)
        tol = 0.0
        for node in eq.walk(e):
            if isinstance(node, Num) and not _structural(node.value) and round(node.value, 12) not in exact:
                tol += abs(value(e, p, {id(node): node.value + _unit(node.text)}) - v)
        return v, tol

    def _numbers_agree(self, link: _Link, net_name: str) -> float | None:
        """The η at which a link with quoted numbers holds at the network's first iteration, or None."""
        exact = self._exact(net_name)
        etas = self._etas_of(link)
        for eta in etas:
            p = self.seed_point(net_name, eta)
            a, ta = self._with_tolerance(link.want, p, _exact_beside(link.want, link.test, exact))
            b, tb = self._with_tolerance(link.test, p, _exact_beside(link.test, link.want, exact))
            if not (math.isfinite(a) and math.isfinite(b)):
                raise Skip(UNCOMPUTABLE)
            if abs(a - b) <= ta + tb + 1e-9 * max(abs(a), abs(b)):
                return eta
        w = link.want
        if _given(w) and names.is_param(w.name) and isinstance(link.test, Num):  # w5 = 0.3935596: after a step
            return self._numbers_agree(replace(link, want=Sym(NEW + w.name)), net_name)
        return None

    def _etas_of(self, link: _Link) -> tuple[float, ...]:
        """The learning rates a link may be right at: the one its numbers write, or any the file might use."""
        if link.eta is not None:
            return (link.eta,)
        return self.etas if _uses_eta(link.want) or _uses_eta(link.test) else self.etas[:1]

    def _number_mistake(self, link: _Link) -> Mistake:
        """Which number is off, and what it is instead: `0.5342 is o2 at the first iteration, not a_o2`."""
        truth, tested = link.want, link.test
        if _numeric(truth) and not _numeric(tested):
            truth, tested = tested, truth
        q = _shown(link) if link.first and link.quantity is not None else eq.render(truth)
        net_name, exact = self.net_name, self._exact(self.net_name)
        eta = link.eta or self.etas[0]
        p = self.seed_point(net_name, eta)
        want, _ = self._with_tolerance(truth, p, exact)
        got, tol = self._with_tolerance(tested, p, exact)
        tol = tol or _unit_of(tested)
        expected = _fmt(want, tol)
        at = f" (η = {eta:g})" if _uses_eta(truth) else ""
        first = "" if q.endswith(AT2) else " after one step" if _stepped(truth) else " at the first iteration"
        if _given(truth) and _given(tested):  # t1 = t2: two values that differ
            a, b = value(truth, p), value(tested, p)
            why = f"{truth.name} is {a:g} and {tested.name} is {b:g} at the first iteration, not equal"
            return Mistake(link.line, q, link.equation.text, f"{a:g}", why)
        if isinstance(tested, Num):
            what = self._what_is(tested)
            if what:
                why = f"{tested.text} is {what}, not {q} ({expected}{at})"
            else:
                why = f"{q} is {expected}{first}{at}, not {tested.text}"
            return Mistake(link.line, q, link.equation.text, expected, why)
        # the numbers it quotes; then the given values it copies (0.45, w6's, for w5's 0.4)
        lits = [x for x in eq.walk(tested) if isinstance(x, Num) and not _structural(x.value)]
        for lit in sorted(lits, key=lambda x: round(x.value, 12) in exact):
            fits, about = [], eq.atoms(truth)
            for name, v in self._quantities(p):
                for e in (link.eta,) if link.eta else self.etas:
                    pe = self.seed_point(net_name, e)
                    w, _ = self._with_tolerance(truth, pe, exact)
                    off = abs(value(tested, pe, {id(lit): v}) - w)
                    if off <= tol + 1e-9 * abs(w):  # the closest fit (∂E/∂w5, not ∂E/∂w6), of w7's (w7, not t1)
                        mine = name in about or names.of_grad(name) in about
                        fits.append((round(off, 12), not mine, abs(v - lit.value), name, v))
                        break
            if fits:
                *_, name, v = min(fits)
                what = self._what_is(lit)
                if what is None:  # a number that is nothing of the network's
                    why = f"{name} is {_fmt(v, _unit(lit.text))} at the first iteration, not {lit.text}"
                else:
                    said = f" ({what})" if what != f"{name} at the first iteration" else ""
                    why = f"uses {lit.text}{said} where {name} = {_fmt(v, _unit(lit.text))} belongs"
                return Mistake(link.line, q, link.equation.text, expected, why)
        why = f"{q} is {expected}{first}{at}, not {_fmt(got, tol)}"
        return Mistake(link.line, q, link.equation.text, expected, why)

    def _quantities(self, p: Point):
        """(name, value) of every quantity of a point: the given values, the forward pass, ∂E_total/∂…"""
        yield from p.given.items()
        yield from ((q, v) for q, v in p.values.items() if q not in p.given)

    def _what_is(self, num: Num) -> str | None:
        """The quantity a printed number is, at the first iteration or the second (for each η)."""
        p = self.seed_point(self.net_name, self.etas[0])
        for name, v in self._quantities(p):
            if _printed_as(v, num):
                return f"{name} at the first iteration"
        for eta in self.etas:
            for name, v in self._quantities(self.seed_point(self.net_name, eta).next()):
                if _printed_as(v, num) and not names.is_param(name):
                    return f"{name} at iteration 2, η = {eta:g}"
        return None

    # -- identities ---------------------------------------------------------------------------------
    def _held_constant(self, link: _Link, got) -> str | None:
        """`o1 = a_h1*w5 (w6 assumed constant …)`: a definition with terms left out that it holds
        constant for a derivative. Said as a warning, not blamed."""
        q = link.quantity
        if not isinstance(q, Sym) or any(isinstance(x, Partial | Deriv) for x in eq.walk(link.test)):
            return None
        terms = _terms(self.net, q.name)
        for size in range(1, len(terms)):
            for dropped in itertools.combinations(range(len(terms)), size):
                kept = [t for k, t in enumerate(terms) if k not in dropped]
                if _all_close(got, [sum(value(t, p) for t in kept) for p in self.points]):
                    left_out = " + ".join(eq.render(terms[k]) for k in dropped)
                    return (f"{link.equation.text!r} is {q.name} without {left_out} (held constant for a "
                            "derivative): not blamed")  # fmt: skip
        return None

    def _values(self, e) -> list[float]:
        return [value(e, p) for p in self.points]

    def _mistake(self, link: _Link, want, got) -> Mistake:
        """The single change that makes `test` equal `want`, in the workbook judge's words."""
        q = _name(link.quantity) if link.quantity is not None else eq.render(link.want)
        quantity = q.removeprefix(NEW)
        shown = _shown(link)

        def known(x, y):
            note = slips.KNOWN_SLIPS.get((quantity, x, y))
            return f" — {note}" if note else ""

        def mistake(why, expected):
            return Mistake(link.line, shown, link.equation.text, expected, why)

        test = link.test
        swaps = [(x, y) for x in eq.atoms(test) for y in _same_kind(self.net, x)]
        for x, y in swaps:  # 1. one symbol where another belongs (everywhere it is written)
            fixed = eq.rename(test, {x: y})
            if _all_close(self._values(fixed), want):
                return mistake(f"uses {x} where {y} belongs{known(x, y)}", eq.render(fixed))
        written = [x for x in eq.walk(test) if isinstance(x, Sym)]
        for node in written:  # ... or in one of the places it is written (w3·i1 + w4·i1)
            if sum(x == node for x in written) > 1:
                for y in _same_kind(self.net, node.name):
                    fixed = eq.substitute(test, node, Sym(y))
                    if _all_close(self._values(fixed), want):
                        return mistake(f"uses {node.name} where {y} belongs{known(node.name, y)}", eq.render(fixed))
        canonical = _canonical(self.net, q) or DEFINITIONS.get(q) or eq.render(link.want)
        if _all_close([-g for g in got], want):  # 2. a sign, the ½
            return mistake("the sign is wrong", canonical)
        if _all_close([g * 0.5 for g in got], want):
            return mistake("a missing ½: gives twice the expected value", canonical)
        if _all_close([g * 2 for g in got], want):
            return mistake("an extra ½: gives half the expected value", canonical)
        lq = link.quantity
        if isinstance(lq, Sym) and lq.name.startswith(NEW):  # w ← w + η·∂E/∂w
            before = self._values(Sym(lq.name.removeprefix(NEW)))
            if _all_close(got, [2 * b - w for b, w in zip(before, want)]):
                return mistake("the step goes up the gradient: + η·∂E_total/∂w where − belongs", canonical)
        if isinstance(lq, Partial) and lq.of == names.E_TOTAL:  # 3. the chain rule through one output only
            outputs = range(1, self.net.layers[-1] + 1)
            for j in outputs:
                through = self._values(Partial(names.loss(j), lq.by))
                if _all_close(got, through) and not _all_close(through, want):
                    others = ", ".join(f"o{k}" for k in outputs if k != j)
                    slip = f" — {slips.MISSING_PATH_SLIP}" if re.fullmatch(r"w[1-4]", lq.by) else ""
                    return mistake(f"{q} through o{j} only: the path through {others} is missing{slip}", canonical)
        if link.quantity is not None:  # 4. the left side names another quantity
            for other, values in self._candidate_values():
                if other != q and _all_close(got, values) and not _all_close(values, want):
                    return mistake(f"the right side is {other}, not {q}: the left side should say {other}",
                                   f"{other} = {eq.render(test)}")  # fmt: skip
        for (x1, y1), (x2, y2) in itertools.islice(itertools.combinations(swaps, 2), 20_000):  # 5. two at once
            if x1 == x2:
                continue
            fixed = eq.rename(test, {x1: y1, x2: y2})
            if _all_close(self._values(fixed), want):
                return mistake(f"uses {x1} and {x2} where {y1} and {y2} belong{known(x1, y1) or known(x2, y2)}",
                               eq.render(fixed))  # fmt: skip
        if eq.free_variable(link.want) == eq.FREE:  # σ'(x) = σ(x): a function's definition, wrong at x = 1
            p, at = self.points[0], {eq.FREE: 1.0}
            return mistake(f"{eq.render(test)} is not {q}: at x = 1, {q} is {value(link.want, p, at):.4g} and "
                           f"{eq.render(test)} {value(test, p, at):.4g}", canonical)  # fmt: skip
        return mistake(f"{eq.render(test)} is not {q}", canonical)

    def _candidate_values(self):
        """Every quantity and partial the network has, with its values at the random points: what a
        right side may be instead of its left side's quantity."""
        if self._candidates is None:
            n = self.net
            nodes = [q for q in self.points[0].values if not names.of_grad(q)]
            weights = [names.weight(k) for k in range(1, len(n.weights) + 1)]
            losses = [q for q in nodes if names.is_loss(q)]
            neurons = [q for q in nodes if not names.is_loss(q)]
            trees = [Sym(q) for q in nodes + weights] + [Sym(NEW + w) for w in weights]
            for of in sorted(losses, key=lambda q: q != names.E_TOTAL) + neurons:
                trees += [Partial(of, by) for by in weights + neurons if by != of]
            self._candidates = [(_name(t), self._values(t)) for t in trees]
        return self._candidates


# -- the given values a write-up states --------------------------------------------------------------
def _stated(links) -> dict[str, float]:
    """The given values the file states (i1 = 0.12; t1 = t2 = 0.5; a table's | w1 | 0.3 |): each name's
    first statement, for a later w5 = 0.3936 may be w5 after a step."""
    out = {}
    for _, equation, instances in links:
        for link in instances[0]:
            if not equation.update and _given(link.want) and isinstance(link.test, Num):
                out.setdefault(link.want.name, link.test.value)
    return out


def _givens(net: spec.Spec, most: int = 12) -> str:
    """A network's given values, as a write-up states them: i1 = 0.12, i2 = 0.3, t1 = 0.4, …"""
    values = [(names.input_(n), x) for n, x in enumerate(net.inputs, 1)]
    values += [(names.target(n), x) for n, x in enumerate(net.targets, 1)]
    values += [(names.weight(k), x) for k, x in enumerate(net.weights, 1)]
    values += [(names.bias(k), x) for k, x in enumerate(net.biases, 1)]
    shown = ", ".join(f"{q} = {x:g}" for q, x in values[:most])
    return shown + (f", … ({len(values)} numbers)" if len(values) > most else "")


def _called(name: str) -> str:
    return "the stated network's" if name == STATED else f"{name.upper()}'s"


_CELL_NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+)")
_RULE = re.compile(r":?-{3,}:?")  # the line under a Markdown table's header


_LISTED = re.compile(r"(?:[-*+]\s+)?[`*]*([A-Za-z]\w*)[`*]*\s*:\s*[`*]*(\d*\.\d+|\d+)[`*]*")  # - w1: 0.21


def _table_statements(lines: list[str]) -> dict[int, list[Equation]]:
    """The given values a Markdown table states, by line: a row `| w1 | 0.15 |`, or a header
    `| i1 | i2 | t1 | … |` over its first row of numbers (a table of iterations starts with the
    numbers given); and a line of a list that is one `w1: 0.15`."""
    out, header, first = {}, None, False
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text.startswith("|"):
            header, first = None, False
            if (m := _LISTED.fullmatch(text)) and (q := eq.symbol(m[1])) and re.fullmatch(r"[itwb]\d+", q):
                out[n] = [Equation([Sym(q), Num(float(m[2]), m[2])], f"{m[1]} = {m[2]}")]  # - w1: 0.21
            continue
        cells = [c.strip().strip("`*").strip() for c in text.strip("|").split("|")]
        if all(_RULE.fullmatch(c) for c in cells):
            first = header is not None  # the next row is the header's first row of numbers
            continue
        pairs = ([cells[:2]] if len(cells) > 1 else []) + (list(zip(header, cells)) if first else [])
        given = {}
        for name, number in pairs:
            q = eq.symbol(name) if name and name[0].isalpha() else None
            if q and re.fullmatch(r"[itwb]\d+", q) and _CELL_NUMBER.fullmatch(number):
                given.setdefault(q, (name, number))
        out[n] = [Equation([Sym(q), Num(float(x), x)], f"{name} = {x}") for q, (name, x) in given.items()]
        header, first = cells, False
    return out


# -- small helpers ----------------------------------------------------------------------------------
def _name(e) -> str:
    return e.name if isinstance(e, Sym | Partial) else eq.render(e)


def _shown(link: _Link) -> str:
    """The quantity a mistake is about, as the left side names it (w8 in `w8 = w6 − η·∂E/∂w6`)."""
    if link.quantity is None:
        return eq.render(link.want)
    name = _name(link.quantity)
    return name.removeprefix(NEW) if link.equation.update else name


def _numeric(e) -> bool:
    """A side of printed numbers only: `0.15 - 0.1 * 0.000315`."""
    return not any(isinstance(x, Sym | Partial | Deriv) for x in eq.walk(e))


def _structural(x: float) -> bool:
    """A number of an equation's form (½, 1 − a, 2), not a quoted value."""
    return float(x).is_integer() or x == 0.5


def _given(e) -> bool:
    """An input, target, weight or bias as written: a value the network is given, computed from nothing."""
    return isinstance(e, Sym) and re.fullmatch(r"[itwb]\d+", e.name) is not None


def _quoted(link: _Link) -> bool:
    """Whether a link speaks of the network's numbers: a side of numbers only, or a quoted value in it;
    or two given values (t1 = t2), which no identity relates: only their values can be equal."""
    sides = (link.want, link.test)
    return (
        any(_numeric(s) for s in sides)
        or any(isinstance(x, Num) and not _structural(x.value) for s in sides for x in eq.walk(s))
        or all(_given(s) for s in sides)
    )


def _exact_beside(side, other, exact: set[float]) -> set[float]:
    """The numbers of a side quoted exactly: a given value's (0.15 in `0.15 − 0.1·0.000317`), but not a
    side that is one number set equal to a computed quantity (`a_h1 = 0.53`, a_h1 0.5343 rounded): that
    it is also w6's value is chance, and it is as rounded as any result."""
    if isinstance(side, Num) and not _given(other) and not _numeric(other):
        return exact - {round(side.value, 12)}
    return exact


def _stepped(e) -> bool:
    """w5 after the step: the left side of an update."""
    return isinstance(e, Sym) and e.name.startswith(NEW)


def _uses_eta(e) -> bool:
    return any(isinstance(x, Sym) and (x.name == names.ETA or x.name.startswith(NEW) or x.name.endswith(AT2))
               for x in eq.walk(e))  # fmt: skip


def _unit(text: str) -> float:
    """One unit of a printed number's last digit: 0.6064 -> 0.0001 (rounded or cut, both fit)."""
    if text == "½":
        return 0.0
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    try:
        return 10.0 ** (int(exponent or 0) - decimals)
    except (OverflowError, ValueError):  # 1e400: no double holds it, nor anything near it
        return math.inf


def _printed_as(v: float, num: Num) -> bool:
    """Whether v, rounded or cut at the printed number's last digit, is that number: a_o2 = 0.6305
    is 0.6305 or 0.6304, not 0.7 (a target written wrong is not taken for a_o2)."""
    unit, x = _unit(num.text), num.value
    return abs(v - x) <= unit / 2 * (1 + 1e-9) or (v * x > 0 and 0 <= abs(v) - abs(x) < unit)


def _unit_of(e) -> float:
    return min((_unit(x.text) for x in eq.walk(e) if isinstance(x, Num) and _unit(x.text)), default=1e-6)


def _fmt(x: float, tol: float) -> str:
    if not 0 < tol < math.inf or not math.isfinite(x):
        return f"{x:.6g}"
    decimals = max(0, math.ceil(-math.log10(tol) - 1e-6))
    return f"{x:.{decimals}f}"


def _step(e) -> tuple[Num, Num, Num] | None:
    """0.4 − 0.5·0.0128808, a step of gradient descent in numbers: (the old value, the factors)."""
    if isinstance(e, Op) and e.op == "-" and isinstance(e.left, Num):
        product = e.right
        if isinstance(product, Op) and product.op == "*" and isinstance(product.left, Num):
            if isinstance(product.right, Num):
                return e.left, product.left, product.right
    return None


def _as_update(sides: list) -> list:
    """`w1 = w1 − η·∂E_total/∂w1`, `w5 = 0.4 − 0.5·0.0128808`: the left side is w1 after the step."""
    first = sides[0]
    if (
        isinstance(first, Sym)
        and (names.is_param(first.name) or first.name == eq.GENERIC)
        and any(_step(s) or any(isinstance(x, Sym) and x.name == names.ETA for x in eq.walk(s)) for s in sides[1:])
    ):
        return [Sym(NEW + first.name), *sides[1:]]
    return sides


def _not_an_identity(sides: list) -> str | None:
    """Why an equation that parses is still nothing to check, or None."""
    if any(isinstance(s, Sym) and s.name == names.ETA for s in sides):
        return "it sets the learning rate"
    bare = {s.name for s in sides if isinstance(s, Sym)}
    if len(sides) == 2 and len(bare) == 2:
        a, b = sorted(bare)
        if re.fullmatch(r"a_o(\d+)", a) and b == f"t{a[3:]}":
            return "an output set equal to its target: the goal, not an identity"
    return None


def _same_kind(net: spec.Spec, x: str) -> list[str]:
    """The quantities a slip may have written x for: another weight, input, target, neuron value or loss."""
    weights = [names.weight(k) for k in range(1, len(net.weights) + 1)]
    inputs = [names.input_(k) for k in range(1, net.layers[0] + 1)]
    targets = [names.target(k) for k in range(1, net.layers[-1] + 1)]
    neurons = [q for layer in reference.wiring(net) for n, *_ in layer for q in (n, names.act(n))]
    losses = [names.loss(k) for k in range(1, net.layers[-1] + 1)] + [names.E_TOTAL]
    for kind in (weights, inputs, targets, neurons, losses):
        if x in kind:
            return [y for y in kind if y != x]
    return []


def _terms(net: spec.Spec, q: str) -> list:
    """The terms of a sum that defines q: h1 = w1·i1 + w2·i2; E_total = E1 + E2."""
    if q == names.E_TOTAL:
        return [Sym(names.loss(k)) for k in range(1, net.layers[-1] + 1)]
    wires = reference.wiring(net)
    for layer, neurons in enumerate(wires):
        for name, senders, _, _ in neurons:
            if name == q:
                before = [names.input_(i + 1) for i in range(net.layers[0])] if layer == 0 else [
                    names.act(n) for n, *_ in wires[layer - 1]]  # fmt: skip
                return [Op("*", Sym(names.weight(k)), Sym(before[i])) for k, i in senders]
    return []


def _canonical(net: spec.Spec, q: str) -> str | None:
    """A quantity's right side as the workbook writes it (formulas.rules, hidden gradients written out)."""
    rules = formulas.rules(net)
    name = q.removeprefix(NEW)
    if name not in rules or (q == name and names.is_param(name)):
        return None
    hidden = {r for r in rules if (of := names.of_grad(r)) and not names.is_param(of)}
    tree = formulas.expand(rules[name].rest, rules, hidden)
    return formulas.render(tree, lambda n, previous: n, formulas.DISPLAY)[1:]
