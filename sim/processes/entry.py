"""Entry into the management pipeline: the starting population, graduate-scheme cohorts,
lateral managers, clinicians moving into management, and external senior hires.

Everyone who enters gets a stable identity (``People.key``): the index-th person of a labelled
batch, e.g. the 7th graduate of the 2021 cohort. Their traits — trust, sex, ethnicity, capability,
profession — are keyed draws on that identity, so the same person has the same traits in every
scenario that creates them, however many others a scenario adds.
"""

from __future__ import annotations

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, ORIGIN, PROFESSION, ROLE, SUBSTANTIVE
from ..params import ORIGINS
from ..rng import key_of

TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR, CEO = GRADE["executive_director"], GRADE["chief_executive"]
# draw numbers within a person's traits
ORG, FEMALE, ETHNICITY, CAPABILITY, PROFESSION_DRAW, EXTRA = range(6)


def traits(model, keys: np.ndarray, capability_mean: float) -> dict[str, np.ndarray]:
    """The traits of the people with identities ``keys`` (keyed draws: the same in every scenario)."""
    wf = model.params.workforce
    draw = model.streams.keyed("traits")
    org = np.minimum((draw.uniform(keys, ORG) * len(model.orgs)).astype(np.int64), len(model.orgs) - 1)
    return {"org": org, "region": model.org_region[org],
            "female": draw.uniform(keys, FEMALE) < wf.women_share,
            "ethnic_minority": draw.uniform(keys, ETHNICITY) < wf.ethnic_minority_share,
            "capability": capability_mean + wf.capability_sd * draw.normal(keys, CAPABILITY)}


def profession_of(model, keys: np.ndarray, mix: dict) -> np.ndarray:
    """A profession for each identity, drawn from ``mix`` (shares by profession)."""
    names = list(mix)
    p = np.array([mix[k] for k in names], dtype=float)
    codes = np.array([PROFESSION[k] for k in names], dtype=np.int8)
    u = model.streams.keyed("traits").uniform(keys, PROFESSION_DRAW)
    return codes[np.minimum(np.searchsorted(np.cumsum(p / p.sum()), u), len(names) - 1)]


def add_people(model, label: str, n: int, *, grade, origin, capability_mean: float, profession, time: float,
               record: bool = True, cause: str | None = None, first: int = 0) -> np.ndarray:
    """Create people ``first`` … ``first + n - 1`` of batch ``label`` (each attached to a trust);
    returns their rows. ``profession`` is a profession code, or a mix of shares to draw from."""
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    keys = key_of(label, np.arange(first, first + n, dtype=np.uint64))
    t = traits(model, keys, capability_mean)
    if isinstance(profession, dict):
        profession = profession_of(model, keys, profession)
    rows = model.people.add(n, key=keys, grade=grade, origin=origin, profession=profession, grade_since=time,
                            entered=time, **t)
    if record:
        model.recorder.events_bulk(time, "entry", rows, org=t["org"], value=float(grade),
                                   cause=cause or ORIGINS[origin])
    return rows


def _seed_history(model, rows) -> None:
    """Give a starting person three past appraisal scores so readiness is defined at once."""
    ap = model.params.appraisal
    people = model.people
    cap = people.capability[rows][:, None]
    bias = ap.ethnic_minority_bias * people.ethnic_minority[rows][:, None]
    noise = model.streams.keyed("appraisal.history").normal(people.key[rows][:, None], np.arange(3)[None, :])
    people.scores[rows] = cap + bias + ap.noise_sd * noise
    people.appraisals[rows] = 3


def initial_population(model) -> None:
    """Fill the pools and every executive post at the start of the warm-up."""
    wf = model.params.workforce
    people, t0 = model.people, model.env.now
    draw = model.streams.keyed("traits")
    model.org_region = np.array([o.region for o in model.orgs], dtype=np.int8)
    mid = add_people(model, "initial:middle", wf.middle_managers, grade=MIDDLE, origin=ORIGIN["internal_manager"],
                     capability_mean=wf.initial_capability["middle_manager"], profession=wf.middle_profession_mix,
                     time=t0, record=False)
    sen = add_people(model, "initial:senior", wf.senior_managers, grade=SENIOR, origin=ORIGIN["internal_manager"],
                     capability_mean=wf.initial_capability["senior_manager"], profession=wf.profession_mix,
                     time=t0, record=False)
    for rows, grade in ((mid, "middle_manager"), (sen, "senior_manager")):
        people.grade_since[rows] = t0 - wf.initial_years_in_grade[grade] * draw.uniform(people.key[rows], EXTRA)
    _seed_history(model, np.concatenate([mid, sen]))
    start_cohort(model, int(t0) - 1, record=False)
    origins = list(wf.initial_executive_origins)
    origin_p = np.cumsum([wf.initial_executive_origins[o] for o in origins])
    for post in model.posts:
        grade = "chief_executive" if post.is_ceo else "executive_director"
        label = f"initial:post:{post.id}"
        key = key_of(label, np.arange(1, dtype=np.uint64))
        if post.role == "medical":
            prof = PROFESSION["doctor"]
        elif post.role == "nursing":
            prof = PROFESSION["nurse"]
        elif post.role == "finance":
            prof = PROFESSION["non_clinical"]
        else:
            prof = int(profession_of(model, key, wf.ceo_profession_mix if post.is_ceo else wf.profession_mix)[0])
        if prof != PROFESSION["non_clinical"]:
            origin = ORIGIN["clinician"]
        else:
            u = float(draw.uniform(key, EXTRA)[0]) * origin_p[-1]
            origin = ORIGIN[origins[min(int(np.searchsorted(origin_p, u)), len(origins) - 1)]]
        row = add_people(model, label, 1, grade=GRADE[grade], origin=origin,
                         capability_mean=wf.initial_capability[grade], profession=prof, time=t0, record=False)[0]
        org = model.orgs[post.org]
        people.org[row], people.region[row] = org.id, org.region
        tenure = min(wf.initial_tenure_years * -np.log1p(-float(draw.uniform(key, EXTRA + 1)[0])), wf.initial_tenure_cap)
        people.grade_since[row] = t0 - tenure
        people.post[row], people.appointed[row] = post.id, t0 - tenure
        people.last_role[row] = ROLE[post.role]
        post.holder, post.appointed, post.state = int(row), t0 - tenure, SUBSTANTIVE
        _seed_history(model, np.array([row]))
    _seed_programmes(model)


