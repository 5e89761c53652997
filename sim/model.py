"""The model: one replication of the English trust system, from warm-up to the horizon.

Simulated time is calendar time in years (t = 2017.5 is 1 July 2017). The yearly tick runs at
each 1 January, before any other event of that instant, in this order:

0. parameters — any parameter that changes with the calendar takes this year's value;
1. snapshot — record the state at the end of the previous year (every post, trust, pipeline);
2. performance — each trust's latent quality drifts, with special-measures support and the
   (deliberately weak) leadership → quality feedback;
3. turnover of the feeder grades — trainees, middle and senior managers who retire (by age) or
   leave the NHS, and unplaced executives who give up;
4. training — programmes that end now add their effect; new cohorts are selected;
5. appraisal — everyone is scored (a noisy observation of capability), capability grows, and
   the last three scores decide who is ready for the next grade;
6. promotion and entry into senior management — clinicians move into management; ready middle
   managers, by observed score, and hires from outside fill the vacant senior-manager posts of
   this year's establishment;
7. entry — the graduate-scheme cohort starts; lateral managers fill the vacant middle-manager
   posts of the establishment (graduates in additional posts do not count against it);
8. executive turnover — for every substantive post holder, a competing-risks draw (retirement by
   age, leaving, moving, removal) decides whether and when in the coming year they leave, and why;
9. candidate pools — who is open to a move this year is drawn, and the lists of ready people that
   searches draw from are rebuilt;
10. interventions — each active intervention does its yearly work (a talent board refreshes its
    pool and its approaches for the year; a central cadre reviews its members) and books its
    cost for the year; an intervention that has just stopped undoes the state it kept. Every
    intervention acts at its strength of the moment (``Intervention.strength``: 0 at its start,
    rising along its implementation curve to 1), whenever a decision asks it.

Between ticks, SimPy events happen in continuous time: notices and departures, searches and
their re-runs — at a challenged trust the talent boards' nominations and approaches run during
the first round, and an acceptance ends the search (placement) —, offers, interim cover,
appointments (and the vacancy chains they open; active interventions note each appointment — a
new deal may start — and each new holder's exit is drawn at once), a cadre member's return at
the end of a term, graduate-cohort completions (with a place in the establishment or an
additional post), and CQC inspections with special-measures entry and exit. An inspection that
changes a trust's rating or special measures re-draws its leaders' exits under the new hazards
at once, may credit their challenged postings (career reward; so does a challenged posting that
lasts), and entry into special measures or a new inadequate rating may remove them.

Sex and ethnicity act inside these steps (``processes/equality.py``): who enters (6, 7, and
external hires at offer), leaving rates (3, 8), the appraisal bias (5), application rates and the
interview bias in every search round, whose shortlist by group is recorded.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np
import simpy
from simpy.core import NORMAL, URGENT

from .decisions import Decisions, overrides
from .entities import Organisation, People, Post
from .params import Params
from .processes import appraisal, cadre, careers, entry, performance, placement, recruitment, training, turnover
from .recorder import Recorder
from .rng import Streams


class Tick(simpy.events.Timeout):
    """A timeout that fires before every ordinary event due at the same instant.

    The yearly tick must see the state at exactly 1 January, before e.g. a graduate cohort
    completes at that instant, so it is scheduled with SimPy's URGENT priority.
    """

    def __init__(self, env: simpy.Environment, delay: float):
        self.env = env
        self.callbacks = []
        self._value = None
        self._delay = delay
        self._ok = True
        env.schedule(self, URGENT, delay)


class Due(simpy.events.Event):
    """A timeout that calls ``action(model, *args)`` when it comes due (``Model.after``, ``Model.soon``).

    The same place in SimPy's queue as a ``Timeout`` with that callback, without a closure and a
    generic timeout for each of ~36,000 exits, departures, interims and appointments a run.
    """

    def call(self) -> None:
        self.action(self.model, *self.args)

    # what SimPy reads of a triggered event, the same for every Due: class attributes, not three
    # stores each. Nothing waits on a Due (``Model.after`` keeps none), so no one adds to the shared
    # callbacks; SimPy sets an instance's own ``callbacks`` to None once it has run.
    callbacks = [call]   # SimPy calls it with the event: a plain function, no bound method
    _value = None
    _ok = True

    def __init__(self, model: "Model", delay: float, action: Callable, args: tuple, priority: int = NORMAL):
        if delay < 0:
            raise ValueError(f"negative delay {delay}")
        env = self.env = model.env
        self.model, self.action, self.args = model, action, args
        env.schedule(self, priority, delay)


class Model:
    """Builds the system, starts the processes and owns the recorder for one replication.

    Processes do not import one another: where one process sets off another (an exit starts a
    search; an appointment schedules the new holder's exit) it goes through the model's methods.
    """

    def __init__(self, params: Params, seed: int = 0, replication: int = 0,
                 interventions: Iterable[Any] = ()):
        self.plan = params                         # the parameters, with any calendar schedules
        self.params = params.at(params.calendar.start_year)   # as they stand this year
        self.streams = Streams(seed, replication)
        self.interventions = list(interventions)
        self._deciders: dict[str, list] = {}
        for iv in self.interventions:
            for name in overrides(iv):
                self._deciders.setdefault(name, []).append(iv)
        cal = params.calendar
        if not cal.start_year < cal.report_from < cal.end_year:
            raise ValueError(f"calendar must have start_year < report_from < end_year, got {cal}")
        self.env = simpy.Environment(initial_time=float(cal.start_year))
        self.recorder = Recorder()
        # room for everyone a baseline run adds (~155,000 rows): growing the 30-odd columns
        # twice from 65,536 copied them and cost ~10 ms more than reserving the rows at once
        self.people = People(capacity=1 << 18)
        self.orgs: list[Organisation] = []
        self.posts: list[Post] = []
        self.org_region = np.empty(0, dtype=np.int8)       # region of each trust, for vectorised lookups
        self.org_weight = np.empty(0)                      # cumulative share of staff by trust: where entrants go
        self.entry_shares = None                           # this year's shares of women and ethnic minorities among
                                                           # entrants, by profession and region (processes.equality)
        self.thresholds: tuple[float, float, float] = (0.0, 0.0, 0.0)  # quality cut-points between ratings
        self.pools: dict[str, np.ndarray] = {}             # candidate lists, rebuilt each year
        self.programme_catalogue: dict = {}                # programme name → (bit index, latest settings)
        self.intervention_state: dict[str, Any] = {}       # what an intervention keeps between events, by label
        self.boards: dict[str, placement.Board] = {}      # talent boards' pools and approaches left, by key
        self.fixed_terms: dict[int, float] = {}            # cadre members placed but not yet started → term (years)
        self.approaching: set[int] = set()                 # people a board is approaching now (one post at a time)
        for prog in params.training.programmes:
            training.index(self, prog)
        performance.build_organisations(self)
        entry.initial_population(self)
        self.initial_headcount = int(self.people.alive[: self.people.n].sum())
        recruitment.rebuild_pools(self)
        careers.start(self)
        self.env.process(self._yearly())
        for org in self.orgs:
            self.env.process(performance.inspections(self, org))
        if params.performance.special_measures_from > params.calendar.start_year:
            self.env.process(performance.special_measures_begin(self))

    # -- interventions -------------------------------------------------------------------------
    def decide(self, decision: Callable, value, **context):
        """Let active interventions adjust ``value`` at ``decision`` (a method of ``Decisions``), each
        at its current strength (``Intervention.decide``)."""
        if not self._deciders:   # no intervention adjusts anything (~150,000 calls a baseline run)
            return value
        name = decision.__name__
        deciders = self._deciders.get(name)
        if not deciders:
            return value
        now = self.env.now
        for iv in deciders:
            if iv.active(now):
                value = iv.decide(name, value, model=self, **context)
        return value

    def deciding(self, decision: Callable) -> bool:
        """Whether an active intervention may adjust ``decision`` now (if not, ``decide`` returns its
        value as it is, and a process may work out many values at once)."""
        now = self.env.now
        return any(iv.active(now) for iv in self._deciders.get(decision.__name__, ()))

    # -- what one process asks of another ----------------------------------------------------------
    def start_exit(self, post: Post, cause: str, abrupt: bool, notice: float | None = None) -> None:
        """The holder of ``post`` will leave (recruitment handles notice, vacancy and search)."""
        recruitment.start_exit(self, post, cause, abrupt, notice)

    def schedule_exits(self, posts: Iterable[Post], until: float) -> None:
        """Draw when and why each holder of ``posts`` leaves before ``until`` (turnover)."""
        turnover.schedule_exits(self, posts, until)

    def after_inspection(self, org: Organisation, triggered: bool, was_challenged: bool) -> None:
        """A trust's rating or special measures changed: its leaders' postings may be credited (careers),
        and their hazards (and perhaps tenure) change (turnover)."""
        careers.after_inspection(self, org, was_challenged)
        turnover.after_inspection(self, org, triggered)

    def place(self, post: Post, within: float):
        """Talent boards' approaches for ``post`` during the first ``within`` years of its search
        (placement): a generator returning an accepted nominee or None."""
        return placement.place(self, post, within)

    def after_appointment(self, post: Post, person: int) -> None:
        """``person`` has started in ``post``: a challenged posting or a cadre deployment may begin
        (careers, cadre), and active interventions that keep state (a new deal) note it."""
        careers.appointed(self, post, person)
        if self.fixed_terms:
            cadre.appointed(self, post, person)
        now = self.env.now
        for iv in self.interventions:
            if iv.active(now):
                iv.appointed(self, post, person)

    # -- the year --------------------------------------------------------------------------------
    def _yearly(self):
        cal = self.params.calendar
        for year in range(cal.start_year, cal.end_year):
            self.params = self.plan.at(year)
            if year > cal.start_year:
                self.recorder.snapshot(year - 1, self.orgs, self.posts, self.people)
            performance.update_quality(self, year)
            turnover.feeder_leavers(self, year)
            training.run_programmes(self, year)
            appraisal.appraise(self, year)
            entry.fill_senior_pool(self, year)
            entry.yearly_entry(self, year)
            turnover.schedule_exits(self, self.posts, until=year + 1.0)
            recruitment.rebuild_pools(self)
            now = self.env.now
            for iv in self.interventions:
                if iv.active(now):
                    iv.yearly(self, year)
                elif iv.stop is not None and now - 1.0 < iv.stop <= now + 1e-9:   # first tick after it stopped
                    iv.stopped(self)
            yield Tick(self.env, 1.0)
        self.recorder.snapshot(cal.end_year - 1, self.orgs, self.posts, self.people)

    def run(self) -> "Model":
        self.env.run(until=float(self.params.calendar.end_year) + 1e-6)
        return self

    def process(self, gen_factory: Callable, *args):
        return self.env.process(gen_factory(self, *args))

    def after(self, delay: float, action: Callable, *args) -> None:
        """Call ``action(self, *args)`` ``delay`` years from now: a timeout with a callback, for
        something that only waits once (cheaper than a process: no start-up event, no generator)."""
        Due(self, delay, action, args)

    def soon(self, action: Callable, *args) -> None:
        """Call ``action(self, *args)`` once the current event is done, before the ordinary events of this
        instant: where a process started now would take its first step (SimPy starts one URGENT)."""
        Due(self, 0.0, action, args, URGENT)


__all__ = ["Decisions", "Due", "Model", "Tick"]
