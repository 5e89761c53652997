"""Entry: who joins the pipeline, with which traits."""

import numpy as np

from sim.entities import GRADE, ORIGIN, PROFESSION
from sim.model import Model
from sim.processes.entry import add_people

from conftest import small_params

COLUMNS = ("key", "keymix", "capability", "born", "female", "ethnic_minority", "region", "org", "grade",
           "origin", "profession", "available")


def test_one_hire_at_a_trust_has_the_traits_the_array_draws_give():
    # an external hire joins alone (one row at a time, scalar draws); the same people made as one
    # batch (array draws) must come out bit for bit the same, or a hire's score would not be theirs
    model = Model(small_params(), seed=3)
    people = model.people
    hire = dict(grade=GRADE["executive_director"], origin=ORIGIN["external"], capability_mean=0.4,
                profession=PROFESSION["nurse"], time=model.env.now, age_mean=47.0, record=False)
    one = [int(add_people(model, "external:test", 1, first=k, org=3, **hire)[0]) for k in range(60)]
    batch = add_people(model, "external:test", 60, org=np.full(60, 3), **hire)
    for name in COLUMNS:
        column = getattr(people, name)
        assert column[one].tobytes() == column[batch].tobytes(), name
    assert 0 < people.female[one].sum() < 60   # both sexes drawn: the comparison covers the draw
