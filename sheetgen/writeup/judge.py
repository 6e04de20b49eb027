"""`sheetgen check` on a write-up (.md .txt .rst .tex .html .ipynb): every equation of a backprop explanation, judged.

    file -> lines (read.py: mis-encoded UTF-8 repaired) -> equations (extract.py, equations.py)
         -> links, on the network its numbers are of (links.py, network.py)
         -> each judged: an identity at random points (identities.py, points.py), a quoted number at
            that network's first iteration (numbers.py) -> why a wrong one is wrong (diagnosis.py)
         -> Result (result.py), each wrong line a Finding with its code

What is not judged — prose, what the reference does not give, what cannot be computed — is said to
be skipped, never blamed.
"""

import math
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sheetgen.errors import SpecError, WorkbookError
from sheetgen.model import names, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup import (
    extract,
    identities,
    latex,
    markdown,
    network,
    notebook,
    numbers,
    page,
    rst,
    tables,
    tex,
    vectors,
)
from sheetgen.writeup import links as linking
from sheetgen.writeup.basis import MIN_EVIDENCE, Basis
from sheetgen.writeup.equations import Sym
from sheetgen.writeup.links import quoted
from sheetgen.writeup.points import Skip, iteration_of
from sheetgen.writeup.read import read
from sheetgen.writeup.result import LineFinding, Result, at_line

SUFFIXES = {".md", ".markdown", ".qmd", ".rmd", ".txt", ".rst", ".tex", ".latex", ".html", ".htm", ".xhtml", ".ipynb"}


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
    source = lines
    if result.path.suffix.lower() in markdown.SUFFIXES:
        lines = markdown.render(lines)  # as it renders: escapes, code, tables, HTML, images and math read
    elif result.path.suffix.lower() in rst.SUFFIXES:
        lines = rst.render(lines)  # its math roles and directives read as LaTeX
    elif result.path.suffix.lower() in tex.SUFFIXES:
        lines = tex.render(lines)  # a LaTeX document: its math read, its preamble and comments not
    elif result.path.suffix.lower() in page.SUFFIXES:
        lines = page.render(lines)  # a web page: its body's text, as a browser shows it
    elif result.path.suffix.lower() in notebook.SUFFIXES:
        try:
            lines, why = notebook.render(lines)  # a notebook: its Markdown cells, at their lines of the file
        except WorkbookError as e:
            result.verdict, result.reason = "unreadable", str(e)
            return result
        result.warnings += [(None, why)] if why else []
    return judge(lines, result, network_of, source)


