"""Entry into the management pipeline: the starting population, graduate-scheme cohorts,
lateral managers, clinicians moving into management, and external senior hires."""

from __future__ import annotations

import numpy as np

from ..entities import GRADE, ORIGIN, PROFESSION, ROLE, SUBSTANTIVE
from ..params import ORIGINS

TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR, CEO = GRADE["executive_director"], GRADE["chief_executive"]
MIDDLE_PROFESSIONS = {"non_clinical": 0.85, "nurse": 0.10, "allied_health": 0.05}
# Chief executives: ≈1/3 clinical, of whom ≈2/3 nurses and ≈1/5 doctors (NHSP & Leadership
# Academy, Clinician to chief executive, 2018).
CEO_PROFESSIONS = {"non_clinical": 0.67, "nurse": 0.22, "doctor": 0.067, "allied_health": 0.043}


def add_people(model, n, *, grade, origin, capability, profession, time, rng, record=True, cause=None):
    """Create ``n`` people attached to random trusts; returns their rows."""
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    wf = model.params.workforce
    org = rng.integers(0, len(model.orgs), size=n)
    region = model.org_region[org]
    rows = model.people.add(
        n, grade=grade, origin=origin, capability=capability, profession=profession, org=org,
        region=region, female=rng.random(n) < wf.women_share,
        ethnic_minority=rng.random(n) < wf.ethnic_minority_share, grade_since=time, entered=time)
    if record:
        model.recorder.events_bulk(time, "entry", rows, org=org, value=float(grade),
                                   cause=cause or ORIGINS[origin])
    return rows


def draw_profession(rng, mix: dict, n: int) -> np.ndarray:
    names = list(mix)
    p = np.array([mix[k] for k in names], dtype=float)
    codes = np.array([PROFESSION[k] for k in names], dtype=np.int8)
    return codes[rng.choice(len(names), size=n, p=p / p.sum())]


def _seed_history(model, rows, rng) -> None:
    """Give a starting person three past appraisal scores so readiness is defined at once."""
    ap = model.params.appraisal
    cap = model.people.capability[rows][:, None]
    bias = ap.ethnic_minority_bias * model.people.ethnic_minority[rows][:, None]
    model.people.scores[rows] = cap + bias + rng.normal(0.0, ap.noise_sd, size=(len(rows), 3))
    model.people.appraisals[rows] = 3


def initial_population(model) -> None:
    """Fill the pools and every executive post at the start of the warm-up."""
    wf = model.params.workforce
    rng = model.streams.get("entry.initial")
    t0 = model.env.now
    model.org_region = np.array([o.region for o in model.orgs], dtype=np.int8)
    n = wf.middle_managers
    mid = add_people(model, n, grade=MIDDLE, origin=ORIGIN["internal_manager"],
                     capability=rng.normal(wf.initial_capability["middle_manager"], wf.capability_sd, n),
                     profession=draw_profession(rng, MIDDLE_PROFESSIONS, n), time=t0, rng=rng, record=False)
    model.people.grade_since[mid] = t0 - rng.uniform(0, 6, n)
    n = wf.senior_managers
    sen = add_people(model, n, grade=SENIOR, origin=ORIGIN["internal_manager"],
                     capability=rng.normal(wf.initial_capability["senior_manager"], wf.capability_sd, n),
                     profession=draw_profession(rng, wf.profession_mix, n), time=t0, rng=rng, record=False)
    model.people.grade_since[sen] = t0 - rng.uniform(0, 8, n)
    _seed_history(model, np.concatenate([mid, sen]), rng)
    start_cohort(model, int(t0) - 1, rng, record=False)
    for post in model.posts:
        ceo = post.is_ceo
        if post.role == "medical":
            prof = PROFESSION["doctor"]
        elif post.role == "nursing":
            prof = PROFESSION["nurse"]
        elif post.role == "finance":
            prof = PROFESSION["non_clinical"]
        else:
            prof = int(draw_profession(rng, CEO_PROFESSIONS if ceo else wf.profession_mix, 1)[0])
        origin = ORIGIN["clinician"] if prof != PROFESSION["non_clinical"] else \
            int(rng.choice([ORIGIN["graduate_scheme"], ORIGIN["internal_manager"], ORIGIN["external"]],
                           p=[0.25, 0.65, 0.10]))
        grade = "chief_executive" if ceo else "executive_director"
        row = add_people(model, 1, grade=GRADE[grade], origin=origin,
                         capability=rng.normal(wf.initial_capability[grade], wf.capability_sd, 1),
                         profession=prof, time=t0, rng=rng, record=False)[0]
        org = model.orgs[post.org]
        model.people.org[row], model.people.region[row] = org.id, org.region
        tenure = min(rng.exponential(3.0), 15.0)
        model.people.grade_since[row] = t0 - tenure
        model.people.post[row], model.people.appointed[row] = post.id, t0 - tenure
        model.people.last_role[row] = ROLE[post.role]
        post.holder, post.appointed, post.state = int(row), t0 - tenure, SUBSTANTIVE
        _seed_history(model, np.array([row]), rng)
    _seed_programmes(model, rng)
    model.initial_headcount = int(model.people.alive[: model.people.n].sum())


