"""Imports every table module so that the shared metadata is complete (migrations, tests)."""

from curbside.answer import threads as answer_threads
from curbside.kb import tables as kb_tables

__all__ = ["answer_threads", "kb_tables"]
