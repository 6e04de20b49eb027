"""Quoted numbers (a_o1 = 0.6064, w5 = 0.4 − 0.5·0.0128808): judged at the first iteration of the
network chosen (network.py), within one unit of each number's last printed digit; and, when one is
off, which number and what it is instead (`0.5342 is o2 at the first iteration, not a_o2`)."""

import math
import re
from dataclasses import replace

from sheetgen.model import names
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup import extract
from sheetgen.writeup.basis import Basis
from sheetgen.writeup.equations import Num, Op, Sym
from sheetgen.writeup.links import Link, given, numeric, shown, structural
from sheetgen.writeup.points import AT2, UNCOMPUTABLE, Point, Skip, iteration_of, value
from sheetgen.writeup.result import LineFinding, at_line


def exact(basis: "Basis", net_name: str) -> set[float]:
    """Numbers a write-up quotes exactly: the network's given values and the learning rates."""
    n = basis.nets[net_name]
    return {round(x, 12) for x in (*n.inputs, *n.targets, *n.weights, *n.biases, *basis.etas)}


def with_tolerance(e, p: Point, exact_: set[float]) -> tuple[float, float]:
    """A side's value and how far off it may be: one unit of the last printed digit of each
    number that is not a given value, carried through the arithmetic."""
    v = value(e, p)
    tol = 0.0
    # the mantissa of a power of ten, 4.0 × 10^(-14), is a printed number however whole (its last digit said)
    mantissas = {id(x.left) for x in eq.walk(e) if isinstance(x, Op) and x.op == "*" and isinstance(x.left, Num)
                 and "." in x.left.text and isinstance(x.right, Op) and x.right.op == "^"
                 and isinstance(x.right.left, Num) and x.right.left.value == 10}  # fmt: skip
    for node in eq.walk(e):
        if not isinstance(node, Num) or round(node.value, 12) in exact_:
            continue
        # and 0.000000, a loss that rounds to nothing at six digits: printed, to its last digit
        if not structural(node.value) or id(node) in mantissas or node.value == 0 and "." in node.text:
            tol += abs(value(e, p, {id(node): node.value + unit(node.text)}) - v)
    return v, tol


def agree(basis: "Basis", link: Link, net_name: str) -> float | None:
    """The η at which a link with quoted numbers holds at the network's first iteration, or None."""
    exact_ = exact(basis, net_name)
    for eta in _etas_of(basis, link):
        p = basis.seed_point(net_name, eta)
        a, ta = with_tolerance(link.want, p, _exact_beside(link.want, link.test, exact_))
        b, tb = with_tolerance(link.test, p, _exact_beside(link.test, link.want, exact_))
        if not (math.isfinite(a) and math.isfinite(b)):
            raise Skip(UNCOMPUTABLE)
        if abs(a - b) <= ta + tb + 1e-9 * max(abs(a), abs(b)):
            return eta
    w = link.want
    if given(w) and names.is_param(w.name) and isinstance(link.test, Num):  # w5 = 0.3935596: after a step
        return agree(basis, replace(link, want=Sym(NEW + w.name)), net_name)
    return None


def _etas_of(basis: "Basis", link: Link) -> tuple[float, ...]:
    """The learning rates a link may be right at: the one its numbers write, or any the file might use."""
    if link.eta is not None:
        return (link.eta,)
    return basis.etas if _uses_eta(link.want) or _uses_eta(link.test) else basis.etas[:1]


