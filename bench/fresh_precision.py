"""On-topic precision on questions never tuned on: NFCorpus's question titles, MedQuAD's drug and herb
questions, and MEDIQA 2019 Task 3's consumer questions (test and Alexa sets).

    python bench/fresh_precision.py answer [--set nfcorpus|drugs|mediqa-test|mediqa-alexa|rqe-val|rqe-clinician]   # answer them (starter pack)
    (… |mediqa-val|rqe-test: MEDIQA 2019 Task 3 validation questions; Task 2 test consumer questions)
    python bench/fresh_precision.py score [--set nfcorpus|drugs]    # precision over the set's hand labels
    python bench/fresh_precision.py answer --set liveqa-test --liveqa PATH [--tag -before]  # TREC 2017 LiveQA test
    python bench/fresh_precision.py answer --set mediqa2021-short|mediqa2021-long --mediqa2021 DIR  # MEDIQA 2021
    python bench/fresh_precision.py answer --set healthsearch --healthsearch PATH  # HealthSearchQA
    python bench/fresh_precision.py answer --set mqp-drugs --mqp PATH  # HealthTap questions naming a labelled medicine
    python bench/fresh_precision.py answer --set mqp-general --mqp PATH  # 150 other HealthTap questions
    python bench/fresh_precision.py answer --set healthsearch-2|mqp-general-2 ...  # a second 150 of each, never read
    python bench/fresh_precision.py answer --set healthsearch-3|mqp-general-3 ...  # a third 150 of each, never read
    python bench/fresh_precision.py answer --set mqp-general-4 ...  # a fourth 150 HealthTap questions, never read
    python bench/fresh_precision.py answer --set healthsearch-4 ...  # a fourth 150 HealthSearchQA questions
    python bench/fresh_precision.py answer --set kqa-heldback  # K-QA chat questions the models hold back
    python bench/fresh_precision.py answer --set healthsearch-5|mqp-general-5 ... --tag=-off  # a fifth 150 of each
    CURBSIDE_ANSWER__NEAREST=on_subject python bench/fresh_precision.py answer ... --tag=-on_subject  # same run
    python bench/fresh_precision.py score --set healthsearch-5 --tag=-off   # precision of one run over the labels
    python bench/fresh_precision.py answer --set healthsearch-6|mqp-general-6 ...  # a sixth 150 of each, never read

The K-QA labels (bench/ontopic_precision.py) score answers to the very questions the word rules
were tuned on. NutritionFacts.org video titles in BEIR NFCorpus (``../shared/data/nfcorpus/
queries.jsonl``; academic use, not redistributed — only the questions are read here) include 366
lay questions ending in "?" (questions such as whether a food is good for you). Their
answers were labelled by hand once, as the rules stood before anything was changed for them (round
``nf1``): that is the fresh figure. Statements that later rule changes bring in are labelled in
later rounds (``nf2`` …), which are no longer fresh.

The ``drugs`` set asks MedQuAD's MedlinePlus drug and herb questions (CC BY 4.0; their answers were
removed from the data set, so the pack has no page on them): for 60 drugs drawn with seed 11, "Who
should get X and why is it prescribed?", "How should X be used and what is the dosage?" and "What are
the side effects or risks of X?"; for 40 herbs and supplements, "What is X?" and "How effective is
X?". They test what the issue opened with: a medicine question answered from a page that only
mentions the medicine. Labelled round ``dr1`` as the rules stood before any change for them. Run by
hand, never by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEFAULT_WORK, RESULTS, ROOT, SHARED, labelled_medicine_filter, limit_threads, machine, write_result

#: set → its fresh round
SETS = {"nfcorpus": "nf1", "drugs": "dr1", "mediqa-test": "mq1", "mediqa-alexa": "ax1", "mediqa-val": "mv1",
        "rqe-test": "rq1", "rqe-val": "rv1", "rqe-clinician": "rc1", "liveqa-test": "lq1",
        "meqsum": "ms1", "mediqa2021-short": "m21s1", "mediqa2021-long": "m21l1",
        "healthsearch": "hs1", "mqp-drugs": "mqd1", "mqp-general": "mqg1",
        "healthsearch-2": "hs2", "mqp-general-2": "mqg2", "healthsearch-3": "hs3", "mqp-general-3": "mqg3",
        "mqp-general-4": "mqg4", "healthsearch-4": "hs4", "kqa-heldback": "kqh1",
        "healthsearch-5": "hs5", "mqp-general-5": "mqg5", "healthsearch-6": "hs6", "mqp-general-6": "mqg6",
        "healthsearch-7": "hs7", "mqp-general-7": "mqg7", "healthsearch-8": "hs8", "mqp-general-8": "mqg8",
        "healthsearch-9": "hs9", "mqp-general-9": "mqg9", "healthsearch-10": "hs10", "mqp-general-10": "mqg10",
        "healthsearch-11": "hs11", "mqp-general-11": "mqg11", "healthsearch-12": "hs12", "mqp-general-12": "mqg12",
        "healthsearch-13": "hs13", "mqp-general-13": "mqg13"}
#: Curai's medical question pairs (curai/medical-question-pair-dataset, ``mqp.csv`` given with ``--mqp``; HealthTap
#: consumer questions and doctors' rewordings of them; no licence file, so nothing of it is committed but the labels):
#: every distinct question of either column that names a medicine the installed pack has a drug label of its own
#: for — issue 23's measure on questions never read before. ``mqp-general``: 150 of its other questions (those that
#: name no such medicine), drawn with seed 5 — a fresh set of consumer questions for issue 22.
MQP_GENERAL_SAMPLE = 150
#: Later samples, never read before: 150 more of each source's questions, drawn with another seed from those no
#: earlier sample of the source took (fifteenth session: ``healthsearch-2`` seed 23, ``mqp-general-2`` seed 9;
#: sixteenth: ``healthsearch-3`` seed 31, ``mqp-general-3`` seed 13; eighteenth: ``mqp-general-4`` seed 41;
#: nineteenth: ``healthsearch-4`` seed 53; twenty-second: ``healthsearch-5`` seed 67, ``mqp-general-5`` seed 71).
SECOND_SAMPLE = {"healthsearch-2": 23, "mqp-general-2": 9, "healthsearch-3": 31, "mqp-general-3": 13,
                 "mqp-general-4": 41, "healthsearch-4": 53, "healthsearch-5": 67, "mqp-general-5": 71,
                 "healthsearch-6": 83, "mqp-general-6": 89, "healthsearch-7": 97, "mqp-general-7": 101,
                 "healthsearch-8": 103, "mqp-general-8": 107,
                 "healthsearch-9": 109, "mqp-general-9": 113, "healthsearch-10": 127, "mqp-general-10": 131,
                 "healthsearch-11": 137, "mqp-general-11": 139, "healthsearch-12": 149, "mqp-general-12": 151,
                 "healthsearch-13": 157, "mqp-general-13": 163}
#: Samples from this number on leave out the question-type training questions' rewordings too (:func:`_second`);
#: ``healthsearch-6`` (seed 83) and ``mqp-general-6`` (seed 89) were defined in the twenty-ninth session,
#: ``healthsearch-7`` (seed 97) and ``mqp-general-7`` (seed 101) in the thirtieth, ``healthsearch-8`` (seed 103) and
#: ``mqp-general-8`` (seed 107) in the thirty-first, ``healthsearch-9`` (seed 109) and ``mqp-general-9`` (seed 113) in
#: the thirty-second, ``healthsearch-10`` (seed 127) and ``mqp-general-10`` (seed 131) in the thirty-third,
#: ``healthsearch-11`` (seed 137) and ``mqp-general-11`` (seed 139) in the thirty-fourth, ``healthsearch-12``
#: (seed 149) and ``mqp-general-12`` (seed 151) in the thirty-fifth, ``healthsearch-13`` (seed 157) and
#: ``mqp-general-13`` (seed 163) in the thirty-sixth.
TYPED_FROM = 6
#: ``kqa-heldback``: K-QA's questions without answers (``../shared/data/kqa-dev``, MIT) in the quarter the learned
#: models hold back (a hash of the text: ``scripts/train_models.held_back``), past the first 200 lines (which an
#: earlier session asked once, ``bench/kqa_answers.py --unanswered 200``): real patient questions from chats,
#: never answered and read before. Their subject-gate and type labels (bench/data) are test labels, never trained on.
KQA_SKIP = 200
#: HealthSearchQA (Singhal et al., Nature 2023: 3,173 consumer questions people searched for; the test file of
#: dmis-lab/OLAPH's MedLFQA, ``MedLFQA/healthsearch_qa_test.jsonl``, given with ``--healthsearch``; no licence
#: file, so nothing of it is committed but the labels of the statements): 150 questions drawn with seed 19 (one of
#: its 3,172 questions names a medicine, so it says nothing of drug labels).
HEALTHSEARCH_SAMPLE = 150
#: In that file 3,074 of the 4,436 questions carry their row number ("90,Is urine leakage a serious problem?"), a
#: quirk of the file, not of what people asked; every sample before this number was asked with it (their labels are
#: keyed by it). From this sample on the number is stripped before a question is asked (thirty-fourth session: asked
#: without it, healthsearch-11 got 90 answers instead of 86).
HEALTHSEARCH_CLEAN_FROM = 12
_ROW_NUMBER = re.compile(r"^\d+,")
#: MEDIQA 2021 (abachaa/MEDIQA2021, CC BY 4.0; ``--mediqa2021`` a folder with the files below, taken from that
#: repository): Task 2's 130 short consumer questions (validation and test) and Task 1's 150 NLM consumer
#: messages of December 2020 (validation and test), new questions not in MeQSum or MEDIQA 2019.
MEDIQA2021 = {"mediqa2021-short": ("MEDIQA2021_Task2_VAlidationSet_ShortQuestions.txt",
                                   "MEDIQA2021_Task2_MAS_TestSet_shortQuestions.txt"),
              "mediqa2021-long": ("MEDIQA2021-Task1-QuestionSummarization-ValidationSet.xlsx",
                                  "MEDIQA2021-Task1-TestSet-ReferenceSummaries.xlsx")}
#: MeQSum (abachaa/MeQSum, CC BY 4.0; ``--meqsum`` the .xlsx): 100 NLM consumer messages drawn with seed 17 from
#: the fifth the subject model holds out (a hash of the message, as in scripts/train_models.py), less those
#: MEDIQA 2019 or the LiveQA test set hold.
MEQSUM_SAMPLE = 100
#: TREC 2017 LiveQA medical test questions (NLM consumer questions; abachaa/LiveQA_MedicalTask_TREC2017,
#: ``TestDataset/TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml``, given with ``--liveqa``): the
#: subject line and message as the reader wrote them, less those MEDIQA 2019 already holds (read before).
LIVEQA_TEST = "TREC-2017-LiveQA-Medical-Test-Questions-w-summaries.xml"
#: MEDIQA 2019 Task 3's consumer questions (test set: 150; Alexa training set 2: 104). Only the questions
#: are read; their graded answers (not openly licensed) are never put anywhere.
_MEDIQA = {"mediqa-test": "MEDIQA2019-Task3-QA-TestSet-wLabels.xml",
           "mediqa-alexa": "MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml",
           "mediqa-val": "MEDIQA2019-Task3-QA-ValidationSet.xml"}
#: MEDIQA 2019 Task 2's test pairs: their consumer questions (``chq``, NLM's consumer health questions;
#: each once, in file order) are a set of real, long patient messages.
_RQE_TEST = "MEDIQA2019-Task2-RQE-TestSet-wLabels.xml"
#: RQE's AMIA 2016 sets: the validation pairs' NLM consumer questions (each once), and the training
#: pairs' clinical questions (doctors' questions; 100 distinct ones drawn with seed 13), asked as a clinician.
_RQE_SETS = {"rqe-test": _RQE_TEST, "rqe-val": "MEDIQA2019-Task2-RQE-ValidationSet-AMIA2016.xml",
             "rqe-clinician": "MEDIQA2019-Task2-RQE-TrainingSet-AMIA2016.xml"}
_CLINICIAN_SETS = {"rqe-clinician"}
_SAMPLE = {"rqe-clinician": 100}
_DRUG_TYPES = {"11_MPlusDrugs_QA": ({"indication", "usage", "side effects"}, 60),
               "12_MPlusHerbsSupplements_QA": ({"how effective is it", "information"}, 40)}


def labels_path(which: str) -> Path:
    name = {"nfcorpus": "nfcorpus", "drugs": "medquad_drugs"}.get(which, which.replace("-", "_"))
    return ROOT / "bench" / "data" / f"ontopic_labels_{name}.jsonl"


def _first_words(text: str) -> set[str]:
    return set(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()[:30])


def liveqa_questions(path: Path) -> list[str]:
    """The LiveQA test messages that MEDIQA 2019's question sets do not hold (≥ 80 % of the first 30 words)."""
    from lxml import etree

    seen = [_first_words("".join(e.itertext())) for f in (SHARED / "mediqa2019").glob("*.xml")
            for e in etree.parse(str(f)).getroot().iter("QuestionText", "chq", "faq")]
    out = []
    for question in etree.parse(str(path)).getroot().iter("NLM-QUESTION"):
        subject = " ".join((question.findtext(".//SUBJECT") or "").split())
        message = " ".join((question.findtext(".//MESSAGE") or "").split())
        text = f"{subject}. {message}" if subject and not message.lower().startswith(subject.lower()) else message
        words = _first_words(text)
        if text and not any(len(words & other) >= 0.8 * len(words) for other in seen if other):
            out.append(text)
    return out


