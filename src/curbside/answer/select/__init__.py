"""Choosing the evidence: ``relevance.py`` (is the evidence about the question, else abstain) and
``ontopic.py`` (the precision gate's rules: is each statement about the question's concepts and its
ask; does a first question continue a conversation not seen) and ``judge.py`` (the gate applied:
word checks, then the packaged model's cosine floors).
"""
