"""Hostile inputs, generated: whatever bytes or documents a scenario or sweep file holds, loading
gives a Scenario (or Sweep) or ONE line `FILE: KEY.PATH: expected X, found Y` — never another
exception, never a hang — and an accepted scenario of a short horizon runs (in a watched worker:
a crash, a hang or a memory blow-up fails the test instead of the suite).

Sources: raw bytes; the shipped scenario files mutated as text; documents with extreme values at
every parameter and run setting; sweep documents. ``GENERATED`` counts the inputs per run of the
suite (quoted in the README)."""

import math
import multiprocessing as mp
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from sim.errors import InputError
from sim.params import Params
from sim.params.overrides import register
from sim.scenario import Scenario, load
from sim.sweep import Sweep, load_sweep

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
TINY = {"system": {"trusts_by_type": {"acute": 3, "specialist": 0, "mental_health": 0, "community": 0,
                                      "ambulance": 0}},
        "workforce": {"middle_managers": 300, "senior_managers": 150},
        "entry": {"graduate_intake_multiplier": 0.02, "clinicians_per_year": {"doctor": 2, "nurse": 4,
                                                                              "allied_health": 1}}}
TINY_RUN = {"seed": 3, "start_year": 2000, "report_from": 2004, "end_year": 2008}

EXAMPLES = {"bytes": 300, "mutated": 400, "extreme": 300, "sweep": 200, "sweep_bytes": 100, "runs": 60}
GENERATED = sum(EXAMPLES.values())  # 1,360 generated inputs per run of the suite
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                                  HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A copy of the scenario library (bases resolve as shipped) plus a tiny short scenario."""
    root = tmp_path_factory.mktemp("library")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "calibration", root / "calibration")
    (root / "scenarios" / "tiny.yaml").write_text(yaml.safe_dump({"name": "tiny", "params": TINY, "run": TINY_RUN}))
    return root / "scenarios"


def assert_one_line(err: InputError, library: Path) -> None:
    text = str(err)
    assert "\n" not in text and len(text) < 600, text
    assert text.startswith(str(library)) and ": expected " in text, text


def load_or_error(path: Path, library: Path, loader=load):
    try:
        return loader(path)
    except InputError as err:
        assert_one_line(err, library)
        return err


# -- raw bytes and mutated shipped files ---------------------------------------------------------------
TOKENS = [": ", "- ", "[", "]", "{", "}", ", ", "&a ", "*a", "!!int ", "!!float ", "!!binary ", "!!set ", "? ",
          "\t", "\n", "  ", "'", '"', "#", "|", ">", "~", "null", "base: ", "../", "/etc/passwd", "nan", ".inf",
          "-.inf", "1e308", "-1", "0", "2**70", "99999999999999999999", "\xff", "\u202e", "\x00", "name: ",
          "interventions: ", "type: ", "start: ", "stop: ", "params: ", "run: ", "end_year: "]
edits = st.lists(st.tuples(st.sampled_from(["insert", "delete", "duplicate", "swap"]), st.integers(0, 10**6),
                           st.integers(0, 10**6), st.lists(st.sampled_from(TOKENS), min_size=1, max_size=4)),
                 min_size=1, max_size=4)


def mutate(text: str, changes) -> str:
    for kind, a, b, tokens in changes:
        lines = text.split("\n")
        if kind == "insert":
            i = a % (len(text) + 1)
            text = text[:i] + "".join(tokens) + text[i:]
        elif kind == "delete":
            i = a % (len(text) + 1)
            text = text[:i] + text[i + b % 40:]
        elif kind == "duplicate":
            i = a % len(lines)
            text = "\n".join(lines[:i + 1] + [lines[i]] + lines[i + 1:])
        else:
            i, j = a % len(lines), b % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@settings(max_examples=EXAMPLES["bytes"], **FUZZ)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_raw_bytes_load_or_fail_in_one_line(library, data):
    path = library / "fuzz.yaml"
    path.write_bytes(data)
    assert isinstance(load_or_error(path, library), (Scenario, InputError))


@settings(max_examples=EXAMPLES["mutated"], **FUZZ)
@given(source=st.sampled_from([p for p in SHIPPED if p.parent.name == "scenarios"]), changes=edits)
def test_mutated_shipped_scenarios_load_or_fail_in_one_line(library, source, changes):
    path = library / "fuzz.yaml"
    path.write_bytes(mutate(source.read_text(), changes).encode("utf-8", "surrogatepass"))
    assert isinstance(load_or_error(path, library), (Scenario, InputError))


# -- extreme values at every parameter and run setting --------------------------------------------------
def _parameter_paths() -> list[tuple[str, ...]]:
    paths = []
    for row in register(Params()):
        parts = tuple(row["parameter"].split("."))
        paths.append(parts)
        if isinstance(row["value"], dict):
            paths += [parts + (str(k),) for k in list(row["value"])[:3]]
    return paths


PARAM_PATHS = [("params",) + p for p in _parameter_paths()]
RUN_PATHS = [("run", k) for k in ("seed", "replications", "start_year", "report_from", "end_year")]
EXTREMES = [0, -1, 1, 1e-300, 1e-9, 0.5, 1e6, 1e308, math.inf, -math.inf, math.nan, 2**63, -2**63, 2**70, "", "x",
            True, None, [], {}, [1, 2], {"a": 1}, 2000, 2200, 1899]
changes = st.lists(st.tuples(st.sampled_from(PARAM_PATHS + RUN_PATHS), st.sampled_from(EXTREMES)),
                   min_size=1, max_size=3)


def extreme_document(chosen) -> dict:
    doc = {"name": "extreme", "base": "tiny.yaml", "params": {}, "run": {}}
    for path, value in chosen:
        node = doc
        for key in path[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node[path[-1]] = value
    return doc


@settings(max_examples=EXAMPLES["extreme"], **FUZZ)
@given(chosen=changes)
def test_extreme_values_load_or_fail_in_one_line(library, chosen):
    path = library / "extreme.yaml"
    path.write_text(yaml.safe_dump(extreme_document(chosen)))
    assert isinstance(load_or_error(path, library), (Scenario, InputError))


# -- sweeps ---------------------------------------------------------------------------------------------
factor_names = st.sampled_from(["params.performance.leadership_feedback", "params.turnover.hazard.leave_nhs",
                                "params.recruitment.appointable_score", "params.nonexistent", "run.seed",
                                "interventions.new_deal.removal_multiplier", "interventions.nope.x", "params"])
factors = st.fixed_dictionaries({}, optional={
    "levels": st.one_of(st.integers(-10, 10**6), st.lists(st.sampled_from(EXTREMES), max_size=4), st.none()),
    "range": st.one_of(st.lists(st.sampled_from([-1e308, -1, 0, 0.1, 1, 1e308, math.inf, math.nan]),
                                min_size=0, max_size=3), st.none()),
    "integer": st.booleans()})
sweeps = st.fixed_dictionaries(
    {"name": st.sampled_from(["s", "../s", "/tmp/s", "", "ok-1"]),
     "scenario": st.sampled_from(["tiny.yaml", "new_deal.yaml", "/etc/passwd", "missing.yaml"]),
     "factors": st.dictionaries(factor_names, factors, max_size=3)},
    optional={"design": st.sampled_from(["grid", "latin_hypercube", "sobol", "random"]),
              "samples": st.integers(-5, 10**6), "replications": st.integers(-1, 10**6),
              "baseline": st.sampled_from(["tiny.yaml", "nope.yaml"]), "seed": st.integers(-1, 2**70)})


@settings(max_examples=EXAMPLES["sweep"], **FUZZ)
@given(doc=sweeps)
def test_sweep_documents_load_or_fail_in_one_line(library, doc):
    path = library / "sweep.yaml"
    path.write_text(yaml.safe_dump(doc))
    assert isinstance(load_or_error(path, library, load_sweep), (Sweep, InputError))


@settings(max_examples=EXAMPLES["sweep_bytes"], **FUZZ)
@given(changes=edits)
def test_mutated_shipped_sweeps_load_or_fail_in_one_line(library, changes):
    path = library / "sweep_mut.yaml"
    text = (ROOT / "scenarios" / "sweeps" / "new_deal_strength.yaml").read_text()
    path.write_bytes(mutate(text, changes).encode("utf-8", "surrogatepass"))
    assert isinstance(load_or_error(path, library, load_sweep), (Sweep, InputError))


# -- accepted ⇒ runs ------------------------------------------------------------------------------------
RUN_SECONDS = 10             # a tiny run takes ~0.1 s; longer is a hang
MEMORY_LIMIT = 2 * 1024**3   # resident memory a tiny run may use (it needs ~250 MB); more is a bug


def _run(scenario: Scenario) -> str | None:
    from sim.runner import run_one
    try:
        run_one(scenario)
    except BaseException as exc:  # noqa: BLE001 — reported to the test, which fails with it
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return None


def _resident(pid: int) -> int:
    """Resident memory of a process in bytes (0 where /proc is missing)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0


