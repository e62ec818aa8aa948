"""Chinese word segmentation: the most probable path through the dictionary's word graph.

The model is jieba's (its dictionary of 349,046 words with frequencies, and its hidden
Markov model for characters the dictionary leaves alone), so the words are jieba's
words; the implementation is ours, over tables kept in a cache file (tables.py) and
vectorised over a whole document, so a process does not load jieba's 350k-word prefix
dictionary (1.6 s) and a long document is not cut sentence by sentence in Python:

1. A text is cut into blocks of Han characters (U+4E00-U+9FD5), ASCII letters and
   digits and ``+#&._%-``; every other character is a word of its own, white space is
   dropped.
2. In a block, every dictionary word starting at a position is an edge. The path with
   the largest sum of log(frequency / total) wins, ties going to the longer word; a
   position where no dictionary word starts is a one-character word of frequency 1.
3. A run of one-character words of that path that is not itself a dictionary word is
   cut again: its runs of Han characters by the HMM (states B, M, E, S: begin, middle,
   end of a word, single; Viterbi path, ties to the later state letter), the rest into
   alphanumeric runs (with a decimal part and a %) and what lies between them.

Tables: for each length L, every key of L characters that begins a dictionary word
(the words themselves included) with its weight log(freq) - log(total) (-inf for a
key that is only a beginning); the HMM's start, transition and emission log
probabilities. Built from jieba's files at first use (about 3 s), read back in
milliseconds. ``segment_many`` is the one entry point; ``tests/test_wordseg.py``
checks it against jieba.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import tables as T

FORMAT = "wordseg-1"  # bump when the tables change shape
HAN_FIRST, HAN_LAST = 0x4E00, 0x9FD5
MISSING = -3.14e100  # log probability of an HMM event the model never saw (jieba's value)
BATCH_CHARS = 1 << 20  # characters of texts cut at once: bounds the arrays of a very long document
STATES = "BEMS"  # in letter order, so "the later letter" is the larger index
_PREV = {0: (1, 3), 1: (0, 2), 2: (2, 0), 3: (3, 1)}  # B after E|S, E after B|M, M after M|B, S after S|E
_BLOCK_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")
_ALNUM_PIECE = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")


# ---------------------------------------------------------------- tables


def build_arrays(dictionary_lines, start: dict, trans: dict, emit: dict) -> dict[str, np.ndarray]:
    """The segmenter's arrays from jieba-format dictionary lines ("word freq tag") and HMM tables."""
    freq: dict[str, int] = {}
    total = 0
    for line in dictionary_lines:
        line = line.strip()
        if not line:
            continue
        word, count = line.split(" ")[:2]
        freq[word] = int(count)
        total += int(count)
    logtotal = math.log(total)
    keys: dict[int, dict[str, float]] = {}
    for word, count in freq.items():
        for n in range(1, len(word) + 1):
            keys.setdefault(n, {}).setdefault(word[:n], -math.inf)
        if count > 0:
            keys[len(word)][word] = math.log(count) - logtotal
    arrays = {"logtotal": np.array([logtotal]), "lengths": np.array(sorted(keys), np.int32)}
    for n, table in keys.items():
        words = sorted(table)
        arrays.update(T.KeyTable.build(T.pack(T.codes_of(words, n))).arrays(f"k{n}"))
        arrays[f"k{n}.weight"] = np.array([table[w] for w in words], np.float64)
    arrays["hmm.start"] = np.array([start.get(s, MISSING) for s in STATES], np.float64)
    arrays["hmm.trans"] = np.array([[trans.get(a, {}).get(b, MISSING) for b in STATES] for a in STATES], np.float64)
    em = np.full((4, HAN_LAST - HAN_FIRST + 1), MISSING)
    for k, s in enumerate(STATES):
        for ch, p in emit.get(s, {}).items():
            if HAN_FIRST <= ord(ch) <= HAN_LAST:
                em[k, ord(ch) - HAN_FIRST] = p
    arrays["hmm.emit"] = em
    return arrays


