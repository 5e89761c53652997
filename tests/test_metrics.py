"""KPIs and survival estimates on small hand-built tables whose answers are worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from sim import measures, metrics, survival
from sim.tables import Period, Tables


def test_kaplan_meier_median_by_hand():
    # S(1)=4/5=0.8, S(2)=0.8·3/4=0.6, S(3)=0.6·1/2=0.3 ≤ ½ → median 3
    assert survival.kaplan_meier_median([1, 2, 2, 3, 4], [1, 1, 0, 1, 0]) == 3.0
    # without censoring it is the ordinary lower median
    assert survival.kaplan_meier_median([5, 1, 3, 2], [1, 1, 1, 1]) == 2.0
    # censoring everything past 1 leaves survival above ½: no median
    assert np.isnan(survival.kaplan_meier_median([1, 2, 2, 2], [1, 0, 0, 0]))
    assert np.isnan(survival.kaplan_meier_median([], []))


def _events(rows):
    return pd.DataFrame(rows, columns=["time", "kind", "person", "org", "post", "role", "cause", "value"])


def test_spells_join_departures_and_censor_the_rest():
    ev = _events([
        (2010.0, "appointment", 1, 0, 10, "finance", "", 0.0),
        (2011.0, "appointment", 2, 0, 11, "chief_executive", "", 0.0),
        (2012.5, "departure", 1, 0, 10, "finance", "retire", 2.5),
        (2015.0, "appointment", 1, 0, 10, "finance", "", 0.0),
        (2016.0, "departure", 1, 0, 10, "finance", "leave_nhs", 1.0),
    ])
    sp = survival.spells(ev, end=2020.0).sort_values(["start"]).reset_index(drop=True)
    assert sp.duration.tolist() == [2.5, 9.0, 1.0]
    assert sp.observed.tolist() == [True, False, True]


def _system():
    posts, orgs = [], []
    for org, rating, states in ((0, "inadequate", ["vacant", "interim", "substantive", "substantive", "substantive"]),
                                (1, "outstanding", ["substantive"] * 5)):
        orgs.append((2010, org, "acute", "london", rating, org == 0, 0.0))
        for i, state in enumerate(states):
            role = "chief_executive" if i == 0 else f"r{i}"
            holder = 100 + 10 * org + i if state == "substantive" else -1
            posts.append((2010, 10 * org + i, org, role, holder, state, 2008.0 if holder >= 0 else np.nan))
    posts = pd.DataFrame(posts, columns=["year", "post", "org", "role", "holder", "state", "appointed"])
    orgs = pd.DataFrame(orgs, columns=["year", "org", "type", "region", "rating", "special_measures", "quality"])
    pipeline = pd.DataFrame({"year": [2010] * 4, "grade": ["senior_manager"] * 2 + ["chief_executive"] * 2,
                             "origin": ["external"] * 4, "profession": ["nurse"] * 4,
                             "female": [True, False, True, False], "ethnic_minority": [False, True, False, False],
                             "ready": [True, False, False, False], "count": [6, 4, 1, 1]})
    ev = _events([(2010.2, "departure", 5, 0, 0, "chief_executive", "removed", 1.0),
                  (2010.6, "appointment", 7, 1, 12, "r2", "external", 0.5),
                  (2010.7, "appointment", 8, 1, 13, "r3", "external", 0.0)])
    return metrics.compute(ev, posts, orgs, pipeline, 2010, 2011)


def _kpi(kpis, name, group="all", year=2010):
    return kpis[(kpis.kpi == name) & (kpis.group == group) & (kpis.year == year)].value.item()


def test_cross_sectional_kpis_by_hand():
    k = _system()
    assert _kpi(k, "exec_vacant_or_interim") == pytest.approx(2 / 10)
    assert _kpi(k, "exec_vacant_or_interim", "inadequate") == pytest.approx(2 / 5)
    assert _kpi(k, "exec_vacant_or_interim", "outstanding") == 0.0
    assert np.isnan(_kpi(k, "exec_vacant_or_interim", "good"))
    assert _kpi(k, "trusts_without_substantive_ceo") == pytest.approx(1 / 2)
    assert _kpi(k, "trusts_without_substantive_ceo", "special_measures") == 1.0
    assert _kpi(k, "exec_turnover") == pytest.approx(1 / 10)
    assert _kpi(k, "mean_time_to_fill") == pytest.approx(0.5)
    assert _kpi(k, "handover_without_gap") == pytest.approx(0.5)
    assert _kpi(k, "trusts_in_special_measures") == 1
    assert _kpi(k, "ceo_median_time_in_post") == pytest.approx(3.0)  # appointed 2008.0, snapshot 31 Dec 2010
    assert _kpi(k, "pipeline", "senior_manager") == 10
    assert _kpi(k, "ready_successors_per_post") == pytest.approx(6 / 10)
    assert _kpi(k, "women_share", "senior_manager") == pytest.approx(0.6)
    assert _kpi(k, "ethnic_minority_share", "senior_manager") == pytest.approx(0.4)
    assert _kpi(k, "women_share", "chief_executive") == pytest.approx(0.5)


def test_summary_table_keeps_every_kpi_and_its_unit():
    k = _system()
    table = metrics.summary(k, (2010,))
    assert set(table.kpi) == set(k.kpi)
    assert (table.unit != "").all()
    row = table[(table.kpi == "exec_vacant_or_interim") & (table.group == "all")].iloc[0]
    assert row["2010"] == pytest.approx(0.2) and row["window"] == pytest.approx(0.2)


def _two_years():
    """Two trusts of three posts over 2010-2011. Trust 0 is inadequate at the end of 2010 and good at
    the end of 2011; trust 1 the other way round. So in 2011 the trusts challenged at the time (1)
    are not the fixed cohort of 2010 (0)."""
    orgs = pd.DataFrame([(2010, 0, "inadequate", False), (2010, 1, "good", False),
                         (2011, 0, "good", False), (2011, 1, "inadequate", True)],
                        columns=["year", "org", "rating", "special_measures"])
    states = {(2010, 0): ["vacant", "interim", "substantive"], (2010, 1): ["substantive"] * 3,
              (2011, 0): ["interim", "substantive", "substantive"], (2011, 1): ["vacant", "vacant", "interim"]}
    posts = pd.DataFrame([(year, 3 * org + i, org, f"r{i}", -1 if state != "substantive" else 1, state, np.nan)
                          for (year, org), row in states.items() for i, state in enumerate(row)],
                         columns=["year", "post", "org", "role", "holder", "state", "appointed"])
    ev = _events([(2010.3, "departure", 1, 0, 2, "r2", "retire", 5.0),      # a handover: no gap
                  (2010.3, "appointment", 2, 0, 2, "r2", "external", 0.0),
                  (2010.5, "departure", 3, 0, 0, "r0", "leave_nhs", 2.0),   # empty 2010.5 to 2011.25
                  (2011.25, "appointment", 4, 0, 0, "r0", "external", 0.75),
                  (2011.5, "departure", 5, 1, 3, "r0", "removed", 4.0)])    # still empty when the log ends
    return Tables(ev, posts, orgs, end=2012.0)


def _values(name, tables, period, **settings):
    from sim.registry import yearly
    m = measures.REGISTRY[name]
    return {(g, y): v for _, g, y, v in yearly(m, m.function(tables, period, **settings), period.years)}


def test_vacant_plus_interim_is_vacant_or_interim_in_every_group_by_hand():
    run, period = _two_years(), Period(2010, 2011)
    both = _values("exec_vacant_or_interim", run, period, cohort_year=2010)
    vacant = _values("exec_vacant", run, period, cohort_year=2010)
    interim = _values("exec_interim", run, period, cohort_year=2010)
    assert both[("all", 2010)] == pytest.approx(2 / 6) and both[("all", 2011)] == pytest.approx(4 / 6)
    assert vacant[("all", 2011)] == pytest.approx(2 / 6) and interim[("all", 2011)] == pytest.approx(2 / 6)
    # 2011: challenged at the time = trust 1 (3 of 3 posts empty); fixed cohort of 2010 = trust 0 (1 of 3)
    assert both[("challenged", 2011)] == 1.0 and both[("challenged_cohort", 2011)] == pytest.approx(1 / 3)
    assert vacant[("challenged_cohort", 2011)] == 0.0 and interim[("challenged_cohort", 2011)] == pytest.approx(1 / 3)
    for key, value in both.items():
        if np.isnan(value):
            assert np.isnan(vacant[key]) and np.isnan(interim[key])
        else:
            assert vacant[key] + interim[key] == pytest.approx(value), key


def test_the_cohort_defaults_to_the_year_before_the_period_and_is_fixed_whatever_later_ratings():
    run = _two_years()
    by_default = _values("exec_vacant_or_interim", run, Period(2011, 2011))  # cohort: end of 2010
    assert by_default[("challenged_cohort", 2011)] == pytest.approx(1 / 3)
    later = _values("exec_vacant_or_interim", run, Period(2010, 2011), cohort_year=2011)  # cohort: trust 1
    assert later[("challenged_cohort", 2010)] == 0.0 and later[("challenged_cohort", 2011)] == 1.0
    assert _values("challenged_cohort_trusts", run, Period(2011, 2011))[("challenged_cohort", -1)] == 1.0
    assert np.isnan(_values("challenged_cohort_trusts", run, Period(2010, 2011))[("challenged_cohort", -1)])  # no 2009
    posts = _values("exec_posts", run, Period(2010, 2011), cohort_year=2010)
    assert posts[("all", 2011)] == 6 and posts[("challenged_cohort", 2011)] == 3


def test_post_years_without_a_substantive_holder_by_hand():
    run = _two_years()
    py = _values("exec_post_years_without_holder", run, Period(2010, 2011), cohort_year=2010)
    # post 0: empty from 2010.5 to 2011.25 (0.5 + 0.25); post 3: from 2011.5 to the end of the log (0.5);
    # post 2's handover leaves no gap
    assert py[("all", 2010)] == pytest.approx(0.5) and py[("all", 2011)] == pytest.approx(0.75)
    assert py[("challenged_cohort", 2010)] == pytest.approx(0.5)  # trust 0
    assert py[("challenged_cohort", 2011)] == pytest.approx(0.25)
    pooled = metrics.value(run, "exec_post_years_without_holder", "all", Period(2010, 2011), {"cohort_year": 2010})
    assert pooled == pytest.approx((0.5 + 0.75) / 2)  # over two years: the mean a year


@pytest.mark.parametrize("year", [np.array([2031, 2029, 2031, 2030], dtype=np.int16), np.array([5, 5]),
                                  np.array([], dtype=np.int64), np.array([2020.5, 2019.0])])
def test_ratio_finds_the_years_as_np_unique_does(year):
    from sim.registry import _distinct
    years, index = _distinct(year)
    expected_years, expected_index = np.unique(year, return_inverse=True)
    assert years.dtype == expected_years.dtype and np.array_equal(years, expected_years)
    assert np.array_equal(index, expected_index)


def test_events_in_a_period_whether_or_not_the_log_is_in_time_order():
    rows = [(2019.5, "entry", 1, 0, -1, "", "", 0.0), (2020.0, "entry", 2, 0, -1, "", "", 0.0),
            (2020.9, "exit", 1, 0, -1, "", "", 0.0), (2021.0, "entry", 3, 0, -1, "", "", 0.0)]
    empty = pd.DataFrame(columns=["year"])
    for ordered in (rows, rows[::-1]):
        run = Tables(_events(ordered), empty, empty)
        got = run.events_in(Period(2020, 2020))
        assert sorted(got.person) == [1, 2] and set(got.year) == {2020}


def test_kpis_are_the_same_whether_snapshot_texts_are_strings_or_categoricals(small):
    """Tables turns the snapshots' Arrow strings into categoricals (for speed); every KPI must be
    what the plain strings give."""
    from conftest import run_model

    model = run_model(small)
    rec = model.recorder
    frames = [rec.events_table().to_pandas(), rec.posts_table().to_pandas(), rec.orgs_table().to_pandas(),
              rec.pipeline_table().to_pandas()]
    people = rec.people_table(model.people).to_pandas()
    cal = small.calendar
    fast = metrics.compute(*frames, cal.report_from, cal.end_year, people)
    assert any(isinstance(run_frame[c].dtype, pd.CategoricalDtype)
               for run_frame in [Tables(*frames, people).posts] for c in run_frame)
    plain = [frames[0], *(f.astype({c: object for c in f.columns if isinstance(f[c].dtype, pd.StringDtype)})
                          for f in frames[1:])]
    run = Tables(*plain, people, end=float(cal.end_year))
    assert not any(isinstance(run.posts[c].dtype, pd.CategoricalDtype) for c in run.posts)
    slow = metrics.kpis(run, Period(cal.report_from, cal.end_year - 1))
    assert len(fast) > 100 and fast.value.notna().sum() > 50
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)


def _ratio_group_by_group(year, num, den=1.0, groups=None):
    """``registry.ratio`` as it was before the one-count path: two counts over each group's rows."""
    from sim.registry import _distinct, _mask, _observations
    year = np.asarray(year)
    num = np.broadcast_to(np.asarray(num, dtype=float), year.shape)
    den = np.broadcast_to(np.asarray(den, dtype=float), year.shape)
    years, index = _distinct(year)
    whole = bool(np.all(num == np.round(num)) and np.all(den == np.round(den)))
    parts = []
    for name, mask in (groups or {"all": None}).items():
        m = _mask(mask, len(year))
        if whole:
            sums = (years, np.bincount(index[m], num[m], len(years)), np.bincount(index[m], den[m], len(years)))
        else:
            by_year = pd.DataFrame({"num": num[m], "den": den[m]}).groupby(year[m]).sum()
            sums = (by_year.index.to_numpy(), by_year.num.to_numpy(), by_year.den.to_numpy())
        kept = sums[2] != 0
        parts.append([a[kept] for a in sums] + [np.full(kept.sum(), name, dtype=object)])
    return _observations(*(np.concatenate(column) for column in zip(*parts)))