def _seed_programmes(model, rng) -> None:
    """Mark a steady-state share of the starting population as past completers of the programme
    that serves the grade below theirs (or their own, for the lowest)."""
    people = model.people
    rows = np.arange(people.n)
    grade = people.grade[rows]
    share = model.params.workforce.initial_programme_share
    for idx, prog in enumerate(model.params.training.programmes):
        eligible = GRADE[prog.eligible_grade]
        for name, p in share.items():
            g = GRADE[name]
            if g == eligible + 1 or (g == eligible == GRADE["middle_manager"]):
                hit = rows[(grade == g) & (rng.random(len(rows)) < p)]
                people.programmes[hit] |= np.int16(1 << idx)


def intake(model, year: int) -> int:
    """Graduate-scheme places in ``year``: the published step function times the multiplier."""
    ep = model.params.entry
    years = sorted(int(y) for y in ep.graduate_intake)
    base = ep.graduate_intake[max([y for y in years if y <= year], default=years[0])]
    mult = model.hook("graduate_intake_multiplier", ep.graduate_intake_multiplier)
    return int(round(base * mult))


def start_cohort(model, year: int, rng, record: bool = True) -> None:
    """A graduate-scheme cohort starts; completion is scheduled for each stream length."""
    ep = model.params.entry
    n = intake(model, year)
    rows = add_people(model, n, grade=TRAINEE, origin=ORIGIN["graduate_scheme"],
                      capability=rng.normal(ep.graduate_capability_mean, model.params.workforce.capability_sd, n),
                      profession=PROFESSION["non_clinical"], time=model.env.now, rng=rng, record=record)
    finance = rng.random(n) < ep.graduate_finance_share
    ends = year + np.where(finance, ep.graduate_length + 0.5, ep.graduate_length)
    model.people.trainee_end[rows] = ends
    for end in np.unique(ends):
        model.process(complete_cohort, rows[ends == end], float(end))


def complete_cohort(model, rows, at: float):
    """Trainees finishing the scheme take a middle-management job, or leave if none is found."""
    yield model.env.timeout(max(0.0, at - model.env.now))
    people, now = model.people, model.env.now
    rows = rows[people.alive[rows] & (people.grade[rows] == TRAINEE)]
    p_job = model.hook("graduate_job_at_completion", model.params.entry.graduate_job_at_completion)
    job = model.streams.get("entry.completion").random(len(rows)) < p_job
    placed, unplaced = rows[job], rows[~job]
    people.grade[placed], people.grade_since[placed] = MIDDLE, now
    model.recorder.events_bulk(now, "promotion", placed, org=people.org[placed], value=float(MIDDLE),
                               cause="graduate_completion")
    people.alive[unplaced] = False
    model.recorder.events_bulk(now, "exit", unplaced, org=people.org[unplaced], cause="no_post_at_completion",
                               value=float(TRAINEE))


def yearly_entry(model, year: int) -> None:
    """The graduate cohort starts and lateral managers fill the middle-manager pool."""
    rng = model.streams.get("entry")
    start_cohort(model, year, rng)
    people = model.people
    count = int(np.sum(people.view("alive") & (people.view("grade") == MIDDLE)))
    gap = model.params.workforce.middle_managers - count
    if gap > 0:
        add_people(model, gap, grade=MIDDLE, origin=ORIGIN["internal_manager"],
                   capability=rng.normal(0.0, model.params.workforce.capability_sd, gap),
                   profession=draw_profession(rng, MIDDLE_PROFESSIONS, gap), time=model.env.now, rng=rng)


def fill_senior_pool(model, year: int) -> None:
    """Clinicians move into management; the rest of the senior-manager gap is filled by promoting
    the best-appraised ready middle managers, and a share by hires from outside the NHS."""
    ep, wf = model.params.entry, model.params.workforce
    rng = model.streams.get("entry.senior")
    people, now = model.people, model.env.now
    for prof, count in ep.clinicians_per_year.items():
        n = int(round(model.hook("clinicians_per_year", count, profession=prof)))
        mean = model.hook("clinician_capability", ep.clinician_capability)
        add_people(model, n, grade=SENIOR, origin=ORIGIN["clinician"],
                   capability=rng.normal(mean, wf.capability_sd, n), profession=PROFESSION[prof],
                   time=now, rng=rng)
    alive, grade = people.view("alive"), people.view("grade")
    gap = wf.senior_managers - int(np.sum(alive & (grade == SENIOR)))
    if gap <= 0:
        return
    internal = int(round(gap * (1 - ep.external_senior_share)))
    ready = np.flatnonzero(alive & (grade == MIDDLE) & people.view("ready") & ~people.view("reserved"))
    order = np.argsort(-people.mean_score(ready), kind="stable")
    promoted = ready[order[:internal]]
    people.grade[promoted], people.grade_since[promoted], people.ready[promoted] = SENIOR, now, False
    model.recorder.events_bulk(now, "promotion", promoted, org=people.org[promoted], value=float(SENIOR),
                               cause="middle_to_senior")
    n = gap - len(promoted)
    add_people(model, n, grade=SENIOR, origin=ORIGIN["external"],
               capability=rng.normal(ep.external_capability["senior_manager"], wf.capability_sd, n),
               profession=PROFESSION["non_clinical"], time=now, rng=rng)