def judge(lines: list[str], result: Result, network_of=None, source: list[str] | None = None) -> Result:
    """The lines' equations judged into `result`; `source`, the file's lines as written, says where a
    row of display math that goes on over lines has its `=`."""
    # a spreadsheet's rows pasted; fractions drawn over three lines; a line that goes on the one above
    lines = extract.joined(extract.stacked(tables.tabbed(lines)))
    basis = Basis(lines)
    equations = extract.equations(lines, result.skipped, result.warnings, source)
    links = network.choose(basis, equations, result, network_of)
    unjudged = 0
    went_on = {}  # line -> the left side a line that goes on was right under
    blamed = {}  # line -> the sides of an equation blamed there
    counted = Counter()  # the way of reading (Equation.readings: 0 the first) lines were right under, how often
    first = _of_the_first(basis, links) if basis.numbers else set()
    first_step = _of_the_first(basis, links, steps=True) if basis.numbers else set()
    basis.written_etas = _written_etas(links)
    for n, equation, instances in links:
        if not basis.numbers and all(quoted(link) for links_ in instances for link in links_):
            unjudged += 1  # said once, in the warning network.choose gave
            continue
        try:
            # the text of the line, for the η it names; none where another number of the line is the first
            # iteration's (`LR=0.1 tab: a_o1 = 0.6064 and a_o2 = 0.5342`: its first row, and 0.5342 a slip)
            # (and whether the lines next to it speak of the first iteration: a number of another quantity
            # there is a slip of this one, not its second iteration's, which it happens to be as well)
            near = bool({n - 2, n - 1, n + 1, n + 2} & first_step)
            outcome = _judge(basis, instances, "" if n in first else lines[n - 1], near)
            if isinstance(outcome, LineFinding) and equation.readings:
                # a line that goes on a row blamed just above (`dE/dw6 = (a_o1 − t1)·…·a_h1`, then `= 0.1065 ×
                # 0.2387 × 0.5069 = 0.012881`) is that row's quantity's number, and wrong as well: not right
                # under the blamed formula, nor under another head further up (dE/dw5's, which it is)
                above = blamed.get(n - 1, [])
                goes_on = equation.text.lstrip().startswith("=") and above and above[0] == equation.sides[0]
                readings = [] if goes_on else equation.readings
                outcome = _other_readings(basis, n, replace(equation, readings=readings), outcome, went_on, counted)
        except Skip as e:
            result.skipped.append((n, equation.text, str(e)))
            continue
        result.equations += 1
        result.read.append(n)
        if isinstance(outcome, LineFinding):
            result.mistakes.append(outcome)
            blamed[n] = equation.sides
            if n < len(lines) and lines[n] == latex.CONTINUED and (also := _its_number(basis, n, equation, outcome)):
                result.mistakes.append(also)
        elif outcome:
            result.warnings.append((n, outcome))
    if source is not None:
        result.mistakes = [_at_its_equals(m, lines, source) for m in result.mistakes]
        said = set()  # (a row's formula and its number, both said on its one line: once)
        result.mistakes = [
            m for m in result.mistakes if not ((m.line, m.quantity) in said or said.add((m.line, m.quantity)))
        ]
    _notation_repeated(result)
    _a_block_of_alarms(result)
    read = set(result.read)  # and the lines a row of display math read there goes on over
    for n in range(2, len(lines) + 1):
        if lines[n - 1] == latex.CONTINUED and n - 1 in read:
            read.add(n)
            result.continued.append(n)
            # (and a bracket's line the row goes on to, past them: `[0.05, 0.1] = … = [0.0275, 0.0425]`)
            for k in vectors.went_over(lines, n - 1):
                if k not in read:
                    read.add(k)
                    result.continued.append(k)
    return result.conclude(unjudged)


_KINDS = [("net", r"([ho]\d+)"), ("activation", r"a_([ho]\d+)"), ("error signal", r"∂E_total/∂([ho]\d+)"),
          ("slope", r"∂E_total/∂a_([ho]\d+)")]  # fmt: skip


def _kind(name: str) -> tuple[str, str] | None:
    """What a name is of which neuron: `a_h1` → (activation, h1); the first word of what numbers.py says."""
    name = name.split()[0] if name.strip() else name
    return next(((kind, m[1]) for kind, p in _KINDS if (m := re.fullmatch(p, name))), None)


def _notation_repeated(result: Result) -> None:
    """One confusion, repeated, is the file's notation: a number that is a neuron's activation (or error
    signal) where the line names its net (`H1 = 0.5068`, `o1 = 0.6065, o2 = 0.6305`, `[o1] = 0.0254`),
    for two neurons or on two lines, is what the file calls that name — unsure, skipped, never blamed (a
    slip is made once; a notation the reader does not know is misread on every line that uses it)."""
    seen: dict[tuple[str, str], list] = {}
    for m in result.mistakes:
        what, named = (_kind(m.confused[0]), _kind(m.confused[1])) if m.confused else (None, None)
        # named as the net (o1, H1, [o1]: names files use for other things too), never a_o1 given o1's
        # number: that name is the activation's in any notation, and quoting the net for it is a slip
        if what and named and what[1] == named[1] and named[0] == "net" and what[0] != named[0]:
            seen.setdefault((named[0], what[0]), []).append((m, named[1]))
    notation = [[m for m, _ in ms] for ms in seen.values() if len({(m.line, n) for m, n in ms}) >= 2]
    for ms in notation:
        lines = ", ".join(str(n) for n in sorted({m.line for m in ms}))
        for m in ms:
            what, named = m.confused[0].split()[0], m.confused[1].split()[0]
            why = (f"it gives {named} the number of {what}, as line(s) {lines} do for "
                   "their neurons: the file's own notation, it seems, not a mistake")  # fmt: skip
            result.skipped.append((m.line, m.text, why))
    dropped = {id(m) for ms in notation for m in ms}
    # and what else the file says with those names is read in a notation it does not have: its
    # identities too (`dE/dw5 = [o1]*a_h1`, read o1·a_h1, "not ∂E_total/∂w5")
    misread = {_kind(m.confused[1])[1] for ms in notation for m in ms}
    for m in result.mistakes:
        if id(m) not in dropped and any(re.search(rf"(?<![\w∂/]){q}(?!\w)", m.message) for q in misread):
            dropped.add(id(m))
            result.skipped.append((m.line, m.text, "it uses a name the file gives its own meaning (see the lines "
                                   "given another quantity's number): not judged"))  # fmt: skip
    result.mistakes = [m for m in result.mistakes if id(m) not in dropped]


