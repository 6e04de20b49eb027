"""Which network a write-up's numbers are judged on (its first iteration, within one unit of each
number's last printed digit), and with which loss its identities are.

The one the user names (a template, a student of a class), or else the one the file's numbers fit of
the seeds' two (ERA: t1 = t2 = 0.5; EVA8: t1 = 0.01, t2 = 0.99) and the one the file states (every i,
t and w given, as a student with numbers of their own writes them). Numbers that fit none of these
are not judged: one warning says so, as blaming each of them would blame a write-up of another
network for every number it quotes. A write-up whose identities hold with softmax outputs and
cross-entropy (E1 = −t1·ln(a_o1)) rather than the seeds' ½(t1 − a_o1)² is judged with that loss.
"""

from dataclasses import replace

from sheetgen.model import names, spec
from sheetgen.writeup import identities, numbers
from sheetgen.writeup.basis import MIN_EVIDENCE, NETWORKS, Basis
from sheetgen.writeup.links import given, links, numeric, quoted, stated
from sheetgen.writeup.points import Skip, random_points

STATED = "stated"  # the network a write-up states: every input, target and weight given in it
PARTLY = "+stated"  # after a seed's name: that network with the groups of given values the file states


def choose(basis: Basis, equations, result, network_of=None) -> list:
    """The network the numbers are judged on, said as the result's `network` line; the equations'
    links on it. `network_of(stated)` gives the user's (what to call it, its Spec, why it is this one)
    from the given values the file states, or None."""
    found = links(equations, basis.net, basis.etas)
    result.stated = stated(found)
    given = network_of(result.stated) if network_of else None
    if given:  # the user says whose numbers these are: they are judged there, whatever they fit
        name, net, why = given
        basis.use(name, net)
        found = links(equations, net, basis.etas)  # `w_new = w_old − …` once for each of its weights
        result.network = f"numbers checked against {name}'s first iteration ({givens(net)}): {why}"
        return found
    _choose_loss(basis, found)
    if (net := _stated_network(basis, result.stated)) is not None:
        basis.nets[STATED] = net
    else:
        basis.nets |= _partly_stated(basis, result.stated)
    result.network = _choose_network(basis, found, result.warnings)
    return found


def _choose_loss(basis: Basis, links_) -> None:
    """Cross-entropy (a softmax output layer, E1 = −t1·ln(a_o1)) when more of the file's identities
    hold with it than with the seeds' E1 = ½(t1 − a_o1)²: a write-up of a template's cross-entropy
    net, as `sheetgen report` writes one. The seeds' loss on a tie."""
    held, total = identities.holding(links_, basis.points)
    if held == total:
        return
    nets = {name: replace(n, loss="cross_entropy", activations=(*n.activations[:-1], spec.SOFTMAX))
            for name, n in basis.nets.items()}  # fmt: skip
    points = random_points(nets[basis.name])
    if identities.holding(links_, points)[0] > held:
        basis.nets, basis.net, basis.points = nets, nets[basis.name], points


def _stated_network(basis: Basis, said: dict[str, float]) -> spec.Spec | None:
    """The seeds' network with the numbers the file states, when it states every input, target and
    weight (fewer do not fix a network: the seeds' numbers for the rest would be a guess) and they
    are not one of the seeds' networks' own."""
    n = basis.nets[NETWORKS[0]]
    labels = [[f(k) for k in range(1, len(xs) + 1)] for f, xs in
              ((names.input_, n.inputs), (names.target, n.targets), (names.weight, n.weights))]  # fmt: skip
    if not all(q in said for group in labels for q in group):
        return None
    ins, ts, ws = (tuple(said[q] for q in group) for group in labels)
    if any((s.inputs, s.targets, s.weights) == (ins, ts, ws) for s in basis.nets.values()):
        return None
    if any(_stepped(basis, name, ins, ts, ws) for name in basis.nets):
        return None  # `Updated weights: w1 = 0.149842, …`: a seed network one step on, not a network of its own
    return replace(n, inputs=ins, targets=ts, weights=ws)


def _partly_stated(basis: Basis, said: dict[str, float]) -> dict[str, spec.Spec]:
    """Each seed network with every group of given values the file states whole — all its inputs, all
    its targets or all its weights (`I kept the class weights but fed it i1 = 0.1, i2 = 0.3`) — and the
    seed's own for the rest; a candidate only, kept if the file's numbers fit it best (_choose_network).
    A group stated in part is no choice of the file's (w5 = 0.35: an updated weight, as often), and a
    candidate must hold every given value the file states."""
    out = {}
    for name, n in list(basis.nets.items()):
        groups = {}
        for field, f, xs in (("inputs", names.input_, n.inputs), ("targets", names.target, n.targets),
                             ("weights", names.weight, n.weights)):  # fmt: skip
            labels = [f(k) for k in range(1, len(xs) + 1)]
            if all(q in said for q in labels):
                groups[field] = tuple(said[q] for q in labels)
        if not groups:
            continue
        net = replace(n, **groups)
        if any(said[q] != x for q, x in _given_values(net).items() if q in said):
            continue  # t1 = 0.4 stated, t2 not: the seed's t2 beside it would be a guess
        seen = [*basis.nets.values(), *out.values()]  # ERA's and EVA8's differ in their targets alone
        if any((s.inputs, s.targets, s.weights) == (net.inputs, net.targets, net.weights) for s in seen):
            continue
        if "weights" in groups and _stepped(basis, name, net.inputs, net.targets, net.weights):
            continue
        out[f"{name}{PARTLY}"] = net
    return out


