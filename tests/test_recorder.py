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


def test_bulk_causes_given_as_names_and_index_are_coded_as_the_texts_would_be():
    texts = np.array(["moved", "retire", "leave_nhs", "moved"])
    names_and_index = (("leave_nhs", "moved", "retire"), np.array([1, 2, 0, 1]))
    tables = []
    for cause in (texts, names_and_index):
        rec = Recorder()
        rec.event(1.0, "exit", person=1, cause="retire", value=0.0)
        rec.events_bulk(2.0, "exit", np.array([2, 3, 4, 5]), cause=cause, value=1.0)
        tables.append(rec.events_table())
    assert tables[1].column("cause").to_pylist() == ["retire", "moved", "retire", "leave_nhs", "moved"]
    assert tables[1].column("cause").chunk(0).dictionary.to_pylist() == ["retire", "moved", "leave_nhs"]
    assert tables[0].equals(tables[1])


# -- yearly snapshots: built from columns, the same tables as built row by row ----------------------
def _snapshot_row_by_row(year, orgs, posts, people):
    """The snapshot as it was built before it was made faster: a tuple per post and per trust, the
    pipeline keyed in int64 and its names through numpy strings."""
    import pyarrow as pa

    from sim.params import GRADES, ORIGINS, PROFESSIONS, RATINGS, REGIONS
    from sim.recorder import POST_COLUMNS, POST_TYPES

    def table(rows, names, types):
        columns = list(zip(*rows)) if rows else [[] for _ in names]
        return pa.table({n: pa.array(c, t) for n, c, t in zip(names, columns, types)})
    post_rows = table([(year, p.id, p.org, p.role, p.holder, p.state, p.appointed) for p in posts],
                      POST_COLUMNS, POST_TYPES)
    org_rows = [(year, o.id, o.kind, REGIONS[o.region], RATINGS[o.rating], o.special_measures, o.quality,
                 o.minority_population, o.size) for o in orgs]
    rows = np.flatnonzero(people.view("alive"))
    parts = [(people.grade[rows], len(GRADES)), (people.origin[rows], len(ORIGINS)),
             (people.profession[rows], len(PROFESSIONS)), (people.female[rows], 2),
             (people.ethnic_minority[rows], 2), (people.ready[rows], 2)]
    key = np.zeros(len(rows), dtype=np.int64)
    size = 1
    for values, radix in parts:
        key = key * radix + values.astype(np.int64)
        size *= radix
    counts = np.bincount(key, minlength=size)
    present = np.flatnonzero(counts)
    digits, rest = [], present.copy()
    for _, radix in reversed(parts):
        digits.append(rest % radix)
        rest //= radix
    grade, origin, prof, female, em, ready = reversed(digits)
    pipeline = pa.table({
        "year": np.full(len(present), year, dtype=np.int16),
        "grade": pa.array(np.array(GRADES)[grade]), "origin": pa.array(np.array(ORIGINS)[origin]),
        "profession": pa.array(np.array(PROFESSIONS)[prof]),
        "female": female.astype(bool), "ethnic_minority": em.astype(bool), "ready": ready.astype(bool),
        "count": counts[present].astype(np.int32)})
    return post_rows, org_rows, pipeline


def _same(a, b):
    """The same schema, values (NaN where NaN) and chunks: the same bytes when written."""
    import pyarrow as pa

    def written(table):
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as w:
            w.write_table(table)
        return sink.getvalue().to_pybytes()
    assert a.schema == b.schema
    assert a.to_pandas().equals(b.to_pandas())
    assert written(a) == written(b)


def test_snapshots_equal_the_row_by_row_tables_through_a_run_and_when_posts_are_added(small):
    import pyarrow as pa

    from conftest import run_model
    from sim.entities import Post
    from sim.recorder import ORG_COLUMNS, ORG_TYPES

    model = run_model(small)
    years = sorted(set(model.recorder.posts_table().column("year").to_pylist()))
    assert len(years) > 3
    # the run's own snapshots against the old construction of its last state, then a fresh recorder
    # that sees the posts list grow and holders change between snapshots
    rec, old_posts, old_orgs, old_pipeline = Recorder(), [], [], []
    posts = list(model.posts)
    for step, year in enumerate(years):
        if step == 2:
            posts.append(Post(id=len(posts), org=0, role="strategy", holder=5, appointed=year - 0.25,
                              state="substantive"))
        if step == 3:
            posts[0].holder, posts[0].state, posts[0].appointed = -1, "vacant", float("nan")
        rec.snapshot(year, model.orgs, posts, model.people)
        p, o, pl = _snapshot_row_by_row(year, model.orgs, posts, model.people)
        old_posts.append(p)
        old_orgs += o
        old_pipeline.append(pl)
    _same(rec.posts_table(), pa.concat_tables(old_posts))
    _same(rec.pipeline_table(), pa.concat_tables(old_pipeline))
    orgs = pa.table({n: pa.array(c, t) for n, c, t in zip(ORG_COLUMNS, zip(*old_orgs), ORG_TYPES)})
    _same(rec.orgs_table(), orgs)
    assert rec.posts_table().num_rows == len(years) * len(model.posts) + len(years) - 2
