"""Entry into the management pipeline: the starting population, graduate-scheme cohorts,
lateral managers, clinicians moving into management, and external senior hires.

Everyone who enters gets a stable identity (``People.key``): the index-th person of a labelled
batch, e.g. the 7th graduate of the 2021 cohort. Their traits — trust, sex, ethnicity, capability,
profession — are keyed draws on that identity, so the same person has the same traits in every
scenario that creates them, however many others a scenario adds. Who is a woman or from an
ethnic minority depends on profession, region and year (``equality.entry_shares``): the shares
move the thresholds, never the draws.
"""

from __future__ import annotations

import numpy as np

from ..decisions import Decisions
from ..entities import GRADE, ORIGIN, PROFESSION, ROLE, SUBSTANTIVE, best_first
from ..params import ORIGINS
from ..rng import key_of, premix
from .equality import entry_shares

TRAINEE, MIDDLE, SENIOR = GRADE["graduate_trainee"], GRADE["middle_manager"], GRADE["senior_manager"]
DIRECTOR, CEO = GRADE["executive_director"], GRADE["chief_executive"]
CLINICAL = [PROFESSION[p] for p in ("doctor", "nurse", "allied_health")]
# draw numbers within a person's traits
ORG, FEMALE, ETHNICITY, CAPABILITY, PROFESSION_DRAW, AGE, ADDITIONAL, EXTRA = range(8)


def traits(model, keys: np.ndarray, capability_mean: float, age_mean: float, profession: np.ndarray,
           org=None) -> dict[str, np.ndarray]:
    """The traits of the people with identities ``keys`` and professions ``profession`` (keyed
    draws: the same in every scenario), with ``keymix``, the identities premixed for later draws.
    Entrants join trusts in proportion to their size, unless ``org`` names their trust."""
    wf = model.params.workforce
    draw = model.streams.keyed("traits")
    keymix = premix(keys)   # each identity mixed once for its five draws (the same numbers as draw(keys, …))
    if org is None:
        org = np.minimum(np.searchsorted(model.org_weight, draw.uniform(ORG, first=keymix)), len(model.orgs) - 1)
    org = np.broadcast_to(np.asarray(org, dtype=np.int64), keys.shape)
    region = model.org_region[org]
    women, minority = entry_shares(model)
    age = np.maximum(18.0, age_mean + _age_sd(model) * draw.normal(AGE, first=keymix))
    return {"org": org, "region": region,
            "female": draw.uniform(FEMALE, first=keymix) < women[profession],
            "ethnic_minority": draw.uniform(ETHNICITY, first=keymix) < minority[profession, region],
            "capability": capability_mean + wf.capability_sd * draw.normal(CAPABILITY, first=keymix),
            "born": model.env.now - age, "keymix": keymix}


def _age_sd(model) -> float:
    """Spread of entry ages (years): of the starting population at the start, of entrants after."""
    wf = model.params.workforce
    return wf.initial_age_sd if model.env.now == model.params.calendar.start_year else wf.entry_age_sd


def _one_entrant(model, key: int, capability_mean: float, age_mean: float, profession: int, org: int) -> dict:
    """``traits`` of one person joining trust ``org`` (an external hire at offer), by the same draws
    made one at a time: a tenth of the cost of ``traits``' array draws for a single row."""
    capability, minority, female = scored_traits(model, key, capability_mean, profession, org)
    age = max(18.0, age_mean + _age_sd(model) * model.streams.keyed("traits").normal(key, AGE))
    return {"org": org, "region": model.org_region[org], "female": female, "ethnic_minority": minority,
            "capability": capability, "born": model.env.now - age}


def scored_traits(model, key: int, capability_mean: float, profession: int, org: int) -> tuple[float, bool, bool]:
    """Capability, ethnic-minority status and sex (woman or not) of the person with identity ``key``
    joining trust ``org`` in ``profession``, as ``traits`` would give them (to score an applicant
    before hiring them)."""
    draw = model.streams.keyed("traits")
    women, minority = entry_shares(model)
    return (capability_mean + model.params.workforce.capability_sd * draw.normal(key, CAPABILITY),
            draw.uniform(key, ETHNICITY) < minority[profession, model.org_region[org]],
            draw.uniform(key, FEMALE) < women[profession])


