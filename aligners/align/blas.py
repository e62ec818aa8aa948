"""Run the aligner's many small matrix products on one BLAS thread.

The band products (sparse.band_dot) are thousands of small matrix multiplications. With
OpenBLAS's default thread pool each one wakes every thread, and on a busy machine that
overhead dominated: 3.8 s of matmul for 1.65 G multiply-adds on a 14,229 x 10,000
document, 0.06 s on one thread (OPENBLAS_NUM_THREADS=1, same run). ``one_blas_thread()``
sets the thread count of the OpenBLAS that numpy ships to 1 for the duration of a call
and puts it back afterwards; where that library cannot be found it does nothing.
"""
from __future__ import annotations

import ctypes
import glob
import os
import threading
from contextlib import contextmanager

_API = None  # (get, set) or () when unavailable
_LOCK = threading.Lock()
_USERS = 0  # alignments running now (threads of one process share the BLAS setting)
_SAVED = None  # the thread count to put back when the last one ends


def _api():
    global _API
    if _API is None:
        _API = ()
        try:
            import numpy

            base = os.path.dirname(os.path.dirname(numpy.__file__))
            paths = glob.glob(os.path.join(base, "numpy.libs", "lib*openblas*.so*"))
            for path in paths:
                lib = ctypes.CDLL(path)
                for get_name, set_name in (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                                           ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                                           ("openblas_get_num_threads", "openblas_set_num_threads")):
                    if hasattr(lib, get_name) and hasattr(lib, set_name):
                        get, put = getattr(lib, get_name), getattr(lib, set_name)
                        get.restype = ctypes.c_int
                        put.argtypes = [ctypes.c_int]
                        _API = (get, put)
                        return _API
        except Exception:  # noqa: BLE001 - an optimisation only: never fail the alignment for it
            _API = ()
    return _API


@contextmanager
def one_blas_thread():
    """One BLAS thread while any alignment of this process runs; restored after the last."""
    global _USERS, _SAVED
    api = _api()
    if not api:
        yield
        return
    get, put = api
    with _LOCK:
        if _USERS == 0:
            _SAVED = get()
            put(1)
        _USERS += 1
    try:
        yield
    finally:
        with _LOCK:
            _USERS -= 1
            if _USERS == 0:
                put(_SAVED)