# lines in a row (a line or two apart) each blamed, at which a block of them is said as one warning: the 400-odd
# labelled blind write-ups hold no run of more than 4 wrong lines blamed so, while at first contact 8 of their
# 13 runs of 5 or more were all false alarms (a table, a list or a log read another way than it meant) and the
# other 5 mostly
_BLOCK = 6


def _a_block_of_alarms(result: Result) -> None:
    """Six lines or more in a row, each blamed, are a layout or notation misread more likely than six slips in
    a row (a slip is made once, and what carries it is a line or two): said once as a warning, each line
    skipped with why — for the student to check by hand, never taught a mistake that may be the reader's."""
    lines = sorted({m.line for m in result.mistakes})
    runs, run = [], []
    for n in lines:
        if run and n - run[-1] > 2:
            runs.append(run)
            run = []
        run.append(n)
    runs.append(run)
    runs = [run for run in runs if len(run) >= _BLOCK and _one_shape(result, run)]
    block = {n for run in runs for n in run}
    if not block:
        return
    for run in runs:
        result.warnings.append((run[0], f"lines {run[0]}–{run[-1]}: {len(run)} lines in a row each disagree with how "
                                        "they were read — a layout or notation misread, more likely than as many "
                                        "slips in a row: not blamed; check them by hand"))  # fmt: skip
    for m in result.mistakes:
        if m.line in block:
            result.skipped.append(
                (m.line, m.text, f"one of a block of lines each blamed ({m.message}): see the warning")
            )
    result.mistakes = [m for m in result.mistakes if m.line not in block]


def _one_shape(result: Result, run: list[int]) -> bool:
    """Whether a run's lines are blamed alike, numbers and indices aside (`new w1 is 0.1498 after one step,
    not 0.1499`, `new w2 is …`): one misreading, said of each line; slips, even planted in a row, differ."""
    shapes = Counter()
    for n in run:
        said = {re.sub(r"\d+(?:\.\d+)?(?:e-?\d+)?", "#", m.message) for m in result.mistakes if m.line == n}
        shapes.update(said)
    return bool(shapes) and shapes.most_common(1)[0][1] >= 0.75 * len(run)  # (3 of 4 alike: a number that is
    # another quantity's is said so, `0.000634 is ∂E_total/∂w2, not ∂E_total/∂w1`, on a line of the block or two)


def _its_number(basis: Basis, n: int, equation, outcome: LineFinding) -> LineFinding | None:
    """A row of display math over two lines or more, blamed for its formula (`\\frac{∂E}{∂w_7} &= (a_{o2} −
    t_2)\\,a_{h1}`, then `= −0.359519 \\times 0.506875 = −0.182231` below): the number it ends on is wrong as
    well where the formula's mistake carries into it — said apart, on the line where it is written."""
    first, last = equation.sides[0], equation.sides[-1]
    number = last.arg if isinstance(last, eq.Neg) else last
    if len(equation.sides) < 3 or not isinstance(number, eq.Num) or linking.numeric(first):
        return None
    if number.text in outcome.message or basis.evidence < MIN_EVIDENCE:
        return None  # (the number is what the row is blamed for already; or too few show which network)
    try:
        links = linking.links([(n, replace(equation, sides=[first, last], readings=[]))], basis.net, basis.etas)
        found = _judge(basis, links[0][2], basis.lines[n - 1])
    except Skip:
        return None
    return found if isinstance(found, LineFinding) and found.message != outcome.message else None


