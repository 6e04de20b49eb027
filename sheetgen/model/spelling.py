"""How people spell the quantities: a header or a symbol in any of the spellings real sheets and
write-ups use (E_tot, E_Total, Etotal; ∂E/∂w1, dE/dw1, δE_tot/δw1, E∂w1; out_h1, ah1; a_01 for a_o1 …),
to the one vocabulary of names."""

import re
import unicodedata

from sheetgen.model import names

NEW = "new "  # "new w1": a weight's update written in the same row (names.new)


def new(q: str) -> str:
    return NEW + q


# -- header spellings -----------------------------------------------------------------------------
def norm(text: str) -> str:
    """Lower case, no spaces, one ∂ for every way of writing it."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = text.replace("ә", "∂").replace("𝛅", "∂")
    return re.sub(r"\s+", "", text)


_ITERATION = ("iteration", "iterations", "iter", "step", "steps", "no", "no.", "#", "epoch", "epochs", "n", "sno")
# E_total in the languages students write in too: E_общ (общая), E_gesamt, E_totale, E_总, E_合計, E_전체
_TOTAL = (r"e(?:_?t(?:ot(?:al)?)?)?|etotal|totalerror|totalloss|error|loss"
          r"|e_?(?:общ\w*|gesamt|ges|totale?|总|合计|合計|全体|전체|총)")  # fmt: skip
# the loss said in a sentence or a header, in the languages students write in: E_total (E_gesamt, E_общ),
# loss, error (erro, erreur, Fehler, errore, błąd, hata, lỗi, ошибка, 误差, 오차, त्रुटि), Verlust, pérdida,
# perda, perdita, потери, 损失, 손실, 損失 (what tables and lines of losses by η are read under)
LOSS_WORDS = (
    r"E_?\{?total\}?|E_?tot\b|E_?(?:общ\w*|gesamt|ges|totale?|总|合计|合計|全体|전체|총)"
    r"|\b(?:loss|error|erro|erreur|fehler|errore|b[łl][ąa]d|hata|l[ỗo]i|verlust|p[ée]rdida|perda|perdita|cost)\b"
    r"|ошибк|потер|误差|损失|損失|오차|손실|त्रुटि|हानि"
)


# a gradient: ∂E_total/∂w1, ∂E/∂W1, dE/dw1, δE_tot/δw1, ∂(E_total)/∂w1, dEtotal/dw1, E∂w1, Edw1, ∂E1/∂a_h1
_GRAD = re.compile(r"(?:[∂δd]\(?)?(e(?:_?t(?:ot(?:al)?)?)?|e_?\d)\)?(?:/[∂δd]?|[∂δd])\(?(.+?)\)?")
# a neuron (h1, o2, h1_2; the digit 0 typed for the letter o, as in a_01; net_h1, Mazur's) and its activation
_NEURON = r"(?:net_?)?([ho0])_?(\d)(?:_(\d))?"
_ACT = re.compile(rf"(?:a|out|act|σ|sigmoid|sig)_?\(?{_NEURON}\)?")
# a neuron's error signal, δ_o1: ∂E_total/∂o1 to most sheets (delta_readings: what else it may be)
_DELTA = re.compile(rf"(?:δ|delta|d_)_?{_NEURON}")
# the sigmoid's slope at a neuron, σ′(h1): σ'(h1), sigmoid_derivative_h1, dsigmoid(h1), a_h1*(1-a_h1)
_SIG = r"(?:σ|sigmoid|sigma|sig)"
_SLOPE = re.compile(
    rf"{_SIG}['′’`]_?\(?{_NEURON}\)?"
    rf"|{_SIG}['′’`]?_?(?:derivative|deriv|prime|slope|grad)_?(?:of_?)?\(?{_NEURON}\)?"
    rf"|(?:d|∂)_?{_SIG}_?\(?{_NEURON}\)?"
)
_PRODUCT = re.compile(r"\(?(.+?)\)?[*·×]?\(1[-−–](.+?)\)|\(1[-−–](.+?)\)[*·×]?\(?(.+?)\)?")
# a local partial: ∂a_h1/∂h1, ∂out_h1/∂net_h1, da_h1/dh1; ∂o1/∂w5, ∂o1/∂a_h1
_LOCAL = re.compile(r"[∂δd]\(?(.+?)\)?/[∂δd]\(?(.+?)\)?")


def quantity(text) -> str | None:
    """The quantity a header names, in sheetgen's own names, or None."""
    if not isinstance(text, str):
        return None
    t = norm(text).rstrip(":=")
    if t in _ITERATION:
        return names.ITERATION
    if t == names.SAMPLE:  # online training: the sample a row trains on
        return names.SAMPLE
    if (m := re.fullmatch(r"(.+)\[(\d+)\]", t)) and (q := quantity(m[1])) and q not in (names.ITERATION, names.SAMPLE):
        return names.sampled(q, int(m[2]))  # one sample's, when a row holds several: h1[2], E_total[2]
    if re.fullmatch(_TOTAL, t):
        return names.E_TOTAL
    if m := re.fullmatch(r"e_?(\d)", t):
        return names.loss(int(m[1]))
    if of := names.of_state(t):  # an optimizer's state, as PyTorch names it: exp_avg_w1
        return names.state(*of)
    if m := re.fullmatch(r"([itwb])_?(\d+)", t):
        return {"i": names.input_, "t": names.target, "w": names.weight, "b": names.bias}[m[1]](int(m[2]))
    if m := re.fullmatch(r"(?:new|updated|upd)_?([wb]\d+)|([wb]\d+)_?(?:new|updated|next)|([wb]\d+)'", t):
        return new(next(g for g in m.groups() if g))
    if m := re.fullmatch(_NEURON, t):
        return None if m[1] == "0" else _neuron(*m.groups())
    if m := _ACT.fullmatch(t):
        return names.act(_neuron(*m.groups()))
    if (m := _GRAD.fullmatch(t)) and (of := _grad_target(m[2])):
        loss = names.loss(int(m[1][-1])) if m[1][-1].isdigit() else names.E_TOTAL
        return names.grad(of, loss)
    if n := delta(text):
        return delta_readings(n)[0]
    if n := _slope(t):
        return names.slope(n)
    if m := _LOCAL.fullmatch(t):
        return _local(m[1], m[2])
    return None


