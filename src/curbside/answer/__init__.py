"""Answering a question: the pipeline from the question to a cited answer, one module per stage.

- ``service.py`` — ``AnswerService``: safety gate → analysis (+ thread) → retrieval → relevance →
  compose → citation check → provenance; yields the typed events of ``curbside.events``.
- Understanding the question: ``safety.py`` (red flags first), ``analysis.py`` (intent, entities,
  topic, title, retrieval query; rules in ``plans/analysis.toml``), ``terms.py`` (the one text
  vocabulary: stopwords, stemmers, content words), ``threads.py`` (follow-ups), ``plans.py`` and
  ``plans/*.toml`` (section plans per intent and audience).
- Choosing evidence: ``relevance.py`` (is the evidence about the question, else abstain),
  ``ontopic.py`` (is each statement about the question's concepts and its ask), ``live.py``
  (live PubMed evidence when the knowledge base falls short).
- Composing: ``base.py`` (the ``Composer`` protocol), ``composers.py`` (the registry),
  ``extractive.py`` with ``segments.py`` and ``units.py`` (statements quoted from passages),
  ``llm_composer.py`` with ``llm_prompt.py`` and ``llm_client.py`` (an OpenAI-compatible model),
  ``verify.py`` (every LLM statement checked against what it cites), ``fallback.py`` (the one
  extractive fallback).
- Finishing: ``citations.py`` (numbered references, nothing unretrieved), ``followups.py``,
  ``audience.py`` (disclaimers, readability) and ``render/`` (Markdown, HTML, JSON, terminal).
"""
