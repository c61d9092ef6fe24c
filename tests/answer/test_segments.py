"""The segmenter and candidate units: spans are verbatim; lists, inline headings and back-references."""

from __future__ import annotations

import json
from pathlib import Path

from tests.answer.cases import load_hits

from curbside.answer.select.narration import narration_model
from curbside.answer.select.segments import segment
from curbside.answer.select.units import defined_term, split_condition
from curbside.domain import Audience

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# Real MedQuAD text shapes (NIDDK "Hypoglycemia" and "Kidney Stones in Adults", CC BY 4.0).
LIST = ("Hypoglycemia causes symptoms such as - hunger - shakiness - nervousness - sweating "
        "Hypoglycemia can also happen during sleep.")
GLUED = ("Medications The health care provider may prescribe certain medications to help prevent kidney stones "
         "based on the type of stone formed.")
FOOTNOTE = ("Each year in the United States, people make more than a million visits to health care providers for "
            "kidney stone problems.1 Urolithiasis is the medical term used to describe stones occurring in the "
            "urinary tract.")


def test_every_segment_is_a_span_of_the_passage() -> None:
    for name in ("management", "causes", "meaning", "comparison"):
        for hit in load_hits(name, Audience.CLINICIAN):
            for seg in segment(hit.passage.text):
                assert hit.passage.text[seg.start:seg.end] == seg.text


def test_flattened_list_becomes_intro_with_items() -> None:
    segs = segment(LIST)
    intro = segs[0]
    assert (intro.kind, intro.text) == ("intro", "Hypoglycemia causes symptoms such as")
    assert [segs[i].text for i in intro.children] == ["hunger", "shakiness", "nervousness", "sweating"]
    assert segs[-1].kind == "sentence" and segs[-1].text == "Hypoglycemia can also happen during sleep."


def test_a_list_a_passage_opens_with_has_no_lead_in_and_its_bare_items_are_not_statements() -> None:
    # a GARD signs-and-symptoms list cut from its lead-in at the passage's start (MedQuAD shape, CC BY 4.0)
    segs = segment("- Osteomalacia\n- Bone pain and fractures\n- Growth stops early in children and the bones bend.")
    assert [(s.kind, s.parent) for s in segs] == [("item", None)] * 3
    assert [s.usable for s in segs] == [False, False, True]  # only a whole sentence stands alone
    with_lead_in = segment("Signs of the condition include:\n- Osteomalacia\n- Bone pain and fractures")
    assert [s.usable for s in with_lead_in] == [True, True, True]  # under their lead-in, items say it


def test_glued_inline_heading_is_trimmed_and_kept_as_block() -> None:
    seg = segment(GLUED)[0]
    assert seg.text.startswith("The health care provider may prescribe")
    assert seg.block == "Medications"


def test_footnote_digits_end_a_sentence_and_are_trimmed() -> None:
    texts = [s.text for s in segment(FOOTNOTE)]
    assert texts[0].endswith("kidney stone problems.")
    assert texts[1].startswith("Urolithiasis is the medical term")


def test_back_references_and_fragments() -> None:
    segs = segment("Hypoglycemia can happen suddenly and often. It is usually mild and can be treated quickly "
                   "and easily by eating or drinking a small amount of glucose-rich food. Urinalysis. "
                   "See also the section on diabetes medicines for more information about this.")
    assert segs[1].dangling and not segs[0].dangling
    assert segs[2].kind == "heading" and not segs[2].usable
    assert not segs[3].usable, "navigation text is never an answer"


def test_if_so_refers_back() -> None:
    # MedlinePlus "Pneumonia" (MedQuAD, CC BY 4.0): "If so" is the question the sentence before asked
    segs = segment("Your doctor may do tests to find out whether you have pneumonia. If so, your doctor can decide "
                   "how to treat the infection. If you have symptoms, call your doctor.")
    assert segs[1].dangling and not segs[0].dangling
    assert not segs[2].dangling, "a condition of its own does not refer back"


