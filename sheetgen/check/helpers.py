"""Helper columns: what a sheet computes on the way to a gradient, judged as the quantities they are.

δo1 (∂E_total/∂o1), ∂E_total/∂a_o1, ∂E_total/∂a_h1, each output's share of it (∂E1/∂a_h1, ∂E2/∂a_h1),
a σ′ column (∂a_h1/∂h1), ∂o1/∂w5: each is a quantity of the network, and a cell is right when it is the
right function of the cells it reads. So a gradient that reads a helper's cell is judged on the helper's
value there, right or wrong — the helper's mistake is the helper's alone — and one that computes the
same thing inline on the forward values: each cell's rule pins only the helpers its own formula reads
(`Rule`, called with them; `Plan`, which cells read which). A δ column is read as what its values are
(`settle`): ∂E_total/∂o1, as most sheets mean it, unless its values are ∂E_total/∂a_o1's or the
textbooks' −∂E_total/∂o1.
"""

from sheetgen.check.tables import VALUES_SAY, Table, row_values
from sheetgen.model import names, reference
from sheetgen.model.spec import SOFTMAX, Spec
from sheetgen.model.spelling import delta, delta_readings
from sheetgen.xlsx import excel

RTOL = 1e-9  # a δ column's value agrees with a reading (judge.RTOL)
SAMPLED_ROWS = 8  # rows a δ column's reading is decided on, spread over the table


def base(q: str) -> tuple[str, int | None]:
    """A column's quantity without its sign or sample: −∂E_total/∂o1[2] -> (∂E_total/∂o1, 2)."""
    name, sample = names.unsampled(q)
    return names.of_negative(name) or name, sample


def is_helper(q: str) -> bool:
    """Whether a quantity is a helper: a gradient of no parameter (∂E_total/∂o1, ∂E_total/∂a_h1), one
    output's share of a gradient (∂E1/∂a_h1, ∂E1/∂w5), or a local partial (∂a_h1/∂h1, ∂o1/∂w5)."""
    name = base(q)[0]
    if names.is_local(name):
        return True
    p = names.of_partial(name)
    return p is not None and names.is_loss(p[0]) and (p[0] != names.E_TOTAL or not names.is_param(p[1]))


def rule(spec: Spec, columns) -> "reference.Local | Rule":
    """The rule a table's cells are judged by: the reference's `Local`, or, when the table has helper
    columns, a `Rule` that knows them."""
    if not any(is_helper(q) for q in columns):
        return reference.Local(spec)
    return Rule(spec, columns)


class Rule:
    """reference.Local for a table with helper columns: called with `read` (the helpers a cell's formula
    reads), it pins only those; the others are computed. Besides E_total's: each output's share of a
    gradient (∂E1/∂a_h1, as reference.Local(of=E1) gives it), and ∂E_total/∂a_h1 read as the sum of the
    shares a cell reads; the local partials; a negated quantity (the textbooks' δ)."""

    def __init__(self, spec: Spec, columns):
        self.spec = spec
        self.helpers = frozenset(q for q in columns if is_helper(q))
        partials = sorted({b for q in self.helpers if names.is_local(b := base(q)[0])})
        self.total = reference.Local(spec, partials=partials)
        self.reads = self.total.reads
        # a negated quantity (the textbooks' δ): q -> the quantity it is the negative of
        self.negated = {q: names.sampled(n, s) if s else n for q in columns if q.startswith(names.MINUS)
                        for n, s in [base(q)]}  # fmt: skip
        # each output's share: judged one sample at a time (a row of several samples' keeps them unjudged)
        one = spec.n_samples == 1 or spec.online
        self.shares = [q for q in self.helpers if one and (p := names.of_partial(base(q)[0])) and names.is_loss(p[0])
                       and p[0] != names.E_TOTAL]  # fmt: skip
        outputs = [spec.neuron(len(spec.layers) - 1, j) for j in range(spec.layers[-1])]
        self.losses = [names.loss(j) for j in range(1, len(outputs) + 1)] if self.shares else []
        self.by_loss = {e: reference.Local(spec, of=e, partials=partials) for e in self.losses}
        self.xs = sorted({names.of_partial(q)[1] for q in self.shares})
        # o1 and a_o1 feed E1 alone (no softmax between): their E_total gradient is E1's
        alone = spec.activations[-1] != SOFTMAX and spec.loss != "cross_entropy"
        self.alias = {
            e: [(names.grad(x), names.grad(x, e)) for x in (o, names.act(o))]
            for e, o in zip(self.losses, outputs)
            if alone
        }

    def __call__(self, given: dict[str, float], read=None) -> dict[str, float]:
        if read is not None and not self.helpers <= read:
            given = {q: x for q, x in given.items() if q not in self.helpers or q in read}
        turned = {n: -given[q] for q, n in self.negated.items() if q in given and n not in given}
        if turned:
            given = given | turned
        own, summed = {}, {}
        for e in self.losses:
            extra = {mine: given[t] for t, mine in self.alias.get(e, ()) if t in given and mine not in given}
            own[e] = self.by_loss[e](given | extra if extra else given)
        for x in self.xs:  # ∂E_total/∂a_h1 = ∂E1/∂a_h1 + ∂E2/∂a_h1, the sheet's shares where read
            total, parts = names.grad(x), [names.grad(x, e) for e in self.losses]
            if total in given or not any(p in given for p in parts):
                continue
            values = [given[p] if p in given else own[e].get(p) for p, e in zip(parts, self.losses)]
            if None not in values:
                summed[total] = sum(values[1:], values[0])
        expected = self.total(given | summed if summed else given)
        expected |= summed
        for q in self.shares:
            e = names.of_partial(base(q)[0])[0]
            if q in own[e]:
                expected[q] = own[e][q]
        for q, n in self.negated.items():
            if n in expected:
                expected[q] = -expected[n]
        return expected


