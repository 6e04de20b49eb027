"""Identities — a definition (h1 = w1·i1 + w2·i2), a local partial (∂a_o1/∂o1 = a_o1·(1 − a_o1)), a
chain product, a closed form, an update rule — judged at several random points of (inputs, targets,
weights, η): the sides of each `=` must agree at every one. One that does not is diagnosed
(diagnosis.py), unless it is a definition with terms held constant for a derivative."""

import copy
import itertools
import math
import re

from sheetgen.model import names, reference, spec
from sheetgen.model.spelling import NEW
from sheetgen.writeup import diagnosis, extract
from sheetgen.writeup import equations as eq
from sheetgen.writeup.basis import Basis
from sheetgen.writeup.equations import Deriv, Op, Partial, Sym
from sheetgen.writeup.links import Link, quoted
from sheetgen.writeup.points import UNCOMPUTABLE, Point, Skip, all_close, value
from sheetgen.writeup.result import LineFinding


def judge(basis: "Basis", link: Link) -> LineFinding | str | None:
    """Right (None), a warning (str), or what is wrong with it."""
    if _given_only(link):
        raise Skip(GIVEN_ONLY)
    points = basis.points
    eta = link.eta if link.eta is not None else _written_eta(link.test, basis.etas)
    if eta is None and _unwritten_eta(link):  # `w ← w − ∂E/∂w`: a step of η = 1, if the file says so
        if 1.0 not in basis.said_etas:
            raise Skip("a step with no η written, and the file does not say η = 1")
        eta = 1.0
    if eta is not None and names.ETA not in [*eq.atoms(link.want), *eq.atoms(link.test)]:
        # `w_new = w − 2.0·∂E/∂w`: the step at the η it writes, which the random points must not vary
        points = [_at_eta(p, eta) for p in points]
    want, got = [value(link.want, p) for p in points], [value(link.test, p) for p in points]
    if not any(map(math.isfinite, want)) or not any(map(math.isfinite, got)):
        raise Skip(UNCOMPUTABLE)
    if all_close(want, got):
        return None
    if (named := _targets_named(basis, link)) is not None and all_close(*map(basis.values, named)):
        return None  # E_total = ½(0.5 − a_o1)² + …: the target written as its number is the target
    if link.first and (held := _held_constant(basis, link, got)):
        return held
    return diagnosis.finding(basis, link, want, got)


# `i_2 = 3·i_1`, `t1 = t2`: what the file chose its given values to be, no identity of the network (the
# random points vary them apart); its numbers, when it states them, are read as the network it states
GIVEN_ONLY = "it relates given values (inputs, targets, initial weights) the file chose, not what the network computes"
_GIVEN = re.compile(r"[it]\d+|[wb]\d+")


def _unwritten_eta(link: Link) -> bool:
    """An update whose step is the gradient alone (`w_new = w − ∂E/∂w`), as extract.as_update reads one."""
    want = link.want
    stepped = isinstance(want, Sym) and want.name.startswith(NEW)
    return stepped and extract.gradient_alone(link.test, want.name[len(NEW) :])


def _written_eta(e, etas) -> float | None:
    """The η a step writes as a number before a gradient (`w − 2.0·∂E/∂w`), if one of the file's."""
    for x in eq.walk(e):
        if isinstance(x, Op) and x.op == "*" and isinstance(x.left, eq.Num) and isinstance(x.right, Partial | Deriv):
            if x.left.value in etas:
                return x.left.value
    return None


def _at_eta(p: Point, eta: float) -> Point:
    at = copy.copy(p)
    at.eta, at._next = eta, None  # its step after this one is at this η too
    return at


def _given_only(link: Link) -> bool:
    names_ = [*eq.atoms(link.want), *eq.atoms(link.test)]
    nodes = [*eq.walk(link.want), *eq.walk(link.test)]
    return (
        bool(names_)
        and all(_GIVEN.fullmatch(a) for a in names_)
        and not any(isinstance(x, Partial | Deriv) for x in nodes)
    )


def _targets_named(basis: "Basis", link: Link) -> tuple | None:
    """The link with each number that stands beside an output (0.5 − a_o1, a_o2 − 0.5) and is that output's
    target's given value written as t1, t2 — or None if there is none: a target given as its number is
    the target, which the random points vary."""
    net = basis.net
    outputs = {names.act(names.neuron(net.layers, len(net.layers) - 1, k + 1)): k for k in range(net.layers[-1])}
    nets = {names.neuron(net.layers, len(net.layers) - 1, k + 1): k for k in range(net.layers[-1])}
    found = False

    def outs_of(e) -> set[int]:  # the outputs a side names: a_o1, or σ(o1) written out
        found_ = {outputs[a] for a in eq.atoms(e) if a in outputs}
        return found_ | {nets[x.arg.name] for x in eq.walk(e)
                         if isinstance(x, eq.Call) and isinstance(x.arg, Sym) and x.arg.name in nets}  # fmt: skip

    def named(e):
        nonlocal found
        if isinstance(e, Op):
            left, right = named(e.left), named(e.right)
            if e.op == "-":
                for num, other, put in ((left, right, 0), (right, left, 1)):
                    outs = outs_of(other)
                    if isinstance(num, eq.Num) and len(outs) == 1:
                        k = outs.pop()
                        if k < len(net.targets) and round(num.value, 12) == round(net.targets[k], 12):
                            found = True
                            t = Sym(names.target(k + 1))
                            left, right = (t, right) if put == 0 else (left, t)
            return Op(e.op, left, right)
        if isinstance(e, eq.Neg):
            return eq.Neg(named(e.arg))
        if isinstance(e, eq.Call):
            return eq.Call(e.fn, named(e.arg))
        return e

    sides = (named(link.want), named(link.test))
    return sides if found else None


def holding(links_, points) -> tuple[int, int]:
    """How many of the identities hold at the points, of how many."""
    held = total = 0
    for _, _, instances in links_:
        for link in instances[0]:
            if quoted(link):
                continue
            try:
                want, got = [value(link.want, p) for p in points], [value(link.test, p) for p in points]
            except Skip:
                continue
            total += 1
            held += all(map(math.isfinite, want + got)) and all_close(want, got)
    return held, total


def _held_constant(basis: "Basis", link: Link, got) -> str | None:
    """`o1 = a_h1*w5 (w6 assumed constant …)`: a definition with terms left out that it holds
    constant for a derivative. Said as a warning, not blamed."""
    q = link.quantity
    if not isinstance(q, Sym) or any(isinstance(x, Partial | Deriv) for x in eq.walk(link.test)):
        return None
    terms = _terms(basis.net, q.name)
    for size in range(1, len(terms)):
        for dropped in itertools.combinations(range(len(terms)), size):
            kept = [t for k, t in enumerate(terms) if k not in dropped]
            if all_close(got, [sum(value(t, p) for t in kept) for p in basis.points]):
                left_out = " + ".join(eq.render(terms[k]) for k in dropped)
                return (f"{link.equation.text!r} is {q.name} without {left_out} (held constant for a "
                        "derivative): not blamed")  # fmt: skip
    return None


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