@pytest.mark.parametrize("seed", range(40))
def test_ratio_sums_every_group_as_group_by_group_counts_do(seed):
    from sim.registry import ratio
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 400))
    year = rng.integers(2010, 2010 + int(rng.integers(1, 30)), n).astype(rng.choice([np.int16, np.int64]))
    kind = seed % 5   # counts, whole numbers, negatives, fractions, a NaN or infinity
    num = [rng.random(n) < 0.3, rng.integers(0, 50, n), rng.integers(-5, 5, n), rng.random(n) * 3,
           np.where(rng.random(n) < 0.05, rng.choice([np.nan, np.inf]), 1.0)][kind]
    den = rng.integers(0, 3, n) if seed % 3 == 0 else 1.0
    flags = [rng.random(n) < p for p in rng.random(int(rng.integers(1, 13)))]
    groups = {f"g{i}": (pd.Series(f).where(rng.random(n) < 0.9) if i % 4 == 3 else f) for i, f in enumerate(flags)}
    if seed % 7 == 0:
        groups = {"all": None, **groups}
    got, expected = ratio(year, num, den, groups), _ratio_group_by_group(year, num, den, groups)
    assert list(got.group) == list(expected.group)
    for column in ("year", "num", "den"):
        assert np.array_equal(got[column].to_numpy(), expected[column].to_numpy(), equal_nan=True)
        assert np.array_equal(np.signbit(got[column].to_numpy(dtype=float)),
                              np.signbit(expected[column].to_numpy(dtype=float)))   # no −0 for 0