def test_conditions_and_definitions() -> None:
    cond = split_condition("If the level is below 70 mg/dL, one of these quick-fix foods should be consumed right away.")
    assert cond is not None and cond.condition == "If the level is below 70 mg/dL"
    assert cond.consequence.startswith("one of these quick-fix foods should be consumed")
    inline = split_condition("IV fluids may be needed if the person becomes dehydrated from vomiting.")
    assert inline is not None and inline.condition == "if the person becomes dehydrated from vomiting."
    assert split_condition("When the bladder empties, urine flows out of the body through a tube.") is None, \
        "a condition with no action is not an algorithm step"
    # CDC "Scabies" (public domain): "even if" concedes, it does not make an if → then step
    assert split_condition("Itching still may continue for several weeks after treatment even if all the mites "
                           "and eggs are killed.") is None
    assert defined_term("Hematuria is blood in the urine.") == "Hematuria"
    assert defined_term("Hypoglycemia, also called low blood sugar, occurs when blood glucose drops.") == "Hypoglycemia"
    assert defined_term("Imaging tests are performed in an outpatient center.") == ""


def test_a_sentence_on_its_own_line_keeps_its_capitalised_opening() -> None:
    """Cleaned text has headings on their own lines: "The Human Phenotype Ontology provides …" is
    a whole sentence, not the heading "The Human Phenotype" glued to "Ontology provides …"."""
    text = ("Acromegaly is rare.\n"
            "The Human Phenotype Ontology provides the following list of signs and symptoms for acromegaly.")
    assert [s.text for s in segment(text)][1].startswith("The Human Phenotype Ontology provides")


def test_a_heading_the_sentence_repeats_is_cut_even_in_text_with_lines() -> None:
    """MedlinePlus "High Blood Pressure" (public domain) runs a heading into its sentence in text
    that has other lines: "Measuring Blood Pressure Blood pressure is always given as two numbers"."""
    text = ("High blood pressure is a common disease.\n"
            "Measuring Blood Pressure Blood pressure is always given as two numbers, the systolic and diastolic "
            "pressures.")
    second = segment(text)[1]
    assert second.text.startswith("Blood pressure is always given")
    assert second.block == "Measuring Blood Pressure"


def test_a_run_of_sentences_about_the_same_it_reaches_back_to_what_it_is() -> None:
    from curbside.answer.base import Evidence
    from curbside.answer.select.units import build_units
    from curbside.answer.understand.analysis import analyze, focus_terms
    from curbside.domain import Passage, SearchHit, Source, SourceKind

    text = ("Conjunctivitis is the medical name for pink eye. It involves inflammation of the outer layer of the "
            "eye. It can cause swelling, itching, burning, discharge, and redness. Examples include allergies. "
            "These can cause mucus. This is called postnasal drip.")
    hit = SearchHit(passage=Passage(id="s#0", source_id="s", position=0, headings=[], text=text),
                    source=Source(id="s", kind=SourceKind.PATIENT_EDUCATION, title="Pinkeye"), score=1.0, rank=1)
    units = build_units([Evidence(1, hit)], focus_terms(analyze("pink eye", Audience.PATIENT)), patient=True)
    texts = [u.text for u in units]
    assert text[: text.index(" Examples")] in texts  # "It … It …" reaches back two sentences
    assert not any(t.endswith("postnasal drip.") and t.startswith("Examples") for t in texts)  # "These … This …"
    assert all(t in text for t in texts)


def test_examples_refer_back_to_what_they_are_examples_of() -> None:
    segs = segment("Postnasal drip has many causes. Examples include sinus infections and allergies.")
    assert segs[1].dangling and not segs[0].dangling


def test_in_a_list_of_points_a_point_ending_in_a_colon_leads_the_next_and_a_full_sentence_does_not() -> None:
    # MedQuAD NIDDK "Pyelonephritis: Kidney Infection", Points to Remember (CC BY 4.0)
    text = ("- Pyelonephritis is caused by a bacterium or virus infecting the kidneys. Bacteria and viruses can move "
            "to the kidneys from the bladder.\n- Symptoms of pyelonephritis may include the following:\n- fever\n"
            "- vomiting\n- chills")
    segs = segment(text)
    by_text = {s.text: s for s in segs}
    assert by_text["Bacteria and viruses can move to the kidneys from the bladder."].kind == "sentence"
    lead = by_text["Symptoms of pyelonephritis may include the following:"]
    assert lead.kind == "intro" and [segs[i].text for i in lead.children] == ["fever", "vomiting", "chills"]
    # a point left open ("…, including") still leads the items flattened after it
    inline = segment("- tolbutamide Certain combination pills can also cause hypoglycemia, including - glipizide "
                     "- glyburide")
    assert any(s.kind == "intro" and s.text.endswith("including") and len(s.children) == 2 for s in inline)


