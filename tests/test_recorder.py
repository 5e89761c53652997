"""The recorder's event log."""

import numpy as np

from sim.recorder import Recorder


def test_texts_are_coded_in_order_of_first_appearance_single_or_in_bulk():
    rec = Recorder()
    rec.event(1.0, "exit", person=1, cause="retire")
    rec.events_bulk(2.0, "exit", np.array([2, 3, 4, 5]), cause=np.array(["moved", "retire", "leave_nhs", "moved"]))
    rec.event(3.0, "exit", person=6, cause="leave_nhs")
    ev = rec.events_table()
    assert ev.column("cause").to_pylist() == ["retire", "moved", "retire", "leave_nhs", "moved", "leave_nhs"]
    assert ev.column("cause").chunk(0).dictionary.to_pylist() == ["retire", "moved", "leave_nhs"]   # not sorted
    assert ev.column("person").to_pylist() == [1, 2, 3, 4, 5, 6]