@pytest.mark.parametrize("seed", range(30))
def test_yearly_medians_are_pandas_groupby_medians(seed):
    """``registry.yearly`` takes MEDIAN values cell by cell in numpy: they must be what pandas'
    groupby median gives, NaN samples left out and NaN for a cell without any."""
    from sim.registry import yearly
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 300))
    years = np.arange(2010, 2016)
    x = np.round(rng.normal(50, 10, n), int(rng.integers(0, 3)))   # rounded: ties and even counts
    x[rng.random(n) < 0.1] = np.nan
    obs = pd.DataFrame({"year": rng.integers(2008, 2017, n), "x": x,
                        "group": rng.choice(["all", "chief_executive", "other"], n)})
    m = measures.REGISTRY["executive_age"]
    got = {(g, y): v for _, g, y, v in yearly(m, obs, years)}
    expected = obs.groupby(["group", "year"]).x.median()
    for (g, y), v in got.items():
        want = expected.get((g, y), np.nan)
        assert (np.isnan(v) and np.isnan(want)) or v == want, (g, y)
    assert set(got) == {(g, int(y)) for g in {"all", "chief_executive", *obs.group} for y in years}


@pytest.mark.parametrize("numbered_by_row", [True, False])
def test_person_column_reads_each_person_whether_or_not_person_i_is_row_i(numbered_by_row):
    ids = [0, 1, 2, 3] if numbered_by_row else [3, 0, 7, 1]
    people = pd.DataFrame({"person": ids, "born": [1960.0, 1970.0, 1980.0, 1990.0],
                           "origin": pd.Categorical(["external", "graduate_scheme", "external", "clinician"])})
    run = Tables(_events([]), pd.DataFrame(), pd.DataFrame(), people=people)
    born = dict(zip(ids, people.born))
    persons = pd.Series([3, 1, 1, 0])
    assert list(run.person_column(persons, "born")) == [born[p] for p in persons]
    origin = dict(zip(ids, people.origin))
    assert list(run.origin(persons)) == [origin[p] for p in persons]
    missing = run.person_column(pd.Series([1, 99, -1]), "born")   # not in the table: NaN
    assert missing[0] == born[1] and np.isnan(missing[1:]).all()