def _at_its_equals(m: LineFinding, lines: list[str], source: list[str]) -> LineFinding:
    """A mistake in a row of display math whose first line holds its left side alone (`\\frac{∂E}{∂w_1}`,
    then `&= (a_o1 − t1)·…` below) is said on the line of its `=`, where what is wrong is written."""
    k = m.line
    if not (0 < k < len(lines) and k <= len(source)) or lines[k] != latex.CONTINUED:
        return m
    said = (
        re.findall(r"not (-?\d*\.\d+(?:e-?\d+)?)", m.message)
        or re.findall(r"\buses (-?\d*\.\d+)", m.message)
        or re.findall(r"^(-?\d*\.\d+(?:e-?\d+)?) is\b", m.message)  # `0.5069 is a_h1 …, not ∂o1/∂w6`
    )
    used = re.match(r"uses (\w+) where", m.message)  # `uses w6 where w7 belongs`: the name, as LaTeX writes it
    written = "".join(re.escape(c) + r"[_{}\s]*" for c in used[1]) if used else None
    if "=" in source[k - 1]:
        # `\frac{∂E}{∂w_1} &= … \, i_1` then `= 0.023844 \times 0.249953 \times 0.05 = 0.000298`: a number
        # blamed that is written on a line the row goes on over, and not on its first, is said there
        # (or the number it says is misused: `uses 0.45 (w6 …) where w7 = 0.50 belongs`)
        if written and not re.search(written, source[k - 1]):
            mark = written  # (on a row's line below: `… w_5 \\` then `&\quad + (…)\,w_6`)
        elif not said and not re.search(r"[-+*·×−(]|\\cdot|\\times", source[k - 1]):
            # `\delta_{o_2} &= \frac{∂E}{∂z_{o_2}}` then `= (a_{o_2} - t_2)\, a_{o_2}(1 + a_{o_2})`: a formula
            # blamed, written on a line the row goes on over (its first holds names and a partial only)
            mark = r"^(?=.*\()(?=.*[A-Za-z])"
        elif not said or said[-1] in source[k - 1]:
            return m
        else:
            mark = re.escape(said[-1])
    elif (
        written
        and not re.search(written, source[k - 1])
        and any(re.search(written, source[j - 1]) for j in _went_on(lines, source, k))
    ):
        # `\frac{∂E}{∂a_{h1}}` then `= \frac{∂E_1}{∂a_{o1}}…\frac{∂o_1}{∂a_{h1}}` then `+ …\frac{∂o_2}{∂a_{h2}}`: the
        # name misused is said where it is written
        mark = written
    elif said and any(said[-1] in source[j - 1] for j in _went_on(lines, source, k)):
        # `\frac{∂E}{∂w_6}` then `= \underbrace{…}_{0.5965}` … `\cdot \underbrace{\frac{∂o_1}{∂w_6}}_{0.5069}`:
        # the number blamed is said where it is written, not on the row's first `=`
        mark = re.escape(said[-1])
    elif written and re.search(written, source[k - 1]):
        return m  # (the name misused is on the row's first line: `do2` among a fraction's numerators)
    elif not said and any(re.search(_FORMULA, source[j - 1]) for j in _went_on(lines, source, k)):
        # `\frac{∂E}{∂w_5}` then `&= \frac{∂E_1}{∂a_{o1}}\frac{∂a_{o1}}{∂o_1}…` then `= (t_1 - a_{o1})\;…`: a
        # formula blamed (the sign) is written where its brackets are, not among the chain rule's partials
        mark = _FORMULA
    else:
        mark = "="
    j = next((j for j in _went_on(lines, source, k) if re.search(mark, source[j - 1])), None)
    return m if j is None else replace(m, line=j, where=f"line {j}")


_FORMULA = r"^(?=.*=)(?=.*\()(?=.*[A-Za-z])"  # a row's line with a formula of its own: an `=`, a bracket, a name


def _went_on(lines: list[str], source: list[str], k: int):
    """The lines (1-based) a row of display math begun on line k goes on over."""
    j = k + 1
    while j <= min(len(lines), len(source)) and lines[j - 1] == latex.CONTINUED:
        yield j
        j += 1


