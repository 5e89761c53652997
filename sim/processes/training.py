"""Training programmes: yearly cohorts selected from an eligible grade, with a capability effect.

Each programme has a capacity, an eligible grade, a selection rule — "pull" (those who apply,
best appraised first) or "push" (the best appraised of the grade are sent) — a duration, a
cost per place and an effect: capability gain on completion and, for the readiness programmes,
credit towards being judged ready for the next grade.
"""

from __future__ import annotations

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, best_first


MAX_PROGRAMMES = 15  # one bit each in People.programmes (int16)


def programmes(model) -> tuple:
    """The programmes in force this year (interventions may change capacity or add some)."""
    return model.decide(Decisions.programmes, model.params.training.programmes)


def index(model, prog) -> int:
    """A programme's stable bit index for the whole run (new programmes get the next free one),
    and the latest settings seen for it, so cohorts complete even after an intervention stops."""
    known = model.programme_catalogue
    if prog.name not in known:
        if len(known) >= MAX_PROGRAMMES:
            raise ValueError(f"at most {MAX_PROGRAMMES} training programmes, adding {prog.name!r}")
        known[prog.name] = (len(known), prog)
    idx = known[prog.name][0]
    known[prog.name] = (idx, prog)
    return idx


def run_programmes(model, year: int) -> None:
    """Complete the cohorts that end now, then select this year's cohorts."""
    people, now, rec = model.people, model.env.now, model.recorder
    in_force = [(index(model, prog), prog) for prog in programmes(model)]
    # the living only, gathered once: by the 2030s three rows in four are people who have left
    live = np.flatnonzero(people.view("alive"))
    in_prog, ends = people.in_programme[live], people.programme_end[live]
    for idx, prog in model.programme_catalogue.values():
        done = live[(in_prog == idx) & (ends <= now + 1e-9)]
        people.capability[done] += prog.capability_gain
        people.programmes[done] |= np.int16(1 << idx)
        people.in_programme[done] = -1
        rec.events_bulk(now, "programme_end", done, org=people.org[done], cause=prog.name)
    grade, held = people.grade[live], people.programmes[live]
    free = (people.in_programme[live] < 0) & ~people.reserved[live]   # not in a programme (nor chosen below)
    for idx, prog in in_force:
        eligible = np.flatnonzero((grade == GRADE[prog.eligible_grade]) & free & ((held & (1 << idx)) == 0))
        rows = live[eligible]
        if prog.selection == "pull":
            apply = model.streams.keyed("training.apply").uniform(year, idx, first=people.keymix[rows]) \
                < prog.apply_rate
            rows, eligible = rows[apply], eligible[apply]
        score = people.appraisal[rows]
        order = best_first(np.nan_to_num(score, nan=-np.inf), int(prog.capacity))
        chosen = rows[order]
        free[eligible[order]] = False
        people.in_programme[chosen] = idx
        people.programme_end[chosen] = now + prog.duration
        rec.events_bulk(now, "programme_start", chosen, org=people.org[chosen], cause=prog.name,
                        value=prog.cost_per_place)


def completed(model, name: str, rows: np.ndarray) -> np.ndarray:
    """Whether each of ``rows`` has completed the programme ``name`` (False if it never ran)."""
    entry = model.programme_catalogue.get(name)
    if entry is None:
        return np.zeros(len(rows), dtype=bool)
    return (model.people.programmes[rows] & (1 << entry[0])) != 0


def readiness_credit(model, rows: np.ndarray) -> np.ndarray:
    """Threshold reduction for people who completed a programme that grants readiness."""
    credit = np.zeros(len(rows))
    for name, (_, prog) in model.programme_catalogue.items():
        if prog.grants_readiness:
            credit = np.where(completed(model, name, rows), model.params.appraisal.programme_readiness_credit,
                              credit)
    return credit


def starts(model, name: str) -> int:
    """How many people started programme ``name`` at this tick."""
    entry = model.programme_catalogue.get(name)
    if entry is None:
        return 0
    idx, prog = entry
    people = model.people
    return int(np.sum(people.view("alive") & (people.view("in_programme") == idx)
                      & (np.abs(people.view("programme_end") - (model.env.now + prog.duration)) < 1e-9)))
