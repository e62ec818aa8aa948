"""One record per pair for JSON lines and Parquet, in the shape of Hugging Face
translation datasets: ``{"translation": {"zh": ..., "en": ...}, ...}``."""
from __future__ import annotations

import json
from typing import Iterable

from aligners.types import Row


def record(r: Row) -> dict:
    return {"translation": {"zh": r.zh, "en": r.en}, "score": r.score, "doc_id": r.doc_id,
            "zh_ids": list(r.zh_ids), "en_ids": list(r.en_ids)}


def jsonl_lines(rows: Iterable[Row]) -> Iterable[str]:
    for r in rows:
        # U+2028/U+2029 escaped too: some line readers split on them
        line = json.dumps(record(r), ensure_ascii=False)
        yield line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def write_parquet(rows: Iterable[Row], fh, provenance: dict | None = None) -> None:
    """A Parquet file (pyarrow, imported here) with the provenance as file metadata
    under the key ``bitextflow``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        ("translation", pa.struct([("zh", pa.string()), ("en", pa.string())])),
        ("score", pa.float64()), ("doc_id", pa.string()),
        ("zh_ids", pa.list_(pa.int64())), ("en_ids", pa.list_(pa.int64())),
    ], metadata={"bitextflow": json.dumps(provenance or {}, ensure_ascii=False, sort_keys=True)})
    table = pa.Table.from_pylist([record(r) for r in rows], schema=schema)
    pq.write_table(table, fh)