def _other_readings(basis: Basis, n: int, equation, wrong: LineFinding, went_on: dict, counted: Counter):
    """A line that may be read another way (Equation.readings) is right if it is right under any; if
    under none, it is blamed as the reading the line above was right under (a chain goes on), or else
    as the way of reading the lines above were right under most (`counted`: w^{(3)} read as the weight
    after 2 steps, as the file's other w^{(k)} were), or else as the first reading."""
    readings = list(enumerate([equation.sides, *equation.readings]))
    kind = _shifts(readings)
    readings.sort(key=lambda r: r[1][0] != went_on.get(n - 1))
    chained = readings[0][1][0] == went_on.get(n - 1)
    found = []
    for k, sides in readings:
        other = replace(equation, sides=sides, readings=[])
        try:
            outcome = _judge(basis, linking.links([(n, other)], basis.net, basis.etas)[0][2])
        except Skip:
            continue
        if not isinstance(outcome, LineFinding):
            went_on[n] = sides[0]
            counted[kind, k] += 1
            return outcome
        found.append((k, outcome))
    if found and not chained and kind:
        found.sort(key=lambda f: -counted[kind, f[0]])
    return found[0][1] if found else wrong


def _shifts(readings) -> tuple[int, ...] | None:
    """The iterations a line's readings are of, less the first's ((0, −1): the kth iteration's or the
    k−1th's); None where they are all of one iteration (which left side a line goes on from)."""

    def of(sides) -> int:
        return max((iteration_of(x.name) for x in eq.walk(sides[0]) if isinstance(x, Sym)), default=1)

    shifts = tuple(of(sides) - of(readings[0][1]) for _, sides in readings)
    return shifts if any(shifts) else None


def _judge(basis: Basis, instances, line: str = "", near: bool = False) -> LineFinding | str | None:
    """Right (None), a warning (str), or the first wrong link's Finding; `line`, the text the equation
    is on (what else it says: the η it names)."""
    warning = None
    for links in instances:
        for link in links:
            if not quoted(link):
                outcome = identities.judge(basis, link)
                if outcome is not None:
                    return outcome
            elif basis.numbers:
                far = numbers.beyond_the_second(link.want) or numbers.beyond_the_second(link.test)
                if far and basis.evidence < MIN_EVIDENCE:
                    raise Skip(f"a number of a later iteration, judged only where {MIN_EVIDENCE} numbers of the first "
                               f"two show the network ({basis.evidence} here)")  # fmt: skip
                eta = numbers.agree(basis, link, basis.name)
                if eta is None:
                    other = numbers.other_iteration(basis, link)
                    if other and not (near and numbers.another_at_the_first(basis, link)):
                        warning = warning or other  # which iteration the line speaks of is not said
                        continue
                    if why := _output_named(basis, link):
                        raise Skip(why)
                    if (later := numbers.later_iteration(basis, link, line)) is not None:
                        warning = warning or later  # "": right at a later iteration of the η it names
                        continue
                    if other := next((n for n in basis.also if numbers.agree(basis, link, n) is not None), None):
                        # `| w1 | 0.149906 | 0.149842 |` under `| weight | EVA new | ERA new |`: EVA's, right there
                        warning = warning or (f"{linking.shown(link)}: right with {other.upper()}'s targets, "
                                              "which the file speaks of too")  # fmt: skip
                        continue
                    if later := numbers.a_later_weight(basis, link):
                        warning = warning or later
                        continue
                    return numbers.finding(basis, link)
                if (departs := _departs(basis, link, eta) or _eta_left_out(basis, link, eta)
                        or _odd_step(basis, link, eta)) is not None:  # fmt: skip
                    return departs
                warning = warning or _other_eta(basis, link, eta)
    return warning


