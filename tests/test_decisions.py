"""Decisions are typed: every call site and every intervention's override matches the declared set."""

import ast
import inspect
from pathlib import Path

import pytest

from sim.decisions import DECISIONS, Decisions
from sim.interventions import REGISTRY, Intervention
from sim.model import Model
from conftest import small_params

SIM = Path(__file__).resolve().parents[1] / "sim"


def _keywords(name: str) -> set[str]:
    params = inspect.signature(getattr(Decisions, name)).parameters.values()
    return {p.name for p in params if p.kind is p.KEYWORD_ONLY} - {"model"}


def _call_sites():
    """Every ``….decide(Decisions.NAME, value, kw=…)`` in the package: (file, line, name, keywords)."""
    for path in sorted(SIM.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "decide" \
                    and node.args and isinstance(node.args[0], ast.Attribute):
                first = node.args[0]
                assert isinstance(first.value, ast.Name) and first.value.id == "Decisions", \
                    f"{path.name}:{node.lineno}: decide() must name a method of Decisions"
                yield path.name, node.lineno, first.attr, {k.arg for k in node.keywords}, len(node.args)


def test_every_call_site_names_a_declared_decision_with_its_keywords():
    sites = list(_call_sites())
    assert len(sites) >= len(DECISIONS)  # every decision is asked somewhere
    assert {name for _, _, name, _, _ in sites} == set(DECISIONS)
    for file, line, name, keywords, n_args in sites:
        assert name in DECISIONS, f"{file}:{line}: unknown decision {name}"
        assert n_args == 2, f"{file}:{line}: decide(Decisions.{name}, value, **context)"
        assert keywords == _keywords(name), f"{file}:{line}: {name} takes {sorted(_keywords(name))}"


def test_no_string_dispatch_is_left():
    for path in sorted(SIM.rglob("*.py")):
        text = path.read_text()
        assert ".hook(" not in text and 'f"on_' not in text, path.name


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_every_override_is_a_declared_decision_with_the_same_signature(kind):
    cls = REGISTRY[kind]
    allowed = set(DECISIONS) | set(vars(Intervention)) | {"model_post_init"}
    for name, value in vars(cls).items():
        if name.startswith("_") or not inspect.isfunction(value):
            continue
        assert name in allowed, f"{kind}.{name} is not a decision (misspelt?) nor an Intervention method"
        if name in DECISIONS:
            mine = [(p.name, p.kind) for p in inspect.signature(value).parameters.values() if p.kind is p.KEYWORD_ONLY]
            base = [(p.name, p.kind) for p in inspect.signature(getattr(Decisions, name)).parameters.values()
                    if p.kind is p.KEYWORD_ONLY]
            assert mine == base, f"{kind}.{name} must take keywords {[n for n, _ in base]}"


def test_a_misspelt_decision_fails_loudly():
    model = Model(small_params(), seed=1)
    with pytest.raises(AttributeError):
        model.decide(Decisions.exit_hazard, (0.1, 0.1, 0.1, 0.1))  # no such decision


def test_decide_applies_active_interventions_in_order_and_skips_inactive_ones():
    kind = "external_recruitment"
    early = REGISTRY[kind](type=kind, start=2000, applicants_multiplier=0.5, ramp_years=0)
    again = REGISTRY[kind](type=kind, name="again", start=2000, applicants_multiplier=0.5, ramp_years=0)
    late = REGISTRY[kind](type=kind, name="late", start=2100, applicants_multiplier=0.1, ramp_years=0)
    model = Model(small_params(), seed=1, interventions=[early, again, late])
    assert model.decide(Decisions.external_applicants, 1.0, post=model.posts[0]) == pytest.approx(0.25)
