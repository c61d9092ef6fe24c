"""Answering a question: the pipeline from the question to a cited answer, one subpackage per stage.

- ``service.py`` — ``AnswerService``: safety gate → analysis (+ thread) → retrieval → relevance →
  compose → citation check → provenance; yields the typed events of ``curbside.events``.
- ``safety.py`` — red flags and medication notices, decided first.
- ``understand/`` — the question: ``question.py`` (the typed ``Question``, computed once: what it
  asks for by the learned classifier of ``kb/infotypes.py``, its focus linked to the knowledge
  base's names by ``kb/synonyms.FocusIndex``), ``analysis.py`` (intent, entities, topic, title, retrieval
  query; rules in ``plans/analysis.toml``), ``terms.py`` (the one text vocabulary: stopwords,
  stemmers, content words), ``plans.py`` and ``plans/*.toml`` (section plans per intent and
  audience, and the text rules of the composers; each file's shape, unknown keys refused, in
  ``plan_files.py``).
- ``threads/`` — follow-ups: ``store.py`` (``ThreadStore``) on ``tables.py``.
- ``select/`` — the evidence: ``routing.py`` (section-typed evidence: passages of sources about
  the question's focus whose section type answers its type), ``answers_model.py`` (the learned
  question–statement answer score), ``segments.py`` and ``units.py`` (statements cut from
  passages, verbatim), ``relevance.py`` (is the evidence about the question, else abstain), ``ontopic.py`` (the precision gate's rules: is each statement about the question's
  concepts and its ask), ``judge.py`` (the gate applied: word checks, then the packaged model's
  cosine floors). ``live.py`` adds live PubMed evidence when the knowledge base falls short.
- Composing: ``base.py`` (the ``Composer`` protocol), ``composers.py`` (the registry by name),
  ``fallback.py`` (the one extractive fallback) and ``compose/``: ``typed.py`` (the answer from
  section-typed evidence, used whenever routing found it), ``extractive.py`` (the rule-gated
  composer for the rest), ``titles.py`` (the article's title); ``compose/llm/``:
  ``composer.py`` with ``prompt.py`` and ``client.py`` (an OpenAI-compatible model).
  ``verify.py`` checks every LLM statement against what it cites.
- Finishing: ``citations.py`` (numbered references, nothing unretrieved), ``followups.py``,
  ``audience.py`` (disclaimers, readability) and ``render/`` (Markdown, HTML, JSON, terminal;
  ``html.py`` is the one HTML rendering, the web pages' too; ``links.py`` decides which URLs are links).
"""