def meqsum_questions(path: Path, liveqa: Path | None) -> list[str]:
    import hashlib

    import openpyxl
    from lxml import etree

    seen = [_first_words("".join(e.itertext())) for f in (SHARED / "mediqa2019").glob("*.xml")
            for e in etree.parse(str(f)).getroot().iter("QuestionText", "chq", "faq")]
    if liveqa is not None:
        seen += [_first_words(q) for q in liveqa_questions(liveqa)]
    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert sheet is not None
    out = []
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        text = re.sub(r"\s*MESSAGE:\s*", ". ", re.sub(r"^\s*SUBJECT:\s*", "", str(row[1] or "")), count=1)
        text = " ".join(text.split())
        words = _first_words(text)
        if (text and int(hashlib.sha256(text.encode()).hexdigest(), 16) % 5 == 0
                and not any(len(words & other) >= 0.8 * len(words) for other in seen if other)):
            out.append(text)
    return random.Random(17).sample(out, min(MEQSUM_SAMPLE, len(out)))


def mediqa2021_questions(which: str, folder: Path) -> list[str]:
    """MEDIQA 2021's questions of one set, each once, in file order."""
    out: list[str] = []
    for name in MEDIQA2021[which]:
        if name.endswith(".txt"):
            out += [line.split("||", 1)[1] for line in (folder / name).read_text().splitlines() if "||" in line]
        else:
            import openpyxl

            sheet = openpyxl.load_workbook(folder / name, read_only=True).active
            assert sheet is not None
            rows = list(sheet.iter_rows(values_only=True))
            column = [str(c) for c in rows[0]].index("NLM Question")
            out += [str(row[column]) for row in rows[1:] if row[column]]
    return list(dict.fromkeys(" ".join(q.split()) for q in out))


