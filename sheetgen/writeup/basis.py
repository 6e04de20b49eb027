"""What a write-up's equations are judged on (Basis): the networks its numbers may be of, the one
chosen, random points of it, and the learning rates the file may use. network.choose picks the
network; identities, numbers and diagnosis read it."""

from sheetgen.model import spec
from sheetgen.writeup import extract
from sheetgen.writeup.points import Point, random_points, value

# numbers of the first two iterations that fit, before a later iteration's is judged: a loss after 10
# steps is right only on a network right in every digit, and 2 numbers fit both ERA's and a net of other
# targets with softmax (a report's table of E_total at iteration 3 was blamed on the wrong one)
MIN_EVIDENCE = 4
NETWORKS = ("era", "eva8")  # the seeds' networks: the same inputs and weights, targets 0.5/0.5 or 0.01/0.99


class Basis:
    """What a write-up's equations are judged on: the networks its numbers may be of, the one chosen
    (`name`, `net`), random points of it (identities), and the learning rates the file may use."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.etas = extract.etas(lines)
        self.said_etas = extract.said_etas(lines)  # the learning rates the file itself speaks of
        self.nets = {name: spec.load(name) for name in NETWORKS}
        self.name = NETWORKS[0]  # until the file's numbers say which (choose)
        self.net = self.nets[self.name]
        self.points = random_points(self.net)
        self.numbers = True  # whether quoted numbers are judged: not when they fit no network
        # how many of its numbers of the first two iterations fit the network chosen: a number of a later
        # iteration is judged only on a network they show (MIN_EVIDENCE), the user's, or a template's
        self.evidence = 0
        # the other seed network, where the file's numbers speak of both (EVA's and ERA's side by side): a
        # number right there is no mistake of this one's
        self.also: list[str] = []
        self.written_etas: dict[int, float] = {}  # the η each numbered step writes as a factor, by its line
        self.candidates = None  # every quantity's values at the points, once a diagnosis needs them
        self._seeds: dict = {}

    def use(self, name: str, net: spec.Spec) -> None:
        """The network the user names: the only one, its learning rates the file's too."""
        self.name, self.nets, self.net, self.points = name, {name: net}, net, random_points(net)
        self.etas = extract.etas(self.lines, net.learning_rates)
        self.evidence = MIN_EVIDENCE  # the user says whose numbers these are

    def seed_point(self, net_name: str, eta: float) -> Point:
        """A network judged, at its first iteration, for an η the file might use."""
        key = (net_name, eta)
        if key not in self._seeds:
            n = self.nets[net_name]
            self._seeds[key] = Point(n, n.weights, n.inputs, n.targets, eta)
        return self._seeds[key]

    def values(self, e) -> list[float]:
        """A tree's values at the random points."""
        return [value(e, p) for p in self.points]
