"""Known slips: the mistakes the seed write-ups and the course's class sheet make, so a diagnosis
can say whose slip a student copied."""

from sheetgen.model import names


def _slip(q, wrong, right, note):
    return (q, wrong, right), note


CLASS_SHEET = "the course's class sheet has this slip, and sheets built on it copy it"
w, g, a = names.weight, (lambda k: names.grad(names.weight(k))), names.act
KNOWN_SLIPS = dict(  # (quantity, the name it uses, the name that belongs) -> whose slip it is
    [
        _slip(names.loss(2), a("o1"), a("o2"), "seed 001 writes E2 = ½(t2 − a_o1)²"),
        _slip(g(3), a("h1"), a("h2"), CLASS_SHEET),
        _slip(g(4), a("h1"), a("h2"), CLASS_SHEET),
        _slip(g(7), a("o1"), a("o2"), "seed 002 writes ∂E/∂w7 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h1"),
        _slip(g(8), a("o1"), a("o2"), "seed 002 writes ∂E/∂w8 = (a_o1 − t1)·a_o1·(1 − a_o2)·a_h2"),
        _slip(w(8), w(6), w(8), "seed 004 writes w8 = w6 − η·∂E/∂w6"),
    ]
)
del w, g, a
MISSING_PATH_SLIP = "seed 002 chains ∂E_total/∂w1 through o1 alone"
