"""Interaction logs → informal networks (issue 17): e-mail, meeting and chat metadata read with
DuckDB, aggregated into weighted ``ties`` (source listens to target) and ``stakeholders``, people
pseudonymised by a keyed hash. Method: docs/methods/ingest.md. Command: ``powerkit ingest``.

Analysis layer: imports ``powerkit.errors`` and ``powerkit.paths`` only; DuckDB is an optional
dependency (``pip install 'powerkit[ingest]'``), imported when a log is read.
"""
from __future__ import annotations

from .merge import merge_into_deal
from .network import (
                      DETAIL_COLUMNS,
                      KEY_ENV,
                      SERVICE_PATTERNS,
                      IngestResult,
                      ingest_log,
                      pseudonym,
                      read_key,
                      write_deal,
)
from .readers import EMAIL_METRICS, FORMATS, MEETING_METRICS, LogError, load_pairs

__all__ = ["ingest_log", "write_deal", "merge_into_deal", "pseudonym", "read_key",
           "IngestResult", "LogError", "load_pairs", "FORMATS", "SERVICE_PATTERNS", "KEY_ENV", "DETAIL_COLUMNS",
           "EMAIL_METRICS", "MEETING_METRICS"]
