"""Imports every table module so that the shared metadata is complete (migrations, tests)."""

from curbside import ratelimit
from curbside.accounts import tables as accounts_tables
from curbside.answer.threads import tables as answer_threads
from curbside.articles import jobs as articles_jobs
from curbside.articles import tables as articles_tables
from curbside.consult import tables as consult_tables
from curbside.kb import tables as kb_tables

__all__ = ["accounts_tables", "answer_threads", "articles_jobs", "articles_tables", "consult_tables", "kb_tables",
           "ratelimit"]
