"""The Dask runner: a LocalCluster of two worker processes gives the thread runner's bytes."""
import pytest

PAIRS = {
    "river": ("河水很清。孩子们在河边玩耍。", "The river is clear. Children play by the river."),
    "market": ("早上的市场很热闹。人们在买菜。", "The morning market is busy. People are buying vegetables."),
    "letter": ("他给母亲写了一封信。信很长。", "He wrote his mother a letter. The letter was long."),
}
MIXED = "我喜欢读书。\n\nI like reading books.\n\n这本书很有意思。\n\nThis book is very interesting.\n"


@pytest.fixture
def corpus(pair_folder):
    folder = pair_folder(PAIRS)
    (folder / "mixed.txt").write_text(MIXED, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_dask_output_is_byte_identical_to_threads(prefect_harness, corpus, tmp_path):
    from flows.pipeline import run

    thread = run([str(corpus)], str(tmp_path / "thread"), batch_size=1)
    dask = run([str(corpus)], str(tmp_path / "dask"), runner="dask", workers=2, batch_size=1)
    assert dask.batches == thread.batches == 4  # one task per document: both workers get work
    assert dask.from_cache == {"segment": 0, "align": 0}  # its own output folder: computed on the workers
    for name in ("corpus.tsv", "segments.tsv"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "thread" / name).read_bytes()
    assert thread.report["pairs"] >= 4