def delta(text) -> str | None:
    """The neuron a header's δ names (δo1, δ_o1, delta_o1, d_o1 -> o1), or None. Not Δo1: a change of o1."""
    if isinstance(text, str) and "Δ" not in text and (m := _DELTA.fullmatch(norm(text).rstrip(":="))):
        return _neuron(*m.groups())
    return None


def delta_readings(n: str) -> tuple[str, ...]:
    """What δ_n may mean, the likeliest first: ∂E_total/∂n (most sheets and write-ups), ∂E_total/∂a_n, or
    the textbooks' −∂E_total/∂n (δ = (t − a)·a·(1 − a), added to the weights)."""
    return names.grad(n), names.grad(names.act(n)), names.negative(names.grad(n))


def _slope(t: str) -> str | None:
    """The neuron whose activation's slope a header names (σ'(h1), a_h1*(1-a_h1) -> h1), or None."""
    if m := _SLOPE.fullmatch(t):
        return _neuron(*_groups(m))
    if m := _PRODUCT.fullmatch(t):
        a, b = (m[1], m[2]) if m[1] is not None else (m[4], m[3])
        if (x := _ACT.fullmatch(a)) and (y := _ACT.fullmatch(b)) and _neuron(*x.groups()) == _neuron(*y.groups()):
            return _neuron(*x.groups())
    return None


def _groups(m: re.Match) -> tuple:
    """The (layer, j, k) of the one alternative of _SLOPE that matched."""
    g = m.groups()
    return next(g[i : i + 3] for i in range(0, len(g), 3) if g[i] is not None)


def _local(of: str, by: str) -> str | None:
    """∂a_h1/∂h1 -> the slope of h1; ∂o1/∂w5, ∂o1/∂a_h1, ∂h1/∂i1 -> those partials; None for the rest."""
    a, z = _ACT.fullmatch(of), re.fullmatch(_NEURON, of)
    if a and (n := _neuron(*a.groups())) == _grad_target(by):
        return names.slope(n)
    if z and z[1] != "0" and (wrt := _grad_target(by) or _input(by)):
        return names.grad(wrt, _neuron(*z.groups()))
    return None


def _input(t: str) -> str | None:
    return names.input_(int(m[1])) if (m := re.fullmatch(r"i_?(\d+)", t)) else None


def _neuron(layer: str, j: str, k: str | None) -> str:
    if k is not None:
        return f"h{j}_{k}"
    return f"{'o' if layer == '0' else layer}{j}"


def _grad_target(t: str) -> str | None:
    if m := re.fullmatch(r"([wb])_?(\d+)", t):
        return (names.weight if m[1] == "w" else names.bias)(int(m[2]))
    if m := _ACT.fullmatch(t):
        return names.act(_neuron(*m.groups()))
    if (m := re.fullmatch(_NEURON, t)) and m[1] != "0":
        return _neuron(*m.groups())
    return None


def typo(text) -> str | None:
    """A header that writes the digit 0 for the letter o (a_01 for a_o1), said as a warning."""
    if isinstance(text, str) and re.search(r"(?:a_?|out_?|^)0\d", norm(text)) and quantity(text):
        return f"{text.strip()!r} writes the digit 0 for the letter o ({quantity(text)})"
    return None
