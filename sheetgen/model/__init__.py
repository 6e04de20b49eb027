"""The course's mathematics, standard library only: the one vocabulary of names (names), how people
spell them (spelling), a template read into a network (spec), the reference autograd and the
optimizers (reference), and the known slips of the seeds and the class sheet (slips)."""
