"""Imports every table module so that the shared metadata is complete (migrations, tests)."""

from curbside.kb import tables as kb_tables

__all__ = ["kb_tables"]