def test_inline_bullets_of_a_flattened_label_are_list_items() -> None:
    """Drug-label text keeps its bullets inline ("…include: • A • B"): an introduction with its items,
    not one unusable run-on sentence (which left a label's adverse reactions with nothing to quote)."""
    text = ("Other reactions to the medicine include: • Skin disorders: rash, itching • Stomach disorders: "
            "nausea, vomiting • General disorders: chills Most common reactions are headache and dizziness.")
    segments = segment(text)
    intro = next(s for s in segments if s.kind == "intro")
    assert intro.text == "Other reactions to the medicine include:" and intro.usable
    items = [s.text for s in segments if s.parent == intro.index]
    assert items[:2] == ["Skin disorders: rash, itching", "Stomach disorders: nausea, vomiting"]
    assert all("•" not in s.text for s in segments)


def test_a_flattened_labels_o_sub_bullets_are_list_items() -> None:
    """openFDA text writes a label's sub-bullets as a lone "o" ("… the risk of: o A. o B"): items, not
    a lead-in ending in "o" and run-on items; "o" inside words and names is untouched."""
    text = ("The medicine is indicated to reduce the risk of: o Heart attack in adults with several risk factors. "
            "o Stroke in adults with diabetes. As an adjunct to diet in adults with: o Mixed dyslipidemia o")
    segments = segment(text)
    intro = next(s for s in segments if s.kind == "intro")
    assert intro.text == "The medicine is indicated to reduce the risk of:"
    items = [s.text for s in segments if s.parent == intro.index]
    assert items == ["Heart attack in adults with several risk factors.", "Stroke in adults with diabetes."]
    assert not any(s.text.endswith(" o") or s.text.startswith("o ") for s in segments)
    assert [s.text for s in segment("Type O blood is common. Take it with food.")] == [
        "Type O blood is common.", "Take it with food."]


def test_a_list_written_one_item_a_line_without_marks_is_a_list_not_headings() -> None:
    """Cleaned page text keeps a list as lines after its "… include:" with no bullet marks: short
    phrases, one a line, are the introduction's items (they were read as headings, and the
    introduction, left without items, was never quoted); the list ends at the first full sentence."""
    text = ("The most common sign is tiredness.\nOther signs of the condition include:\nFeeling dizzy\n"
            "Cold hands and feet\nPale skin\nThese signs happen because the body gets less oxygen.\n"
            "Living With the Condition\nMost people feel better with treatment.")
    segments = segment(text)
    intro = next(s for s in segments if s.kind == "intro")
    assert intro.text == "Other signs of the condition include:" and intro.usable
    assert [segments[i].text for i in intro.children] == ["Feeling dizzy", "Cold hands and feet", "Pale skin"]
    kinds = {s.text: s.kind for s in segments}
    assert kinds["These signs happen because the body gets less oxygen."] == "sentence"
    assert kinds["Living With the Condition"] == "heading"  # a heading after the list is still one


def _abstract(pmid: str) -> str:
    """A PubMedQA abstract of the fixtures (MIT): its labelled sections, then its conclusion."""
    record = json.loads((FIXTURES / "answer" / "sources" / "pubmedqa_subset.json").read_text(encoding="utf-8"))[pmid]
    return " ".join([*record["CONTEXTS"], record["LONG_ANSWER"]])


def test_a_research_abstracts_study_narration_is_not_usable_its_findings_are() -> None:
    # an abstract of PubMedQA's official test split, which the narration model never saw
    text = _abstract("17192736")
    usable = {s.text[:40]: s.usable for s in segment(text, research=True)}
    assert usable["The aim of this study was to assess the "] is False  # its objective
    assert usable["Double-J stent placement was done with t"] is False  # its methods
    assert usable["Complete clearance without the use of fl"] is True  # a result
    assert usable["To uphold the notion for radiation expos"] is True  # its conclusion


def test_narration_is_read_in_research_articles_only() -> None:
    # a patient page describes procedures in words a methods section uses: not judged as study narration
    text = _abstract("17192736")
    assert all(s.usable for s in segment(text) if s.kind == "sentence")
    assert segment(text, research=True) != segment(text)


def test_the_narration_model_says_what_it_was_trained_on_and_how_well_it_reads_unseen_abstracts() -> None:
    model = narration_model()
    assert model is not None
    card = model.card
    assert "PubMedQA" in str(card["data"]) and "held out" in str(card["data"])
    # the word patterns it replaced read the same unseen sentences at precision 0.63, recall 0.20 (docs/benchmarks.md)
    assert float(card["test_precision"]) > 0.63 and float(card["test_recall"]) > 0.20  # type: ignore[arg-type]
    assert 0.3 <= model.threshold <= 0.8
