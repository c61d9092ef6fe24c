"""Understanding the question: ``analysis.py`` (intent, entities, topic, title, retrieval query),
``terms.py`` (the one word vocabulary: stopwords, stemmers, content words) and ``plans.py`` with
its data in ``plans/*.toml`` (the analysis rules, section plans per intent and audience).
"""
