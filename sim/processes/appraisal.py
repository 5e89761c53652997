"""Yearly appraisal: a noisy observation of capability that decides readiness for the next grade.

Everyone in a management grade is scored once a year: capability, plus noise whose size is a
policy lever (standard appraisal and 360° feedback reduce it), plus a group bias against
ethnic-minority staff (removed by equality action; the bias at interview is in ``equality.py``).
A person is ready for the next grade when the mean of their last three scores clears the grade's
threshold — lowered for completers of a readiness programme — and they have served the minimum
years in grade. Capability grows a little with each year of experience.
"""

from __future__ import annotations

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, mean_score
from ..params import GRADES
from .training import readiness_credit


def appraise(model, year: int) -> None:
    people = model.people
    ap, wf = model.params.appraisal, model.params.workforce
    rows = np.flatnonzero(people.view("alive") & (people.view("grade") >= GRADE["middle_manager"]))
    noise_sd = model.decide(Decisions.appraisal_noise, ap.noise_sd, rows=rows)
    bias = model.decide(Decisions.selection_bias, ap.ethnic_minority_bias, stage="appraisal")
    noise = model.streams.keyed("appraisal").normal(year, first=people.keymix[rows]) * noise_sd
    capability = people.capability[rows] + wf.capability_growth
    people.capability[rows] = capability
    score = capability + noise + bias * people.ethnic_minority[rows]
    # each row's score history gathered and stored once (≈40,000 rows a year), column by column:
    # numpy's 2-D fancy indexing and slice copies cost several times more here
    history = np.take(people.scores, rows, axis=0)
    for k in range(history.shape[1] - 1):   # the oldest score drops out
        history[:, k] = history[:, k + 1]
    history[:, -1] = score
    for k in range(history.shape[1]):
        people.scores[rows, k] = history[:, k]
    people.appraisals[rows] += 1
    people.appraisal[rows] = mean = mean_score(history)
    # each grade's threshold and minimum years, looked up by grade code
    threshold_of, min_years_of = np.full(len(GRADES), np.inf), np.zeros(len(GRADES))
    for name, value in ap.ready_threshold.items():
        threshold_of[GRADE[name]], min_years_of[GRADE[name]] = value, ap.min_years_in_grade[name]
    grade = people.grade[rows]
    threshold, min_years = threshold_of[grade], min_years_of[grade]
    threshold -= readiness_credit(model, rows)
    in_grade = model.env.now - people.grade_since[rows]
    ready = (mean >= threshold) & (in_grade >= min_years)
    people.ready[rows] = model.decide(Decisions.readiness, ready, rows=rows)