def _of_the_first(basis: Basis, links, steps: bool = False) -> set[int]:
    """The lines with a computed quantity given its number at the first iteration (a_o1 = 0.6064): lines
    that speak of the first iteration, whatever η they name; `steps`: and its gradients and the first
    step's updates in numbers (∂E/∂w5 = 0.0722, w1 ← 0.15 − 0.5·0.00019 = 0.14991), right there."""
    out = set()
    for n, _, instances in links:
        for link in instances[0] if instances else []:
            want, test = link.want, link.test
            if steps and (isinstance(want, eq.Partial) or isinstance(want, Sym) and want.name.startswith(NEW)):
                if linking.numeric(test) and numbers.AT2 not in linking.name(want):
                    try:
                        out |= {n} if numbers.agree(basis, link, basis.name) is not None else set()
                    except Skip:
                        pass
                continue
            if not (isinstance(want, Sym) and isinstance(test, numbers.Num)) or linking.given(want):
                continue
            if want.name.startswith(NEW) or numbers.AT2 in want.name or linking.structural(test.value):
                continue
            try:
                if numbers.agree(basis, link, basis.name) is not None:
                    out.add(n)
            except Skip:
                pass
    return out


_NEURON = re.compile(r"([ho])(\d+)((?: at iteration \d+)?)")


def _output_named(basis: Basis, link) -> str | None:
    """`H1 = 0.50687`: a neuron's capital name given its output's number (`the output of the first hidden
    neuron, which I call H1`), which the reader takes for its net input. Read either way, the reading
    under which the number is right wins: unsure, not blamed."""
    want = link.want
    m = _NEURON.fullmatch(want.name) if isinstance(want, Sym) else None
    if m is None or not re.search(rf"(?<![\w∂]){m[1].upper()}_?{m[2]}(?![\w(])", link.equation.text):
        return None
    other = replace(link, want=Sym(names.act(f"{m[1]}{m[2]}") + m[3]))
    if numbers.agree(basis, other, basis.name) is None:
        return None
    return f"{m[1].upper()}{m[2]} may name the neuron's output ({names.act(m[1] + m[2])}), which its number is"


def _departs(basis: Basis, link, eta: float) -> LineFinding | None:
    """A step whose line writes an η the file never names: `w6 = 0.3773 − 0.1 × 0.0716` where the file says
    `η = 1.0` and names no 0.1 (or names 0.2 and 2, and no 0.5) — right only at the η it wrote, which is
    the mistake (a number right at another η the line does not write stays a warning: _other_eta)."""
    said = basis.said_etas
    if link.equation.eta is not None:  # a table's row of η names its η itself
        return None
    if not said or link.eta is None or eta != link.eta or any(math.isclose(link.eta, x) for x in said):
        return None
    files = " or ".join(f"{x:g}" for x in said)
    why = (f"a step of η = {link.eta:g} where the file's η = {files} belongs (it names no other)" if len(said) == 1
           else f"a step of η = {link.eta:g}, which the file names nowhere (its η: {files})")  # fmt: skip
    return at_line(link.line, link.equation.text, "wrong-parameter", linking.shown(link), why,
                   f"η = {files}", f"η = {link.eta:g}")  # fmt: skip


def _written_etas(links) -> dict[int, float]:
    """The learning rate each numbered step of the file writes as a factor (0.15 − 0.8 × 0.000188: 0.8),
    by its line."""
    out: dict[int, float] = {}  # line -> its step's η (a line's equations share one step)
    for n, _, instances in links:
        for link in instances[0] if instances else []:
            if found := next((f for side in (link.test, link.want) if (f := extract.step(side))), None):
                out[n] = found[1].value
                break
            eta = next((f for side in (link.test, link.want) if (f := _symbolic_step(side))), None)
            if eta is not None and eta.text != "1":
                out[n] = eta.value  # `0.15 − 2.0·∂E_total/∂w1`: its η written, its gradient by name
                break
    return out


def _symbolic_step(e) -> eq.Num | None:
    """The η a step written with its gradient by name writes (`0.15 − 2.0·∂E_total/∂w1`: 2.0; `0.45 −
    ∂E_total/∂w6`: 1, no factor written); None if it is no such step."""
    if not (isinstance(e, eq.Op) and e.op == "-" and isinstance(e.left, eq.Num)):
        return None
    product = e.right
    if isinstance(product, eq.Partial):
        return eq.Num(1.0, "1")
    if isinstance(product, eq.Op) and product.op == "*" and isinstance(product.left, eq.Num):
        if isinstance(product.right, eq.Partial):
            return product.left
    return None