def _given_values(net: spec.Spec) -> dict[str, float]:
    groups = ((names.input_, net.inputs), (names.target, net.targets), (names.weight, net.weights))
    return {f(k): x for f, xs in groups for k, x in enumerate(xs, 1)}


def _stepped(basis: Basis, name: str, ins, ts, ws) -> bool:
    """Whether the weights stated are a seed network's after one step (at an η the file may use), as
    printed: the first weights it states are then its updated ones (the initial ones left unsaid)."""
    n = basis.nets[name]
    if (n.inputs, n.targets) != (ins, ts):
        return False
    for eta in basis.etas:
        after = basis.seed_point(name, eta).next().given
        if all(abs(after[names.weight(k)] - w) <= 0.51 * _unit(w) for k, w in enumerate(ws, 1)):
            return True
    return False


def _unit(x: float) -> float:
    """One unit of the last digit of x as printed (0.149842 -> 1e-6)."""
    decimals = len(repr(x).partition(".")[2]) if "e" not in repr(x) else 12
    return 10.0**-decimals


def _fit(basis: Basis, links_, name: str, computed: bool = False) -> tuple[int, int]:
    """How many of the numbers the file quotes fit a network's first iteration, of how many; `computed`:
    of the numbers of computed quantities only (a given value stated fits the network that holds it)."""
    fit = total = 0
    for _, _, instances in links_:
        for link in instances[0]:
            # a number of the third iteration or later is evidence of the network's trajectory, not of
            # its first iteration (a loss after 10 steps fits only a network that is right in every digit)
            if not quoted(link) or numbers.beyond_the_second(link.want) or numbers.beyond_the_second(link.test):
                continue
            if computed and any(given(a) and numeric(b) for a, b in ((link.want, link.test), (link.test, link.want))):
                continue
            try:
                fit += numbers.agree(basis, link, name) is not None
                total += 1
            except Skip:
                pass
    return fit, total


def _fit_only(basis: Basis, links_, name: str, other: str) -> int:
    """How many numbers of the file's first two iterations fit one network and not the other: a file that
    speaks of both (`| weight | EVA new | ERA new |`) has several of each."""
    only = 0
    for _, _, instances in links_:
        for link in instances[0]:
            if not quoted(link) or numbers.beyond_the_second(link.want) or numbers.beyond_the_second(link.test):
                continue
            try:
                only += numbers.agree(basis, link, name) is not None and numbers.agree(basis, link, other) is None
            except Skip:
                pass
    return only


def _choose_network(basis: Basis, links_, warnings: list) -> str:
    """The network whose first iteration the file's numbers fit best (ERA on a tie), said as the
    result's `network` line. Numbers that fit none of them (fewer than half of them fit the best)
    are a network the file does not fully state, or mistakes; not judged, and said once."""
    scores = {name: _fit(basis, links_, name) for name in basis.nets}
    best = max(basis.nets, key=lambda name: scores[name][0])  # max keeps the first on a tie
    basis.name, basis.net = best, basis.nets[best]
    fit, total = scores[best]
    basis.evidence = fit
    if best.endswith(PARTLY):  # the given values it was made of fit it by construction: no evidence
        fit_computed, total_computed = _fit(basis, links_, best, computed=True)
        if total_computed and 2 * fit_computed < total_computed:
            fit, total = fit_computed, total_computed
    basis.also = [name for name in NETWORKS if name in basis.nets and name != best
                  and _fit_only(basis, links_, name, best) >= MIN_EVIDENCE]  # fmt: skip
    others = ", ".join(f"{scores[name][0]} {_called(name)}" for name in basis.nets if name != best)
    if total and 2 * fit < total:
        basis.numbers = False
        fits = f"{fit} of the {total} it quotes fit {_called(best)}, {others}"
        neither = " nor ".join(map(_called, basis.nets))
        why = f"its numbers fit neither {neither} first iteration ({fits}): not judged"
        warnings.append((None, f"{why}; give --template or --class to judge them"))
        return f"numbers not judged: they fit no network's first iteration ({fits})"
    if best == STATED or best.endswith(PARTLY):
        where = f"the network the file states ({givens(basis.net)})"
        if best != STATED:
            seed = best.removesuffix(PARTLY).upper()
            where = f"the given values the file states, {seed}'s for the rest ({givens(basis.net)})"
        why = f"{fit} of the {total} numbers it quotes fit it, {others}"
    else:
        t = ", ".join(f"{names.target(k)} = {x:g}" for k, x in enumerate(basis.net.targets, 1))
        ce = ", softmax outputs and cross-entropy" if basis.net.loss == "cross_entropy" else ""
        where = f"{best.upper()}'s first iteration ({t}{ce})"
        why = f"{fit} of the {total} numbers it quotes fit these targets, {others}"
        why = why if total else "it quotes no numbers"
    return f"numbers checked against {where}: {why}"


def givens(net: spec.Spec, most: int = 12) -> str:
    """A network's given values, as a write-up states them: i1 = 0.12, i2 = 0.3, t1 = 0.4, …"""
    values = [(names.input_(n), x) for n, x in enumerate(net.inputs, 1)]
    values += [(names.target(n), x) for n, x in enumerate(net.targets, 1)]
    values += [(names.weight(k), x) for k, x in enumerate(net.weights, 1)]
    values += [(names.bias(k), x) for k, x in enumerate(net.biases, 1)]
    shown = ", ".join(f"{q} = {x:g}" for q, x in values[:most])
    return shown + (f", … ({len(values)} numbers)" if len(values) > most else "")


def _called(name: str) -> str:
    if name.endswith(PARTLY):
        return f"the file's given values with {name.removesuffix(PARTLY).upper()}'s"
    return "the stated network's" if name == STATED else f"{name.upper()}'s"
