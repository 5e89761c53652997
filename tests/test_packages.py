"""The review packages: dated by publication plus a lag, and combined without losing a setting."""

import re
from pathlib import Path

import pytest
import yaml

from sim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
# publication dates as decimal years, with the line of the review that gives them
PUBLISHED = {"kerr_2018": 2018.91,       # 000:7 "28 November 2018"
             "rose_2015": 2015.54,       # 002:1 "16 July 2015"
             "smith_2015": 2015.5,       # 001:16 final 27 March 2015; 003:13 "not published until July"
             "messenger_2022": 2022.43}  # 004:5 "Published 8 June 2022"
REVIEW = {"kerr_2018": "Kerr 2018", "rose_2015": "Rose 2015", "smith_2015": "Smith 2015",
          "messenger_2022": "Messenger 2022"}
TIMING = {"source", "published", "lag_years", "lag_source", "start", "ramp_years", "ramp_shape"}  # the earlier review's


@pytest.mark.parametrize("name", list(PUBLISHED))
def test_each_package_starts_at_publication_plus_a_sourced_lag(name):
    scenario = load(SCENARIOS / f"{name}.yaml")
    assert scenario.interventions
    for iv in scenario.interventions:
        assert iv.published == PUBLISHED[name], iv.type
        assert iv.lag_years is not None and iv.lag_source, f"{iv.type}: the lag needs a source or 'assumption'"
        assert iv.start == pytest.approx(iv.published + iv.lag_years)
        assert iv.start > iv.published                    # nothing before the review existed
        assert REVIEW[name] in iv.source and ":" in iv.source, f"{iv.type}: cite the recommendation by file:line"


def test_a_start_that_contradicts_publication_plus_lag_is_refused():
    from sim.interventions import InterventionError, parse
    with pytest.raises(InterventionError, match="published \\+ lag_years"):
        parse([{"type": "mentoring", "published": 2018.91, "lag_years": 1, "start": 2020}])
    with pytest.raises(InterventionError, match="both published and lag_years"):
        parse([{"type": "mentoring", "published": 2018.91}])


def own_entries(name):
    return yaml.safe_load((SCENARIOS / f"{name}.yaml").read_text()).get("interventions", [])


def test_all_reviews_keeps_every_setting_of_every_package_from_the_earliest_date():
    combined = {iv.type: iv for iv in load(SCENARIOS / "all_reviews.yaml").interventions}
    stated = {entry["type"] for entry in own_entries("all_reviews")}
    for name in PUBLISHED:
        for iv in load(SCENARIOS / f"{name}.yaml").interventions:
            kept = combined[iv.type]
            assert kept.start <= iv.start, f"{iv.type}: from the earlier review's date"
            for setting in iv.model_fields_set - TIMING:
                assert getattr(kept, setting) == getattr(iv, setting), f"{name}: {iv.type}.{setting} lost"
    shared = {t for t in combined if sum(t in {iv.type for iv in load(SCENARIOS / f"{n}.yaml").interventions}
                                         for n in PUBLISHED) > 1}
    assert shared <= stated, "an intervention two reviews ask for is stated in full in all_reviews.yaml"
    assert combined["regional_talent_boards"].diversity_kitemark          # Kerr 1.1b's, once lost to Messenger 5's


def test_the_packages_are_faithful_to_what_the_reviews_asked():
    kinds = {name: {iv.type for iv in load(SCENARIOS / f"{name}.yaml").interventions} for name in PUBLISHED}
    assert "new_deal" in kinds["kerr_2018"] and "new_deal" not in kinds["messenger_2022"]
    assert "challenged_roles_offer" in kinds["messenger_2022"]        # Messenger 7 is its own, wider offer
    assert "intensive_support_withdrawn" not in kinds["smith_2015"]   # Smith 4: keep the teams (the baseline)
    assert "regional_talent_boards" not in kinds["smith_2015"]        # Smith 1-2 are organisations' own strategies
    assert "standard_appraisal" not in kinds["kerr_2018"]             # Kerr 2.5c scrutinises behaviour


def test_recommendations_the_model_cannot_represent_are_listed_with_a_reason():
    text = (SCENARIOS / "README.md").read_text()
    table = text[text.index("## What the model cannot represent"):]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| recommendation")}
    for rec in ("Messenger 1a", "Rose R10", "Kerr 1.8c", "Kerr 1.7", "Kerr 1.1a", "Kerr 2.5c", "Rose R9", "Rose R13",
                "Rose R15", "Smith 1-2", "Messenger 5", "Rose R1"):
        row = next((k for k in rows if re.search(re.escape(rec) + r"\b", k)), None)
        assert row is not None, f"{rec} is neither represented nor in the cannot-represent table"
        assert re.search(r"\b00[0-4]:\d+", row) and len(rows[row]) > 40, f"{rec}: cite it and say why"
