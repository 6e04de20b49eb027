"""`sheetgen class` and `sheetgen check --class`: a teacher's round trip.

    roster -> one set of numbers per student -> DIR/exercises/<id>.xlsx, DIR/keys/<id>.xlsx, DIR/class.json
    submissions -> check -> each file's student, named by the numbers found in it -> one row per file

A student's numbers (inputs, targets, initial weights, and biases if the template has them) are
drawn from their id and the class seed alone: two decimals in [0.05, 0.95], all different, kept only
if the network trains sensibly on every learning rate of the template (`trouble`). The exercise holds
the parameter block, the headers and the first row's weights, nothing a student could copy; the key
is `sheetgen build` of the same numbers.
"""

import csv
import functools
import hashlib
import io
import json
import math
import os
import random
import re
import secrets
import threading
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions

from sheetgen import __version__, files, writeup
from sheetgen.build import derivation, summary, workbook
from sheetgen.build.layout import Layout
from sheetgen.errors import ClassError, SheetgenError
from sheetgen.model import names, reference
from sheetgen.model.spec import Spec
from sheetgen.model.spec import load as load_template
from sheetgen.xlsx import excel

GRID = tuple(k / 100 for k in range(5, 96))  # what a number is drawn from: 0.05 … 0.95, two decimals
MIN_START = 0.01  # E_total at iteration 1: a loss worth watching fall (the course's own starts at 0.0142)
# changes of E_total smaller than this fraction of where it started are rounding, not training: a long
# run reaches E_total ~ 1e-28, where it wobbles by a ulp of a_o1 (mazur's 10,000 steps do, on 8 of 18 draws)
WOBBLE = 1e-9
TRIES = 100  # draws per student before the template is blamed
# a number found in a sheet is a student's within this: Google Sheets keeps 10 significant digits,
# and two students' numbers differ by 0.01 at least in one place
TOLERANCE = 1e-6
CLASS_FILE = "class.json"
MAX_ROSTER_BYTES = 16 << 20  # a roster of 20,000 students is well under 1 MB
MAX_CLASS_BYTES = 256 << 20  # a class.json holds a few hundred bytes a student
KIND = "sheetgen class"  # class.json says what it is: a folder holding one may be written again
EXERCISE = workbook.EXERCISE
SEED_MAX = 2**63 - 1
# an id names two files: letters, digits, space and . _ @ + -, not starting with a dot or a space
ID = re.compile(r"[\w@+-][\w.@+\- ]{0,63}")
COLUMNS = ("file", "student", "verdict", "first_mistake", "code", "note")
EARLIER = ("file", "student", "verdict", "first_mistake", "note")  # the columns before the code's: overwritten too


@dataclass
class Student:
    id: str
    columns: dict[str, str] = field(default_factory=dict)  # the roster's other columns, kept
    params: dict[str, float] = field(default_factory=dict)  # i1.., t1.., w1.., b1..: their numbers


# -- the roster -------------------------------------------------------------------------------------------
def read_roster(path) -> list[Student]:
    """A CSV (by its .csv suffix) with an `id` column, or a text file of one id per line."""
    path = Path(path)
    try:
        text = _read(path, MAX_ROSTER_BYTES, "cannot read the roster: ", "a roster").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "not UTF-8 text"
        raise ClassError(f"{path}: cannot read the roster: {reason}") from None
    rows = _csv(path, text) if path.suffix.lower() == ".csv" else _lines(text)
    students, seen = [], {}
    for line, sid, columns in rows:
        sid = unicodedata.normalize("NFC", sid)  # macOS writes José decomposed: J o s e + a combining accent
        if not sid:
            raise ClassError(f"{path}: line {line}: empty id")
        if not ID.fullmatch(sid):
            raise ClassError(
                f"{path}: line {line}: id {sid!r} cannot name a file: up to 64 letters, digits, spaces "
                "and . _ @ + - (not starting with a dot or a space)"
            )
        if sid.casefold() in seen:  # Ann.xlsx and ann.xlsx are one file on Windows and macOS
            raise ClassError(f"{path}: line {line}: id {sid!r} is already on line {seen[sid.casefold()]} "
                             "(ids must differ, ignoring case: each names a file)")  # fmt: skip
        seen[sid.casefold()] = line
        students.append(Student(sid, columns))
    if not students:
        raise ClassError(f"{path}: no students (a CSV with an 'id' column, or a text file of one id per line)")
    return students


