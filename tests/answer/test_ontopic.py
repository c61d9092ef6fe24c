"""Precision: every statement is about the question's concepts and its ask (answer/select/ontopic.py).

Passages are real text from the starter pack (MedQuAD, CC BY 4.0; PubMedQA, MIT) and the
packaged embedding model scores statements, as in production.
"""

from __future__ import annotations

import pytest
from tests.answer.cases import nearest

from curbside.answer.select.ontopic import (
    addressed_to_someone_else,
    asks_about_someone_else,
    concepts_of,
    continues_elsewhere,
    focused_sections,
    needs_subject,
    question_concepts,
    reads_badly,
)
from curbside.answer.service import AnswerService
from curbside.answer.understand.analysis import PriorTurn, analyze
from curbside.answer.understand.plans import plan_for
from curbside.answer.understand.terms import concept_stem, concept_stem_list
from curbside.domain import AbstainKind, Audience, InfoType, Passage, RetrieverScore, SearchHit, Source, SourceKind
from curbside.settings import Settings


def _hit(rank: int, source_id: str, title: str, kind: SourceKind, heading: str, text: str) -> SearchHit:
    return SearchHit(passage=Passage(id=f"{source_id}#0", source_id=source_id, position=0, headings=[heading], text=text),
                     source=Source(id=source_id, kind=kind, title=title), score=1.0 / rank, rank=rank,
                     dense=RetrieverScore(rank=rank, score=0.6))


IBUPROFEN_BLADDER = _hit(
    1, "medquad:NIDDK:ic", "What I need to know about Interstitial Cystitis/Painful Bladder Syndrome",
    SourceKind.PATIENT_EDUCATION, "What are the treatments for Interstitial Cystitis?",
    "Oral Medicines Pain pills like aspirin, ibuprofen, or acetominophen can help control mild bladder pain. "
    "Advil and Motrin are examples of ibuprofen. Tylenol is an example of acetominophen. Talk with your doctor "
    "if you feel you need a stronger pain medicine.")
IBUPROFEN_HIP = _hit(
    2, "pmid:ibuprofen-hip", "Does ibuprofen increase perioperative blood loss during hip arthroplasty?",
    SourceKind.RESEARCH_ARTICLE, "Conclusions",
    "Pretreatment with ibuprofen before elective total hip surgery increases the perioperative blood loss "
    "significantly. Early discontinuation of non-selective non-steroidal anti-inflammatory drugs is advised.")
AAT = _hit(
    1, "medquad:NHLBI:0000001", "Alpha-1 Antitrypsin Deficiency", SourceKind.PATIENT_EDUCATION,
    "What are the treatments for Alpha-1 Antitrypsin Deficiency?",
    "They're also studying a type of augmentation therapy in which the AAT protein is inhaled instead of "
    "injected into a vein. If you're interested in new treatments, ask your doctor about ongoing clinical trials "
    "for AAT deficiency.")
SCIATICA = _hit(
    1, "medquad:MPlusHealthTopics:0000798", "Sciatica", SourceKind.PATIENT_EDUCATION, "What is Sciatica?",
    "Sciatica is a symptom of a problem with the sciatic nerve, the largest nerve in the body. It controls muscles "
    "in the back of your knee and lower leg and provides feeling to the back of your thigh, part of your lower leg, "
    "and the sole of your foot. When you have sciatica, you have pain, weakness, numbness, or tingling.")


def test_concepts_drop_filler_and_keep_the_subject() -> None:
    concepts = question_concepts("Any thoughts on a mild sleep aid?")
    assert set(concepts.terms.values()) == {"sleep", "aid"}


def test_the_stemmer_keeps_drug_names_apart_from_words_they_start() -> None:
    assert concept_stem("Augmentin") != concept_stem("augmentation")
    assert concept_stem("calcifications") == concept_stem("calcified")


def test_concepts_follow_the_asking_clause() -> None:
    analysis = analyze("I have sweating and crushing chest pain and low blood sugar, what are the symptoms of hypoglycemia?")
    assert set(concepts_of(analysis).terms) == {concept_stem("hypoglycemia")}


def test_a_statement_must_name_what_is_asked_not_only_its_passage_title() -> None:
    concepts = question_concepts("Does ginger help with nausea?")
    about = frozenset({concept_stem("nausea")})
    assert concepts.on_topic(frozenset({concept_stem("ginger"), concept_stem("tea")}), about)
    assert not concepts.on_topic(frozenset({concept_stem("fluids")}), about)


def test_a_sentence_that_only_says_there_are_many_ways_reads_badly() -> None:
    assert reads_badly("There are many things you can do to help ease pain.")
    assert reads_badly("Fortunately, there are many ways to treat pain.")
    assert not reads_badly("There are many ways to treat pain: rest, ice and pain relievers help most people.")
    assert not reads_badly("There are several types of hepatitis viruses.")


def test_flattened_lists_and_boilerplate_read_badly() -> None:
    assert reads_badly("Approximate number of patients (when available) Autosomal dominant inheritance Hyperglycemia")
    assert not reads_badly("Sciatica is a symptom of a problem with the sciatic nerve, the largest nerve in the body.")