def profession_of(model, keys: np.ndarray, mix: dict) -> np.ndarray:
    """A profession for each identity, drawn from ``mix`` (shares by profession)."""
    names = list(mix)
    p = np.array([mix[k] for k in names], dtype=float)
    codes = np.array([PROFESSION[k] for k in names], dtype=np.int8)
    u = model.streams.keyed("traits").uniform(keys, PROFESSION_DRAW)
    return codes[np.minimum(np.searchsorted(np.cumsum(p / p.sum()), u), len(names) - 1)]


def add_people(model, label: str, n: int, *, grade, origin, capability_mean: float, profession, time: float,
               age_mean: float | None = None, record: bool = True, cause: str | None = None,
               first: int = 0, indices: np.ndarray | None = None, org=None) -> np.ndarray:
    """Create people ``first`` … ``first + n - 1`` (or ``indices``) of batch ``label``, each attached
    to a trust (``org``, or drawn by size); returns their rows. ``profession`` is a code (or codes),
    or a mix of shares to draw from; ``age_mean`` defaults to the entry age of the route."""
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    if indices is None:
        indices = np.arange(first, first + n, dtype=np.uint64)
    keys = key_of(label, indices)
    if age_mean is None:
        age_mean = model.params.workforce.entry_age[ORIGINS[origin]]
    if isinstance(profession, dict):
        profession = profession_of(model, keys, profession)
    profession = np.broadcast_to(np.asarray(profession, dtype=np.int8), keys.shape)
    if n == 1 and org is not None and np.ndim(org) == 0:   # an external hire at offer (recruitment.select)
        t = _one_entrant(model, int(keys[0]), capability_mean, age_mean, int(profession[0]), int(org))
    else:
        t = traits(model, keys, capability_mean, age_mean, profession, org)
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
    people.record_scores(rows)


def initial_population(model) -> None:
    """Fill the pools and every executive post at the start of the warm-up."""
    wf = model.params.workforce
    people, t0 = model.people, model.env.now
    draw = model.streams.keyed("traits")
    model.org_region = np.array([o.region for o in model.orgs], dtype=np.int8)
    size = np.array([o.size for o in model.orgs])
    model.org_weight = np.cumsum(size) / size.sum()
    mid = add_people(model, "initial:middle", wf.middle_managers, grade=MIDDLE, origin=ORIGIN["internal_manager"],
                     capability_mean=wf.initial_capability["middle_manager"], profession=wf.middle_profession_mix,
                     time=t0, age_mean=wf.initial_age["middle_manager"], record=False)
    sen = add_people(model, "initial:senior", wf.senior_managers, grade=SENIOR, origin=ORIGIN["internal_manager"],
                     capability_mean=wf.initial_capability["senior_manager"], profession=wf.profession_mix,
                     time=t0, age_mean=wf.initial_age["senior_manager"], record=False)
    for rows, grade in ((mid, "middle_manager"), (sen, "senior_manager")):
        people.grade_since[rows] = t0 - wf.initial_years_in_grade[grade] * draw.uniform(people.key[rows], EXTRA)
    _seed_history(model, np.concatenate([mid, sen]))
    start_cohort(model, int(t0) - 1, record=False)
    for ceo in (True, False):
        _initial_executives(model, [p for p in model.posts if p.is_ceo == ceo])
    _seed_programmes(model)


def _initial_executives(model, posts: list) -> None:
    """A holder for each of ``posts`` (all chief executives, or all directors) at the start."""
    if not posts:
        return
    wf, people, t0 = model.params.workforce, model.people, model.env.now
    grade = "chief_executive" if posts[0].is_ceo else "executive_director"
    ids = np.array([p.id for p in posts], dtype=np.uint64)
    label = f"initial:{grade}"
    keys = key_of(label, ids)
    draw = model.streams.keyed("traits")
    prof = profession_of(model, keys, wf.ceo_profession_mix if grade == "chief_executive" else wf.profession_mix)
    role = np.array([p.role for p in posts])
    finance = PROFESSION["finance"] if model.params.recruitment.finance_profession_required \
        else PROFESSION["non_clinical"]
    prof = np.where(role == "medical", PROFESSION["doctor"], np.where(role == "nursing", PROFESSION["nurse"],
                    np.where(role == "finance", finance, prof))).astype(np.int8)
    origins = list(wf.initial_executive_origins)
    cumulative = np.cumsum([wf.initial_executive_origins[o] for o in origins])
    pick = np.minimum(np.searchsorted(cumulative, draw.uniform(keys, EXTRA) * cumulative[-1]), len(origins) - 1)
    origin = np.where(np.isin(prof, CLINICAL), ORIGIN["clinician"],
                      np.array([ORIGIN[o] for o in origins])[pick]).astype(np.int8)
    org = np.array([p.org for p in posts])
    rows = add_people(model, label, len(posts), indices=ids, grade=GRADE[grade], origin=origin,
                      capability_mean=wf.initial_capability[grade], profession=prof, time=t0,
                      age_mean=wf.initial_age[grade], record=False, org=org)
    tenure = np.minimum(-wf.initial_tenure_years * np.log1p(-draw.uniform(keys, EXTRA + 1)), wf.initial_tenure_cap)
    people.grade_since[rows] = people.appointed[rows] = t0 - tenure
    people.post[rows] = ids.astype(np.int32)
    people.last_role[rows] = [ROLE[r] for r in role]
    for post, row, start in zip(posts, rows.tolist(), (t0 - tenure).tolist()):
        post.holder, post.appointed, post.state = row, start, SUBSTANTIVE
    _seed_history(model, rows)


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