def test_events_of_a_kind_are_the_log_filtered_in_log_order():
    ev = _events([(2019.5, "entry", 1, 0, -1, "", "", 0.0), (2020.2, "exit", 1, 0, -1, "", "", 1.0),
                  (2020.5, "entry", 2, 0, -1, "", "", 0.0), (2021.0, "entry", 3, 0, -1, "", "", 0.0)])
    run = Tables(ev, pd.DataFrame(columns=["year"]), pd.DataFrame(columns=["year"]))
    assert list(run.events_of("entry").person) == [1, 2, 3]
    in_2020 = run.events_of("entry", Period(2020, 2020))
    assert list(in_2020.person) == [2] and list(in_2020.year) == [2020]
    assert run.events_of("exit", Period(2021, 2021)).empty


def test_with_trust_is_the_left_merge_on_year_and_org(small):
    """Taking each row's trust by position must give what the merge gave: on a model's tables, and
    on snapshots where a trust is missing or appears twice (then the merge itself is used)."""
    from conftest import run_model

    rec = run_model(small).recorder
    run = Tables(rec.events_table().to_pandas(), rec.posts_table().to_pandas(), rec.orgs_table().to_pandas())
    orgs = run.organisations
    merged = run.posts.merge(orgs[["year", "org", "rating", "special_measures"]], on=["year", "org"], how="left")
    pd.testing.assert_frame_equal(run.posts_at_trusts, merged, check_exact=True)
    posts = pd.DataFrame({"year": [2011, 2010, 2011, 2012], "org": [1, 0, 0, 1], "post": [7, 8, 9, 10]},
                         index=[5, 3, 1, 0])
    for snapshot in ([(2010, 0, "good"), (2011, 0, "inadequate"), (2011, 1, "good"), (2012, 1, "outstanding")],
                     [(2010, 0, "good"), (2011, 1, "good")],                                      # missing
                     [(2010, 0, "good"), (2011, 0, "good"), (2011, 0, "inadequate"), (2011, 1, "good")]):  # twice
        orgs = pd.DataFrame(snapshot, columns=["year", "org", "rating"]).astype({"rating": "category"})
        run = Tables(_events([]), posts, orgs)
        pd.testing.assert_frame_equal(run.with_trust(posts, ["rating"]),
                                      posts.merge(run.organisations, on=["year", "org"], how="left"), check_exact=True)


