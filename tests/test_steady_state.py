"""A deterministic check against a hand-computed answer.

With a constant exit hazard λ, a fixed time to fill d, every exit abrupt and no interims, each
post alternates between a filled spell of mean 1/λ and a vacant spell of exactly d, so the
long-run share of time vacant is d / (1/λ + d) = λd / (1 + λd).
"""

import numpy as np
import pytest

from conftest import mean_ci, run_model, small_params

ONES = {r: 1.0 for r in ("outstanding", "good", "requires_improvement", "inadequate")}


def renewal_params(lam: float, d: float):
    return small_params(
        trusts=40, scale=0.05, start=2000, report=2005, end=2035,
        turnover={"hazard": {"leave_nhs": lam, "move_trust": 0.0, "removed": 0.0},
                  "retirement": {"under_50": 0.0, "50_to_54": 0.0, "55_to_59": 0.0, "60_to_64": 0.0, "65_and_over": 0.0},
                  "removal_after_inspection": {"chief_executive": 0.0, "director": 0.0},
                  "abrupt_share": {"leave_nhs": 1.0}, "rating_multiplier": ONES,
                  "special_measures_multiplier": 1.0, "early_tenure_multiplier": 1.0,
                  "role_multiplier": {r: 1.0 for r in ("chief_executive", "finance", "medical", "nursing",
                                                       "operations", "people", "strategy")}},
        recruitment={"search_years": {"chief_executive": d, "director": d}, "search_shape": 1e6,
                     "attractiveness": ONES, "special_measures_attractiveness": 1.0,
                     "interim_probability": {"chief_executive": 0.0, "director": 0.0},
                     "notice_years": {"chief_executive": 0.0, "director": 0.0, "senior_manager": 0.0,
                                      "unattached": 0.0},
                     # only people without a post apply, so an appointment never opens another vacancy
                     "willingness": {"executive_director": 0.0, "chief_executive": 0.0},
                     "external_applicants": {"chief_executive": 30.0, "director": 30.0},
                     "appointable_score": -100.0},
    )


@pytest.mark.parametrize("lam,d", [(0.5, 0.5), (0.2, 0.25)])
def test_vacant_share_matches_renewal_theory(lam, d):
    expected = lam * d / (1 + lam * d)
    params = renewal_params(lam, d)
    shares = []
    for rep in range(6):
        model = run_model(params, seed=11, replication=rep)
        posts = model.recorder.posts_table().to_pandas()
        posts = posts[posts.year >= params.calendar.report_from]
        assert set(posts.state) <= {"substantive", "vacant"}  # no interims
        shares.append((posts.state == "vacant").mean())
    mean, half = mean_ci(shares)
    assert abs(mean - expected) <= half, (mean, half, expected)
    assert half < 0.25 * expected  # the interval is tight enough for the check to mean something


def test_every_gap_lasts_exactly_the_search_time():
    params = renewal_params(0.5, 0.5)
    ev = run_model(params, seed=3).recorder.events_table().to_pandas()
    gaps = ev.loc[ev.kind == "appointment", "value"].to_numpy()
    assert len(gaps) > 100
    np.testing.assert_allclose(gaps, 0.5, rtol=0.01)