def _eta_left_out(basis: Basis, link, eta: float) -> LineFinding | None:
    """`w2 = 0.2 − 0.000376511` among steps that all write one η the file names (`w1 = 0.15 − 0.8 ×
    0.000188`, …): η left out, a step of η = 1 the worked example never takes (a slip is made once: a file
    whose every step leaves η out works at η = 1, and is at most told so by a warning, _other_eta)."""
    written = set(basis.written_etas.values())
    if eta != 1.0 or link.equation.eta is not None or len(basis.written_etas) < 2 or len(written) != 1:
        return None  # its steps write no one η, or two (a comparison of η's worked out)
    (x,) = written
    if x == 1.0 or not any(math.isclose(x, y) for y in basis.said_etas):
        return None
    symbolic = [f for side in (link.test, link.want, *link.equation.sides) if (f := _symbolic_step(side))]
    if (
        extract.step(link.test)
        or extract.step(link.want)
        or any(f.text != "1" for f in symbolic)
        or not (extract.step(link.test, unwritten=True) or extract.step(link.want, unwritten=True) or symbolic)
    ):
        return None  # a factor written (1 × 0.0722), or no step
    why = f"a step with no η (η = 1) where the file's η = {x:g} belongs, as its other steps write it: η left out"
    return at_line(link.line, link.equation.text, "wrong-parameter", linking.shown(link), why,
                   f"η = {x:g}", "η = 1")  # fmt: skip


_ODD_AMONG = 3  # steps of one η around it, at least: a block of updates, not two η's compared


def _odd_step(basis: Basis, link, eta: float) -> LineFinding | None:
    """A step that writes another η than the block of steps it stands in, all of one η the line above them
    says (`lr = 0.2 tab`, then `w5 ← 0.4 − 0.2·(−0.0129)`, `w6 ← 0.45 − 0.1·0.0130`, `w7 ← 0.5 − 0.2·…`):
    the odd one is the slip, though the file names its η elsewhere (a list of every tab's η). Not where
    its own line names an η (`with η = 0.1: …`), nor in steps of η's compared (no one η around it)."""
    written, n = basis.written_etas, link.line
    if link.equation.eta is not None or link.eta is None or eta != link.eta or extract.rates_said(basis.lines[n - 1]):
        return None
    lines = basis.lines
    block = [n]
    for way in (-1, 1):  # the steps on the lines next to it, a blank line between two allowed
        k = n
        while True:
            if k + way in written:
                k += way
            elif k + 2 * way in written and 0 < k + way <= len(lines) and not lines[k + way - 1].strip():
                k += 2 * way
            else:
                break
            block.append(k)
    others = {written[k] for k in block if k != n}
    if len(block) - 1 < _ODD_AMONG or len(others) != 1 or link.eta in others:
        return None
    (x,) = others
    top = min(block)  # the η said nearest above the block, and that one alone
    said = next((j for j in range(top - 1, 0, -1) if extract.rates_said(lines[j - 1])), None)
    if said is None or extract.rates_said(lines[said - 1]) != [x]:
        return None
    why = f"a step of η = {link.eta:g} among steps of η = {x:g}, the η line {said} says they take"
    return at_line(n, link.equation.text, "wrong-parameter", linking.shown(link), why, f"η = {x:g}",
                   f"η = {link.eta:g}")  # fmt: skip


def _other_eta(basis: Basis, link, eta: float) -> str | None:
    """A number right only at another learning rate than the one the file says it uses (η = 0.8, but
    w8 = 0.542239 is w8 after a step of η = 0.5): said, not blamed — the file may speak of several."""
    stepped = linking.given(link.want) and names.is_param(link.want.name)  # w8 = 0.542239: after a step
    if link.equation.eta is not None:  # its line says its own η (a table's row of η = 0.1): its η, said
        return None
    if len(basis.said_etas) != 1 or eta == basis.said_etas[0] or not (stepped or numbers.uses_eta(link)):
        return None
    return (
        f"{linking.shown(link)}: its number is right at η = {eta:g}, not at the η = {basis.said_etas[0]:g} "
        "the file says it uses"
    )


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