def healthsearch_questions(path: Path, which: str = "healthsearch") -> list[str]:
    """The HealthSearchQA sample (see :data:`HEALTHSEARCH_SAMPLE`), or the second one (:data:`SECOND_SAMPLE`)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t for t in dict.fromkeys(" ".join(str(r.get("Question", "")).split()) for r in rows) if t]
    first = random.Random(19).sample(texts, HEALTHSEARCH_SAMPLE)
    sample = _second(texts, first, which) if which != "healthsearch" else first
    number = which.rpartition("-")[2]
    if number.isdigit() and int(number) >= HEALTHSEARCH_CLEAN_FROM:
        sample = [_ROW_NUMBER.sub("", text) for text in sample]
    return sample


def _second(texts: list[str], first: list[str], which: str, partners: dict[str, set[str]] | None = None) -> list[str]:
    """150 of ``texts`` that no earlier sample of the source took (seed of :data:`SECOND_SAMPLE`): the first
    one, and the later ones numbered below ``which``. From the sixth on (:data:`TYPED_FROM`: samples 1-5 are
    the question-type classifier's training questions since the twenty-ninth session), neither is a question
    one of ``partners`` of a taken one (Curai's rows pair a question with a doctor's rewording of it)."""
    source, _, number = which.rpartition("-")
    taken = set(first)
    for earlier in range(2, int(number)):
        taken.update(_second(texts, first, f"{source}-{earlier}"))
    if int(number) >= TYPED_FROM and partners:
        taken.update(p for t in list(taken) for p in partners.get(t, ()))
    return random.Random(SECOND_SAMPLE[which]).sample([t for t in texts if t not in taken], HEALTHSEARCH_SAMPLE)


def mqp_drug_questions(path: Path) -> list[str]:
    """The questions of Curai's pairs that name a medicine with a label of its own in the installed pack."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if len(row) >= 3]
    texts = [t for t in dict.fromkeys(" ".join(q.split()) for row in rows for q in row[1:3]) if t]
    names_one = labelled_medicine_filter()
    return [t for t in texts if names_one(t)]


def mqp_general_questions(path: Path, which: str = "mqp-general") -> list[str]:
    """A sample of Curai's questions that name no medicine with a label of its own (see :data:`MQP_GENERAL_SAMPLE`),
    or the second one (:data:`SECOND_SAMPLE`)."""
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle) if len(row) >= 3]
    texts = [t for t in dict.fromkeys(" ".join(q.split()) for row in rows for q in row[1:3]) if t]
    names_one = labelled_medicine_filter()
    general = [t for t in texts if not names_one(t)]
    first = random.Random(5).sample(general, MQP_GENERAL_SAMPLE)
    partners: dict[str, set[str]] = {}
    for row in rows:
        a, b = (" ".join(q.split()) for q in row[1:3])
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return _second(general, first, which, partners) if which != "mqp-general" else first


