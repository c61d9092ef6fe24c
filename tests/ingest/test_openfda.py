"""openFDA drug/label JSON: real labels from PharmGKB/fda-labels-monitored (tests/fixtures/openfda)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from curbside.domain import Audience, InfoType, Source, SourceDocument, SourceKind
from curbside.ingest.base import IngestProblem
from curbside.ingest.label_sections import question_kind, question_parts, section_for_field, section_for_loinc
from curbside.ingest.openfda import OpenFDALabelAdapter
from curbside.ingest.registry import adapter_for, read_paths
from curbside.kb.synonyms import TopicSynonyms

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openfda"
MECLIZINE, CYSTADANE = FIXTURES / "NDA010721.json", FIXTURES / "NDA020576.json"
STREPTOMYCIN, SURMONTIL = FIXTURES / "ANDA064210.json", FIXTURES / "NDA016792.json"
FLUOROPLEX = FIXTURES / "NDA016988.json"


def _doc(path: Path) -> SourceDocument:
    items = list(OpenFDALabelAdapter().read(path))
    assert len(items) == 1 and isinstance(items[0], SourceDocument), items
    return items[0]


def _section(doc: SourceDocument, *headings: str) -> str:
    found = [s.text for s in doc.sections if s.headings == list(headings)]
    assert len(found) == 1, [s.headings for s in doc.sections]
    return found[0]


def test_one_source_per_label_with_its_provenance() -> None:
    src = _doc(SURMONTIL).source
    assert src.id == "dailymed:0177d783-773c-41bf-9db9-eb7e5c64474a"  # the SPL adapter's id for the same label
    assert src.kind is SourceKind.DRUG_LABEL and src.audience is Audience.BOTH and src.collection == "openfda"
    assert src.title == "Surmontil (trimipramine maleate)" and src.publisher == "Teva Women's Health, Inc."
    assert src.year == 2019 and src.url.endswith("setid=0177d783-773c-41bf-9db9-eb7e5c64474a")
    other = src.identifiers.other
    assert other["spl_version"] == "8" and other["route"] == "ORAL" and other["effective_date"].startswith("2019")
    assert "Public domain" in src.license and "openFDA" in src.attribution
    assert src.topics == ["surmontil", "trimipramine maleate"]
    # The same name in brand and generic makes one title.
    assert _doc(MECLIZINE).source.title == "Meclizine Hydrochloride"


def test_brand_names_find_the_generic_through_synonyms() -> None:
    synonyms = TopicSynonyms.from_sources([_doc(SURMONTIL).source, _doc(CYSTADANE).source])
    assert "trimipramine maleate" in synonyms.expansions("Can I drink alcohol on Surmontil?")
    found = synonyms.find_in("what is betaine for")
    assert [t.title for t in found] == ["Cystadane (betaine)"]


def test_sections_typed_and_cleaned() -> None:
    doc = _doc(MECLIZINE)
    kinds = {tuple(s.headings): s.kind for s in doc.sections}
    assert kinds[("Indications and usage",)] is InfoType.USAGE
    assert kinds[("Dosage and administration", "Recommended Dosage")] is InfoType.DOSAGE
    assert kinds[("Contraindications",)] is InfoType.CONTRAINDICATIONS
    assert kinds[("Warnings and precautions", "Drowsiness")] is InfoType.WARNINGS
    assert kinds[("Adverse reactions",)] is InfoType.SIDE_EFFECTS
    assert kinds[("Drug interactions", "CNS Depressants")] is InfoType.INTERACTIONS
    assert kinds[("Pregnancy",)] is InfoType.PREGNANCY
    # 8.2 Lactation has no openFDA field of its own: typed by its title inside Use in specific populations.
    assert kinds[("Use in specific populations", "Lactation Risk Summary")] is InfoType.PREGNANCY
    assert kinds[("Use in specific populations", "Hepatic Impairment")] is InfoType.POPULATIONS
    assert kinds[("Pediatric use",)] is InfoType.POPULATIONS and kinds[("Mechanism of action",)] is InfoType.MECHANISM
    assert kinds[("Description",)] is InfoType.INFORMATION and kinds[("How supplied",)] is InfoType.STORAGE
    # Section number and title, "( 2.1 )" pointers and "[see …]" cross-references removed.
    assert _section(doc, "Dosage and administration").startswith("Recommended dosage: 25 mg to 100 mg daily, in divided doses. ")
    assert _section(doc, "Dosage and administration", "Recommended Dosage") == (
        "The recommended dosage is 25 mg to 100 mg daily administered orally, in divided doses, depending upon "
        "clinical response.")
    assert _section(doc, "Warnings and precautions", "Drowsiness").endswith(
        "Patients should avoid alcoholic beverages while taking meclizine hydrochloride.")
    text = "\n".join(s.text for s in doc.sections)
    assert "[see" not in text and "( 2.1 )" not in text and "(5.1)" not in text
    # Pregnancy is not repeated inside Use in specific populations; pharmacology, studies, package label left out.
    assert not any("Data from epidemiological studies" in s.text for s in doc.sections if s.headings[0] != "Pregnancy")
    assert not any(s.headings[0] in ("Clinical pharmacology", "Pharmacokinetics", "Package label") for s in doc.sections)
    assert "Meclizine Hcl 12.5mg Tablet Label" not in text


def test_tables_are_rows_in_place_not_flattened() -> None:
    dosage = "\n".join(s.text for s in _doc(STREPTOMYCIN).sections if s.headings[0] == "Dosage and administration")
    assert ("the recommended dosing for streptomycin is as follows:\nDaily | Twice Weekly | Thrice Weekly\n"
            "Children | 20-40 mg/kg Max 1 g | 25-30 mg/kg Max 1.5 g | 25-30 mg/kg Max 1.5 g\n"
            "Adults | 15 mg/kg Max 1 g | 25-30 mg/kg Max 1.5 g | 25-30 mg/kg Max 1.5 g\n"
            "Streptomycin is usually administered") in dosage
    assert "Thrice Weekly Children 20-40" not in dosage  # the flattened copy is gone


def test_old_format_label_and_boxed_warning() -> None:
    doc = _doc(STREPTOMYCIN)
    assert doc.sections[0].headings == ["Boxed warning"] and doc.sections[0].kind is InfoType.WARNINGS
    assert doc.sections[0].text.startswith("THE RISK OF SEVERE NEUROTOXIC REACTIONS")  # text in capitals is not a title
    assert _section(doc, "Nursing mothers").startswith("Because of the potential for serious adverse reactions")
    assert [s.kind for s in doc.sections if s.headings == ["Nursing mothers"]] == [InfoType.PREGNANCY]


def test_medication_guide_split_at_its_questions_and_typed_by_them() -> None:
    guide = [s for s in _doc(SURMONTIL).sections if s.headings[0] == "Medication Guide"]
    by_question = {s.headings[-1]: s.kind for s in guide if len(s.headings) == 2}
    assert by_question["Who should not take SURMONTIL?"] is InfoType.CONTRAINDICATIONS
    assert by_question[("What is the most important information I should know about antidepressant medicines, "
                        "depression and other serious mental illnesses, and suicidal thoughts or actions?")] \
        is InfoType.WARNINGS
    assert by_question["What else do I need to know about antidepressant medicines?"] is None  # unknown: not guessed
    assert guide[0].headings == ["Medication Guide"] and guide[0].text.startswith("Antidepressant Medicines, Depression")
    assert _section(_doc(SURMONTIL), "Medication Guide", "Who should not take SURMONTIL?").startswith(
        "Do not take SURMONTIL if you take a monoamine oxidase inhibitor (MAOI).")


def test_patient_information_laid_out_as_a_table_is_split_at_its_questions() -> None:
    # Fluoroplex's patient information is a table in the label (spl_patient_package_insert_table) whose
    # cells hold the questions: read as one untyped block before, so no patient section answered
    sections = [s for s in _doc(FLUOROPLEX).sections if s.headings[0] == "Patient information"]
    by_question = {s.headings[-1]: s.kind for s in sections if len(s.headings) == 2}
    assert by_question["What are the possible side effects of FLUOROPLEX Cream?"] is InfoType.SIDE_EFFECTS
    assert by_question["Who should not use FLUOROPLEX Cream?"] is InfoType.CONTRAINDICATIONS
    assert by_question["How should I store FLUOROPLEX Cream?"] is InfoType.STORAGE
    assert by_question["What is FLUOROPLEX Cream?"] is InfoType.USAGE


def test_a_question_in_quotes_points_elsewhere_and_heads_nothing() -> None:
    text = ("What is the most important information I should know about X? X may cause low blood pressure. "
            "Who should not take X? Do not take X if you are allergic to it. What are the possible side effects "
            "of X? X may cause serious side effects, including: See “What is the most important information I "
            "should know about X?” Dizziness.")
    assert [h for h, _body in question_parts(text)] == [
        "What is the most important information I should know about X?", "Who should not take X?",
        "What are the possible side effects of X?"]


def test_question_headings_and_section_tables() -> None:
    assert question_kind("What are the possible side effects of LIPITOR?") is InfoType.SIDE_EFFECTS
    assert question_kind("How should I take LIPITOR?") is InfoType.DOSAGE
    assert question_kind("How should I store LIPITOR?") is InfoType.STORAGE
    assert question_kind("What is LIPITOR?") is InfoType.USAGE
    assert question_kind("What are the ingredients in LIPITOR?") is None
    spec = section_for_field("adverse_reactions")
    assert spec is not None and spec.kind is InfoType.SIDE_EFFECTS and section_for_loinc("34084-4") is spec
    assert section_for_field("clinical_studies") is None and section_for_field("package_label_principal_display_panel") is None


def test_bulk_zip_list_and_single_label_shapes(tmp_path: Path) -> None:
    labels = [json.loads(p.read_text())["results"][0] for p in (MECLIZINE, CYSTADANE)]
    bulk = tmp_path / "drug-label-0001-of-0001.json.zip"
    with zipfile.ZipFile(bulk, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("drug-label-0001-of-0001.json", json.dumps({"meta": {"results": {"total": 2}}, "results": labels}))
    single = tmp_path / "label.json"
    single.write_text(json.dumps(labels[1]))
    listed = tmp_path / "labels.json"
    listed.write_text(json.dumps(labels))
    for path, n in ((bulk, 2), (single, 1), (listed, 2)):
        assert isinstance(adapter_for(path), OpenFDALabelAdapter), path
        ids = [i.source.id for i in read_paths([path]) if isinstance(i, SourceDocument)]
        assert len(ids) == n and ids[-1] == "dailymed:31a684d0-cd98-4e46-b43a-ccbd17c41559"


def test_malformed_files_and_records_are_reported_and_skipped(tmp_path: Path) -> None:
    good = json.loads(MECLIZINE.read_text())["results"][0]
    unnamed = {**good, "set_id": "00000000-0000-0000-0000-000000000001", "openfda": {}}
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps({"meta": {}, "results": [good, "not a label", unnamed, {"openfda": {}}]}))
    items = list(read_paths([mixed]))
    docs = [i for i in items if isinstance(i, SourceDocument)]
    problems = [i.message for i in items if isinstance(i, IngestProblem)]
    assert [d.source.id for d in docs] == ["dailymed:112103bc-25e2-42cf-8542-ba1d3392a2c3"]
    assert problems == ["a label must be a JSON object, not str",
                        "label without brand or generic names (openFDA did not match it to a product)",
                        "label without a set_id"]
    broken = tmp_path / "broken.json"
    broken.write_text(MECLIZINE.read_text()[:5000] + ', "oops": }')  # cut short and malformed
    assert isinstance(adapter_for(broken), OpenFDALabelAdapter)
    items = list(read_paths([broken]))
    assert len(items) == 1 and isinstance(items[0], IngestProblem) and "malformed JSON" in items[0].message
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"meta": {}, "something": []}))
    assert adapter_for(other) is None or not isinstance(adapter_for(other), OpenFDALabelAdapter)


def test_source_round_trips_through_the_pack_format() -> None:
    src = _doc(CYSTADANE).source
    assert Source.model_validate(src.model_dump(mode="json", exclude_defaults=True)) == src
