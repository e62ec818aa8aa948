"""The document pool: results in order, errors raised in the caller, the same results as in-process."""
import functools
import os

import pytest

from aligners.config import Config
from aligners.pipeline import decoded
from aligners.types import Document
from aligners.workers import DocumentPool, WorkerDied, align_item, segment_item


def square(x):
    return x * x


def fail_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x


def die_on_two(x):
    if x == 2:
        os._exit(7)
    return x


def test_results_come_back_in_order_from_several_workers():
    with DocumentPool(2) as pool:
        assert list(pool.map(square, range(40))) == [x * x for x in range(40)]
        assert list(pool.map(square, [])) == []


def test_an_exception_in_a_worker_is_raised_in_the_caller():
    with DocumentPool(2) as pool:
        results = pool.map(fail_on_three, range(6))
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(ValueError, match="three"):
            next(results)
        assert list(pool.map(square, [5])) == [25]  # the pool still works


def test_a_worker_that_dies_fails_its_job_and_is_replaced():
    with DocumentPool(1) as pool:
        results = pool.map(die_on_two, [1, 2])
        assert next(results) == 1
        with pytest.raises(WorkerDied):
            next(results)
        assert list(pool.map(square, [3])) == [9]


def test_the_stages_give_the_same_results_in_a_worker():
    doc = Document("d", "mixed", (decoded("今天天气很好。我们去公园散步。\n\nThe weather is fine today. "
                                          "We go for a walk in the park."),))
    config = Config()
    here = segment_item(doc, config)
    with DocumentPool(1) as pool:
        (there,) = pool.map(functools.partial(segment_item, config=config), [doc])
        assert there[:2] == here[:2]  # the document and its segments (the third item is a timing)
        (aligned,) = pool.map(functools.partial(align_item, config=config), [there[:2]])
    local = align_item(here[:2], config)
    assert aligned.rows == local.rows and aligned.segments == local.segments
    assert aligned.rows  # the fixture does pair


def test_started_workers_run_before_the_first_map():
    import time

    with DocumentPool(2) as pool:
        pool.start()
        deadline = time.monotonic() + 60
        while len(pool._procs) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(pool._procs) == 2  # spawned with no job given
        assert list(pool.map(square, range(5))) == [0, 1, 4, 9, 16]
        assert len(pool._procs) == 2  # and used, not started again


def pid_of(_value):
    return os.getpid()


def test_cached_map_also_computes_beside_each_fresh_result_in_its_worker(tmp_path):
    from aligners.cache.store import DocStore, cached_map_also

    store = DocStore(str(tmp_path))
    store.put("k1", 1)  # in the store: its ``also`` is computed here
    with DocumentPool(2) as pool:
        results, fresh, pids = cached_map_also([0, 1, 2, 3], ["k0", "k1", "k2", "k3"], square, pid_of, store, pool)
    assert results == [0, 1, 4, 9] and fresh == [True, False, True, True]
    assert pids[1] == os.getpid() and os.getpid() not in pids[:1] + pids[2:]
    assert [store.get(k) for k in ("k0", "k2", "k3")] == [(True, 0), (True, 4), (True, 9)]  # the results only


def test_a_run_uses_workers_only_when_its_inputs_pay_for_them(tmp_path):
    from aligners.workers import MIN_POOL_BYTES, default_workers, input_bytes, pool_size

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("你好。\nHello.\n", encoding="utf-8")
    large.write_bytes(b"x" * MIN_POOL_BYTES)
    assert input_bytes([str(small), str(tmp_path / "missing.txt")]) == len("你好。\nHello.\n".encode())
    assert pool_size(None, input_bytes([str(small)])) == 0
    assert pool_size(None, input_bytes([str(small), str(large)])) == default_workers()
    assert pool_size(3, 0) == 3  # asked for: given, whatever the size


def test_a_flow_writes_the_same_bytes_with_and_without_worker_processes(prefect_harness, pair_folder, tmp_path,
                                                                        monkeypatch):
    import flows.pipeline as fp

    folder = pair_folder({
        "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
        "b": ("他买了三本书,两支笔。书很便宜。", "He bought three books and two pens. The books were cheap."),
        "c": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
    })
    maps = []

    class CountingPool(DocumentPool):
        def map(self, fn, items):
            items = list(items)
            maps.append(len(items))
            return super().map(fn, items)

    monkeypatch.setattr(fp, "DocumentPool", CountingPool)
    one = fp.run_flow([str(folder)], str(tmp_path / "one"), workers=1, batch_size=3)
    assert maps == []  # one worker: every document in this process
    two = fp.run_flow([str(folder)], str(tmp_path / "two"), workers=2, batch_size=3)  # one batch
    assert maps and sum(maps) == 6  # three documents segmented, then aligned, in the worker processes
    assert two.pairs == one.pairs > 0
    for name in ("corpus.tsv", "segments.tsv", "report.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
