"""The corpus as a whole, at write time: filters, duplicates, exports and provenance.

- ``curate(results, config.filter)``: pairs a filter rejects become ``filtered``
  segments and later copies of a pair ``duplicate`` ones (``curate.py``);
- ``write_exports(rows, folder, formats, provenance)``: TMX, Moses, JSON lines and
  Parquet beside corpus.tsv (``export.py``);
- ``provenance(config, stage_keys)``: the signature of how a corpus was made.
"""
