"""The column store's derived values."""

import numpy as np

from sim.entities import People, mean_score


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