def finding(basis: "Basis", link: Link) -> LineFinding:
    """Which number is off, and what it is instead: `0.5342 is o2 at the first iteration, not a_o2`."""
    truth, tested = link.want, link.test
    if numeric(truth) and not numeric(tested):
        truth, tested = tested, truth
    if (
        given(truth)
        and names.is_param(truth.name)
        and isinstance(tested, Num)
        and not tested.value == value(truth, basis.seed_point(basis.name, basis.etas[0]))
    ):
        link = _after_step(basis, link, truth, tested)  # w8 = 0.54351, near w8 after the step: said as that
        truth = link.want
    q = shown(link) if link.first and link.quantity is not None else eq.render(truth)
    exact_ = exact(basis, basis.name)
    eta = link.eta or basis.etas[0]
    p = basis.seed_point(basis.name, eta)
    want, _ = with_tolerance(truth, p, exact_)
    got, tol = with_tolerance(tested, p, exact_)
    tol = tol or _unit_of(tested)
    expected = fmt(want, tol)

    def wrong(why: str, expected: str = expected, got: object = got) -> LineFinding:
        return at_line(link.line, link.equation.text, "wrong-number", q, why, expected, got)

    at = f" (η = {eta:g})" if _uses_eta(truth) else ""
    first = " after one step" if _stepped(truth) else " at the first iteration"
    first = "" if _later(q) or numeric(truth) else first  # σ(0.425944) is 0.604905 at any iteration
    if given(truth) and given(tested):  # t1 = t2: two values that differ
        a, b = value(truth, p), value(tested, p)
        return wrong(f"{truth.name} is {a:g} and {tested.name} is {b:g} at the first iteration, not equal",
                     f"{a:g}", b)  # fmt: skip
    if (other := _other_rate(basis, link, truth, tested, tol)) is not None:
        return at_line(link.line, link.equation.text, "wrong-parameter", q, other, f"η = {link.eta:g}", other)
    if isinstance(tested, Num) and want and abs(tested.value + want) <= tol + 1e-9 * abs(want):
        why = f"the sign is wrong: {q} is {expected}{first}{at}, not {tested.text}"  # −0.042455 quoted as 0.042455
        return at_line(link.line, link.equation.text, "sign", q, why, expected, got)
    if isinstance(tested, Num):
        if what := _what_is(basis, tested):
            return replace(wrong(f"{tested.text} is {what}, not {q} ({expected}{at})"), confused=(what, q))
        return wrong(f"{q} is {expected}{first}{at}, not {tested.text}")
    if isinstance(tested, Op) and tested.op in "+-" and isinstance(truth, Sym) and truth.name.startswith(NEW):
        flipped = Op("-" if tested.op == "+" else "+", tested.left, tested.right)  # w5 ← 0.4 + 0.5·∇w5
        if want is not None and abs(value(flipped, p) - want) <= 1e-6 * max(1.0, abs(want)) + _unit_of(tested):
            grad = names.grad(truth.name.removeprefix(NEW))
            why = (f"the step goes up the gradient ({tested.op} where {flipped.op} belongs, or {grad} with its sign "
                   f"dropped): {q} is {want:.6g}{first}{at}, not {got:.6g}")  # fmt: skip
            return wrong(why, f"{want:.6g}", f"{got:.6g}")
    if copied := _copied(basis, link, truth, tested, p, tol):  # the number misused, where it can be said
        return wrong(copied)
    return wrong(f"{q} is {expected}{first}{at}, not {fmt(got, tol)}")


def _after_step(basis: "Basis", link: Link, truth: Sym, tested: Num) -> Link:
    """A weight given a number nearer its value after one step (at an η the file may use) than its
    initial one: the link of the weight after the step, at that η (`w8 is 0.54224 after one step`)."""
    stepped = Sym(NEW + truth.name)
    initial = abs(value(truth, basis.seed_point(basis.name, basis.etas[0])) - tested.value)
    off, eta = min((abs(value(stepped, basis.seed_point(basis.name, e)) - tested.value), e) for e in basis.etas)
    return replace(link, want=stepped, eta=eta) if off < initial else link


def _other_rate(basis: "Basis", link: Link, truth, tested, tol: float) -> str | None:
    """`w5: 0.4 − 0.2 × 0.01288` under `weight update (tab "lr 0.5")`: a step that writes another η than
    the one its heading or the line introducing it says, said as such; else None."""
    if not link.eta:
        return None
    for side in (tested, *link.equation.sides):  # the step written out: this link's side, or its line's
        # its factor another of the file's (or the assignment's) η: what the line writes is the slip, whatever
        # the numbers stepped (0.5·g under `Weight update (η = 0.2)`)
        if (st := extract.step(side)) and not math.isclose(st[1].value, link.eta):
            if any(math.isclose(st[1].value, e) for e in basis.etas):
                return f"a step of η = {st[1].text} where the η = {link.eta:g} the file says here belongs"
    return None


