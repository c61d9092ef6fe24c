"""The LLM composer: ``composer.py`` (draft, verify, fall back to extractive), ``prompt.py``
(the messages, the JSON schema of a draft, reading the reply) and ``client.py`` (any
OpenAI-compatible endpoint through the ``openai`` SDK).
"""
