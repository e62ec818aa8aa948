"""Prefect orchestration of the ``aligners`` library, and the ``bitextflow`` command line.

Importing this package does not import Prefect: the ``align`` and ``eval``
commands must start in well under a second.
"""