@pytest.mark.parametrize("seed", range(10))
def test_latest_time_and_first_row_of_each_key_as_groupby_gives_them(seed):
    from sim.tables import _latest
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 40))
    frame = pd.DataFrame({"key": rng.integers(0, 9, n).astype(np.int32), "time": np.round(rng.uniform(0, 5, n), 1),
                          "row": np.arange(n)})
    keys, latest, first = _latest(frame.key.to_numpy(), frame.time.to_numpy())
    expected = frame.groupby("key").agg(time=("time", "max"), row=("row", "first"))
    assert keys.tolist() == expected.index.tolist()
    assert latest.tolist() == expected.time.tolist() and first.tolist() == expected.row.tolist()


@pytest.mark.parametrize("seed", range(12))
def test_shares_are_each_ratio_renamed_and_concatenated(seed):
    from sim.registry import ratio, shares
    rng = np.random.default_rng(seed)
    n = 0 if seed == 0 else int(rng.integers(1, 60))   # seed 0: no rows at all
    year = rng.integers(2010, 2015, n).astype(np.int16)
    nums = {"a": rng.random(n) < 0.3, "b": rng.integers(0, 4, n), "c": rng.random(n) * 2}   # c: not whole
    den = rng.integers(0, 3, n) if seed % 2 else 1.0
    expected = pd.concat([ratio(year, num, den).assign(group=name) for name, num in nums.items()], ignore_index=True)
    pd.testing.assert_frame_equal(shares(year, nums, den), expected, check_exact=True)