def _read(path: Path, limit: int, doing: str, what: str) -> str:
    """A file's UTF-8 text: a regular file only (a device never ends, a FIFO waits for a writer
    forever), and no bigger than `limit` (anything bigger is not `what`)."""
    st = files.regular(path, ClassError, doing)
    if st is None:
        raise FileNotFoundError(2, "no such file", str(path))
    if st.st_size > limit:
        raise ClassError(f"{path}: {doing}{st.st_size:,} bytes is not {what} (at most {limit:,})")
    with path.open("rb") as f:
        return f.read(limit + 1).decode("utf-8")


def _lines(text: str):
    return [(n, line.strip(), {}) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _csv(path: Path, text: str):
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader, [])]
        at = [n for n, h in enumerate(header) if h.lower() == "id"]
        if len(at) != 1:
            problem = "two 'id' columns" if at else f"no 'id' column (its columns: {', '.join(header) or 'none'})"
            raise ClassError(f"{path}: {problem}; a roster is a CSV with one 'id' column, or a text file of one id "
                             "per line")  # fmt: skip
        rows = []
        for row in reader:
            if any(cell.strip() for cell in row):
                sid = row[at[0]].strip() if len(row) > at[0] else ""
                columns = {h: v for n, (h, v) in enumerate(zip(header, row)) if n != at[0]}
                rows.append((reader.line_num, sid, columns))
    except csv.Error as e:
        raise ClassError(f"{path}: line {reader.line_num}: not a CSV ({e})") from None
    return rows


# -- drawing the numbers ---------------------------------------------------------------------------------
def labels(spec: Spec) -> list[str]:
    """What is drawn for a student, in this order: i1.., t1.., w1.., b1.. (when the template has biases).
    A dataset of several samples (XOR) is the lesson: kept, only the weights and biases drawn; and
    cross-entropy's targets, a distribution (summing to 1), are kept too."""
    out = [] if spec.n_samples > 1 else [names.input_(n) for n in range(1, len(spec.inputs) + 1)]
    if spec.n_samples == 1 and spec.loss != "cross_entropy":
        out += [names.target(n) for n in range(1, len(spec.targets) + 1)]
    out += [names.weight(k) for k in range(1, len(spec.weights) + 1)]
    return out + [names.bias(k) for k in range(1, len(spec.biases) + 1)]


def own(spec: Spec) -> dict[str, float]:
    """The template's own numbers, by label (the sheet every student would otherwise copy)."""
    values = {names.input_(n): x for n, x in enumerate(spec.inputs, 1)}
    values |= {names.target(n): x for n, x in enumerate(spec.targets, 1)}
    values |= {names.weight(k): x for k, x in enumerate(spec.weights, 1)}
    values |= {names.bias(k): x for k, x in enumerate(spec.biases, 1)}
    return {q: values[q] for q in labels(spec)}


def with_params(spec: Spec, params: dict[str, float], student: str | None = None) -> Spec:
    """The template with a student's numbers (and their id in its description, so in every tab's title);
    what labels() does not draw stays the template's."""

    def pick(kind, old):
        return tuple(params.get(kind(n), x) for n, x in enumerate(old, 1))

    return replace(
        spec,
        inputs=pick(names.input_, spec.inputs),
        targets=pick(names.target, spec.targets),
        weights=pick(names.weight, spec.weights),
        biases=pick(names.bias, spec.biases),
        seed=None,  # the numbers are given, not drawn by the template's seed: the title says no seed
        description=_description(spec, student) if student else spec.description,
    )


def _description(spec: Spec, student: str) -> str:
    """Every tab's title: the template's own description names its numbers (t1 = t2 = 0.5), not these."""
    shape = "-".join(map(str, spec.layers))
    acts = "/".join(dict.fromkeys(spec.activations))
    drawn = labels(spec)
    which = [w for w, q in (("inputs", "i1"), ("targets", "t1")) if q in drawn] + ["initial weights"]
    mine = ", ".join(which[:-1]) + (" and " if len(which) > 1 else "") + which[-1]
    return f"student {student}: a {shape} {acts} network with your own {mine}"


def trouble(spec: Spec) -> str | None:
    """Why these numbers would not make a sensible exercise, or None. On every learning rate of the
    template, over its iterations: E_total starts at MIN_START or more, never rises (by more than
    WOBBLE of its start), never turns into #NUM!, ends below where it started; and a larger η never
    ends higher than a smaller one (what the assignment's charts are there to show)."""
    finals = []
    for eta in sorted(spec.learning_rates):
        first = last = None
        for row in reference.iterate(spec, eta):
            e = row[names.E_TOTAL]
            if e != e:
                return "diverges (#NUM!)"
            if first is None:
                if e < MIN_START:
                    return f"E_total starts below {MIN_START:g}"
                first, slack = e, WOBBLE * e
            elif e > last + slack:
                return "E_total rises"
            last = e
        if spec.iterations > 1 and last >= first:
            return "E_total does not fall"
        if finals and last > finals[-1] + slack:
            return "a larger η ends higher"
        finals.append(last)
    return None