def _jieba_files() -> tuple[Path, list[Path]]:
    root = T.package_dir("jieba")
    return root / "dict.txt", [root / "finalseg" / f"prob_{n}.py" for n in ("start", "trans", "emit")]


def _literal(path: Path) -> dict:
    """The dict literal ``P = {...}`` of one of jieba's HMM files, read as data (not imported)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    (value,) = [node.value for node in tree.body if isinstance(node, ast.Assign)]
    return ast.literal_eval(value)


class Segmenter:
    """The tables, loaded; ``segment_many`` cuts texts into words."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.logtotal = float(arrays["logtotal"][0])
        self.keys = {int(n): (T.KeyTable.from_arrays(arrays, f"k{n}"), arrays[f"k{n}.weight"])
                     for n in arrays["lengths"]}
        self.max_len = max(self.keys) if self.keys else 0
        self.start, self.trans, self.emit = arrays["hmm.start"], arrays["hmm.trans"], arrays["hmm.emit"]

    # ------------------------------------------------------------ step 1: blocks

    def segment_many(self, texts, batch_chars: int = BATCH_CHARS) -> list[list[str]]:
        """The words of each text (white space dropped), ``batch_chars`` characters of
        texts at a time (a text's words do not depend on the others)."""
        out: list[list[str]] = []
        batch: list[str] = []
        size = 0
        for t in texts:
            if batch and size + len(t) > batch_chars:
                out += self._segment_batch(batch)
                batch, size = [], 0
            batch.append(t)
            size += len(t) + 1
        return out + self._segment_batch(batch) if batch else out

    def _segment_batch(self, texts: list[str]) -> list[list[str]]:
        text = "\n".join(texts)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.int64)
        n = len(codes)
        space = _is_space(codes)
        block = ((codes >= HAN_FIRST) & (codes <= HAN_LAST)) | _is_block_ascii(codes)
        starts = np.zeros(n, bool)  # a word starts here
        starts[~block & ~space] = True
        if block.any():
            self._cut_blocks(text, codes, block, starts)
        cut = np.flatnonzero(starts | space)
        first = np.flatnonzero(starts)
        last = np.r_[cut, n][np.searchsorted(cut, first) + 1]
        offsets = np.cumsum([0] + [len(t) + 1 for t in texts])
        counts = np.bincount(np.searchsorted(offsets, first, "right") - 1, minlength=len(texts))
        words = [text[a:b] for a, b in zip(first.tolist(), last.tolist())]
        out, at = [], 0
        for c in counts.tolist():
            out.append(words[at:at + c])
            at += c
        return out

    # ------------------------------------------------------------ step 2: the best path

    def _cut_blocks(self, text: str, codes: np.ndarray, block: np.ndarray, starts: np.ndarray) -> None:
        n = len(codes)
        edge = np.diff(np.r_[0, block.astype(np.int8), 0])
        b_start, b_end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
        pos = np.flatnonzero(block)
        end_of = np.repeat(b_end, b_end - b_start)  # block end of each block position
        # dictionary words starting at each position: edges (start, length, weight)
        e_pos, e_len, e_w = [], [], []
        words_at: dict[int, np.ndarray] = {}  # length -> sorted starts of words of that length
        alive, alive_end = pos, end_of
        for length in range(1, self.max_len + 1):
            fits = alive + length <= alive_end
            alive, alive_end = alive[fits], alive_end[fits]
            if not len(alive) or length not in self.keys:
                break
            table, weight = self.keys[length]
            row = table.find(T.pack(codes[alive[:, None] + np.arange(length)[None, :]]))
            known = row >= 0
            alive, alive_end, row = alive[known], alive_end[known], row[known]
            w = weight[row]
            word = np.isfinite(w)
            words_at[length] = alive[word]
            e_pos.append(alive[word])
            e_len.append(np.full(int(word.sum()), length))
            e_w.append(w[word])
        # a position where no word starts: a one-character word of frequency 1
        has = np.zeros(n, bool)
        for at in words_at.values():
            has[at] = True
        lone = pos[~has[pos]]
        e_pos = np.concatenate(e_pos + [lone])
        e_len = np.concatenate(e_len + [np.ones(len(lone), np.int64)])
        e_w = np.concatenate(e_w + [np.full(len(lone), 0.0 - self.logtotal)])
        # best path value from each position to its block's end, by distance to the end
        end_full = np.zeros(n, np.int64)
        end_full[pos] = end_of
        rem = end_full[e_pos] - e_pos
        order = np.lexsort((e_len, e_pos, rem))
        e_pos, e_len, e_w, rem = e_pos[order], e_len[order], e_w[order], rem[order]
        bounds = np.flatnonzero(np.diff(np.r_[0, rem, rem[-1] + 1]))
        route = np.zeros(n + 1)
        best_len = np.ones(n, np.int64)
        for g0, g1 in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            p, ln = e_pos[g0:g1], e_len[g0:g1]
            val = e_w[g0:g1] + route[p + ln]
            first = np.empty(len(p), bool)  # the first edge of its position (np.r_ costs ~4x more, once per step)
            first[0] = True
            np.not_equal(p[1:], p[:-1], out=first[1:])
            heads = np.flatnonzero(first)
            top = np.maximum.reduceat(val, heads)
            group = np.cumsum(first) - 1  # each edge's position among the heads
            pick = np.maximum.reduceat(np.where(val == top[group], np.arange(len(p)), -1), heads)
            route[p[heads]] = top
            best_len[p[heads]] = ln[pick]
        # the path from each block's start
        on_path = np.zeros(n, bool)
        cur, cur_end = b_start, b_end
        while len(cur):
            on_path[cur] = True
            cur = cur + best_len[cur]
            keep = cur < cur_end
            cur, cur_end = cur[keep], cur_end[keep]
        starts[on_path] = True
        # runs of one-character words
        single = on_path & (best_len == 1) & block
        edge = np.diff(np.r_[0, single.astype(np.int8), 0])
        r_start, r_end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
        long_run = r_end - r_start >= 2
        r_start, r_end = r_start[long_run], r_end[long_run]
        run_len = r_end - r_start
        is_word = np.zeros(len(r_start), bool)  # the run is a dictionary word: one word per character
        for length in np.unique(run_len).tolist():
            at = words_at.get(length)
            if at is None or not len(at):
                continue
            sel = np.flatnonzero(run_len == length)
            k = np.minimum(np.searchsorted(at, r_start[sel]), len(at) - 1)
            is_word[sel] = at[k] == r_start[sel]
        hmm = ~is_word
        self._hmm_runs(text, codes, r_start[hmm], r_end[hmm], starts)

    # ------------------------------------------------------------ step 3: the HMM

    def _hmm_runs(self, text: str, codes: np.ndarray, r_start: np.ndarray, r_end: np.ndarray,
                  starts: np.ndarray) -> None:
        """Re-cut runs of one-character words: Han stretches by Viterbi, the rest by _ALNUM_PIECE."""
        if not len(r_start):
            return
        inside = np.zeros(len(codes) + 1, np.int64)
        inside[r_start] += 1
        inside[r_end] -= 1
        inside = np.cumsum(inside[:-1]) > 0
        starts[inside] = False
        is_han = (codes >= HAN_FIRST) & (codes <= HAN_LAST)
        han, other = inside & is_han, inside & ~is_han
        edge = np.diff(np.r_[0, han.astype(np.int8), 0])
        h_start, h_end = np.flatnonzero(edge == 1), np.flatnonzero(edge == -1)
        self._viterbi(codes, h_start, h_end, starts)
        edge = np.diff(np.r_[0, other.astype(np.int8), 0])
        for a, b in zip(np.flatnonzero(edge == 1).tolist(), np.flatnonzero(edge == -1).tolist()):
            at = a
            for piece in _ALNUM_PIECE.split(text[a:b]):
                if piece:
                    starts[at] = True
                    at += len(piece)

    def _viterbi(self, codes: np.ndarray, h_start: np.ndarray, h_end: np.ndarray, starts: np.ndarray) -> None:
        """Word starts of Han runs from their most probable B/M/E/S tags, all runs at once."""
        if not len(h_start):
            return
        length = h_end - h_start
        order = np.argsort(-length, kind="stable")
        h_start, length = h_start[order], length[order]
        steps = int(length[0])
        active = [int((length > t).sum()) for t in range(steps)]
        emit, trans = self.emit, self.trans
        v = self.start[None, :] + emit[:, codes[h_start] - HAN_FIRST].T
        back = []  # back[t - 1][r, y]: the best state at t - 1 of run r when it is in state y at t
        for t in range(1, steps):
            m = active[t]
            em = emit[:, codes[h_start[:m] + t] - HAN_FIRST].T
            new = np.empty((m, 4))
            bp = np.empty((m, 4), np.int8)
            for y, (a, b) in _PREV.items():
                va = (v[:m, a] + trans[a, y]) + em[:, y]
                vb = (v[:m, b] + trans[b, y]) + em[:, y]
                new[:, y] = np.maximum(va, vb)
                bp[:, y] = np.where(va > vb, a, np.where(vb > va, b, max(a, b)))
            back.append(bp)
            v[:m] = new  # runs that ended keep their last column
        state = np.where(v[:, 3] >= v[:, 1], 3, 1).astype(np.int8)  # a run ends a word: E or S, ties to S
        offset = np.r_[0, np.cumsum(length)[:-1]]
        tags = np.empty(int(length.sum()), np.int8)  # run r's tags at offset[r] ..
        for t in range(steps - 1, -1, -1):
            m = active[t]
            tags[offset[:m] + t] = state[:m]
            if t:
                state[:m] = back[t - 1][np.arange(m), state[:m]]
        starts[h_start] = True
        at = np.repeat(h_start - offset, length) + np.arange(len(tags))  # text position of each tag
        last = np.zeros(len(tags), bool)
        last[offset + length - 1] = True
        after = ((tags == 1) | (tags == 3)) & ~last  # a word starts after an E or an S
        starts[at[after] + 1] = True


