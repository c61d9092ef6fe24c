"""Misspelled names read as the knowledge base spells them (kb/spelling.py), and told to the reader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from curbside.answer.service import AnswerService
from curbside.domain import SearchHit, Source, SourceKind
from curbside.ingest.registry import read_paths
from curbside.kb.service import KnowledgeBase
from curbside.kb.spelling import Spelling, medical_words, read_hunspell_words
from curbside.kb.synonyms import FocusIndex
from curbside.retrieval.embedder import Embedder
from curbside.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Words as MedQuAD and PubMedQA passages use them (counts as in the starter pack, roughly).
VOCABULARY = Spelling(Counter({"allopurinol": 4, "mycophenolate": 10, "benadryl": 2, "econazole": 3, "antibiotics": 900,
                               "bronchitis": 80, "hemorrhoids": 40, "urine": 600, "appendicitis": 20, "rarely": 1}))


def test_a_misspelled_medicine_or_condition_is_read_as_the_sources_spell_it() -> None:
    assert VOCABULARY.correct("Can Allopurinal cause a rash?") == (
        "Can Allopurinol cause a rash?", [("Allopurinal", "Allopurinol")])
    assert VOCABULARY.correction("mycofenolate") == "mycophenolate"  # two edits: a long word
    assert VOCABULARY.correction("benedryl") == "benadryl"
    assert VOCABULARY.correction("brochitis") == "bronchitis"
    assert VOCABULARY.correction("antibotics") == "antibiotics"


def test_words_the_dictionary_knows_and_look_alike_medicines_are_left_alone() -> None:
    # English words, contractions without their apostrophe, and possessives are not typos
    for written in ("wondering", "transferable", "doesnt", "youre", "shouldnt", "anxietys"):
        assert VOCABULARY.correction(written) is None, written
    assert VOCABULARY.correct("wouldn't it") == ("wouldn't it", [])
    # two edits from econazole, but another first letter and too short for two edits: never guessed
    assert VOCABULARY.correction("miconazole") is None
    assert VOCABULARY.correction("rarley") is None  # a word the sources use once may be their own typo


def test_an_answer_says_how_it_read_the_question(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", starter_pack=False)
    kb = KnowledgeBase(settings, embedder=embedder)
    kb.ingest(read_paths([FIXTURES / "answer" / "acronym"]))  # MedlinePlus "Pelvic Inflammatory Disease"
    assert kb.spelling().correction("inflamatory") == "inflammatory"
    answer = AnswerService(settings, kb).ask("How is pelvic inflamatory disease treated?", audience="patient")
    notes = [n.text for n in answer.notices if n.kind == "spelling"]
    assert notes == ["Read “inflamatory” as “inflammatory”, as the sources spell it."]
    assert answer.question == "How is pelvic inflammatory disease treated?"
    assert answer.provenance.retrieval_query.startswith("How is pelvic inflammatory disease treated")
    # the evaluation baselines' retrieval searches with the question as the answer read it
    searched: list[str] = []
    search = kb.search

    def recording(query: str, **kwargs: Any) -> list[SearchHit]:
        searched.append(query)
        return search(query, **kwargs)

    kb.search = recording  # type: ignore[method-assign]
    hits = AnswerService(settings, kb).retrieve("How is pelvic inflamatory disease treated?", audience="patient")
    assert hits and searched and all("inflammatory" in q and "inflamatory" not in q for q in searched)


def test_a_british_spelling_is_read_as_the_sources_spell_it_when_they_never_spell_it_so() -> None:
    medical = frozenset({"edema", "ischemia", "hemophilia"})
    american = Spelling(Counter({"hemophilia": 30, "edema": 40, "ischemia": 12, "color": 5, "canes": 3}),
                        medical=lambda: medical)
    assert american.correct("Can haemophilia be cured?") == ("Can hemophilia be cured?", [("haemophilia", "hemophilia")])
    assert american.correction("oedema") == "edema"  # not in the spelling dictionary: its "oe" written "e"
    assert american.correction("ischaemia") == "ischemia"
    assert american.correction("colour") == "color"
    assert american.correction("canoes") is None  # "canes" is no medical word: a fold only makes medical words
    # sources that print the British form about as often keep it; a few British abstracts among American pages do not
    british = Spelling(Counter({"haemophilia": 3, "hemophilia": 30, "oedema": 12, "edema": 1439}), medical=lambda: medical)
    assert british.correction("haemophilia") is None and british.correction("oedema") == "edema"


def test_the_passages_are_read_only_when_a_question_has_a_word_the_dictionary_does_not_know() -> None:
    reads: list[int] = []

    def texts() -> list[str]:
        reads.append(1)
        return ["Allopurinol lowers uric acid.", "Allopurinol is taken daily."]

    spelling = Spelling.reading(texts)
    assert spelling.correct("What causes heartburn and diarrhea?") == ("What causes heartburn and diarrhea?", [])
    assert reads == []  # every word is in the dictionary: nothing to look up
    assert spelling.correction("allopurinal") == "allopurinol"
    assert reads == [1]  # read once, then kept


def test_a_term_the_medical_vocabulary_knows_is_never_corrected() -> None:
    # A knowledge base that writes "external" and "inguinal" but never "externa" or "inguinale"
    # (real MedlinePlus-style sentences, counted as the knowledge base counts its passages).
    passages = ["Hearing aids sit in the external ear canal.", "The external ear collects sound.",
                "An inguinal hernia bulges in the groin.", "Inguinal hernias are repaired with surgery.",
                "Streptomycin is an antibiotic.", "Streptomycin treats tuberculosis.",
                "Low blood flow (hypoperfusion) harms the kidneys.", "Hypoperfusion of the gut causes pain."]
    spelling = Spelling.reading(lambda: passages)
    blind = Spelling(texts=lambda: passages, medical=frozenset)  # the same rule with an empty medical vocabulary
    for term, english in (("externa", "external"), ("inguinale", "inguinal"), ("streptomyces", "streptomycin"),
                          ("hemoperfusion", "hypoperfusion")):
        assert blind.correction(term) == english  # what the rule did before the medical vocabulary
        assert spelling.correction(term) is None, term
    assert spelling.correct("Is otitis externa contagious?") == ("Is otitis externa contagious?", [])
    assert spelling.correct("Granuloma inguinale and dysrhythmias") == ("Granuloma inguinale and dysrhythmias", [])
    # a typo is still read as the sources spell it
    assert spelling.correct("Is inguinl hernia surgery safe?") == ("Is inguinal hernia surgery safe?", [("inguinl", "inguinal")])


def test_the_medical_vocabulary_is_the_installed_medical_dictionary(tmp_path: Path) -> None:
    words = medical_words()
    assert words is not None, "install Debian's hunspell-en-med (scripts/test.sh does)"
    assert len(words) > 80_000
    assert {"externa", "allopurinol", "mycophenolate", "otitis"} <= words
    assert not {"allopurinal", "mycofenolate", "benedryl", "brochitis", "antibotics"} & words  # no typos in it
    dic = tmp_path / "x.dic"
    dic.write_text("3\n    a comment line\n\nAarskog/M\nexterna\n", encoding="utf-8")
    assert read_hunspell_words(dic) == frozenset({"aarskog", "externa"})


def test_without_the_medical_dictionary_the_knowledge_bases_names_still_guard() -> None:
    # a laptop without Debian's package: misspellings are still read as the sources spell them …
    spelling = Spelling(Counter({"allopurinol": 4}), medical=lambda: None)
    assert spelling.correct("Can Allopurinal cause a rash?") == ("Can Allopurinol cause a rash?",
                                                                     [("Allopurinal", "Allopurinol")])
    # … and a word of a name the knowledge base gives a subject is left as written
    source = Source(id="medquad:GARD:y", kind=SourceKind.PATIENT_EDUCATION, title="Otitis externa")
    guarded = Spelling(Counter({"external": 9}), medical=lambda: None, names=lambda: FocusIndex([source]))
    assert guarded.correct("How is otitis externa treated?") == ("How is otitis externa treated?", [])


def test_a_word_that_makes_a_subject_name_with_its_neighbours_is_left_alone() -> None:
    # The passages write "Menetrier disease"; the subject also goes by "Menetriers disease" (a topic
    # name, not in the passages), and no dictionary knows "menetriers".
    passages = ["Menetrier disease thickens the folds of the stomach.", "Menetrier disease may cause protein loss."]
    source = Source(id="medquad:GARD:x", kind=SourceKind.PATIENT_EDUCATION, title="Menetrier disease",
                    topics=["Menetriers disease", "Hypertrophic gastropathy"])
    names = FocusIndex([source])
    plain = Spelling.reading(lambda: passages)
    named = Spelling.reading(lambda: passages, names=lambda: names)
    assert plain.correct("Is menetriers disease inherited?")[1] == [("menetriers", "menetrier")]
    assert named.correct("Is menetriers disease inherited?") == ("Is menetriers disease inherited?", [])
    # the same word without the neighbours that make the name is read as the sources spell it
    assert named.correct("Is menetriers inherited?")[1] == [("menetriers", "menetrier")]


def test_a_typo_the_sources_print_once_is_still_read_as_the_name_they_print_often() -> None:
    # one page of the knowledge base misspells the medicine that a drug label is named for; the
    # misspelling is in the vocabulary, but once beside hundreds of the label's spelling
    label = Source(id="dailymed:x", kind=SourceKind.DRUG_LABEL, title="Allopurinol")
    names = FocusIndex([label])
    counts = Counter({"allopurinol": 300, "allopurinal": 1, "nephropathy": 40, "nephropathies": 1,
                      "undergoing": 500, "underdosing": 1})
    spelling = Spelling(counts, medical=lambda: frozenset(), names=lambda: names)
    assert spelling.correct("Should allopurinal be taken with food?")[1] == [("allopurinal", "allopurinol")]
    assert spelling.correction("nephropathies") is None  # a plural of a word the sources print often
    assert spelling.correction("underdosing") is None  # near a common word, but no subject's name
    assert Spelling(Counter({"allopurinol": 10, "allopurinal": 1}), medical=lambda: frozenset(),
                    names=lambda: names).correction("allopurinal") is None  # not far more often