class Sandbox:
    """Runs scenarios in one worker process, watched: a hang, a memory blow-up or a crash is
    reported as a string and the worker replaced."""

    def __init__(self):
        self.pool = self._start()

    @staticmethod
    def _start():
        return ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))

    def run(self, scenario: Scenario) -> str | None:
        future = self.pool.submit(_run, scenario)
        deadline = time.monotonic() + RUN_SECONDS
        try:
            while True:
                try:
                    return future.result(0.1)
                except FutureTimeout:
                    workers = list((self.pool._processes or {}).values())
                    if any(_resident(w.pid) > MEMORY_LIMIT for w in workers):
                        problem = f"more than {MEMORY_LIMIT >> 30} GB of memory"
                        break
                    if time.monotonic() > deadline:
                        problem = f"still running after {RUN_SECONDS} s"
                        break
        except BrokenProcessPool:
            problem = "the worker died"
        for proc in list((self.pool._processes or {}).values()):
            proc.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._start()
        return problem

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    yield box
    box.close()


@settings(max_examples=EXAMPLES["runs"], phases=[Phase.explicit, Phase.reuse, Phase.generate], **FUZZ)
@given(chosen=changes)
def test_accepted_extreme_scenarios_run(library, sandbox, chosen):
    path = library / "accepted.yaml"
    path.write_text(yaml.safe_dump(extreme_document(chosen)))
    scenario = load_or_error(path, library)
    if isinstance(scenario, Scenario):
        assert sandbox.run(scenario) is None, chosen