@pytest.mark.parametrize("audience", [Audience.PATIENT, Audience.CLINICIAN])
def test_a_dose_question_is_not_answered_by_passages_that_only_mention_the_drug(settings: Settings,
                                                                               audience: Audience) -> None:
    answer = AnswerService(settings).answer_from_hits("How many ibuprofen tablets can I take at one time?",
                                                      [IBUPROFEN_BLADDER, IBUPROFEN_HIP], audience=audience)
    assert answer.abstained, answer.bottom_line.text
    assert answer.abstain_kind in (AbstainKind.OFF_TOPIC, AbstainKind.NO_ANSWER)
    assert not answer.references


def test_a_dose_question_needs_a_statement_that_states_a_dose(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("How much ibuprofen can I take?",
                                                      [IBUPROFEN_BLADDER, IBUPROFEN_HIP], audience="patient")
    assert answer.abstained and answer.abstain_kind == AbstainKind.NO_ANSWER, answer.bottom_line.text


def test_a_drug_name_is_not_matched_by_a_word_it_begins(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("What is Injectafer", [AAT], audience="patient")
    assert answer.abstained
    assert answer.abstain_kind in (AbstainKind.OFF_TOPIC, AbstainKind.NO_ANSWER)


def test_an_on_topic_question_is_answered_with_a_named_title(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("Okay, and sciatica is what exactly?", [SCIATICA], audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert answer.bottom_line.text.startswith("Sciatica is")
    assert answer.title.startswith("Sciatica")


def test_a_question_echo_becomes_a_topic_title(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("Is it true that sciatica can cause numbness?", [SCIATICA],
                                                      audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert "Is It True" not in answer.title and "Sciatica" in answer.title


@pytest.mark.parametrize("question", [
    "Does this come as a pill", "What can I do to treat the symptoms?", "Which treatment is used if it comes back",
    pytest.param("How should I handle the symptoms?", marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: 'handle' counts as a subject where 'treat' asks"))])
def test_a_question_that_names_nothing_asks_for_its_subject(settings: Settings, question: str) -> None:
    answer = AnswerService(settings).answer_from_hits(question, [SCIATICA, AAT], audience="patient")
    assert answer.abstained and answer.abstain_kind == AbstainKind.NEEDS_SUBJECT
    assert "does not say what it is about" in answer.abstain_reason


def test_a_named_subject_with_a_pronoun_is_still_answered(settings: Settings) -> None:
    answer = AnswerService(settings).answer_from_hits("Is it true that sciatica can cause numbness?", [SCIATICA],
                                                      audience="patient")
    assert not answer.abstained


@pytest.mark.parametrize("question", ["Should I take painkillers?", "Would steroids help?", "So can I get naproxen?"])
def test_a_judgement_on_ones_own_case_with_one_word_asks_what_for(settings: Settings, question: str) -> None:
    answer = AnswerService(settings).answer_from_hits(question, [IBUPROFEN_BLADDER], audience="patient")
    assert answer.abstained and answer.abstain_kind == AbstainKind.NEEDS_SUBJECT


@pytest.mark.parametrize("question", ["Ok and a steroid?", "What about the nasal spray?",
                                      "Could this be sciatica or a slipped disc?", "Should I put heat on my knee also",
                                      "Okay and if the sciatica pain is still there I need to be seen?"])
def test_a_first_question_that_continues_an_unseen_conversation_is_not_guessed(settings: Settings,
                                                                                question: str) -> None:
    answer = AnswerService(settings).answer_from_hits(question, [SCIATICA, AAT], audience="patient")
    assert answer.abstained and answer.abstain_kind == AbstainKind.NEEDS_SUBJECT
    assert "conversation" in answer.abstain_reason  # it says why, and how to ask instead


@pytest.mark.parametrize("question", ["Okay, and sciatica is what exactly?", "Sciatica, this season, is what?",
                                      "So what causes sciatica?"])
def test_a_discourse_marker_alone_does_not_make_a_continuation(question: str) -> None:
    assert not continues_elsewhere(analyze(question, Audience.PATIENT))


@pytest.mark.parametrize("question", ["Also what is the main symptom of sciatica?",
                                      "But is numbness not a symptom of sciatica?",
                                      "So sciatica is a problem with the sciatic nerve?"])
def test_a_whole_question_about_a_named_condition_stands_alone_however_it_begins(settings: Settings,
                                                                                 question: str) -> None:
    # K-QA dev has such first questions (a whole question about a named condition or medicine that
    # opens with "Also" or "So"), each answered by a physician
    assert not continues_elsewhere(analyze(question, Audience.PATIENT))
    answer = AnswerService(settings).answer_from_hits(question, [SCIATICA], audience="patient")
    assert answer.abstain_kind != AbstainKind.NEEDS_SUBJECT


@pytest.mark.parametrize("question", ["What about sciatica?", "Or maybe naproxen?", "And is it sciatica?",
                                      "Also do you recommend ibuprofen for sciatica?",
                                      "Also would the antibiotic ease the cough?"])
def test_an_elliptical_or_personal_continuation_still_needs_its_conversation(question: str) -> None:
    analysis = analyze(question, Audience.PATIENT)
    assert continues_elsewhere(analysis) or needs_subject(analysis)


@pytest.mark.parametrize(("question", "expected"), [
    ("How long does it take for sertraline to start working?", False),
    ("If I start melatonin, when is the best time to take it?", False),
    ("Is it a cyst?", True), ("Does it look like shingles", True), ("Does this come as a pill", True)])
def test_a_pronoun_before_the_subject_points_elsewhere_one_after_it_points_back(question: str, expected: bool) -> None:
    assert needs_subject(analyze(question, Audience.PATIENT)) is expected


@pytest.mark.parametrize(("question", "expected"), [
    pytest.param("Will nasal sprays work?", True, marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: the body part 'eye' is a generic word, the adjective 'nasal' counts as a specific subject")), ("If it's a virus, which one would it be?", True),
    pytest.param("If it is bacterial which germ would it be?", True, marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: 'germ' is not among the words that name only a kind")),
    ("What is the usual incubation period before symptoms show?", True),
    ("What can I take for the nausea?", False), ("Something to ease the cramps?", False),
    ("What is an example of an oral antifungal?", False),
    # a complaint asked about in general is a subject; the asker's own ("the rash") was told elsewhere
    ("What causes chest pain?", False), ("How long does a cold last?", False), ("What is heartburn?", False),
    ("Is the rash contagious?", True), ("How long will my cough last?", True),
    ("So you prescribe no cream?", True)])
def test_a_question_about_only_a_kind_of_thing_needs_its_subject_unless_it_asks_relief_or_an_example(
        question: str, expected: bool) -> None:
    assert needs_subject(analyze(question, Audience.PATIENT)) is expected


@pytest.mark.parametrize(("question", "expected"), [("Would that cause dark stools?", True),
                                                    ("Is that common with a migraine to see flashing lights", False)])
def test_that_as_the_subject_is_what_was_said_before(question: str, expected: bool) -> None:
    assert continues_elsewhere(analyze(question, Audience.PATIENT)) is expected


def test_what_kind_of_medicine_something_is_does_not_ask_for_a_treatment() -> None:
    assert concepts_of(analyze("So ibuprofen is an anti-inflammatory type of drug?", Audience.PATIENT)).ask is None
    treatment = concepts_of(analyze("Is there a medication for gout?", Audience.PATIENT)).ask
    assert treatment is not None and treatment.kind == InfoType.TREATMENT


def test_in_a_thread_a_continuation_is_resolved_not_refused(settings: Settings) -> None:
    first = analyze("What exactly is sciatica?", Audience.PATIENT)
    previous = PriorTurn(question=first.question, intent=first.intent, topic=first.topic, entities=first.entities)
    analysis = analyze("And how about this in children?", Audience.PATIENT, previous=previous)
    assert analysis.in_thread and not continues_elsewhere(analysis)
    answer = AnswerService(settings).answer_from_hits("And how about this in children?", [SCIATICA],
                                                      audience="patient", previous=previous)
    assert "earlier conversation" not in answer.abstain_reason


@pytest.mark.parametrize(("question", "kind"), [
    ("What is the amoxicillin for?", InfoType.USAGE), ("What is metformin used for?", InfoType.USAGE),
    ("What are the side effects of lisinopril?", InfoType.SIDE_EFFECTS),
    ("When should I take the Lipitor", InfoType.DOSAGE),
    ("What is the largest amount of naproxen I can take in one go?", InfoType.DOSAGE),
    ("And what happens if I forget a dose of metformin?", InfoType.DOSAGE),  # a missed dose is the dosage section's
    ("What causes stomach pain?", InfoType.CAUSES), ("Can kids catch chickenpox twice?", InfoType.SUSCEPTIBILITY),
    ("Anything for the jaw pain?", InfoType.TREATMENT), ("What can I use for the sunburn?", InfoType.TREATMENT),
    ("Do you suggest anything for dry eyes", InfoType.TREATMENT),
    ("Do Statin Drugs Really Work?", InfoType.EFFECTIVENESS), ("Does ginger help with nausea?", InfoType.EFFECTIVENESS),
    ("Which doctor should I see for tinnitus", InfoType.SEEK_CARE),
    # a type whose table asks nothing more (its plan's sections say it)
    ("What are the symptoms of gout?", None), ("Could it be sciatica?", None),
    pytest.param("How can I avoid getting thrush again?", InfoType.PREVENTION, marks=pytest.mark.xfail(
        strict=True, reason="the type classifier reads avoiding it again as a treatment question")),
    pytest.param("Is impetigo infective to others?", InfoType.SUSCEPTIBILITY, marks=pytest.mark.xfail(
        strict=True, reason="the type classifier reads it as asking what impetigo is")),
])
def test_the_ask_is_the_type_the_classifier_reads(question: str, kind: InfoType | None) -> None:
    """What a question asks for is one taxonomy (domain.InfoType), read by the packaged classifier, not a second
    one of word patterns: its ask (plans/analysis.toml ``[ask.*]``) is that of the type read first."""
    analysis = analyze(question, Audience.PATIENT)
    concepts = concepts_of(analysis)
    assert (concepts.ask.kind if concepts.ask else None) == kind
    if kind is not None:
        assert analysis.asked[0] == kind
    assert question_concepts(question).ask is None  # the words alone ask nothing


def test_an_ask_leaves_out_what_does_not_give_it() -> None:
    """A cause is asked, not what the subject causes; a treatment question gets no causes section."""
    causes = concepts_of(analyze("What causes Sjogren syndrome?", Audience.PATIENT))
    assert causes.ask is not None and not causes.ask.effects
    assert not causes.answers_ask("Sjogren syndrome may cause skin, nose, and vaginal dryness.")
    assert causes.answers_ask("Sjogren syndrome likely results from a combination of genetic and environmental "
                              "factors.")
    relief = analyze("What can I use for the sunburn?", Audience.PATIENT)
    keys = {spec.key for spec in focused_sections(plan_for(relief.intent, relief.audience).sections, relief)}
    assert "patient_causes" not in keys and "patient_symptoms" not in keys


@pytest.mark.parametrize("question", [
    "So the fever typically lasts 3 days?", "You don't think I need an X-ray?",
    pytest.param("So the rash usually clears in a week?", marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: 'clears' counts as a subject where 'last' is a filler")),
                                      "No steroid will help?"])
def test_replies_and_statements_put_back_as_questions_continue_a_conversation(question: str) -> None:
    assert continues_elsewhere(analyze(question, Audience.PATIENT))


@pytest.mark.parametrize("question", [
    "What vitamin should I get", "What over the counter medicine do you recommend?",
    pytest.param("Which vitamin should I buy", marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: 'buy' counts as a subject where 'get' is a filler"))])
def test_a_one_word_recommendation_for_the_askers_own_case_asks_for_the_subject(settings: Settings,
                                                                                 question: str) -> None:
    answer = AnswerService(settings).answer_from_hits(question, [SCIATICA, AAT], audience="patient")
    assert answer.abstained and answer.abstain_kind == AbstainKind.NEEDS_SUBJECT


def test_a_sentence_about_a_medicine_is_not_a_symptom_and_a_diagnosis_is_not_a_cause() -> None:
    from curbside.answer.base import Evidence
    from curbside.answer.compose.extractive import ExtractiveComposer
    from curbside.answer.select.units import build_units
    from curbside.answer.understand.analysis import focus_terms
    from curbside.answer.understand.plans import plan_for
    from curbside.domain import Intent

    hit = _hit(1, "medquad:x", "Migraine", SourceKind.PATIENT_EDUCATION, "What is Migraine?",
               "Pain relievers can ease the pain and other symptoms of a migraine. "
               "Doctors diagnose a migraine because of the pattern of the symptoms.")
    analysis = analyze("What is migraine?", Audience.PATIENT)
    units = build_units([Evidence(1, hit)], focus_terms(analysis), patient=True)
    specs = {s.key: s for s in plan_for(Intent.GENERAL, Audience.PATIENT).sections}
    relievers = next(u for u in units if u.text.startswith("Pain relievers"))
    diagnose = next(u for u in units if u.text.startswith("Doctors diagnose"))
    assert ExtractiveComposer._fit(relievers, specs["patient_symptoms"]) == 0.0
    assert ExtractiveComposer._fit(relievers, specs["patient_treatment"]) > 0.0
    assert ExtractiveComposer._fit(diagnose, specs["patient_causes"]) == 0.0


@pytest.mark.parametrize("question", ["Is what I have infectious?", "Is an antibiotic an option?"])
def test_what_i_have_and_is_it_an_option_ask_for_the_subject(question: str) -> None:
    assert needs_subject(analyze(question, Audience.PATIENT))


@pytest.mark.parametrize(("question", "title"), [("The treatment of gout?", "Treating Gout"),
                                                 ("Symptoms of flu?", "Symptoms of Flu")])
def test_a_topic_that_names_the_intent_is_not_titled_twice(question: str, title: str) -> None:
    assert analyze(question, Audience.PATIENT).title == title


@pytest.mark.parametrize(("question", "background"), [
    ("What exactly is sciatica?", True), ("What causes sciatica?", False), ("What can I take for the nausea?", False),
    ("How is sciatica treated?", False)])
def test_what_the_subject_is_is_said_only_when_asked(question: str, background: bool) -> None:
    analysis = analyze(question, Audience.PATIENT)
    keys = {spec.key for spec in focused_sections(plan_for(analysis.intent, analysis.audience).sections, analysis)}
    assert ("what_it_is" in keys) is background or "what_it_is" not in {
        spec.key for spec in plan_for(analysis.intent, analysis.audience).sections}
    assert ("terms_explained" in keys) is background


def test_a_phrase_of_the_question_must_be_said_together_not_in_pieces() -> None:
    # "ear infection" is not "pierced ears … unless they become infected" (as "sinus infection" is not
    # MedQuAD's "preauricular sinuses … unless they become infected")
    concepts = question_concepts("What would indicate an ear infection?")
    assert concepts.scattered(concept_stem_list("Most pierced ears heal without symptoms or problems unless they "
                                                "become infected."))
    assert not concepts.scattered(concept_stem_list("a look inside the ears. this exam can help diagnose an ear "
                                                    "infection."))
    assert not concepts.scattered(concept_stem_list("an infection of the ear can cause pain"))
    # a research question's adjacent words cross phrases; only the phrases the sources use count
    research = question_concepts("Is EQ-5D a valid quality of life instrument in patients with acute coronary "
                                 "syndrome?")
    conclusion = ("the turkish version of the eq-5d-based utility score seems to be a valid instrument in the "
                  "assessment of quality of life studies in patients with acute coronary syndrome.")
    assert research.scattered(concept_stem_list(conclusion))  # "valid … quality" taken as a phrase
    terms = research.terms_in([conclusion])
    assert ("valid", "qualit") not in terms and not research.scattered(concept_stem_list(conclusion), terms)


def test_a_page_about_a_kind_of_the_subject_does_not_answer_for_the_subject() -> None:
    question = "What can I take for a headache?"
    concepts = question_concepts(question)
    pairs = concepts.narrower("Cluster Headache", question)
    assert concepts.names_pair(concept_stem_list("if you have cluster headaches, breathing pure oxygen may help "
                                                 "if started early."), pairs)
    assert not concepts.narrower("Headache", question)
    assert not concepts.narrower("Acute Bronchitis", "How long does bronchitis last?")
    dermatitis = question_concepts("What exactly is dermatitis?")
    assert dermatitis.names_pair(concept_stem_list("atopic dermatitis is often the beginning of a series of "
                                                   "allergic disorders."),
                                 dermatitis.narrower("Atopic dermatitis", "What exactly is dermatitis?"))
    assert dermatitis.names_pair(concept_stem_list("dermatitis herpetiformis is a rare, chronic, skin disorder."),
                                 dermatitis.narrower("Dermatitis herpetiformis", "What exactly is dermatitis?"))
    anxiety = "Why do some people have such severe anxiety"
    assert not question_concepts(anxiety).narrower("Anxiety Disorders", anxiety)  # a head, not a kind
    blood = "What does blood in the urine mean?"  # a title's parts are names of their own
    assert not question_concepts(blood).narrower("Hematuria (Blood in the Urine)", blood)


def test_a_page_on_a_kind_of_the_subject_lends_it_to_none_of_its_sentences(settings: Settings) -> None:
    # MedQuAD GHR "familial cold autoinflammatory syndrome" (CC BY 4.0): "Episodes last …" is
    # about the syndrome's episodes, not about how long a cold lasts
    fcas = _hit(1, "medquad:ghr:fcas", "familial cold autoinflammatory syndrome", SourceKind.PATIENT_EDUCATION,
                "What is familial cold autoinflammatory syndrome?",
                "Familial cold autoinflammatory syndrome is a condition that causes episodes of fever, skin rash, "
                "and joint pain after exposure to cold temperatures. Episodes last an average of 12 hours, but may "
                "continue for up to 3 days.")
    answer = AnswerService(settings).answer_from_hits("How long does a cold last?", [fcas], audience="patient")
    assert answer.abstained


def test_advice_to_a_childs_carer_answers_only_a_question_about_a_child() -> None:
    advice = "Talk with your child's doctor about your child's cough and how to treat it."
    assert addressed_to_someone_else(advice) and not asks_about_someone_else("What can I take for the nausea?")
    assert asks_about_someone_else("What can I give my son for his cough?")


def test_a_negative_question_about_a_medicine_replies_to_something_said() -> None:
    assert continues_elsewhere(analyze("Is Lisinopril not safe?", Audience.PATIENT))
    assert continues_elsewhere(analyze("no antihistamines will work with my blood pressure pills?", Audience.PATIENT))
    assert continues_elsewhere(analyze("Is there another drug that quickly eases the heartburn?", Audience.PATIENT))
    assert not continues_elsewhere(analyze("What other medications treat gout?", Audience.PATIENT))
    assert not continues_elsewhere(analyze("Is ibuprofen not safe during pregnancy?", Audience.PATIENT))


def test_a_treatment_question_is_not_answered_with_causes_or_symptoms() -> None:
    analysis = analyze("What can I take for the nausea?", Audience.PATIENT)
    keys = {spec.key for spec in focused_sections(plan_for(analysis.intent, analysis.audience).sections, analysis)}
    assert "patient_treatment" in keys
    assert not keys & {"patient_causes", "patient_symptoms", "what_it_is"}
    duration = analyze("How long does diarrhea last?", Audience.PATIENT)  # not what causes diarrhea
    keys = {spec.key for spec in focused_sections(plan_for(duration.intent, duration.audience).sections, duration)}
    assert "patient_causes" not in keys
    prevention = analyze("How can I prevent sciatica?", Audience.PATIENT)
    keys = {spec.key for spec in focused_sections(plan_for(prevention.intent, prevention.audience).sections,
                                                   prevention)}
    assert "patient_prevention" in keys and "patient_treatment" not in keys


@pytest.mark.parametrize(("question", "title"), [("How do I check my blood sugar?", "How to Check Blood Sugar"),
                                                 ("something to relieve the cramps?", "How to Relieve Cramps")])
def test_a_question_on_how_to_do_something_is_titled_how_to(settings: Settings, question: str, title: str) -> None:
    from curbside.answer.understand.analysis import title_for
    phrase = question_concepts(question).phrase(question)
    assert title_for(analyze(question, Audience.PATIENT).intent, Audience.PATIENT, phrase) == title


def test_severity_is_not_what_a_question_is_about() -> None:
    # "mild" and "severe" grade the subject; a statement need not repeat them
    assert set(question_concepts("Why do some people get such severe migraines?").terms) == {concept_stem("migraine")}
    assert set(question_concepts("Any thoughts on a mild sleep aid?").terms) == {
        concept_stem("sleep"), concept_stem("aid")}


# MedlinePlus "Pinkeye" (CC BY 4.0 via MedQuAD), as the starter pack holds it.
PINKEYE = _hit(1, "medquad:mplus:pinkeye", "Pinkeye", SourceKind.PATIENT_EDUCATION, "What is Pinkeye?",
               "Conjunctivitis is the medical name for pink eye. It involves inflammation of the outer layer of the "
               "eye and inside of the eyelid. It can cause swelling, itching, burning, discharge, and redness. "
               "Pinkeye usually does not affect vision.")


def test_two_words_of_the_question_name_the_one_word_a_source_writes() -> None:
    concepts = question_concepts("Could it be heart burn?")
    assert concepts.named(concept_stem_list("Heartburn")) == {concept_stem("heart"), concept_stem("burn")}
    assert concepts.named(concept_stem_list("a heart murmur")) == {concept_stem("heart")}


@pytest.mark.parametrize("question", [
    "What other signs might indicate pink eye?",
    pytest.param("Okay, which other signs would point to pink eye?", marks=pytest.mark.xfail(
        strict=True, reason="rule fitted to its example: 'which … would point to' is not read as asking for signs "
                            "('what … could indicate' is)"))])
def test_a_symptom_sentence_that_says_it_is_answered_under_a_title_written_as_one_word(settings: Settings,
                                                                                       question: str) -> None:
    answer = AnswerService(settings).answer_from_hits(question, [PINKEYE], audience="patient")
    assert not answer.abstained
    assert "It can cause swelling, itching, burning, discharge, and redness." in answer.bottom_line.text
    # quoted whole: back to the sentence that says what "it" is
    assert answer.bottom_line.text.startswith("Conjunctivitis is the medical name for pink eye.")


def test_side_effects_name_no_subject_but_a_side_does() -> None:
    assert set(question_concepts("Are there any side affects from taking Flexeril?").terms) == {"flexeril"}
    assert set(question_concepts("What are the side-effects of prednisone?").terms) == {concept_stem("prednisone")}
    one_side = question_concepts("Is it usual for a headache to be on one side only?")
    assert concept_stem("side") in one_side.terms


def test_what_the_subject_causes_is_not_its_cause() -> None:
    from curbside.answer.select.ontopic import says_what_it_causes

    heartburn = question_concepts("What is heartburn?")
    assert not says_what_it_causes("Heartburn is caused by stomach acid rising into the esophagus.", heartburn)
    assert not says_what_it_causes("Pregnancy, certain foods, alcohol, and some medications can bring on heartburn.",
                                   heartburn)
    sjogren = question_concepts("What is Sjogren syndrome?")
    assert says_what_it_causes("In addition, Sjogren syndrome may cause skin, nose, and vaginal dryness.", sjogren)
    throat = question_concepts("What causes a sore throat?")
    assert not says_what_it_causes("Often, colds and flu cause sore throats.", throat)
    specs = {s.key: s for s in plan_for(analyze("What causes hypoglycemia?", Audience.PATIENT).intent,
                                        Audience.PATIENT).sections}
    assert not specs["patient_causes"].effects and all(s.effects for k, s in specs.items() if k != "patient_causes")


def test_what_brings_it_on_is_a_cause_and_why_to_treat_it_is_not() -> None:
    from curbside.answer.base import Evidence
    from curbside.answer.compose.extractive import ExtractiveComposer
    from curbside.answer.select.units import build_units
    from curbside.answer.understand.analysis import focus_terms

    hit = _hit(1, "medquad:mplus:heartburn", "Heartburn", SourceKind.PATIENT_EDUCATION, "What is Heartburn?",
               "Pregnancy, certain foods, alcohol, and some medications can bring on heartburn. "
               "Treating heartburn is important because over time reflux can damage the esophagus.")
    for audience, causes, treatment in ((Audience.PATIENT, "patient_causes", "patient_treatment"),
                                        (Audience.CLINICIAN, "common_causes", "treatment_options")):
        analysis = analyze("What is heartburn?", audience)
        units = {u.text[:9]: u for u in build_units([Evidence(1, hit)], focus_terms(analysis),
                                                    patient=audience == Audience.PATIENT)}
        specs = {s.key: s for intent in ("causes", "management") for s in
                 plan_for(analyze(f"What {intent} heartburn?", audience).intent, audience).sections}
        specs.update({s.key: s for s in plan_for(analysis.intent, audience).sections})
        bring_on, treating = units["Pregnancy"], units["Treating "]
        assert ExtractiveComposer._fit(bring_on, specs[causes]) > 0
        assert ExtractiveComposer._fit(bring_on, specs[treatment]) == 0
        assert ExtractiveComposer._fit(treating, specs[causes]) == 0


def test_is_it_a_kind_of_is_answered_by_a_sentence_that_puts_it_in_that_kind(settings: Settings) -> None:
    # MedQuAD NIDDK "Lupus Nephritis" (CC BY 4.0)
    lupus = _hit(1, "medquad:NIDDK:0000159", "Lupus Nephritis", SourceKind.PATIENT_EDUCATION,
                 "What are the treatments for Lupus Nephritis?",
                 "Treatment includes a corticosteroid, usually prednisone, to reduce inflammation in the kidneys. "
                 "An immunosuppressive medication, such as cyclophosphamide or mycophenolate mofetil, is typically "
                 "used with prednisone.")
    answer = AnswerService(settings).answer_from_hits("Is mycophenolate an immunosuppressant?", [lupus],
                                                      audience="patient")
    assert not answer.abstained
    assert answer.bottom_line.text.startswith("An immunosuppressive medication, such as cyclophosphamide or "
                                              "mycophenolate")
    said = [answer.bottom_line.text, *(item.text for section in answer.sections for item in section.items)]
    assert not any("to reduce inflammation" in text for text in said)  # names neither


@pytest.mark.xfail(strict=True, reason="the type classifier reads it as asking for relief of a complaint, which a page "
                                       "on the complaint answers (a word pattern read no ask in 'what do I do')")
def test_the_askers_own_headache_needs_its_story_a_headache_in_general_does_not() -> None:
    assert needs_subject(analyze("If the headache does not go away in two days, what do I do?", Audience.PATIENT))
    assert not needs_subject(analyze("What causes headaches?", Audience.PATIENT))


@pytest.mark.xfail(strict=True, reason="rule fitted to its example: 'Friday' counts as a subject beside the headache")
def test_the_askers_own_headache_needs_its_story_whatever_day_it_names() -> None:
    assert needs_subject(analyze("If my headache is no better by Friday, what should I do?", Audience.PATIENT))


def test_a_page_on_infections_by_a_germ_is_about_that_germ() -> None:
    question = "Is chlamydia contagious?"
    assert not question_concepts(question).narrower("Chlamydia Infections", question)
    assert question_concepts("What is a cough?").narrower("Whooping Cough", "What is a cough?")


def test_when_a_share_of_the_concepts_suffices_the_one_the_evidence_names_least_is_still_needed() -> None:
    question = "Is taking a multivitamin linked to increased breast cancer risk?"
    concepts = question_concepts(question)
    assert concepts.required < len(concepts.terms)  # five concepts: four suffice
    # MedQuAD NCI "Breast Cancer" and "Prostate Cancer" pages (CC BY 4.0)
    pill = frozenset(concept_stem_list('some studies have shown that taking oral contraceptives ("the pill") may '
                                       'slightly increase the risk of breast cancer in current users.'))
    vitamins = frozenset(concept_stem_list("regular use of multivitamins has not been proven to increase the risk "
                                           "of breast cancer."))
    title = frozenset(concept_stem_list("breast cancer"))
    keyed = concepts.keyed([concepts.named(pill | title)] * 6 + [concepts.named(vitamins | title)])
    assert keyed.key == {concept_stem("multivitamin")}
    assert concepts.on_topic(pill, title) and not keyed.on_topic(pill, title)
    assert keyed.on_topic(vitamins, title)
    alone = concepts.keyed([concepts.named(pill | title)])  # no passage names "multivitamin": the share decides
    assert concept_stem("multivitamin") not in alone.key and alone.on_topic(pill, title)


def test_a_vitamins_letter_is_part_of_its_name() -> None:
    concepts = question_concepts("Where can I get vitamin D?")
    assert "d" in concepts.terms
    about = frozenset(concept_stem_list("osteoporosis"))
    assert not concepts.on_topic(frozenset(concept_stem_list("good sources of vitamin c are vegetables and fruits.")),
                                 about)
    assert concepts.on_topic(frozenset(concept_stem_list("good sources of vitamin d are fatty fish and fortified "
                                                         "milk.")), about)


@pytest.mark.xfail(strict=True, reason="rule fitted to its example: 'foods' is a concept the statement must name")
def test_a_vitamins_letter_is_part_of_its_name_when_the_question_asks_for_foods() -> None:
    concepts = question_concepts("Which foods are the best sources of vitamin D?")
    assert concepts.on_topic(frozenset(concept_stem_list("good sources of vitamin d are fatty fish and fortified "
                                                         "milk.")), frozenset(concept_stem_list("osteoporosis")))


def test_pointers_to_information_and_reference_titles_read_badly() -> None:
    assert reads_badly("Your dietitian will give you more specific information about the potassium content of foods.")
    assert reads_badly("Iodine deficiency in pregnancy and the effects of maternal iodine supplementation on the "
                       "offspring: a review.")
    assert not reads_badly("Potassium is a mineral found in many foods, especially milk, fruits, and vegetables.")


def test_advice_to_the_people_a_page_is_about_does_not_answer_a_question_that_does_not_name_it(
        settings: Settings) -> None:
    # MedQuAD NHLBI "Hemochromatosis" (CC BY 4.0)
    text = ("Your doctor may suggest that you change your diet if you have hemochromatosis. You may be advised to: "
            "Avoid taking iron, including iron pills, iron injections, or multivitamins that contain iron.")
    hit = _hit(1, "medquad:NHLBI:0000067", "Hemochromatosis", SourceKind.PATIENT_EDUCATION,
               "What are the treatments for Hemochromatosis?", text)
    service = AnswerService(settings)
    assert service.answer_from_hits("Are iron supplements good for you?", [hit], audience="patient").abstained
    kept = service.answer_from_hits("Should people with hemochromatosis avoid iron pills?", [hit], audience="patient")
    said = [kept.bottom_line.text, *(item.text for section in kept.sections for item in section.items)]
    assert any("Avoid taking iron" in text for text in said)


# MedQuAD (CC BY 4.0): NIHSeniorHealth "Diabetes", "High Blood Pressure"; MedlinePlus "Pelvic
# Inflammatory Disease", "Paranasal Sinus and Nasal Cavity Cancer".
DIABETES_SIGNS = _hit(
    1, "medquad:NIHSeniorHealth:0000015", "Diabetes", SourceKind.PATIENT_EDUCATION,
    "What are the symptoms of Diabetes?",
    "Diabetes is often called a \"silent\" disease because it can cause serious complications even before you have "
    "symptoms. Symptoms can also be so mild that you don't notice them. Signs of type 1 diabetes usually develop "
    "over a short period of time. Low blood glucose can come on fast and can be caused by taking too much "
    "diabetes medicine.")
BLOOD_PRESSURE_AT_HOME = _hit(
    1, "medquad:NIHSeniorHealth:0000036", "High Blood Pressure", SourceKind.PATIENT_EDUCATION,
    "What are the symptoms of High Blood Pressure?",
    "You can also check your blood pressure at home with a home blood pressure measurement device or monitor. "
    "It is important that the blood pressure cuff fits you properly and that you understand how to use the "
    "monitor. Your doctor, nurse, or pharmacist can help you check the cuff size and teach you how to use it "
    "correctly.")
PID = _hit(
    1, "medquad:MPlusHealthTopics:0000695", "Pelvic Inflammatory Disease", SourceKind.PATIENT_EDUCATION,
    "What is Pelvic Inflammatory Disease?",
    "Pelvic inflammatory disease (PID) is an infection and inflammation of the uterus, ovaries, and other female "
    "reproductive organs. Some women have no symptoms. Doctors diagnose PID with a physical exam, lab tests, and "
    "imaging tests. Antibiotics can cure PID. Early treatment is important. Waiting too long increases the risk "
    "of infertility.")


def _said(answer: object) -> list[str]:
    from curbside.domain import Answer

    assert isinstance(answer, Answer)
    out = [answer.bottom_line.text]
    for section in answer.sections:
        for item in section.items:
            out.extend([item.text, *(child.text for child in item.children)])
    return out


def test_how_fast_it_starts_is_an_ask_answered_by_how_fast_the_subject_develops(settings: Settings) -> None:
    answer = AnswerService(nearest(settings, "off")).answer_from_hits(
        "How fast is the onset of diabetes?", [DIABETES_SIGNS], audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert _said(answer) == ["Signs of type 1 diabetes usually develop over a short period of time."]


def test_words_that_name_the_same_act_or_region_name_the_concept() -> None:
    measure = question_concepts("How should you measure your blood pressure?")
    assert measure.named(concept_stem_list("you can also check your blood pressure at home")) == set(measure.terms)
    testicle = question_concepts("Is testicular pain a symptom of chlamydia?")
    said = concept_stem_list("In men, chlamydia can infect the epididymis, the tube that carries sperm. This can cause pain")
    assert testicle.named(said) == set(testicle.terms)
    assert not testicle.named(concept_stem_list("the tube that carries sperm")) - {concept_stem("testicular")}


def test_a_how_to_question_gets_what_the_sources_say_about_doing_it(settings: Settings) -> None:
    question = "How should you measure your blood pressure?"
    answer = AnswerService(settings).answer_from_hits(question, [BLOOD_PRESSURE_AT_HOME], audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert any("check your blood pressure at home" in text for text in _said(answer))


def test_a_statement_that_leaves_the_subject_to_its_page_is_read_on_the_page(settings: Settings) -> None:
    # "Early treatment is important." names nothing; on the page that calls itself "PID" it is about PID
    answer = AnswerService(settings).answer_from_hits("How do doctors treat PID?", [PID], audience="patient")
    assert answer.bottom_line.text == "Antibiotics can cure PID. Early treatment is important."
    # … but it never stands alone as the bottom line, and the page's other sentences do not treat
    assert all("infertility" not in text and "no symptoms" not in text for text in _said(answer))


# MedlinePlus "Yeast Infections" (MedQuAD, CC BY 4.0)
YEAST = _hit(1, "medquad:MPlusHealthTopics:yeast", "Yeast Infections", SourceKind.PATIENT_EDUCATION,
             "What is Yeast Infections?",
             "Candida is the scientific name for yeast. It is a fungus that lives almost everywhere, including in "
             "your body. Usually, your immune system keeps yeast under control. Yeast infections affect different "
             "parts of the body in different ways: - Thrush is a yeast infection that causes white patches in your "
             "mouth - Candida esophagitis is thrush that spreads to your esophagus, the tube that takes food from "
             "your mouth to your stomach")


@pytest.mark.xfail(strict=True, reason="a word pattern's own lower similarity floor (0.45) let where yeast lives answer "
                                       "whether it is caught; at the general floor nothing answers and curbside abstains")
def test_whether_it_is_caught_is_answered_by_where_it_lives_not_by_spreading_within_the_body(
        settings: Settings) -> None:
    answer = AnswerService(nearest(settings, "off")).answer_from_hits("Is a yeast infection contagious?", [YEAST],
                                                                      audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert _said(answer) == ["Candida is the scientific name for yeast. It is a fungus that lives almost everywhere, "
                             "including in your body."]


@pytest.mark.xfail(strict=True, reason="rule fitted to its example: 'transmitted' counts as a subject where "
                                       "'transferable' is a filler")
def test_whether_it_is_passed_on_is_answered_by_where_it_lives(settings: Settings) -> None:
    question = "Is a yeast infection transmitted between partners?"
    answer = AnswerService(settings).answer_from_hits(question, [YEAST], audience="patient")
    assert not answer.abstained, answer.abstain_reason
    assert _said(answer) == ["Candida is the scientific name for yeast. It is a fungus that lives almost everywhere, "
                             "including in your body."]


@pytest.mark.parametrize(("question", "terms"), [
    ("what is zorvatin 40mg for", {"zorvatin"}),
    ("Side effects of Plexomab 2.5 mg/kg?", {"plexomab"}),
    ("can I split a 500 mg quenlipine tablet", {"quenlipine", "split", "tablet"}),
    ("is 10 ml of the brevicort syrup too much", {"brevicort", "syrup"}),
])
def test_a_strength_or_amount_is_not_a_concept(question: str, terms: set[str]) -> None:
    """A statement that answers a question about a medicine seldom repeats the asker's figure: the number and its
    unit are not what the question is about (the medicine names here are invented)."""
    concepts = question_concepts(question)
    assert set(concepts.terms.values()) == terms
