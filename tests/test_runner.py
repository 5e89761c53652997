"""run_one's housekeeping around the model."""

import gc

import pytest

from sim import runner


def test_a_run_hides_older_objects_from_the_collector_and_then_gives_them_back():
    assert gc.get_freeze_count() == 0
    with runner._older_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), runner._older_objects_frozen():
        raise RuntimeError("a failed run")
    assert gc.get_freeze_count() == 0


def test_objects_someone_else_froze_stay_frozen(monkeypatch):
    # watched through the calls, not the count: frozen objects that die during the run leave the
    # count (the count fell by 2 in a CI run), so a count before and after proves nothing
    calls = []
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1000)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    with runner._older_objects_frozen():
        pass
    with pytest.raises(RuntimeError), runner._older_objects_frozen():
        raise RuntimeError("a failed run")
    assert calls == []