def _copied(basis: "Basis", link: Link, truth, tested, p: Point, tol: float) -> str | None:
    """The number of `tested` that stands where another quantity's value belongs, said as such: the
    numbers it quotes first, then the given values it copies (0.45, w6's, for w5's 0.4)."""
    exact_ = exact(basis, basis.name)
    lits = [x for x in eq.walk(tested) if isinstance(x, Num) and not structural(x.value)]
    for lit in sorted(lits, key=lambda x: round(x.value, 12) in exact_):
        fits, about = [], eq.atoms(truth)
        for name, v in p.quantities():
            if abs(v - lit.value) <= 0.51 * unit(lit.text):
                continue  # the number itself, as printed: putting it for itself mends nothing (0.4 for w5 = 0.4)
            for e in (link.eta,) if link.eta else basis.etas:
                pe = basis.seed_point(basis.name, e)
                w, _ = with_tolerance(truth, pe, exact_)
                off = abs(value(tested, pe, {id(lit): v}) - w)
                if off <= tol + 1e-9 * abs(w):  # the closest fit (∂E/∂w5, not ∂E/∂w6), of w7's (w7, not t1)
                    mine = name in about or names.of_grad(name) in about
                    fits.append((round(off, 12), not mine, abs(v - lit.value), name, v))
                    break
        if fits:
            *_, name, v = min(fits)
            what = _what_is(basis, lit)
            if what is None:  # a number that is nothing of the network's
                return f"{name} is {fmt(v, unit(lit.text))} at the first iteration, not {lit.text}"
            # what else the number is: at the second iteration only the same quantity's (∂E_total/∂w1 there,
            # copied from the next row); another's is mostly chance (0.042455, ∂E_total/∂w7 with its sign
            # dropped, is also h2 at iteration 2 for η = 0.8)
            chance = AT2 in f" {what}" and not what.startswith(f"{name}{AT2}")
            said = f" ({what})" if what != f"{name} at the first iteration" and not chance else ""
            return f"uses {lit.text}{said} where {name} = {fmt(v, unit(lit.text))} belongs"
    return None


def other_iteration(basis: "Basis", link: Link) -> str | None:
    """A number that is its own quantity's at the second iteration (at an η the file may use) on a line
    that neither it nor its heading says is of the first (`With the new weights the next forward pass
    gives E_total = 0.013777`, σ(h1) = 0.5068647 under a heading not read as `Iteration 2`): the line
    may speak of that one — said as a warning, never blamed. None if it is not."""
    truth, tested = link.want, link.test
    if numeric(truth) and not numeric(tested):
        truth, tested = tested, truth
    if link.first and isinstance(link.quantity, Sym):
        truth = link.quantity  # E_total = 0.013777 after the file's own E_total = 0.014181: E_total's
    if link.equation.first_said or numeric(truth) or not numeric(tested):
        return None
    if any(isinstance(x, Sym) and _later(x.name) for x in eq.walk(truth)):
        return None  # already read as iteration 2's (under `Iteration 2`), or a later one's: its iteration is said
    exact_ = exact(basis, basis.name)
    name = truth.name if isinstance(truth, Sym) else eq.render(truth)
    for eta in (link.eta,) if link.eta is not None else basis.etas:
        p = basis.seed_point(basis.name, eta).next()
        try:
            a = value(truth, p)
            b, tol = with_tolerance(tested, p, exact_)
        except Skip:
            continue
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        right = _printed_as(a, tested) if isinstance(tested, Num) else abs(a - b) <= tol + 1e-9 * abs(a)
        if right:
            shown_ = tested.text if isinstance(tested, Num) else eq.render(tested)
            where = f"iteration 2 (η = {eta:g})"
            return f"{name} = {shown_} is {name} at {where}: which iteration the line speaks of is not said"
    return None


