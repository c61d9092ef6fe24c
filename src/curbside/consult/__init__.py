"""The consult board: patients' questions, doctors' replies, More Info, Similar Q&A, Related FAQ.

- ``models``: boundary types and the consult states;
- ``workflow``: the moves between states and who may make them, as data on ``curbside.workflow``;
- ``tables`` / ``store``: the SQL tables (migration 0005) and their access;
- ``service``: ask, moderate, reply, publish (knowledge base + More Info), import/export, views;
- ``deid`` / ``recognizers`` / ``lexicons``: de-identification (Presidio + spaCy + curbside rules);
- ``more_info`` / ``stance``: the AI-written expansion and the contradiction hold;
- ``similar`` / ``faq``: Similar Q&A (hybrid search over consult sources) and Related FAQ.

See docs/consult.md.
"""
