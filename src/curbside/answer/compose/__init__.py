"""Composing the answer from the chosen evidence. The extractive composer: ``extractive.py``
quotes statements that ``segments.py`` (sentences, list items, headings of a passage) and
``units.py`` (candidate statements, scored) cut from the passages. ``llm/``: the LLM composer.
"""
