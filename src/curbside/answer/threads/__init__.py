"""Conversation threads, so a follow-up is resolved against the turn before it: ``tables.py``
(the SQLAlchemy tables) and ``store.py`` (``ThreadStore``: create, add a turn, read the last).
Nothing is re-exported here: import from the module.
"""