def published_intake(ep, year: int) -> int:
    """Graduate-scheme places in ``year`` with no intervention: the published step function times
    the multiplier, for the entry parameters ``ep`` of that year."""
    years = sorted(int(y) for y in ep.graduate_intake)
    base = ep.graduate_intake[max([y for y in years if y <= year], default=years[0])]
    return int(round(base * ep.graduate_intake_multiplier))


def intake(model, year: int) -> int:
    """Graduate-scheme places in ``year`` (interventions may change them)."""
    ep = model.params.entry
    return int(round(model.decide(Decisions.graduate_intake, float(published_intake(ep, year)))))


def start_cohort(model, year: int, record: bool = True) -> None:
    """A graduate-scheme cohort starts; completion is scheduled for each stream length. Trainees on
    the finance stream are finance professionals."""
    ep = model.params.entry
    n = intake(model, year)
    label = f"graduate:{year}"
    finance = model.streams.keyed("traits").uniform(key_of(label, np.arange(n, dtype=np.uint64)), EXTRA) \
        < ep.graduate_finance_share
    rows = add_people(model, label, n, grade=TRAINEE, origin=ORIGIN["graduate_scheme"],
                      capability_mean=ep.graduate_capability_mean, time=model.env.now, record=record,
                      profession=np.where(finance, PROFESSION["finance"], PROFESSION["non_clinical"]))
    general = model.decide(Decisions.graduate_scheme_years, ep.graduate_length, stream="general")
    ends = year + np.where(finance, model.decide(Decisions.graduate_scheme_years, ep.graduate_finance_length,
                                                 stream="finance"), general)
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
    people.refresh(placed)
    # a share of graduates fill posts a lateral entrant would have taken; the rest hold posts
    # created for them, outside the establishment, for as long as they stay in the grade
    displacement = model.params.workforce.graduate_displacement
    people.additional_post[placed] = model.streams.keyed("traits").uniform(people.key[placed], ADDITIONAL) \
        >= displacement
    model.recorder.events_bulk(now, "promotion", placed, org=people.org[placed], value=float(MIDDLE),
                               cause="graduate_completion")
    people.alive[unplaced] = False
    people.refresh(unplaced)
    model.recorder.events_bulk(now, "exit", unplaced, org=people.org[unplaced], cause="no_post_at_completion",
                               value=float(TRAINEE))


def yearly_entry(model, year: int) -> None:
    """The graduate cohort starts; lateral entrants fill the middle-manager posts of the
    establishment that are vacant (graduates in additional posts do not count against it)."""
    start_cohort(model, year)
    people = model.people
    wf = model.params.workforce
    filled = people.view("alive") & (people.view("grade") == MIDDLE) & ~people.view("additional_post")
    add_people(model, f"lateral:{year}", wf.middle_managers - int(np.sum(filled)), grade=MIDDLE,
               origin=ORIGIN["internal_manager"], capability_mean=0.0, profession=wf.middle_profession_mix,
               time=model.env.now)


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
    promoted = ready[best_first(people.appraisal[ready], internal)]
    people.grade[promoted], people.grade_since[promoted], people.ready[promoted] = SENIOR, now, False
    people.refresh(promoted)
    people.additional_post[promoted] = False
    model.recorder.events_bulk(now, "promotion", promoted, org=people.org[promoted], value=float(SENIOR),
                               cause="middle_to_senior")
    add_people(model, f"external_senior:{year}", gap - len(promoted), grade=SENIOR, origin=ORIGIN["external"],
               capability_mean=ep.external_capability["senior_manager"], time=now,
               profession={"non_clinical": 1.0 - ep.external_finance_share, "finance": ep.external_finance_share})