def _seed_programmes(model) -> None:
    """Mark a steady-state share of the starting population as past completers of the programme
    that serves the grade below theirs (or their own, for the lowest)."""
    people = model.people
    rows = np.arange(people.n)
    grade = people.grade[rows]
    share = model.params.workforce.initial_programme_share
    draw = model.streams.keyed("programmes.initial")
    for idx, prog in enumerate(model.params.training.programmes):
        eligible = GRADE[prog.eligible_grade]
        u = draw.uniform(people.key[rows], idx)
        for name, p in share.items():
            g = GRADE[name]
            if g == eligible + 1 or (g == eligible == GRADE["middle_manager"]):
                hit = rows[(grade == g) & (u < p)]
                people.programmes[hit] |= np.int16(1 << idx)


def intake(model, year: int) -> int:
    """Graduate-scheme places in ``year``: the published step function times the multiplier."""
    ep = model.params.entry
    years = sorted(int(y) for y in ep.graduate_intake)
    base = ep.graduate_intake[max([y for y in years if y <= year], default=years[0])]
    mult = model.decide(Decisions.graduate_intake_multiplier, ep.graduate_intake_multiplier)
    return int(round(base * mult))


def start_cohort(model, year: int, record: bool = True) -> None:
    """A graduate-scheme cohort starts; completion is scheduled for each stream length."""
    ep = model.params.entry
    n = intake(model, year)
    rows = add_people(model, f"graduate:{year}", n, grade=TRAINEE, origin=ORIGIN["graduate_scheme"],
                      capability_mean=ep.graduate_capability_mean, profession=PROFESSION["non_clinical"],
                      time=model.env.now, record=record)
    finance = model.streams.keyed("traits").uniform(model.people.key[rows], EXTRA) < ep.graduate_finance_share
    ends = year + np.where(finance, ep.graduate_finance_length, ep.graduate_length)
    model.people.trainee_end[rows] = ends
    for end in np.unique(ends):
        model.process(complete_cohort, rows[ends == end], float(end))


def complete_cohort(model, rows, at: float):
    """Trainees finishing the scheme take a middle-management job, or leave if none is found."""
    yield model.env.timeout(max(0.0, at - model.env.now))
    people, now = model.people, model.env.now
    rows = rows[people.alive[rows] & (people.grade[rows] == TRAINEE)]
    p_job = model.decide(Decisions.graduate_job_at_completion, model.params.entry.graduate_job_at_completion)
    job = model.streams.keyed("entry.completion").uniform(people.key[rows]) < p_job
    placed, unplaced = rows[job], rows[~job]
    people.grade[placed], people.grade_since[placed] = MIDDLE, now
    model.recorder.events_bulk(now, "promotion", placed, org=people.org[placed], value=float(MIDDLE),
                               cause="graduate_completion")
    people.alive[unplaced] = False
    model.recorder.events_bulk(now, "exit", unplaced, org=people.org[unplaced], cause="no_post_at_completion",
                               value=float(TRAINEE))


def yearly_entry(model, year: int) -> None:
    """The graduate cohort starts and lateral managers fill the middle-manager pool."""
    start_cohort(model, year)
    people = model.people
    wf = model.params.workforce
    count = int(np.sum(people.view("alive") & (people.view("grade") == MIDDLE)))
    add_people(model, f"lateral:{year}", wf.middle_managers - count, grade=MIDDLE, origin=ORIGIN["internal_manager"],
               capability_mean=0.0, profession=wf.middle_profession_mix, time=model.env.now)


def fill_senior_pool(model, year: int) -> None:
    """Clinicians move into management; the rest of the senior-manager gap is filled by promoting
    the best-appraised ready middle managers, and a share by hires from outside the NHS."""
    ep, wf = model.params.entry, model.params.workforce
    people, now = model.people, model.env.now
    for prof, count in ep.clinicians_per_year.items():
        n = int(round(model.decide(Decisions.clinicians_per_year, count, profession=prof)))
        mean = model.decide(Decisions.clinician_capability, ep.clinician_capability)
        add_people(model, f"clinician:{prof}:{year}", n, grade=SENIOR, origin=ORIGIN["clinician"],
                   capability_mean=mean, profession=PROFESSION[prof], time=now)
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
    add_people(model, f"external_senior:{year}", gap - len(promoted), grade=SENIOR, origin=ORIGIN["external"],
               capability_mean=ep.external_capability["senior_manager"], profession=PROFESSION["non_clinical"],
               time=now)
