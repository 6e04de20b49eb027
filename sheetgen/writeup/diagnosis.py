"""Why a wrong identity is wrong, in the workbook judge's words (check.diagnose): the one symbol (or
two) whose swap makes it right, a sign, a missing ½, the chain rule through one output only, the left
side naming another quantity, a wrong definition of σ or σ′ — each a Finding with its code."""

import itertools
import re

from sheetgen.build import formulas
from sheetgen.model import names, reference, slips, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import equations as eq
from sheetgen.writeup.basis import Basis
from sheetgen.writeup.equations import Partial, Sym
from sheetgen.writeup.links import Link, name, shown
from sheetgen.writeup.points import all_close, value
from sheetgen.writeup.result import LineFinding, at_line

DEFINITIONS = {"σ(x)": "1/(1 + exp(−x))", "σ'(x)": "σ(x)·(1 − σ(x))"}  # what a wrong definition is told


def finding(basis: "Basis", link: Link, want, got) -> LineFinding:
    """The single change that makes `test` equal `want`, in the workbook judge's words: (code, why, and
    the right side as it should read: the line's own, changed; else the quantity's rule)."""
    q = name(link.quantity) if link.quantity is not None else eq.render(link.want)
    found = _swapped(basis, link, q, want)
    if found is None:
        canonical = _canonical(basis.net, q) or DEFINITIONS.get(q) or eq.render(link.want)
        found = (
            _scaled(basis, link, want, got)
            or _one_path(basis, link, q, want, got)
            or _left_side(basis, link, q, want, got)
            or _swapped_two(basis, link, q, want)
            or _not_the_rule(basis, link, q)
        )
        found = (*found[:2], found[2] or canonical)
    code, why, expected = found
    return at_line(link.line, link.equation.text, code, shown(link), why, expected, eq.render(link.test))


def _known(q: str, x: str, y: str) -> str:
    """Whose slip writing x where y belongs is, if a seed's or the class sheet's."""
    note = slips.KNOWN_SLIPS.get((q.removeprefix(NEW), x, y))
    return f" — {note}" if note else ""


def _swaps(basis: "Basis", test) -> list[tuple[str, str]]:
    return [(x, y) for x in eq.atoms(test) for y in _same_kind(basis.net, x)]


def _swapped(basis: "Basis", link: Link, q: str, want):
    """One symbol where another belongs, everywhere it is written, or in one of the places it is
    written (w3·i1 + w4·i1)."""
    test = link.test
    for x, y in _swaps(basis, test):
        fixed = eq.rename(test, {x: y})
        if all_close(basis.values(fixed), want):
            return "swap-reference", f"uses {x} where {y} belongs{_known(q, x, y)}", eq.render(fixed)
    written = [x for x in eq.walk(test) if isinstance(x, Sym)]
    for node in written:
        if sum(x == node for x in written) > 1:
            for y in _same_kind(basis.net, node.name):
                fixed = eq.substitute(test, node, Sym(y))
                if all_close(basis.values(fixed), want):
                    why = f"uses {node.name} where {y} belongs{_known(q, node.name, y)}"
                    return "swap-reference", why, eq.render(fixed)
    return None


def _scaled(basis: "Basis", link: Link, want, got):
    """A sign, a missing or an extra ½; a step of gradient descent that goes up the gradient."""
    if all_close([-g for g in got], want):
        return "sign", "the sign is wrong", None
    if all_close([g * 0.5 for g in got], want):
        return "missing-half", "a missing ½: gives twice the expected value", None
    if all_close([g * 2 for g in got], want):
        return "missing-half", "an extra ½: gives half the expected value", None
    lq = link.quantity
    if isinstance(lq, Sym) and lq.name.startswith(NEW):  # w ← w + η·∂E/∂w
        before = basis.values(Sym(lq.name.removeprefix(NEW)))
        if all_close(got, [2 * b - w for b, w in zip(before, want)]):
            return "sign", "the step goes up the gradient: + η·∂E_total/∂w where − belongs", None
    return None