def below(spec: Spec) -> dict[str, set[str]]:
    """Every node of the network's graph (an input, a weight, a neuron, its activation, a loss) -> the
    nodes computed from it, however indirectly."""
    edges: dict[str, set[str]] = {}
    wires = reference.wiring(spec)
    senders = [names.input_(i) for i in range(1, spec.layers[0] + 1)]
    for layer in wires:
        for n, conns, bias, _ in layer:
            for k, i in conns:
                edges.setdefault(names.weight(k), set()).add(n)
                edges.setdefault(senders[i], set()).add(n)
            if bias is not None:
                edges.setdefault(names.bias(bias), set()).add(n)
        acts = [names.act(n) for n, *_ in layer]
        for n, *_, activation in layer:
            edges.setdefault(n, set()).update(acts if activation == SOFTMAX else [names.act(n)])
        senders = acts
    outputs = wires[-1]
    together = spec.loss == "cross_entropy" or outputs[0][3] == SOFTMAX
    for j, (n, *_) in enumerate(outputs, 1):
        e = names.loss(j)
        for m, *_ in outputs if together else [(n,)]:
            edges.setdefault(names.act(m), set()).add(e)
            if together:
                edges.setdefault(m, set()).add(e)
        edges.setdefault(e, set()).add(names.E_TOTAL)
    out = {}
    for start in edges:
        seen, todo = set(), list(edges[start])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo += edges.get(x, ())
        out[start] = seen
    return out


def affects(h: str, q: str, down: dict[str, set[str]]) -> bool:
    """Whether pinning helper h may move quantity q's rule: h is a gradient of a node computed from q's
    (the chain rule passes through it), a share summed into it, or the local partial of an edge from
    q's node or one computed from it. Said True when unsure: that costs a call of the rule, never a
    wrong judgement."""
    (hb, hs), (qb, qs) = base(h), base(q)
    if hs is not None and qs is not None and hs != qs:
        return False
    pq = names.of_partial(qb)
    if pq is None or names.is_local(qb):
        return False  # a forward quantity or a local partial: no gradient moves it
    x, ph = pq[1], names.of_partial(hb)
    if ph is None:
        return True
    if names.is_local(hb):
        return ph[1] == x or ph[1] in down.get(x, ())
    return ph[1] in down.get(x, ()) or (ph[1] == x and hb != qb)


class Plan:
    """Which helpers each cell's rule pins, row by row: the helpers its formula reads in its own row.
    `groups(n)`: the row's cells in groups, each judged by one call of the rule — the first pins every
    helper some cell of the row reads, and holds every cell that pinning does not mislead (all of
    them, when the sheet reads its helpers alike); a cell that computes inline what another reads from
    a helper gets a call of its own."""

    def __init__(self, table: Table, rule: Rule, spec: Spec, computed):
        down = below(spec)
        helpers = [q for q in table.columns if q in rule.helpers]

        def moves(h, q):
            # the batch's ∂E_total/∂w1 is the mean of each sample's cells, where the sheet has them
            s = names.unsampled(h)[1]
            return h != q and affects(h, q, down) and (s is None or names.unsampled(q)[1] is not None or
                                                       names.sampled(q, s) not in table.columns)  # fmt: skip

        # only the cells some helper's pin may move need to say what they read
        self.moved = {q: frozenset(h for h in helpers if moves(h, q)) for q in computed}
        self.moved = {q: hs for q, hs in self.moved.items() if hs}
        columns = {table.columns[h]: h for h in helpers}
        self.reads = {q: reads(table, table.columns[q], columns) for q in self.moved}
        self.everything = frozenset(helpers)
        self._memo: dict = {}

    def groups(self, n: int) -> list[tuple[frozenset, list[str] | None]]:
        """[(the helpers pinned, the cells judged so)] for row n (from 0); the first group's cells are
        None: every cell not in another group."""
        key = tuple(self.reads[q][n] for q in self.moved)
        if key not in self._memo:
            read = {q: self.everything if s is None else s for q, s in zip(self.moved, key)}
            pinned = frozenset().union(*read.values())
            apart: dict[frozenset, list[str]] = {}
            for q, moved in self.moved.items():
                if (pinned - read[q]) & moved:
                    apart.setdefault(read[q] & moved, []).append(q)
            self._memo[key] = [(pinned, None), *apart.items()]
        return self._memo[key]


