"""The command line: parse, call the library, turn its exceptions into one line each.

Exit status: 0 done / verified; 1 `verify` found cells that disagree; 2 bad input or setup
(unknown template, invalid value, unreadable or foreign file, LibreOffice missing or too slow).
"""

import argparse
import contextlib
import math
import os
import re
import signal
import sys
from pathlib import Path

from sheetgen import __version__, files
from sheetgen.build import workbook
from sheetgen.errors import SheetgenError, SpecError, WorkbookError
from sheetgen.model import spec
from sheetgen.xlsx import recalc

EXAMPLES = {
    "build": "examples: sheetgen build era --iterations 200 --lr 0.5 1.0 -o output/mine.xlsx\n"
    "          sheetgen build mazur\n"
    "          sheetgen build --references cells -o output/any_reader.xlsx\n"
    "          sheetgen build --layers 3,4,2 --activation tanh,sigmoid --bias trainable --seed 7 --inputs 1,0,1\n"
    "          sheetgen build era --optimizer adam\n"
    "          sheetgen build xor --batch online\n"
    "          sheetgen build era --loss cross_entropy --targets 0,1",
    "templates": "examples: sheetgen templates\n"
    "          sheetgen templates --show era > mine.toml   (then edit mine.toml, and: sheetgen build mine.toml)",
    "verify": "examples: sheetgen verify output/ERA_backprop.xlsx\n"
    "          sheetgen verify --engine all output/*.xlsx",
    "report": "example: sheetgen report era -o output/report",
    "check": "examples: sheetgen check my_backprop.xlsx README.md\n"
    "          sheetgen check submissions/*.xlsx --json > verdicts.jsonl\n"
    "          sheetgen check --class output/class submissions/*.xlsx --csv grades.csv\n"
    "          sheetgen check --template mine.toml README.md   (its numbers: mine.toml's first iteration)",
    "class": "example: sheetgen class roster.csv era -o output/class --seed 2024",
}


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `--inputs -1,0.5` and `--lr -1e-3` are values, not unknown options (argparse takes only
        # -1 and -.5 for numbers); every option of ours starts with a letter
        self._negative_number_matcher = re.compile(r"-\.?\d")

    def error(self, message):
        # one line, not argparse's usage block: the user asked for help with --help
        self.exit(2, f"sheetgen: error: {message} (see '{self.prog} --help')\n")


def _list(kind):
    """`3,4,2` or `3 4 2`: each token may hold several comma-separated values."""

    def parse(token: str) -> list:
        return [kind(part) for part in token.split(",") if part.strip()]

    parse.__name__ = kind.__name__  # argparse names the type in its message: "invalid int value"
    return parse


class _Extend(argparse.Action):
    """A list flag: repeated, its values add up (`--lr 0.1 --lr 0.2,0.5` is three rates)."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, (getattr(namespace, self.dest) or []) + [x for part in values for x in part])


class _Rows(argparse.Action):
    """A flag of rows, one token each (`--targets 0 1 1 0`, a sample a token): repeated, they add up."""

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, (getattr(namespace, self.dest) or []) + list(values))


class _Once(argparse.Action):
    """A flag that takes one value: given twice is an error, not the last one silently winning."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            parser.error(f"argument {option_string}: given more than once")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="sheetgen",
        description="Build the 'backpropagation by hand' Excel workbook with live formulas, and verify it.",
        epilog="example: sheetgen build && sheetgen verify output/ERA_backprop.xlsx",
    )
    p.add_argument("--version", action="version", version=f"sheetgen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    _build_parser(sub)
    _templates_parser(sub)
    _report_parser(sub)
    _check_parser(sub)
    _class_parser(sub)
    _verify_parser(sub)
    return p


def _build_parser(sub) -> None:
    b = sub.add_parser("build", help="write the workbook", description="Write one tab per learning rate, "
                       "live formulas and a chart each.", epilog=EXAMPLES["build"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    b.add_argument("template", nargs="?", default="era", help="a template name (see 'sheetgen templates') "
                   "or a path to a .toml file (default: era)")  # fmt: skip
    b.add_argument("-o", "--output", action=_Once, metavar="PATH", help="the .xlsx to write, or a folder to write "
                   "it in (ends in /, or exists); .xlsx is added to a name without an extension "
                   "(default: output/<the template's output>)")  # fmt: skip
    b.add_argument("--iterations", type=int, action=_Once, metavar="N", help="rows per tab (overrides the template)")
    b.add_argument("--lr", type=_list(float), nargs="+", action=_Extend, metavar="X",
                   help="learning rates, one tab each, e.g. 0.5,1.0 (overrides)")  # fmt: skip
    b.add_argument("--references", choices=spec.REFERENCES, action=_Once,
                   help="how formulas read the parameters: names (t_1, eta; the default) or cells ($B$4), "
                   "which any reader computes (overrides)")  # fmt: skip
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.add_argument("--force", action="store_true", help="replace the output even if it is not a sheetgen workbook, "
                   "or was changed since sheetgen wrote it")  # fmt: skip
    _overrides(b)


def _overrides(b) -> None:
    """build's flags that stand for a template's [network] and [training] keys."""
    net = b.add_argument_group("network overrides (a changed shape draws new weights from --seed, default 0)")
    net.add_argument("--layers", type=_list(int), nargs="+", action=_Extend, metavar="N",
                     help="neurons per layer, e.g. 3,4,2")  # fmt: skip
    net.add_argument("--activation", type=_list(str), nargs="+", action=_Extend, metavar="NAME",
                     help=f"one for all layers, or one per layer: {', '.join(spec.ACTIVATIONS)}")  # fmt: skip
    net.add_argument("--bias", choices=spec.BIAS_MODES, action=_Once,
                     help="none, fixed (given, not updated) or trainable")  # fmt: skip
    net.add_argument("--seed", type=int, action=_Once, metavar="N", help="draw the weights (and biases) from this seed")
    net.add_argument("--inputs", type=_list(float), nargs="+", action=_Extend, metavar="X",
                     help="input values, e.g. 0.05,0.1")  # fmt: skip
    net.add_argument("--samples", type=_list(float), nargs="+", action=_Rows, metavar="X,X", help="several "
                     "samples, one token of inputs each, e.g. 0,0 0,1 1,0 1,1 (instead of --inputs)")  # fmt: skip
    net.add_argument("--targets", type=_list(float), nargs="+", action=_Rows, metavar="X", help="target values, "
                     "e.g. 0.01,0.99; with several samples one token each, e.g. 0 1 1 0")  # fmt: skip
    train = b.add_argument_group("training overrides")
    train.add_argument("--loss", choices=spec.LOSSES, action=_Once, help="mse: ½·Σ(t − a)²; cross_entropy: −Σ t·ln p, "
                       "p the softmax of the output layer (targets: probabilities summing to 1)")  # fmt: skip
    train.add_argument("--batch", choices=spec.BATCHES, action=_Once, help="full: every sample in every row, the "
                       "mean loss's gradient; online: one sample a row, in order, cycling")  # fmt: skip
    train.add_argument("--optimizer", choices=spec.OPTIMIZERS, action=_Once, help="PyTorch's update rule, with its "
                       "default hyperparameters (a template's [training] table can set them)")  # fmt: skip


def _templates_parser(sub) -> None:
    t = sub.add_parser("templates", help="list the shipped templates, or print one", description="List the "
                       "shipped templates with a one-line description each, and where they are; --show prints "
                       "one, commented, to start your own from.", epilog=EXAMPLES["templates"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    t.add_argument("--show", metavar="NAME", action=_Once, help="print this template's TOML (redirect it into a file)")


def _report_parser(sub) -> None:
    r = sub.add_parser("report", help="write a Markdown report with PNG charts", description="Write README.md: "
                       "the network, its equations, one E_total chart per learning rate and one of all, a table "
                       "of final losses (needs matplotlib: pip install 'sheetgen[report]').",
                       epilog=EXAMPLES["report"])  # fmt: skip
    r.add_argument("template", nargs="?", default="era", help="a template name or a .toml path (default: era)")
    r.add_argument("-o", "--output", type=Path, action=_Once, default=Path("output/report"), metavar="DIR",
                   help="the folder to write (default: output/report)")  # fmt: skip
    r.add_argument("--iterations", type=int, action=_Once, metavar="N", help="iterations (overrides the template)")
    r.add_argument("--lr", type=_list(float), nargs="+", action=_Extend, metavar="X",
                   help="learning rates, e.g. 0.5,1.0 (overrides)")  # fmt: skip
    r.add_argument("--force", action="store_true", help="replace a README.md that sheetgen did not write")


def _check_parser(sub) -> None:
    c = sub.add_parser("check", help="find the mistakes in any hand-made backprop workbook or write-up",
                       description="Find every iteration table in each workbook, judge each cell against its "
                       "quantity's rule on the cells it reads, and say where the first wrong cell of each quantity "
                       "is and why. In a write-up (.md, .qmd, .txt, .rst, .tex, .html, .ipynb), judge every equation "
                       "it states. "
                       "Exit 0 all right, 1 mistakes found, 2 a file could not be checked.",
                       epilog=EXAMPLES["check"], formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    c.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help=".xlsx, .xlsm, .xls or .ods workbooks; .md, .markdown, .qmd, .Rmd, .txt, .rst, .tex, .html, "
                   ".ipynb write-ups; a folder: every one of them in it")  # fmt: skip
    c.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    c.add_argument("--timeout", type=_seconds, action=_Once, default=300, metavar="S",
                   help="seconds LibreOffice may take, when a file needs recalculating (default: 300)")  # fmt: skip
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    c.add_argument("--engine", choices=recalc.CHOICES, default="libreoffice", action=_Once,
                   help="what recalculates a file that needs it: libreoffice (default), gnumeric, or all "
                   "(each judged on its own)")  # fmt: skip
    c.add_argument("--class", dest="klass", type=Path, action=_Once, metavar="DIR", help="a folder written by "
                   "'sheetgen class': name each file's student by the numbers in it, mark duplicates and unknown "
                   "variants, list students with no submission")  # fmt: skip
    c.add_argument("--csv", type=Path, action=_Once, metavar="OUT", help="also write one row per file: file, "
                   "student (with --class), verdict, first_mistake, code, note; each row as its file is done, "
                   "and a rerun with the same OUT skips the files it holds (unless changed since)")  # fmt: skip
    c.add_argument("-j", "--jobs", type=_jobs, action=_Once, metavar="N", help="check N files at a time, each in "
                   "a process of its own (default: one per core)")  # fmt: skip
    c.add_argument("--mark", type=Path, action=_Once, metavar="OUT", help="write OUT.xlsx, a copy of the one "
                   "workbook checked with each wrong quantity's first wrong cell filled red and commented (why, "
                   "expected and found, the fix) and its other wrong cells shaded; nothing else changed")  # fmt: skip
    c.add_argument("--template", action=_Once, metavar="T", help="judge the numbers a write-up quotes against "
                   "this template's first iteration (a name or a .toml path, as build takes); workbooks are "
                   "judged on their own cells")  # fmt: skip


def _class_parser(sub) -> None:
    k = sub.add_parser("class", help="an exercise and an answer key per student, from a roster",
                       description="Draw each student's own inputs, targets and initial weights (from their id "
                       "and the class seed; a dataset of samples, and cross-entropy's targets, stay the "
                       "template's), and write DIR/exercises/<id>.xlsx (the numbers and the headers, no "
                       "answers), DIR/keys/<id>.xlsx (the full workbook) and DIR/class.json (every student's "
                       "numbers, for 'sheetgen check --class DIR').", epilog=EXAMPLES["class"])  # fmt: skip
    k.add_argument("roster", type=Path, help="a CSV with an 'id' column (other columns kept), or a text file of "
                   "one id per line")  # fmt: skip
    k.add_argument("template", nargs="?", default="era", help="a template name or a .toml path (default: era)")
    k.add_argument("-o", "--output", type=Path, default=Path("output/class"), metavar="DIR",
                   help="the class folder (default: output/class)")  # fmt: skip
    k.add_argument("--seed", type=int, metavar="N", help="the class seed (default: the folder's own, or a new "
                   "random one; printed and kept in class.json)")  # fmt: skip
    k.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def _verify_parser(sub) -> None:
    v = sub.add_parser("verify", help="recalculate in LibreOffice and/or Gnumeric and compare with the reference",
                       description="Strip cached results from a copy, recalculate it in headless LibreOffice "
                       "or Gnumeric (recalculation forced), and compare every formula cell with the Python "
                       "reference (relative tolerance 1e-9).", epilog=EXAMPLES["verify"],
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    v.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="sheetgen workbooks (one LibreOffice run)")
    v.add_argument("--engine", choices=recalc.CHOICES, default="libreoffice", action=_Once,
                   help="libreoffice (default), gnumeric, or all: every one must agree")  # fmt: skip
    v.add_argument("--timeout", type=_seconds, action=_Once, default=300, metavar="S",
                   help="seconds each engine may take (default: 300)")  # fmt: skip
    v.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


class _Silent:
    def update(self, n=1):
        pass

    def set_description(self, text):
        pass

    def reset(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _progress(args, total: int, unit: str, always: bool = False):
    """A progress bar on stderr when it is a terminal and the work is large enough to wait for
    (`always`: any work of that kind is)."""
    if args.quiet or not sys.stderr.isatty() or (total < 20_000 and not always):
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, unit_scale=True, file=sys.stderr, leave=False, **_size())


def _size() -> dict:
    """tqdm's size of the terminal: its own (tqdm asks it) unless the terminal says it is 0 columns wide
    or 0 lines high, as one made without a size says (`script -qc … /dev/null` run from a program, a
    container's `docker exec -t`): tqdm then cut every line to nothing and hid its bar below line -1, and
    no bar showed at all; 80 × 24 then."""
    try:
        columns, lines = os.get_terminal_size(sys.stderr.fileno())
    except (AttributeError, ValueError, OSError):  # no file descriptor (a test's stream): tqdm's own way
        return {}
    return ({} if columns else {"ncols": 80}) | ({} if lines else {"nrows": 24})


@contextlib.contextmanager
def _files(args, total: int):
    """A bar over the files on stderr when it is a terminal: how many are done of how many, at what
    rate, and what is being done (`stage(name)`: the stage or file now; `stage(None)` redraws the elapsed
    time while a long stage runs, LibreOffice's); `done()` when a file's verdict is final. Yields
    (stage, done). Closed, and its line cleared, before the verdicts are printed."""
    if args.quiet or not sys.stderr.isatty():
        yield (lambda name: None), (lambda: None)
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="file", file=sys.stderr, leave=False, **_size()) as bar:

        def stage(name):
            if name is not None:
                bar.set_description_str(name, refresh=False)
            bar.refresh()

        yield stage, lambda: bar.update(1)


@contextlib.contextmanager
def _stages(args, total: int):
    """A bar of named stages on stderr when it is a terminal: `stage(name)` starts the next one,
    `stage(None)` redraws the elapsed time while a long stage runs."""
    if args.quiet or not sys.stderr.isatty():
        yield lambda name: None
        return
    from tqdm import tqdm

    bar_format = "{desc} {n}/{total} [{elapsed}]"
    with tqdm(total=total, file=sys.stderr, leave=False, bar_format=bar_format, **_size()) as bar:
        started = False

        def stage(name):
            nonlocal started
            if name is not None:
                bar.update(started)
                bar.set_description_str(name, refresh=False)
                started = True
            bar.refresh()

        yield stage


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SheetgenError as e:
        print(f"sheetgen: error: {e}", file=sys.stderr)
        return 2


def _build(args) -> int:
    activation = args.activation
    s = spec.load(args.template).with_overrides(
        iterations=args.iterations,
        learning_rates=args.lr,
        references=args.references,
        layers=args.layers,
        activation=activation[0] if activation and len(activation) == 1 else activation,
        bias=args.bias,
        seed=args.seed,
        inputs=args.inputs,
        samples=args.samples,
        targets=args.targets,  # a row per token: the spec flattens them for one sample
        batch=args.batch,
        loss=args.loss,
        optimizer=args.optimizer,
    )
    path = _output_path(args.output, s.output)
    files.may_write_in(path)
    with _progress(args, s.iterations * len(s.learning_rates), "rows") as bar:
        diverged = workbook.build(s, path, bar.update, force=args.force)
    print(f"wrote {path}: {_count(len(s.learning_rates), 'tab')} × {_count(s.iterations, 'iteration')}")
    for sheet, n in diverged.items():
        print(f"sheetgen: warning: {sheet} diverges: #NUM! from iteration {n} on", file=sys.stderr)
    return 0


def _output_path(given: str | None, name: str) -> Path:
    """-o as users mean it: a folder (a trailing slash, or one that exists) gets the template's
    file name; a name without an extension gets .xlsx, which Excel needs to open it; any other
    extension is refused rather than written as something it is not."""
    if given is None:
        return Path("output") / name
    if not given:
        raise WorkbookError("-o: empty; give a file name ending in .xlsx, or a folder")
    path = Path(given)
    if os.path.exists(given) and not os.path.isdir(given):
        files.regular(given)  # `-o /dev/null` is a device, not a name to add .xlsx to
    if given.endswith(("/", os.sep)) and os.path.lexists(given.rstrip("/" + os.sep)) and not os.path.isdir(given):
        raise WorkbookError(f"{given}: ends in / but is not a folder")
    if given.endswith(("/", os.sep)) or path.name in ("", ".", "..") or os.path.isdir(given):
        return path / name
    if path.name.lower().endswith(".xlsx"):
        return path
    if path.suffix:
        raise WorkbookError(
            f"{given}: sheetgen writes .xlsx workbooks: give a name ending in .xlsx, or none (it is added)"
        )
    return path.with_name(path.name + ".xlsx")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _report(args) -> int:
    from sheetgen.build import report  # matplotlib is optional, and slow to import

    s = spec.load(args.template).with_overrides(iterations=args.iterations, learning_rates=args.lr)
    readme = report.write(s, args.output, force=args.force)
    print(f"wrote {readme} and {len(s.learning_rates) + 1} charts")
    return 0


def _templates(args) -> int:
    if args.show is not None:
        print(spec.show(args.show), end="")
        return 0
    for name, description in spec.list_templates():
        print(f"{name:<12} {description}")
    print(f"\n(in {spec.templates_dir()}; to start your own: sheetgen templates --show era > mine.toml)")
    return 0


def _verify(args) -> int:
    from sheetgen.check import verify  # openpyxl is slow to import; build does not need it

    for path in args.paths:  # anything but a workbook is refused before an engine starts
        files.check_workbook(path)
    with _stages(args, verify.stages(args.paths, args.engine)) as stage:
        reports = verify.verify(args.paths, args.timeout, stage, args.engine)
    by_file: dict[Path, list] = {}
    for report in reports:
        by_file.setdefault(report.path, []).append(report)
    for path, engines in by_file.items():
        ok = all(r.ok for r in engines)
        verdicts = ", ".join(f"{r.engine}: {'OK' if r.ok else 'FAILED'}" for r in engines)
        print(f"{path}: {'OK' if ok else 'FAILED'} ({verdicts})")
        for report in engines:
            indent = "  "
            if len(engines) > 1:
                print(f"  {report.engine}:")
                indent = "    "
            for t in report.tabs:
                near = (f", {t.near_zero:,} at the rounding floor ({verify.NOISE:g} of the row's scale)"
                        if t.near_zero else "")  # fmt: skip
                near += f", {t.errors:,} #NUM! as expected (diverged)" if t.errors else ""
                near += f", {t.beyond:,} beyond a double's range (#NUM! in Excel; not judged)" if t.beyond else ""
                print(f"{indent}{t.sheet}: {t.cells:,} cells, max abs dev {t.max_abs:.3g}, max rel dev {t.max_rel:.3g}"
                      + near + (f", {t.bad} bad" if t.bad else ""))  # fmt: skip
                for line in t.lines():
                    print(f"{indent}  {line}")
    return 0 if all(r.ok for r in reports) else 1


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return n


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")


def _folders_opened(paths: list[Path], writeups) -> list[Path]:
    """A folder given stands for the workbooks and write-ups in it and in its folders (a class's
    submissions, one folder a student), in name order; hidden files and Excel's lock files (~$…) left
    out. A folder with none of them is said so, as bad input."""
    out = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (*WORKBOOKS, *writeups)
                       and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts))  # fmt: skip
        if not found:
            raise SpecError(f"{path}: a folder with no workbook ({', '.join(WORKBOOKS)}) or write-up "
                            f"({', '.join(sorted(writeups))}) in it")  # fmt: skip
        out += found
    return out


def _check(args) -> int:
    import json

    from sheetgen import check, classroom, writeup

    args.paths = _folders_opened(args.paths, writeup.SUFFIXES)
    klass = classroom.load(args.klass) if args.klass else None
    network_of = None  # whose first iteration a write-up's numbers are judged at, when the user says
    if args.template and klass:
        raise SpecError("--template and --class: give one (a class judges each write-up on its student's numbers)")
    if args.template:
        network_of = writeup.against(spec.load(args.template), f"template {args.template}", "given by --template")
    elif klass and any(writeup.is_writeup(p) for p in args.paths):
        network_of = klass.writeups()  # the class's template is read only when there is a write-up to judge
    paths, earlier, rows = args.paths, [], None
    if args.csv:
        classroom.may_write_csv(args.csv)  # refused before the checking, not after it
        earlier = {g.file: g for g in classroom.checked_before(args.csv, klass is not None)}
        if args.mark:  # the file to mark is checked again, whatever the CSV holds of it: marking needs its result
            earlier = {f: g for f, g in earlier.items() if f not in map(str, args.paths)}
        paths = [p for p in args.paths if str(p) not in earlier]
        if skipped := len(args.paths) - len(paths):
            print(f"{args.csv}: {skipped} of the {len(args.paths)} files already checked there (by an earlier run, "
                  "and unchanged since), not checked again; delete it, or give another --csv, to check them again",
                  file=sys.stderr)  # fmt: skip
        earlier = list(earlier.values())
    if args.mark:
        _may_mark(args)
    if args.csv:
        rows = classroom.CsvRows(args.csv, klass is not None, earlier)

    # what is kept of each file once it is judged: its grade and its report as it will be printed (a few
    # kB), not its result (tables, findings and the cells they read): memory flat in the number of files
    grades, reports, marked, unchecked = [None] * len(paths), [None] * len(paths), None, False
    try:
        with _files(args, len(paths)) as (stage, advance):
            for n, result in check.each(paths, args.timeout, stage, engine=args.engine, network_of=network_of,
                                        jobs=args.jobs or _cores()):  # fmt: skip
                grades[n] = classroom.grade_one(result, klass)
                if rows is not None:  # each file's row as it is done (its duplicates said in the whole CSV, at the end)
                    rows.add(grades[n])
                # as printed (JSON kept as its text: a workbook's dict is ~100 kB in memory, its text ~20)
                reports[n] = json.dumps(result.as_dict(), ensure_ascii=False) if args.json else check.text(result)
                unchecked = unchecked or result.verdict in check.UNCHECKED
                marked = result if args.mark else None
                advance()
    finally:
        if rows is not None:
            rows.close()
    grades = classroom.settle(grades, klass, earlier)
    for report, g in zip(reports, grades):
        if args.json:  # the class's keys after the file's own (they share none)
            print(report[:-1] + ", " + json.dumps(g.json(), ensure_ascii=False)[1:] if klass else report)
        else:
            report[1:1] = g.lines() if klass else []  # the student, right under the verdict line
            print("\n".join(report))
    for line in classroom.missing(grades[len(reports) :], klass, args.json) if klass else []:
        print(line)
    if args.csv:  # whole, in order: the earlier run's rows, this one's, then who handed in nothing
        classroom.write_csv(args.csv, earlier + grades, with_student=klass is not None)
    if args.mark:
        _mark(args, marked)
    if any(g.verdict in ("wrong", "duplicate", "unknown variant") for g in earlier + grades):
        return 1
    unchecked = unchecked or any(g.verdict in check.UNCHECKED for g in earlier)
    return 2 if unchecked else 0


def _may_mark(args) -> None:
    from sheetgen import writeup

    if len(args.paths) != 1 or writeup.is_writeup(args.paths[0]):
        raise WorkbookError("--mark: give one workbook (.xlsx) to check and mark")
    if args.paths[0].exists() and args.mark.exists() and os.path.samefile(args.paths[0], args.mark):
        raise WorkbookError(f"{args.mark}: is the workbook being checked; --mark writes a copy, give another name")


def _mark(args, result) -> None:
    from sheetgen.check import mark

    n = mark.mark(result, args.mark)
    said = (f"marked {n} cell{'s' if n != 1 else ''} in {args.mark}" if n
            else f"{result.path}: nothing to mark ({result.verdict}); {args.mark} not written")  # fmt: skip
    print(said, file=sys.stderr if args.json else sys.stdout)


def _class(args) -> int:
    from sheetgen import classroom

    template, students = spec.load(args.template), classroom.read_roster(args.roster)
    # from the start: drawing a class's numbers takes a while too (each draw trains the network on
    # every learning rate), then each student's rows of keys are written
    rows = template.iterations * len(template.learning_rates)
    with _progress(args, len(students) * rows, "rows", always=True) as bar:
        bar.set_description("drawing each student's numbers")
        plan = classroom.plan(students, template, args.output, args.seed, lambda n: bar.update(n * rows))
        bar.reset()
        bar.set_description("writing exercises and keys")
        classroom.write(plan, bar.update)
    rejected = sum(plan.rejected.values())
    why = f": {', '.join(f'{n} {reason}' for reason, n in plan.rejected.most_common())}" if rejected else ""
    n = len(plan.students)
    print(f"wrote {args.output}: {n} exercises, {n} keys and {classroom.CLASS_FILE} (class seed {plan.seed}; "
          f"{n + rejected} draws, {rejected} rejected{why})")  # fmt: skip
    return 0


COMMANDS = {"build": _build, "templates": _templates, "verify": _verify, "report": _report, "check": _check,
            "class": _class}  # fmt: skip


class _StdoutFailed(Exception):
    """Standard output could not be written (a full disk under `> mine.toml`)."""


class _Stdout:
    """sys.stdout, with its write errors told apart from the library's (a closed pipe aside)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        return self._guard(self._stream.write, text)

    def flush(self):
        return self._guard(self._stream.flush)

    @staticmethod
    def _guard(call, *args):
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as e:
            raise _StdoutFailed(e.strerror or str(e)) from None

    def __getattr__(self, name):
        return getattr(self._stream, name)


def entrypoint() -> None:
    # a file name that is not valid UTF-8, or a terminal that cannot show η or ×, is no reason to fail
    # after the work is done: such characters are escaped on output
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.stdout = _Stdout(sys.stdout)
    # `kill` or `timeout`: unwind like Ctrl-C, so a build's temporary files go with it
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        code = main(sys.argv[1:])
        sys.stdout.flush()
    except BrokenPipeError:  # `sheetgen verify … | head`: the reader has gone; say nothing more
        code = 1
    except _StdoutFailed as e:  # `… > mine.toml` on a full disk
        print(f"sheetgen: error: cannot write to standard output: {e}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:  # Ctrl-C: whatever was being written was temporary and is gone
        print("sheetgen: interrupted", file=sys.stderr)
        code = 130
    else:
        sys.exit(code)
    # what is still buffered for stdout would fail again at exit, with a traceback of its own
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
