"""The measures: every quantity leadsim reports, each declared once, in the module of its domain;
this module imports them all, in the registry's order (below), and is where the rest of leadsim
reads the registry from.

A measure is a function of one run's tables (``sim.tables.Tables``) and a period of years
(``sim.tables.Period``), registered with ``@measure(...)``: its name is the function's name, its
plain-English definition is the docstring, and the decorator gives the unit, the direction that
is better (LOWER, HIGHER, or NEITHER for no value judgement; ``ByGroup`` when it depends on the
group), a plain-English label, its groups, how its observations reduce (``sim/registry.py``:
RATIO, MEDIAN or WINDOW), the settings a calibration target may give, and where it ranks among
the headline measures. Everything reads this registry: the KPIs of every run (``sim.metrics``:
``kpis.parquet``), calibration targets (``calibration/targets.yaml`` names a measure, a group, a
period and settings), verdicts (``sim.stats``), the terminal tables, the report and the charts.

Adding a measure: write one function in the module of its domain (a new domain: a new module,
imported below in its place) and its test on a hand-built table whose answer is worked out by
hand (``tests/test_targets.py`` and ``tests/test_metrics.py`` have small systems to extend), and
list it in the README's KPI table; that is all. For example::

    @measure(unit="share of executive posts", better=LOWER, label="Finance posts vacant or interim",
             groups=("all",), reduce=RATIO)
    def finance_vacant_or_interim(run: Tables, period: Period) -> pd.DataFrame:
        \"\"\"Finance-director posts without a substantive holder at 31 Dec.\"\"\"
        p = run.snapshots(run.posts, period)
        p = p[p.role == "finance"]
        return ratio(p.year, p.state != "substantive")

A measure that needs a table the run lacks (e.g. ``people``) returns None and is left out.
Keyword arguments after ``period`` are settings: give each a default (what the KPI uses) and
declare it in ``settings=`` with its allowed values. ``tests/test_measures.py`` fails if a
measure lacks a unit, a direction, a label or a definition.
"""

from __future__ import annotations

from .registry import (HIGHER, LOWER, MEDIAN, NEITHER, RATIO, REGISTRY, WINDOW, Headline, Measure, appraised,
                       direction, get, headlines, label, unit)

__all__ = ["REGISTRY", "Measure", "Headline", "get", "unit", "direction", "headlines", "appraised", "label",
           "LOWER", "HIGHER", "NEITHER", "RATIO", "MEDIAN", "WINDOW"]

# The domains, in the registry's order: the KPI tables, the report and tests/golden follow it, so a
# module's place here is its measures' place there. Each measure stays reachable as sim.measures.NAME.
from .measures_groups import COHORT  # noqa: E402,F401  (the fixed cohort's group name: sim/cohort.py)
from .measures_vacancies import (  # noqa: E402,F401  posts without a substantive holder
    exec_vacant_or_interim, exec_vacant, exec_interim, exec_post_years_without_holder, challenged_cohort_trusts,
    trusts_without_substantive_ceo)
from .measures_tenure import (  # noqa: E402,F401  time in post, tenure, turnover, filling posts
    ceo_median_time_in_post, exec_median_time_in_post, ceo_median_tenure, exec_median_tenure, ceo_survival,
    exec_posts, exec_turnover, exec_turnover_excluding_retirement, mean_time_to_fill, handover_without_gap)
from .measures_costs import intervention_cost, programme_cost  # noqa: E402,F401
from .measures_flows import (  # noqa: E402,F401  people into, up and out of the pipeline
    flow_entry, flow_to_senior, flow_to_director, flow_to_ceo, flow_exit)
from .measures_trusts import (  # noqa: E402,F401  ratings and special measures
    trusts_by_rating, trust_rating_share, trusts_in_special_measures, special_measures_years, recently_appointed,
    rating_change_at_inspection, special_measures_left_within_a_year, ceo_left_after_special_measures)
from .measures_executives import (  # noqa: E402,F401  backgrounds, ages, retirements, removals
    ceo_clinical_background, executive_age, executives_aged_55_plus, retirement_share_of_departures,
    removals_after_inspection, recycled_appointments)
from .measures_pipeline import (  # noqa: E402,F401  grades, successors, equality, graduate retention
    pipeline, ready_successors_per_post, women_share, ethnic_minority_share, graduate_retention)
from . import representation  # noqa: E402,F401  (who gets on: registers its measures after these)
from . import measures_careers  # noqa: E402,F401 — registers the placement and career measures