def _one_path(basis: "Basis", link: Link, q: str, want, got):
    """The chain rule through one output only."""
    lq = link.quantity
    if not (isinstance(lq, Partial) and lq.of == names.E_TOTAL):
        return None
    outputs = range(1, basis.net.layers[-1] + 1)
    for j in outputs:
        through = basis.values(Partial(names.loss(j), lq.by))
        if all_close(got, through) and not all_close(through, want):
            others = ", ".join(f"o{k}" for k in outputs if k != j)
            slip = f" — {slips.MISSING_PATH_SLIP}" if re.fullmatch(r"w[1-4]", lq.by) else ""
            return "one-path", f"{q} through o{j} only: the path through {others} is missing{slip}", None
    return None


def _left_side(basis: "Basis", link: Link, q: str, want, got):
    """The right side is another quantity's: the left side names the wrong one."""
    if link.quantity is None:
        return None
    for other, values in _candidate_values(basis):
        if other != q and all_close(got, values) and not all_close(values, want):
            why = f"the right side is {other}, not {q}: the left side should say {other}"
            return "wrong-left-side", why, f"{other} = {eq.render(link.test)}"
    return None


def _swapped_two(basis: "Basis", link: Link, q: str, want):
    """Two symbols at once where two others belong."""
    for (x1, y1), (x2, y2) in itertools.islice(itertools.combinations(_swaps(basis, link.test), 2), 20_000):
        if x1 == x2:
            continue
        fixed = eq.rename(link.test, {x1: y1, x2: y2})
        if all_close(basis.values(fixed), want):
            why = f"uses {x1} and {x2} where {y1} and {y2} belong{_known(q, x1, y1) or _known(q, x2, y2)}"
            return "swap-reference", why, eq.render(fixed)
    return None


def _not_the_rule(basis: "Basis", link: Link, q: str):
    """No single change explains it: said as such; a function's definition (σ'(x) = σ(x)) at x = 1."""
    test = eq.render(link.test)
    if eq.free_variable(link.want) == eq.FREE:
        p, at = basis.points[0], {eq.FREE: 1.0}
        right, wrong = value(link.want, p, at), value(link.test, p, at)
        why = f"{test} is not {q}: at x = 1, {q} is {right:.4g} and {test} {wrong:.4g}"
        return "wrong-definition", why, None
    return "wrong-value", f"{test} is not {q}", None


def _candidate_values(basis: "Basis"):
    """Every quantity and partial the network has, with its values at the random points: what a
    right side may be instead of its left side's quantity."""
    if basis.candidates is None:
        n = basis.net
        nodes = [q for q in basis.points[0].values if not names.of_grad(q)]
        weights = [names.weight(k) for k in range(1, len(n.weights) + 1)]
        losses = [q for q in nodes if names.is_loss(q)]
        neurons = [q for q in nodes if not names.is_loss(q)]
        trees = [Sym(q) for q in nodes + weights] + [Sym(NEW + w) for w in weights]
        for of in sorted(losses, key=lambda q: q != names.E_TOTAL) + neurons:
            trees += [Partial(of, by) for by in weights + neurons if by != of]
        basis.candidates = [(name(t), basis.values(t)) for t in trees]
    return basis.candidates


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


def _canonical(net: spec.Spec, q: str) -> str | None:
    """A quantity's right side as the workbook writes it (formulas.rules, hidden gradients written out)."""
    rules = formulas.rules(net)
    bare = q.removeprefix(NEW)
    if bare not in rules or (q == bare and names.is_param(bare)):
        return None
    hidden = {r for r in rules if (of := names.of_grad(r)) and not names.is_param(of)}
    tree = formulas.expand(rules[bare].rest, rules, hidden)
    return formulas.render(tree, lambda n, previous: n, formulas.DISPLAY)[1:]