def kqa_heldback_questions() -> list[str]:
    """The ``kqa-heldback`` set (see :data:`KQA_SKIP`)."""
    import hashlib

    lines = (SHARED / "kqa-dev" / "kqa_questions_unanswered.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [str(json.loads(line)["question"]) for line in lines[KQA_SKIP:] if line.strip()]
    held = [t for t in texts if int(hashlib.sha256(t.encode()).hexdigest(), 16) % 4 == 0]
    return list(dict.fromkeys(" ".join(t.split()) for t in held))


def questions(which: str, liveqa: Path | None = None, meqsum: Path | None = None,
              mediqa2021: Path | None = None, healthsearch: Path | None = None, mqp: Path | None = None) -> list[str]:
    if which == "kqa-heldback":
        return kqa_heldback_questions()
    if which.startswith("mqp-"):
        if mqp is None:
            raise SystemExit("--mqp PATH: mqp.csv (curai/medical-question-pair-dataset)")
        return mqp_drug_questions(mqp) if which == "mqp-drugs" else mqp_general_questions(mqp, which)
    if which.startswith("healthsearch"):
        if healthsearch is None:
            raise SystemExit("--healthsearch PATH: MedLFQA/healthsearch_qa_test.jsonl (dmis-lab/OLAPH)")
        return healthsearch_questions(healthsearch, which)
    if which in MEDIQA2021:
        if mediqa2021 is None:
            raise SystemExit("--mediqa2021 DIR: the MEDIQA 2021 files (abachaa/MEDIQA2021)")
        return mediqa2021_questions(which, mediqa2021)
    if which == "meqsum":
        if meqsum is None:
            raise SystemExit("--meqsum PATH: MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx")
        return meqsum_questions(meqsum, liveqa)
    if which == "liveqa-test":
        if liveqa is None:
            raise SystemExit(f"--liveqa PATH: the fetched {LIVEQA_TEST}")
        return liveqa_questions(liveqa)
    if which in _RQE_SETS:
        from lxml import etree

        root = etree.parse(str(SHARED / "mediqa2019" / _RQE_SETS[which])).getroot()
        texts = list(dict.fromkeys(" ".join("".join(pair.find("chq").itertext()).split()) for pair in root.iter("pair")))
        if which in _SAMPLE:
            texts = random.Random(13).sample(texts, _SAMPLE[which])
        return texts
    if which in _MEDIQA:
        from lxml import etree

        root = etree.parse(str(SHARED / "mediqa2019" / _MEDIQA[which])).getroot()
        return [" ".join("".join(q.find("QuestionText").itertext()).split()) for q in root.iter("Question")]
    if which == "nfcorpus":
        rows = (json.loads(line) for line in (SHARED / "nfcorpus" / "queries.jsonl").read_text().splitlines())
        return [row["text"] for row in rows if row["text"].strip().endswith("?")]
    out = []
    for folder, (types, n) in _DRUG_TYPES.items():
        files = sorted((SHARED / "medquad" / folder).glob("*.xml"))
        random.Random(11).shuffle(files)
        for path in files[:n]:
            for match in re.finditer(r'qtype="([^"]+)">([^<]+)</Question>', path.read_text()):
                if match.group(1) in types:
                    out.append(" ".join(match.group(2).replace(" ?", "?").split()))
    return out


def answer(which: str, work: Path, liveqa: Path | None = None, tag: str = "", meqsum: Path | None = None,
           mediqa2021: Path | None = None, healthsearch: Path | None = None, mqp: Path | None = None) -> None:
    limit_threads(2)
    os.environ.setdefault("CURBSIDE_DATA_DIR", str(work))
    from curbside.answer.service import AnswerService
    from curbside.kb.packs import ensure_starter_pack
    from curbside.settings import Settings

    service = AnswerService(Settings())
    ensure_starter_pack(service.kb)
    answers, kinds = [], {}
    asked = questions(which, liveqa, meqsum, mediqa2021, healthsearch, mqp)
    for question in asked:
        reply = service.ask(question, audience="clinician" if which in _CLINICIAN_SETS else "patient")
        kind = reply.abstain_kind.value if reply.abstained else "answered"
        kinds[kind] = kinds.get(kind, 0) + 1
        if not reply.abstained:
            answers.append({"question": question, "title": reply.title, "composer": reply.provenance.composer,
                            "why": reply.provenance.extra.get("statements", ""),
                            "sources": [r.type for r in reply.references], "statements": [
                {"section": None, "text": reply.bottom_line.text},
                *({"section": s.heading, "text": i.text, "items": [c.text for c in i.children]}
                  for s in reply.sections for i in s.items)]})
    write_result(f"{which}_answers{tag}", {"questions": len(asked), "outcomes": kinds, "answers": answers}, machine())


def score(which: str, tag: str = "") -> dict[str, Any]:
    """Precision of the answers of ``{which}_answers{tag}.json`` over the set's labels, by round."""
    path = labels_path(which)
    labels = {(r["question"], r["statement"]): r
              for r in map(json.loads, path.read_text().splitlines())} if path.exists() else {}
    result = json.loads((RESULTS / f"{which}_answers{tag}.json").read_text())
    now: dict[str, list[int]] = {}
    unlabelled = []
    for entry in result["answers"]:
        for statement in entry["statements"]:
            label = labels.get((entry["question"], statement["text"]))
            if label is None:
                unlabelled.append((entry["question"], statement["text"]))
                continue
            tally = now.setdefault(str(label["round"]), [0, 0])
            tally[0] += bool(label["on_topic"])
            tally[1] += 1
    fresh = [r for r in labels.values() if r["round"] == SETS[which]]
    out = {"questions": result["questions"], "outcomes": result["outcomes"], "answered": len(result["answers"]),
           "fresh_round": [sum(r["on_topic"] for r in fresh), len(fresh)],
           "this_run_by_round": now, "unlabelled": unlabelled}
    print(json.dumps(out, indent=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["answer", "score"])
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="nfcorpus")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "fresh")
    parser.add_argument("--liveqa", type=Path, help=f"the fetched {LIVEQA_TEST} (set liveqa-test)")
    parser.add_argument("--meqsum", type=Path, help="MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx (set meqsum)")
    parser.add_argument("--mediqa2021", type=Path, help="folder with the MEDIQA 2021 files (sets mediqa2021-*)")
    parser.add_argument("--mqp", type=Path, help="mqp.csv of curai/medical-question-pair-dataset (sets mqp-*)")
    parser.add_argument("--healthsearch", type=Path, help="MedLFQA/healthsearch_qa_test.jsonl (sets healthsearch*)")
    parser.add_argument("--tag", default="", help="suffix of the results file (a same-run baseline: '-before')")
    args = parser.parse_args()
    if args.step == "answer":
        answer(args.which, args.work, args.liveqa, args.tag, args.meqsum, args.mediqa2021, args.healthsearch, args.mqp)
        if args.tag:
            return
    score(args.which, args.tag)


if __name__ == "__main__":
    main()
