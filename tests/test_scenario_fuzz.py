"""Property tests: whatever document the loader is fed, it returns a Scenario or one clear
ScenarioError naming the file — never any other exception."""

import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from sim.interventions import REGISTRY
from sim.scenario import Scenario, ScenarioError, load

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["name", "description", "base", "params", "interventions", "run", "type", "start", "stop", "seed",
        "replications", "turnover", "hazard", "leave_nhs", "recruitment", "workforce", "women_share",
        "graduate_intake", "training", "programmes", "senior_manager", "capacity", "calendar", "end_year",
        *REGISTRY, "intake_multiplier", "source", "baseline.yaml", "new_deal.yaml"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(KEYS))
keys = st.one_of(st.sampled_from(KEYS), st.text(alphabet=string.ascii_letters + "_.", max_size=8),
                 st.integers(-5, 3000))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(keys, inner, max_size=5)),
                         max_leaves=25)


def _valid_mutation():
    """A valid scenario with one value somewhere replaced by something random."""
    base = {"name": "m", "base": "baseline.yaml",
            "params": {"turnover": {"hazard": {"leave_nhs": 0.03}}, "workforce": {"women_share": {"nurse": 0.5}}},
            "interventions": [{"type": "new_deal", "start": 2020, "removal_multiplier": 0.5}],
            "run": {"seed": 3, "end_year": 2030}}
    paths = [("name",), ("base",), ("params", "turnover", "hazard", "leave_nhs"), ("params", "workforce"),
             ("interventions", 0, "start"), ("interventions", 0, "type"), ("interventions", 0),
             ("run", "seed"), ("run",), ("params",)]

    def mutate(args):
        path, value = args
        doc = yaml.safe_load(yaml.safe_dump(base))
        target = doc
        for p in path[:-1]:
            target = target[p]
        target[path[-1]] = value
        return doc
    return st.tuples(st.sampled_from(paths), documents).map(mutate)


def _load_text(text: str):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "baseline.yaml").write_text((ROOT / "scenarios" / "baseline.yaml").read_text())
        (Path(tmp) / "new_deal.yaml").write_text((ROOT / "scenarios" / "new_deal.yaml").read_text())
        path = Path(tmp) / "fuzz.yaml"
        path.write_text(text)
        try:
            return load(path)
        except ScenarioError as err:
            assert str(err).startswith(str(path)) or "baseline.yaml" in str(err) or "new_deal.yaml" in str(err)
            assert ": expected " in str(err)
            return err


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(documents)
def test_random_documents_load_or_fail_clearly(doc):
    result = _load_text(yaml.safe_dump(doc, allow_unicode=True))
    assert isinstance(result, (Scenario, ScenarioError))


@FUZZ
@given(_valid_mutation())
def test_mutated_valid_documents_load_or_fail_clearly(doc):
    result = _load_text(yaml.safe_dump(doc, allow_unicode=True))
    assert isinstance(result, (Scenario, ScenarioError))


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_loads_or_fails_clearly(text):
    assert isinstance(_load_text(text), (Scenario, ScenarioError))