def test_a_tiny_run_passes_the_sandbox(library, sandbox):
    """The sandbox itself works: a good scenario runs in it."""
    assert sandbox.run(load(library / "tiny.yaml")) is None


ZERO_INSPECTIONS = {k: 0 for k in ("outstanding", "good", "requires_improvement", "inadequate")}
KNOWN_UNBOUNDED = {  # crashed, hung or blew up before the parameters had bounds (issue 15)
    "no trusts": {"params": {"system": {"trusts_by_type": {"acute": 0}}}},
    "search_shape 0": {"params": {"recruitment": {"search_shape": 0}}},
    "every inspection_interval 0": {"params": {"performance": {"inspection_interval": ZERO_INSPECTIONS}}},
    "eligible_grade nonexistent": {"params": {"training": {"programmes": {"senior_manager": {
        "eligible_grade": "nonexistent"}}}}},
    "intake multiplier 1e6": {"params": {"entry": {"graduate_intake_multiplier": 1e6}}},
    "intervention multiplier 1e308": {"interventions": [{"type": "new_deal", "start": 2001,
                                                         "attractiveness_multiplier": 1e308}]},
}


@pytest.mark.parametrize("label", list(KNOWN_UNBOUNDED))
def test_known_unbounded_inputs_are_refused_or_run(library, sandbox, label):
    path = library / "known.yaml"
    path.write_text(yaml.safe_dump({"name": "known", "base": "tiny.yaml", **KNOWN_UNBOUNDED[label]}))
    scenario = load_or_error(path, library)
    if isinstance(scenario, Scenario):
        assert sandbox.run(scenario) is None, label
