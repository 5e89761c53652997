"""The column store's derived values."""

import numpy as np

from sim.entities import People, best_first, mean_score


def test_mean_score_is_the_mean_of_the_scores_on_record():
    scores = np.array([[1.0, 2.0, np.nan], [np.nan, np.nan, np.nan], [np.nan, 4.0, 5.0], [0.5, 1.0, 3.0]])
    assert np.array_equal(mean_score(scores), [1.5, np.nan, 4.5, 1.5], equal_nan=True)


def test_mean_score_adds_as_nansum_does_to_the_last_bit():
    # the appraisal feeds readiness thresholds and removal hazards: a different rounding would
    # change who is ready, so the fast sum must add in numpy's own order
    rng = np.random.default_rng(7)
    scores = rng.normal(size=(5000, People.SCORES)) * rng.choice([1e-3, 1.0, 1e3], size=(5000, People.SCORES))
    scores[rng.random(scores.shape) < 0.3] = np.nan
    count = np.sum(~np.isnan(scores), axis=1)
    with np.errstate(invalid="ignore"):
        expected = np.where(count > 0, np.nansum(scores, axis=1) / np.maximum(count, 1), np.nan)
    assert mean_score(scores).tobytes() == expected.tobytes()


def test_record_scores_refreshes_the_appraisal_of_the_rows_given():
    people = People(capacity=4)
    rows = people.add(3)
    people.scores[rows] = [[1.0, 3.0, np.nan], [np.nan] * 3, [2.0, 2.0, 5.0]]
    people.record_scores(rows[[0, 2]])
    assert np.array_equal(people.appraisal[:3], [2.0, np.nan, 3.0], equal_nan=True)


def test_best_first_is_the_head_of_a_stable_sort_ties_and_missing_scores_included():
    # promotion and programme places go to the best appraised, ties to the earlier row: the partial
    # sort must pick and order exactly as the full stable sort did
    rng = np.random.default_rng(11)
    tied = np.round(rng.normal(size=5000), 1)   # ~60 distinct values: many ties at every cut
    with_nan = tied.copy()
    with_nan[rng.random(5000) < 0.05] = np.nan
    for values in (tied, with_nan, rng.normal(size=300), np.array([]), -0.0 * np.ones(4)):
        for k in (0, 1, 7, len(values) // 3, len(values) - 1, len(values), len(values) + 5):
            expected = np.argsort(-values, kind="stable")[:max(k, 0)]
            assert np.array_equal(best_first(values, k), expected), (len(values), k)