LATER = 1000  # the iterations searched for a number said beside an η: students' tabs run 20 to 1,000 rows


def later_iteration(basis: "Basis", link: Link, line: str) -> str | None:
    """`lr = 0.1 -> E_total = 0.133510607`: a quantity the line gives a number, wrong at the first
    iteration, on a line that names a learning rate. At the first iteration no quantity but a step
    depends on η (E_total is 0.2425 on every tab), so a line that ties one to an η speaks of a later
    iteration of that η's tab — which one it may not say (`Error after 100 iterations:` lines above).
    "" if the number is that quantity's at an iteration of that η (searched up to LATER): right there;
    a warning if at none (never a mistake: which iteration is unsure); None if the line names no η."""
    want, test = link.want, link.test
    if not (isinstance(want, Sym) and isinstance(test, Num)) or want.name.startswith(NEW) or _later(want.name):
        return None
    rates = list(dict.fromkeys(extract.rates_said(line)))
    if not rates or extract.iteration_said(line):  # `row 50 (iteration 1): E_total = 0.0125 for η = 2`
        return None
    for eta in rates:
        p = basis.seed_point(basis.name, eta)
        for _ in range(LATER):
            try:
                v = value(want, p)
            except Skip:
                return None
            if not math.isfinite(v):
                break
            if _printed_as(v, test):
                return ""
            p = p.next()
    said = ", ".join(f"{x:g}" for x in rates)
    return (f"{want.name} = {test.text} beside η = {said}: at the first iteration {want.name} is the same for every η, "
            f"so the line speaks of a later one, it seems; it is {want.name} at none of the first {LATER:,} "
            "iterations there: which is it?")  # fmt: skip


def a_later_weight(basis: "Basis", link: Link) -> str | None:
    """`w_1 = 0.149687` under `Update to row 3:`: a weight given a bare number (not said to be after the
    step) that is that weight's at the third, fourth or fifth row of a tab of an η the file speaks of — a
    worked example goes on to those — which no heading here says; a warning, never blamed (at one step of
    η = 1, 0.149683, it was). Only for numbers printed to five decimals or more, and no later row: a weight
    moves 0.00002 a row at η = 0.1, and so passes through most numbers near it in a thousand rows."""
    want, test = link.want, link.test
    if not (isinstance(want, Sym) and isinstance(test, Num)) or unit(test.text) > 1e-5 or _later(want.name):
        return None
    weight = want.name
    if not names.is_param(weight):
        return None
    for eta in basis.said_etas:
        p = basis.seed_point(basis.name, eta).next()
        for k in range(3, 6):
            p = p.next()
            try:
                v = p.value(weight)
            except Skip:
                return None
            if _printed_as(v, test):
                return (f"{want.name} = {test.text} is {weight} at iteration {k} (η = {eta:g}): which iteration "
                        "the line speaks of is not said")  # fmt: skip
    return None


def another_at_the_first(basis: "Basis", link: Link) -> bool:
    """Whether a number the link quotes is another computed quantity's at the first iteration (`∂E/∂w6 =
    0.0722`, w5's; `0.25 − 0.5·0.00070`, w4's gradient in w3's step): a slip of the first iteration, where
    its neighbours speak of that one, more than the same quantity's at the second (0.0722 is ∂E/∂w6 there
    too, to four digits)."""
    exact_ = exact(basis, basis.name)
    lits = [x for side in (link.want, link.test) for x in eq.walk(side) if isinstance(x, Num)]
    own = {x.name for side in (link.want, link.test) for x in eq.walk(side) if isinstance(x, Sym)}
    for lit in lits:
        if structural(lit.value) or round(lit.value, 12) in exact_:
            continue
        what = _what_is(basis, lit)
        if what and what.endswith(" at the first iteration") and what.split()[0] not in own:
            return True
    return False


