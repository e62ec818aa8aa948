"""A damaged per-document cache entry is recomputed with a warning, never served and never fatal."""
import logging
import pickle

import pytest

from aligners.cache import store as doccache

KEY = "ab" * 32


class Explodes:
    """Unpickles into an exception of an arbitrary kind."""

    def __reduce__(self):
        return (bytes.fromhex, ("not hex",))


def stored(tmp_path, value=("一句话。", "A sentence.", 0.75)):
    store = doccache.DocStore(str(tmp_path))
    store.put(KEY, value)
    return store


def flip(path, position, bit=1):
    data = bytearray(path.read_bytes())
    data[position] ^= bit
    path.write_bytes(bytes(data))


def test_an_intact_entry_is_served(tmp_path):
    assert stored(tmp_path).get(KEY) == (True, ("一句话。", "A sentence.", 0.75))


def test_every_single_bit_flip_is_caught_and_recomputed_with_a_warning(tmp_path, caplog):
    store = stored(tmp_path)
    path = tmp_path / (KEY + ".pkl")
    size = len(path.read_bytes())
    original = path.read_bytes()
    for position in range(size):
        for bit in (1, 128):
            path.write_bytes(original)
            flip(path, position, bit)
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="bitextflow.cache"):
                hit, value = store.get(KEY)
            assert (hit, value) == (False, None), (position, bit)
            assert len(caplog.records) == 1 and "recomputing" in caplog.records[0].getMessage()
    results, fresh = doccache.cached_map(["x"], [KEY], lambda item: "fresh", store)
    assert results == ["fresh"] and fresh == [True]
    assert store.get(KEY) == (True, "fresh")  # the damaged entry was replaced


@pytest.mark.parametrize("blob", [
    b"",  # empty
    b"\x80\x05truncated",  # an entry of the old format, torn
    pickle.dumps("an entry of the old format, intact"),
])
def test_entries_without_a_valid_checksum_are_misses(tmp_path, blob, caplog):
    store = doccache.DocStore(str(tmp_path))
    (tmp_path / (KEY + ".pkl")).write_bytes(blob)
    with caplog.at_level(logging.WARNING, logger="bitextflow.cache"):
        assert store.get(KEY) == (False, None)
    assert caplog.records


def test_a_verified_entry_that_raises_anything_on_load_is_a_miss(tmp_path, caplog):
    store = doccache.DocStore(str(tmp_path))
    store.put(KEY, Explodes())  # checksum right, but loading raises ValueError
    with caplog.at_level(logging.WARNING, logger="bitextflow.cache"):
        assert store.get(KEY) == (False, None)
    assert "does not load (ValueError)" in caplog.records[0].getMessage()


def test_a_missing_entry_is_a_quiet_miss(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert doccache.DocStore(str(tmp_path)).get(KEY) == (False, None)
    assert not caplog.records