def _is_space(codes: np.ndarray) -> np.ndarray:
    return np.isin(codes, _SPACE_CODES)


_SPACE_CODES = np.array([c for c in range(0x3001) if chr(c).isspace()], np.int64)
_ASCII_BLOCK = np.zeros(128, bool)
_ASCII_BLOCK[[ord(c) for c in _BLOCK_ASCII]] = True


def _is_block_ascii(codes: np.ndarray) -> np.ndarray:
    small = codes < 128
    out = np.zeros(len(codes), bool)
    out[small] = _ASCII_BLOCK[codes[small]]
    return out


def build_segmenter(cache: Path | None = None) -> Segmenter:
    """The segmenter from its cache file under ``cache`` (default ``tables.cache_dir()``), rebuilt if needed."""
    dict_path, hmm_paths = _jieba_files()
    version = T.distribution_version("jieba", dict_path.parent)
    here = Path(__file__).parent
    key = T.source_key(FORMAT, version, files=[dict_path, *hmm_paths],
                       code=[here / "wordseg.py", here / "tables.py"])
    path = (cache or T.cache_dir()) / f"wordseg-{version}-{key}.tables"
    arrays = T.read_tables(path)
    if arrays is None:
        with dict_path.open(encoding="utf-8") as f:
            arrays = build_arrays(f, *(_literal(p) for p in hmm_paths))
        T.write_tables(path, arrays)
    return Segmenter(arrays)


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    """The process's segmenter (loaded on first use)."""
    return build_segmenter()


def segment_many(texts) -> list[list[str]]:
    """jieba's words of each text (its dictionary and HMM), white space dropped."""
    return segmenter().segment_many(texts)