def reads(table: Table, c: int, helpers: dict[int, str]) -> list[frozenset | None]:
    """The helpers the formula of column c reads in its own row, row by row (None: its formula's text is
    not known). A formula copied down the column is read once."""
    sheet, out, memo = table.sheet, [], {}
    for r in table.rows:
        formula = None
        key = sheet.shape(r, c)
        if key is None:
            formula = sheet.formula(r, c)
            if formula is None or not isinstance(formula, str):
                out.append(frozenset() if formula is None else None)
                continue
            key = excel.shape(formula, r) or (r, formula)
        if key not in memo:
            memo[key] = _refs(formula if formula is not None else sheet.formula(r, c), r, sheet.name, helpers)
        found = memo[key]
        if found is None:
            out.append(None)
            continue
        relative, absolute = found
        out.append(relative | frozenset(q for row, q in absolute if row == r) if absolute else relative)
    return out


def _refs(formula, r: int, sheet: str, helpers: dict[int, str]):
    """(the helpers read in the formula's own row by relative references, [(row, helper)] read by
    absolute ones), or None for a formula that cannot be read."""
    if not isinstance(formula, str):
        return None
    try:
        refs = excel.refs(formula)
    except excel.FormulaError:
        return None
    relative, absolute = set(), []
    for ref in refs:
        if ref.sheet not in (None, sheet) or ref.size > 1000:
            continue
        for row, col in ref.cells():
            if col in helpers:
                if ref.row_abs:
                    absolute.append((row, helpers[col]))
                elif row == r:
                    relative.add(helpers[col])
    return frozenset(relative), absolute


def settle(table: Table, spec: Spec) -> None:
    """Each δ column read as what its values are: of δ_o1's readings (spelling.delta_readings) the one
    most of a few spread rows agree with, each judged on the helpers the column reads; ∂E_total/∂o1
    when none agrees more. The table's columns, spellings and read_as are renamed to it."""
    found = [(q, n) for q in table.columns if (n := delta(table.spellings.get(q, ""))) and q == names.grad(n)]
    # the outputs' first: a hidden δ is computed from them
    for q, n in sorted(found, key=lambda x: (not x[1].startswith("o"), x[1])):
        c = table.columns[q]
        helpers = {table.columns[h]: h for h in table.columns if h != q and is_helper(h)}
        read = reads(table, c, helpers)
        step = max(1, len(table.rows) // SAMPLED_ROWS)
        weights = [names.weight(k) for k in range(1, len(spec.weights) + 1)]
        picked = list(range(0, len(table.rows), step))[:SAMPLED_ROWS]
        best, most = q, -1
        for reading in delta_readings(n):
            if reading != q and reading in table.columns:
                continue
            columns = [reading if x == q else x for x in table.columns]
            judge = Rule(spec, columns)
            agree = 0
            for i in picked:
                given = row_values(table, table.rows[i])
                got = given.pop(q, None)
                if not isinstance(got, float) or not all(w in given for w in weights):
                    continue
                want = judge(given, read[i]).get(reading)
                if want is not None and abs(got - want) <= RTOL * abs(want) + 1e-300:
                    agree += 1
            if agree > most:
                best, most = reading, agree
        if best != q:
            _rename(table, q, best)


def _rename(table: Table, old: str, new: str) -> None:
    table.columns = {new if q == old else q: c for q, c in table.columns.items()}
    table.spellings = {new if q == old else q: text for q, text in table.spellings.items()}
    for x in table.read_as:
        if x["quantity"] == old:
            x["quantity"] = new
            x["how"] = f"{x['how']}{VALUES_SAY}{new}'s"
