"""Each equation as the `=`s it asserts (links): `want` (the side before it, or what a number must be)
against `test`, once for each weight when it speaks of any weight (`w_new = w_old − η·∂E/∂w_old`).
Whether a link speaks of the network's numbers (quoted) or is an identity decides how it is judged."""

import re
from dataclasses import dataclass

from sheetgen.model import names, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup.equations import Deriv, Equation, Num, Partial, Sym
from sheetgen.writeup.extract import step


@dataclass
class Link:
    """One `=` of an equation: `want` (the side before it, or what a number must be) against `test`."""

    line: int
    equation: Equation
    quantity: object  # the equation's left side when it names one quantity, else None
    want: object
    test: object
    first: bool  # the equation's first `=`
    eta: float | None = None  # the learning rate its numbers write (w5 = 0.4 − 0.5·0.0129), if one


def links(equations, net: spec.Spec, etas) -> list[tuple[int, Equation, list[list[Link]]]]:
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
            and numeric(sides[1])
            and numeric(previous[1][-1])
            # arithmetic carried (0.15 − 0.1·0.000315), not a number alone: `E_total = 0.2430` then
            # `E_total = 0.2356` under a table's rows of iterations are two values, no sum to finish
            and not _a_number(previous[1][-1])
        ):
            pairs = [(previous[1][-1], sides[1])]
        if len(sides) > 2 and numeric(sides[-1]):  # t1 = t2 = 0.5: each given value is the number
            pairs = [(a, sides[-1]) if given(a) and given(b) else (a, b) for a, b in pairs]
        eta = (
            equation.eta
            if equation.eta is not None
            else next((x for s in sides if (x := _step_eta(s, etas, equation.update)) is not None), None)
        )
        generic = any(a in (eq.GENERIC, eq.NEW_GENERIC) for s in sides for a in eq.atoms(s))
        mappings = [{eq.GENERIC: names.weight(k)} for k in range(1, len(net.weights) + 1)] if generic else [{}]
        instances = [
            [Link(n, equation, quantity and eq.rename(quantity, m), eq.rename(a, m), eq.rename(b, m), i == 0, eta)
             for i, (a, b) in enumerate(pairs)]
            for m in mappings
        ]  # fmt: skip
        out.append((n, equation, instances))
        previous = (n, sides)
    return out


def _a_number(e) -> bool:
    return isinstance(e, Num) or isinstance(e, eq.Neg) and isinstance(e.arg, Num)


def _step_eta(e, etas, update: bool = False) -> float | None:
    """The η of a step of gradient descent in numbers, 0.4 − 0.5·0.0128808: the factor that is one
    of the file's learning rates (or the assignment's); 1 for an update's 0.4 − 0.072157."""
    found = step(e, unwritten=update)
    return next((x.value for x in found[1:] if x.value in etas), None) if found else None


def stated(links_) -> dict[str, float]:
    """The given values the file states (i1 = 0.12; t1 = t2 = 0.5; a table's | w1 | 0.3 |): each name's
    first statement, for a later w5 = 0.3936 may be w5 after a step."""
    out = {}
    for _, equation, instances in links_:
        for link in instances[0]:
            if not equation.update and given(link.want) and isinstance(link.test, Num):
                out.setdefault(link.want.name, link.test.value)
    return out


def name(e) -> str:
    return e.name if isinstance(e, Sym | Partial) else eq.render(e)


def shown(link: Link) -> str:
    """The quantity a mistake is about, as the left side names it (w8 in `w8 = w6 − η·∂E/∂w6`)."""
    if link.quantity is None:
        return eq.render(link.want)
    q = name(link.quantity)
    return q.removeprefix(NEW) if link.equation.update else q


def numeric(e) -> bool:
    """A side of printed numbers only: `0.15 - 0.1 * 0.000315`."""
    return not any(isinstance(x, Sym | Partial | Deriv) for x in eq.walk(e))


def structural(x: float) -> bool:
    """A number of an equation's form (½, 1 − a, 2), not a quoted value."""
    return float(x).is_integer() or x == 0.5


def given(e) -> bool:
    """An input, target, weight or bias as written: a value the network is given, computed from nothing."""
    return isinstance(e, Sym) and re.fullmatch(r"[itwb]\d+", e.name) is not None


def _valued_step(link: Link) -> bool:
    """`w7 ← 0.5 − 0.5·∇w7`: a step written with a number beside the gradient's factor (the weight's value
    here, 0.5 as well as η), which speaks of this iteration's numbers, not of every point's."""
    if not (isinstance(link.want, Sym) and link.want.name.startswith(NEW)):
        return False
    factors = {id(x.left) for x in eq.walk(link.test)
               if isinstance(x, eq.Op) and x.op == "*" and isinstance(x.right, Partial | Deriv)}  # fmt: skip
    return any(isinstance(x, Num) and id(x) not in factors for x in eq.walk(link.test))


def quoted(link: Link) -> bool:
    """Whether a link speaks of the network's numbers: a side of numbers only, or a quoted value in it;
    or two given values (t1 = t2), which no identity relates: only their values can be equal."""
    sides = (link.want, link.test)
    return (
        _valued_step(link)
        or any(numeric(s) for s in sides)
        or any(isinstance(x, Num) and not structural(x.value) for s in sides for x in eq.walk(s))
        or all(given(s) for s in sides)
    )