def draw(template: Spec, students: list[Student], seed: int, progress=None) -> Counter:
    """Give each student their numbers, drawn from the seed and their id alone (so adding a student
    leaves everyone else's as they were); returns the draws rejected, by reason. `progress(1)`, if
    given, is told of each student drawn."""
    wanted = labels(template)
    if len(wanted) > len(GRID):
        raise ClassError(f"{template.source}: {len(wanted)} numbers to draw per student, more than the "
                         f"{len(GRID)} different values of [0.05, 0.95] at two decimals")  # fmt: skip
    rejected, taken = Counter(), set()
    for student in students:
        digest = hashlib.sha256(f"{seed}:{student.id}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        reasons = Counter()
        for _ in range(TRIES):
            # all different: a formula that reads the wrong cell cannot give the right number by chance
            values = tuple(rng.sample(GRID, len(wanted)))
            why = "the same numbers as another student" if values in taken else None
            params = dict(zip(wanted, values))
            why = why or trouble(with_params(template, params))
            if why is None:
                break
            reasons[why] += 1
        else:
            reason = reasons.most_common(1)[0][0]
            raise ClassError(f"{template.source}: no numbers in [0.05, 0.95] train sensibly on every learning rate "
                             f"(student {student.id}: {TRIES} draws, most often: {reason}); change the learning "
                             "rates or the iterations")  # fmt: skip
        rejected += reasons
        taken.add(values)
        student.params = params
        if progress:
            progress(1)
    return rejected


# -- writing the class ------------------------------------------------------------------------------------
@dataclass
class Plan:
    """Everything `sheetgen class` writes, decided before a single file is touched."""

    out: Path
    template: Spec
    students: list[Student]
    seed: int
    rejected: Counter
    record: dict  # class.json

    @property
    def rows(self) -> int:
        """Rows of the keys, for a progress bar."""
        return len(self.students) * self.template.iterations * len(self.template.learning_rates)


def plan(roster, template: Spec, out, seed: int | None = None, progress=None) -> Plan:
    """Read the roster (a path, or its students as read_roster reads them), check the folder, draw
    every student's numbers (`progress(1)` told of each). Nothing is written; anything wrong is a
    ClassError (or a SpecError from the template) naming the file."""
    students = roster if isinstance(roster, list) else read_roster(roster)
    out = Path(out)
    about = _about(template)
    before = _previous(out)
    files.may_write_in(out / CLASS_FILE, ClassError)  # not under a file, nor among devices
    if before is not None:  # a class written before: the numbers already handed out must not change
        if seed is not None and seed != before["seed"]:
            raise ClassError(f"{out}: its class was drawn with --seed {before['seed']}; another seed would change "
                             "every student's numbers (give a new folder)")  # fmt: skip
        if _comparable(before["template"]) != _comparable(about):
            raise ClassError(f"{out}: its class was drawn from another template ({before['template']['source']}); "
                             "give a new folder")  # fmt: skip
        seed = before["seed"]
    elif seed is None:
        seed = secrets.randbelow(10**9)  # recorded in class.json; no class shares a default seed with another
    if not 0 <= seed <= SEED_MAX:
        raise ClassError(f"--seed: expected a whole number from 0 to {SEED_MAX:,}, got {seed}")
    for student in students:  # every file checked before any is written: a refusal leaves the folder as it was
        _may_replace(_exercise(out, student), _is_exercise)
        _may_replace(_key(out, student), workbook.is_ours)
    rejected = draw(template, students, seed, progress)
    record = {
        "kind": KIND,
        "version": __version__,
        "seed": seed,
        "template": about,
        "ranges": {"values": [GRID[0], GRID[-1]], "decimals": 2, "all different": True, "E_total at first": MIN_START},
        "draws": {"kept": len(students), "rejected": dict(sorted(rejected.items()))},
        "students": [{"id": s.id, "columns": s.columns, "params": s.params} for s in students],
    }
    return Plan(out, template, students, seed, rejected, record)


def write(plan: Plan, progress=None) -> None:
    """class.json first (it is what grading reads, and what a second run continues from), then each
    student's exercise and key, each file replaced whole or not at all."""
    out = plan.out
    try:
        for folder in (out, out / "exercises", out / "keys"):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClassError(f"{out}: cannot write: {e.strerror}") from None
    text = _json(plan.record)
    _atomic(out / CLASS_FILE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    for student in plan.students:
        spec = with_params(plan.template, student.params, student.id)
        _atomic(_exercise(out, student), lambda tmp, spec=spec: _sealed(write_exercise, spec, tmp))
        workbook.build(spec, _key(out, student), progress)


def write_exercise(spec: Spec, filename) -> None:
    """The learning-rate tabs as the key has them, with only what a student is given: the title, the
    parameter block, the headers, and the first row's iteration number and weights. No formula, no
    cached result, no chart, no Summary or Derivation, no header notes (they spell the formulas)."""
    layout = Layout(spec)
    wb = xlsxwriter.Workbook(filename)
    wb.set_properties({"title": "Backpropagation by hand: exercise", "comments": spec.description,
                       "created": workbook.CREATED, "author": "sheetgen"})  # fmt: skip
    wb.set_custom_property(EXERCISE, __version__)
    fmt = workbook._formats(wb)  # the key's own formats: the exercise looks like the key
    taken = {summary.NAME.lower(), derivation.NAME.lower()}  # so its tabs are named as the key's
    for eta in spec.learning_rates:
        ws = wb.add_worksheet(workbook.valid_sheet_name(workbook.sheet_name(eta), taken))
        ws.write_string(0, 0, f"η = {eta!r} — {spec.description}", fmt["title"])
        values = workbook.param_values(spec, eta)
        for p in layout.params:
            ws.write_string(p.row, p.col, p.label, fmt["label"])
            ws.write_number(p.row, p.col + 1, values[p.label], fmt["input"])
            ws.write_string(p.row, p.col + 2, p.note, fmt["note"])
        first = layout.row(1)
        ws.write_number(first, 0, 1, fmt["iteration"])
        for c, header in enumerate(layout.columns):
            cell_fmt = workbook._column_format(header, fmt) if c else fmt["iteration"]
            ws.set_column(c, c, max(12, len(header) + 2), cell_fmt)
            ws.write_string(layout.header_row, c, header, fmt["header"])
            if names.is_param(header):  # the initial weights (and trainable biases): where the table starts
                ws.write_number(first, c, values[header], cell_fmt)
        ws.freeze_panes(layout.first_row, 1)
    wb.close()


def _json(record: dict) -> str:
    """class.json: a line per key, and a line per student (a class of 100 stays readable)."""
    dump = functools.partial(json.dumps, ensure_ascii=False)
    parts = [f" {dump(k)}: {dump(v)}" for k, v in record.items() if k != "students"]
    parts.append(' "students": [\n' + ",\n".join(f"  {dump(s)}" for s in record["students"]) + "\n ]")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _atomic(path: Path, write_to) -> None:
    """files.atomic, a failure a ClassError."""
    files.atomic(path, write_to, ClassError, failures=(xlsxwriter.exceptions.XlsxWriterException,))


def _sealed(write_to, spec: Spec, tmp) -> None:
    """An exercise, sealed as a key is: an edit (Excel, LibreOffice) breaks the seal, and a class run
    again into the folder leaves the edited file alone."""
    write_to(spec, tmp)
    workbook._seal(tmp)


def _may_replace(path: Path, ours) -> None:
    """Refuse, before anything is written, to replace what is not exactly as sheetgen class wrote it:
    a folder or a device, a file of someone else's, one edited (its seal broken), read-only, or open in
    LibreOffice."""
    if path.is_dir():
        raise ClassError(f"{path}: is a folder; not overwriting it")
    if files.regular(path, ClassError) is None:
        return
    if not ours(path):
        raise ClassError(f"{path}: exists and is not what sheetgen class wrote; not overwriting it")
    if not workbook.unchanged(path):
        raise ClassError(f"{path}: changed since sheetgen class wrote it (edited, or saved by another program); "
                         "not overwriting it (move it away, or give a new folder)")  # fmt: skip
    if not os.access(path, os.W_OK) or not os.stat(path).st_mode & 0o222:
        raise ClassError(f"{path}: is read-only; not overwriting it")
    if os.path.lexists(lock := path.with_name(f".~lock.{path.name}#")):
        raise ClassError(f"{path}: is open in LibreOffice ({lock.name}); close it first")


def _exercise(out: Path, student: Student) -> Path:
    return out / "exercises" / f"{student.id}.xlsx"


def _key(out: Path, student: Student) -> Path:
    return out / "keys" / f"{student.id}.xlsx"


def _is_exercise(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return f'name="{EXERCISE}"'.encode() in z.read("docProps/custom.xml")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False


def _about(spec: Spec) -> dict:
    return {
        "source": spec.source,
        "description": spec.description,
        "iterations": spec.iterations,
        "learning_rates": list(spec.learning_rates),
        "layers": list(spec.layers),
        "activations": list(spec.activations),
        "bias": spec.bias,
        "leaky_slope": spec.leaky_slope,
        "own": own(spec),
    }


def _comparable(about: dict) -> dict:
    return {k: v for k, v in about.items() if k != "source"}  # `era` and templates/era.toml are one template


def _previous(out: Path) -> dict | None:
    """The class.json of a folder written by `sheetgen class`; None for a new or empty folder."""
    if out.exists() and not out.is_dir():
        raise ClassError(f"{out}: is a file; give a folder for the class")
    if not out.exists() or not any(out.iterdir()):
        return None
    try:
        return load(out).record
    except ClassError:
        raise ClassError(f"{out}: exists and is not a class folder written by sheetgen class; "
                         "give a new or empty folder") from None  # fmt: skip


# -- grading ------------------------------------------------------------------------------------------------
@dataclass
class Class:
    path: Path
    record: dict

    @functools.cached_property  # once, not once a file: a class is graded a file at a time
    def students(self) -> list[Student]:
        return [Student(s["id"], s.get("columns", {}), s["params"]) for s in self.record["students"]]

    @functools.cached_property
    def ids(self) -> set[str]:
        return {s.id for s in self.students}

    @property
    def learning_rates(self) -> list[float]:
        return self.record["template"]["learning_rates"]

    def template(self) -> Spec:
        """The template the class was drawn from, read again from where class.json says it was (a write-up
        is judged on a student's whole network, its loss too, which class.json does not hold)."""
        about = self.record["template"]
        source = str(about.get("source", ""))
        shipped = re.fullmatch(r"templates/([\w.-]+)\.toml", source)  # how spec.load names a shipped one
        try:
            template = load_template(shipped[1] if shipped else source)
        except SheetgenError as e:
            raise ClassError(f"{self.path}: its template cannot be read ({e}); write-ups are judged on it") from None
        if _comparable(_about(template)) != _comparable(about):
            raise ClassError(f"{self.path}: its template {source} has changed since the class was drawn; "
                             "write-ups are judged on it")  # fmt: skip
        return writeup.judgeable(template, f"{self.path}: its template {source}")

    def writeups(self):
        """writeup.check's `network_of`: the network of the student whose numbers a write-up states."""
        template, students = self.template(), self.students
        own_numbers = self.record["template"]["own"]

        def network_of(stated):
            sid, _, _ = _writeup_student(students, stated, own_numbers)
            if sid is None:
                return None  # judged as without a class: the network its numbers fit, if any
            params = next(s.params for s in students if s.id == sid)
            return f"student {sid}", with_params(template, params), f"the given values it states are {sid}'s"

        return network_of


def load(folder) -> Class:
    """A folder written by `sheetgen class`."""
    path = Path(folder) / CLASS_FILE
    try:
        record = json.loads(_read(path, MAX_CLASS_BYTES, "cannot read: ", f"a {CLASS_FILE}"))
    except FileNotFoundError:
        raise ClassError(f"{folder}: no {CLASS_FILE} (give a folder written by sheetgen class)") from None
    except RecursionError:  # [[[[… as deep as the file is long
        raise ClassError(f"{path}: cannot read: not a class written by sheetgen class (nested too deep)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "not valid JSON"
        raise ClassError(f"{path}: cannot read: {reason}") from None
    ok = isinstance(record, dict) and record.get("kind") == KIND and isinstance(record.get("seed"), int)
    try:
        ok = ok and isinstance(record["template"]["learning_rates"], list)
        ok = ok and all(isinstance(s["id"], str) and all(isinstance(v, int | float) for v in s["params"].values())
                        for s in record["students"])  # fmt: skip
    except (KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise ClassError(f"{path}: not a class written by sheetgen class")
    if not record["students"]:  # sheetgen class never writes one: a roster of no one is refused
        raise ClassError(f"{path}: a class of no students, not one written by sheetgen class")
    return Class(Path(folder), record)


def found(table) -> dict[str, float]:
    """The numbers a table starts from: its first row's weights (and trainable biases), and the inputs,
    targets and fixed biases wherever it keeps them (a labelled cell, a defined name, or a column of
    the table: its first row). A number stored as text counts, as the formulas compute with it."""
    sheet, first = table.sheet, table.rows[0]
    out = {}
    for q, p in table.params.items():
        if re.fullmatch(r"[itb]\d+", q):
            v = sheet.value(first, p.column) if p.column is not None else p.value
            if (x := excel.number(v)) is not None:
                out[q] = x
    for q, c in table.columns.items():
        if names.is_param(q) and (x := excel.number(sheet.value(first, c))) is not None:
            out[q] = x
    return out


def _differ(values: dict[str, float], params: dict[str, float]) -> list[str]:
    """The numbers of `params` that `values` holds otherwise (those it does not hold are not counted)."""
    return [q for q, x in params.items() if q in values and not math.isclose(values[q], x, abs_tol=TOLERANCE)]


def _show(q: str, values: dict, params: dict) -> str:
    return f"{q} = {values[q]:g} here, {params[q]:g} in the key"


@dataclass
class Grade:
    """One row of the class's CSV: a file, or a student with no file."""

    file: str | None
    student: str | None
    verdict: str  # right | wrong | duplicate | unknown variant | no table | unreadable | no submission
    first_mistake: str = ""
    note: str = ""
    unnamed: str = ""  # why a write-up names no student
    code: str = ""  # the first mistake's (finding.CODES)
    handout: bool = False  # the student's exercise as sheetgen wrote it, nothing filled in: no copy of anyone's

    def row(self, with_student: bool = True) -> dict:
        row = {"file": self.file or "", "student": self.student or "", "verdict": self.verdict,
               "first_mistake": self.first_mistake, "code": self.code, "note": self.note}  # fmt: skip
        return row if with_student else {k: v for k, v in row.items() if k != "student"}

    def json(self) -> dict:
        """What `check --class --json` adds to the file's object."""
        return {"student": self.student, "class_verdict": self.verdict, "note": self.note}

    def lines(self) -> list[str]:
        """What `check --class` prints under the file's own report."""
        if self.verdict == "duplicate":
            return [f"  student {self.student}: DUPLICATE: {self.note}"]
        if self.verdict == "unknown variant":
            return [f"  UNKNOWN VARIANT: {self.note}"]
        if self.unnamed:
            return [f"  no student named: {self.unnamed}"]
        return [f"  student {self.student}"] if self.student else []


def grade(results, klass: Class | None = None, earlier: list[Grade] = ()) -> list[Grade]:
    """One Grade per checked file, in order; with a class, each file's student found by the numbers in
    it, files sharing one student's numbers marked duplicate, then one Grade per student with no file.
    `earlier`: the grades of files checked by an earlier run (checked_before), which count as the
    students' submissions too (a copy among them is a duplicate; their students have one)."""
    return settle([grade_one(r, klass) for r in results], klass, earlier)


def grade_one(result, klass: Class | None = None) -> Grade:
    """A file's Grade from its result alone (with a class, its student found by the numbers in it): all
    that `check --class` keeps of a file once it is judged, a few hundred bytes (settle then says which
    are duplicates)."""
    r = result
    g = Grade(str(r.path), None, r.verdict, r.first_mistake(), _note(r, klass.learning_rates if klass else None),
              code=_code(r))  # fmt: skip
    if klass is None:
        return g
    students = klass.students
    own_numbers = klass.record["template"]["own"]
    if getattr(r, "handout", None) and (m := re.match(r"student (.+?): ", r.handout)) and m[1] in klass.ids:
        g.student, g.note, g.handout = m[1], _handed_out(m[1]), True
        return g  # theirs by what sheetgen wrote in it; not a second submission of their numbers
    if isinstance(r, writeup.Result):  # named by the given values it states
        if r.verdict == "unreadable":
            return g
        g.student, why, variant = _writeup_student(students, r.stated, own_numbers)
        if variant:
            g.verdict, g.note = "unknown variant", _join(why, f"the write-up itself: {r.verdict}", g.note)
        elif g.student is None:
            g.unnamed, g.note = why, _join(g.note, f"no student named: {why}")
        return g
    if not r.tables:
        return g
    g.student, why = _student(students, r, own_numbers)
    if g.student is None:
        g.verdict, g.note = "unknown variant", _join(why, f"the sheet itself: {r.verdict}", g.note)
    return g


def _handed_out(student: str) -> str:
    """How a Grade's note says that the file is a student's exercise as sheetgen wrote it: the whole note,
    as an earlier run's CSV holds it (a tab of a workbook may be named anything, so no part of a note is
    taken for it)."""
    return f"{student}'s exercise as it was handed out: nothing filled in"


def settle(grades: list[Grade], klass: Class | None = None, earlier: list[Grade] = ()) -> list[Grade]:
    """The class's grades once every file's is known (grade_one): files sharing one student's numbers
    marked duplicate (a student hands in a workbook and a write-up: two of either kind are), then one
    Grade per student with no file. `earlier`: an earlier run's grades (checked_before), which count as
    the students' submissions too."""
    if klass is None:
        return grades
    same_kind: dict[tuple, list[Grade]] = {}
    for g in [*earlier, *grades]:
        if g.student is not None and not g.handout:  # a blank exercise is no copy
            same_kind.setdefault((g.student, writeup.is_writeup(Path(g.file))), []).append(g)
    for g in [*grades, *earlier]:  # an earlier run's file too: a copy of one checked since
        same = same_kind.get((g.student, writeup.is_writeup(Path(g.file))), [])
        if len(same) > 1 and g in same and g.verdict != "duplicate":
            others = ", ".join(o.file for o in same if o is not g)
            itself = "the write-up itself" if writeup.is_writeup(Path(g.file)) else "the sheet itself"
            g.verdict, g.note = (
                "duplicate",
                _join(f"{g.student}'s numbers, as in {others}", f"{itself}: {g.verdict}", g.note),
            )
    named = {g.student for g in [*grades, *earlier]}
    return grades + [Grade(None, s.id, "no submission") for s in klass.students if s.id not in named]


def missing(grades: list[Grade], klass: Class, as_json: bool) -> list[str]:
    """The last lines of `check --class`: the students with no submission."""
    if as_json:
        return [json.dumps({"file": None, "student": g.student, "verdict": g.verdict, "class_verdict": g.verdict},
                           ensure_ascii=False) for g in grades]  # fmt: skip
    n, ids = len(klass.students), [g.student for g in grades]
    return [f"no submission from {len(ids)} of {n} students: {', '.join(ids)}" if ids
            else f"a submission from each of the {n} students"]  # fmt: skip


def _student(students: list[Student], result, own_numbers: dict) -> tuple[str | None, str]:
    """The one student whose numbers every table of the file starts from, or None and why not."""
    weights = [q for q in students[0].params if q.startswith("w")]
    matched, why = {}, {}  # sheet -> the students its table starts from; sheet -> why none
    for t in result.tables:
        values, sheet = found(t.table), t.table.sheet.name
        if not all(q in values for q in weights):
            matched[sheet], why[sheet] = [], "the first row's weights are not all numbers"
            continue
        matched[sheet] = [s.id for s in students if not _differ(values, s.params)]
        if not matched[sheet]:
            why[sheet] = _nearest(students, values, own_numbers)
    ids = {sid for hits in matched.values() for sid in hits}
    if len(ids) == 1 and not why:
        return ids.pop(), ""
    if not why:
        which = "; ".join(f"{sheet} {', '.join(hits)}" for sheet, hits in matched.items())
        return None, f"its tables start from different students' numbers: {which}"
    reasons = list(dict.fromkeys(why.values()))
    if len(why) == len(matched) and len(reasons) == 1:
        return None, reasons[0] + (" (every table)" if len(why) > 1 else "")
    sheet, reason = next(iter(why.items()))
    return None, f"{sheet}: {reason}" + (f" (and {len(why) - 1} more tables)" if len(why) > 1 else "")


def _writeup_student(students: list[Student], stated: dict, own_numbers: dict) -> tuple[str | None, str, bool]:
    """The student whose numbers a write-up states, as a sheet's first row names one: every initial
    weight stated, and no stated number other than theirs. Else None, why, and whether it is an
    unknown variant (every weight stated, but no student's)."""
    weights = [q for q in students[0].params if q.startswith("w")]
    if not stated:
        return None, "it states no given values (i1 = …, t1 = …, w1 = …)", False
    if missing := [q for q in weights if q not in stated]:
        said = ", ".join(q for q in sorted(stated, key=_order))
        return None, f"it states {said}, not every initial weight (no {', '.join(missing)})", False
    hits = [s.id for s in students if not _differ(stated, s.params)]
    if len(hits) == 1:
        return hits[0], "", False
    return None, _nearest(students, stated, own_numbers), True


def _order(q: str):
    return "itwb".index(q[0]), int(q[1:])


def _nearest(students: list[Student], values: dict, own_numbers: dict) -> str:
    if not _differ(values, own_numbers) and all(q in values for q in own_numbers if q.startswith("w")):
        return "the template's own numbers, not a student's"
    best = min(students, key=lambda s: len(_differ(values, s.params)))
    differ = _differ(values, best.params)
    if len(differ) <= 2:
        return f"no student's numbers; nearest {best.id}: {'; '.join(_show(q, values, best.params) for q in differ)}"
    return f"no student's numbers (the nearest, {best.id}, differs in {len(differ)} of {len(best.params)})"


def _code(result) -> str:
    """The code of the mistake first_mistake names: "" when there is none, or when it names no finding
    (a table that could not be judged). A workbook's and a write-up's alike, both Findings."""
    said = result.first_mistake()
    first = result.mistakes[0] if result.mistakes else None
    return first.code if first is not None and said.endswith(first.message) else ""


def _note(result, rates) -> str:
    if isinstance(result, writeup.Result):
        return result.note()
    if not result.tables:
        return result.reason
    wrong = [t for t in result.tables if t.report.mistakes or t.report.problems]
    parts = []
    if wrong:
        n = sum(len(t.report.mistakes) + len(t.report.problems) for t in wrong)
        parts.append(f"{n} wrong quantit{'y' if n == 1 else 'ies'} in {len(wrong)} of {len(result.tables)} tables")
    found_etas = {round(t.table.eta.value, 9) for t in result.tables if t.table.eta and t.table.eta.value is not None}
    wanted = rates if rates is not None else sorted(found_etas | set(result.missing_learning_rates))
    if missing := [eta for eta in wanted if round(eta, 9) not in found_etas]:
        parts.append(f"no table for η {', '.join(f'{e:g}' for e in missing)}")
    if pasted := [t.table.sheet.name for t in result.tables if not t.report.live]:
        parts.append(f"pasted values, not formulas: {', '.join(pasted)}")
    if uncharted := [t.table.sheet.name for t in result.tables if not t.chart]:
        parts.append(f"no chart of E_total: {', '.join(uncharted)}")
    return "; ".join(parts)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


# -- the CSV ------------------------------------------------------------------------------------------------
def may_write_csv(path) -> None:
    """Refuse, before anything is checked, a CSV target that is a folder or someone else's file."""
    path = Path(path)
    files.may_write_in(path, ClassError)
    if path.is_dir():
        raise ClassError(f"{path}: is a folder; give a file name for the CSV")
    if path.exists():
        try:
            with path.open(encoding="utf-8", newline="") as f:
                first = next(csv.reader(io.StringIO(f.read(1 << 16))), [])  # a header, not a whole file
        except (OSError, UnicodeDecodeError, csv.Error):
            first = []
        if not any(first in (list(cols), [c for c in cols if c != "student"]) for cols in (COLUMNS, EARLIER)):
            raise ClassError(f"{path}: exists and is not a CSV sheetgen check wrote; not overwriting it")


VERDICTS = ("right", "wrong", "duplicate", "unknown variant", "no table", "unreadable", "no equations",
            "not checked")  # fmt: skip


def checked_before(path, with_student: bool) -> list[Grade]:
    """The files a CSV of `check --class` (or `check --csv`) already holds a row for — written as each
    file was done, by a run that may have been stopped half way — and checked since they last changed
    (each file older than the CSV): a rerun with the same CSV skips them. A row cut short by the stop
    is left out (its file is checked again), and so is any student with no submission (said again at
    the end). None for a CSV of other columns."""
    path = Path(path)
    columns = [c for c in COLUMNS if with_student or c != "student"]
    try:
        text = path.read_text(encoding="utf-8")
        stamp = path.stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return []
    if not rows or rows[0] != columns:
        return []
    whole = text.endswith("\n")  # the last row is whole only if its line ended
    out = []
    for n, row in enumerate(rows[1:], 1):
        if len(row) != len(columns) or (n == len(rows) - 1 and not whole):
            continue
        r = dict(zip(columns, row))
        if not r["file"] or r["verdict"] not in VERDICTS:
            continue
        try:
            if os.stat(r["file"]).st_mtime > stamp:  # changed since: checked again
                continue
        except OSError:
            pass  # gone since: its row stays
        student = r.get("student") or None
        handout = student is not None and r["note"] == _handed_out(student)
        out.append(Grade(r["file"], student, r["verdict"], r["first_mistake"], r["note"], code=r["code"],
                         handout=handout))  # fmt: skip
    return out


class CsvRows:
    """The class's CSV written a row at a time, as each file is done: a run stopped half way leaves a
    valid CSV of the files done (the rows of `earlier` first), which a rerun reads back (checked_before)."""

    def __init__(self, path, with_student: bool, earlier: list[Grade]):
        self.path, self.with_student = Path(path), with_student
        self.columns = [c for c in COLUMNS if with_student or c != "student"]
        write_csv(self.path, earlier, with_student)  # whole, atomically: a row cut short is gone
        self.file = self.path.open("a", encoding="utf-8", newline="")
        self.out = csv.DictWriter(self.file, self.columns)
        self.lock = threading.Lock()  # files recalculated by an engine are done in a thread of their own

    def add(self, g: Grade) -> None:
        try:
            with self.lock:
                self.out.writerow(g.row(self.with_student))
                self.file.flush()
        except OSError as e:
            raise ClassError(f"{self.path}: cannot write: {e.strerror or e}") from None

    def close(self) -> None:
        self.file.close()


def write_csv(path, grades: list[Grade], with_student: bool) -> None:
    path = Path(path)
    may_write_csv(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClassError(f"{path}: cannot write in {path.parent}: {e.strerror}") from None
    columns = [c for c in COLUMNS if with_student or c != "student"]

    def write_to(tmp):
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            out = csv.DictWriter(f, columns)
            out.writeheader()
            out.writerows(g.row(with_student) for g in grades)

    _atomic(path, write_to)
