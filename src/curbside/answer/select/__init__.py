"""Choosing the evidence: ``relevance.py`` (is the evidence about the question, else abstain) and
``ontopic.py`` (the precision gate: is each statement about the question's concepts and its ask).
"""