def _what_is(basis: "Basis", num: Num) -> str | None:
    """The quantity a printed number is, at the first iteration or the second (for each η)."""
    p = basis.seed_point(basis.name, basis.etas[0])
    for name, v in p.quantities():
        if _printed_as(v, num):
            return f"{name} at the first iteration"
    for eta in basis.etas:
        for name, v in basis.seed_point(basis.name, eta).next().quantities():
            if _printed_as(v, num) and not names.is_param(name):
                return f"{name} at iteration 2, η = {eta:g}"
    return None


def _exact_beside(side, other, exact_: set[float]) -> set[float]:
    """The numbers of a side quoted exactly: a given value's (0.15 in `0.15 − 0.1·0.000317`), but not a
    side that is one number set equal to a computed quantity (`a_h1 = 0.53`, a_h1 0.5343 rounded): that
    it is also w6's value is chance, and it is as rounded as any result; nor one set equal to arithmetic
    (`0.15 − 0.5·0.000317 = 0.150`: 0.1498 to three digits, that it is w1's 0.15 is chance too)."""
    lone = isinstance(other, Num) or isinstance(other, eq.Neg) and isinstance(other.arg, Num)
    if isinstance(side, Num) and not given(other) and not (numeric(other) and lone):
        return exact_ - {round(side.value, 12)}
    return exact_


def _stepped(e) -> bool:
    """w5 after the step: the left side of an update."""
    return isinstance(e, Sym) and e.name.startswith(NEW)


def uses_eta(link: Link) -> bool:
    """Whether a link's truth depends on the learning rate (an update, a number of iteration 2)."""
    return link.eta is not None or _uses_eta(link.want) or _uses_eta(link.test)


def _uses_eta(e) -> bool:
    return any(isinstance(x, Sym) and (x.name == names.ETA or x.name.startswith(NEW) or _later(x.name))
               for x in eq.walk(e))  # fmt: skip


def beyond_the_second(e) -> bool:
    """Whether a tree speaks of a quantity at the third iteration or later (a table's loss after 10 steps)."""
    return any(isinstance(x, Sym) and iteration_of(x.name) > 2 for x in eq.walk(e))


def _later(name: str) -> bool:
    """A quantity at the second iteration or a later one (which η gets it there), or a function of one
    (σ(o2 at iteration 2))."""
    return any(int(k) > 1 for k in _AT_ITERATION.findall(name))


_AT_ITERATION = re.compile(r" at iteration (\d+)")  # points.at's suffix, at the end of a name or inside a call


def unit(text: str) -> float:
    """One unit of a printed number's last digit: 0.6064 -> 0.0001 (rounded or cut, both fit)."""
    if text == "½":
        return 0.0
    mantissa, _, exponent = text.lower().partition("e")
    # 6.00e-05 as NumPy prints a number it rounded to six decimals, padded to the width of its array's
    # others (1.93e-04): the zeros a mantissa ends on say nothing of the digits
    decimals = len(mantissa.partition(".")[2].rstrip("0") if exponent else mantissa.partition(".")[2])
    try:
        return 10.0 ** (int(exponent or 0) - decimals)
    except (OverflowError, ValueError):  # 1e400: no double holds it, nor anything near it
        return math.inf


def _printed_as(v: float, num: Num) -> bool:
    """Whether v, rounded or cut at the printed number's last digit, is that number: a_o2 = 0.6305
    is 0.6305 or 0.6304, not 0.7 (a target written wrong is not taken for a_o2)."""
    u, x = unit(num.text), num.value
    return abs(v - x) <= u / 2 * (1 + 1e-9) or (v * x > 0 and 0 <= abs(v) - abs(x) < u)


def _unit_of(e) -> float:
    return min((unit(x.text) for x in eq.walk(e) if isinstance(x, Num) and unit(x.text)), default=1e-6)


def fmt(x: float, tol: float) -> str:
    if not 0 < tol < math.inf or not math.isfinite(x):
        return f"{x:.6g}"
    decimals = max(0, math.ceil(-math.log10(tol) - 1e-6))
    return f"{x:.{decimals}f}"
