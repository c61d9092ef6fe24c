"""Stance and contradiction rules (pure logic on fixed, non-medical-claim text)."""

from __future__ import annotations

from curbside.consult.stance import Stance, contradiction, stance_of, treatment_stances
from curbside.domain import Answer, AnswerItem, AnswerSection, Audience, CitedText, Intent, Notice, Provenance


def _answer(text: str, *, urgent_notice: str = "") -> Answer:
    return Answer(question="q", title="t", audience=Audience.PATIENT, intent=Intent.GENERAL,
                  bottom_line=CitedText(text=text), sections=[AnswerSection(heading="H", items=[AnswerItem(text=text)])],
                  notices=[Notice(kind="emergency", text=urgent_notice, urgent=True)] if urgent_notice else [],
                  disclaimer="", provenance=Provenance(composer="x", composer_version="1", settings_hash="",
                                                       retrieval_query="q"))


def test_stances() -> None:
    assert stance_of("It is benign; observation is sufficient.")[0] == Stance.REASSURING
    assert stance_of("Go to the emergency department immediately.")[0] == Stance.URGENT
    assert stance_of("This is not urgent and it is harmless.")[0] == Stance.REASSURING
    assert stance_of("There is no emergency, but see a doctor if it grows.")[0] == Stance.NEUTRAL
    assert stance_of("Placeholder text about topic A.")[0] == Stance.NEUTRAL


def test_benign_reply_against_urgent_expansion() -> None:
    note = contradiction("It is benign and does not require any follow-up.", _answer("Seek care immediately."))
    assert "reassures" in note and "urges" in note


def test_urgent_reply_against_reassuring_expansion() -> None:
    note = contradiction("Go to the emergency department right away.", _answer("It is harmless and self-limiting."))
    assert note.startswith("The doctor's reply urges care")


def test_an_urgent_notice_counts_and_agreement_is_not_a_contradiction() -> None:
    assert contradiction("It is benign.", _answer("Placeholder.", urgent_notice="Call 911 right away."))
    assert contradiction("Go to the emergency room now.", _answer("Call 911 right away.")) == ""
    assert contradiction("Placeholder reply.", _answer("Seek care immediately.")) == ""


def test_benign_said_of_something_else_is_not_reassurance() -> None:
    # A MedQuAD description of a syndrome with "abnormal benign growths" is not a reassuring reply.
    assert stance_of("Typical symptoms include hemangiomas (abnormal benign growths) of the skin.")[0] == Stance.NEUTRAL
    assert stance_of("These are typically benign subcutaneous masses.")[0] == Stance.REASSURING


# Made-up consult replies and More Info texts (no quotation from any evaluation set).
_AGAINST_FOR = [
    ("Please avoid ibuprofen for now; your kidney numbers are borderline.",
     "Pain relief: ibuprofen is often used to ease joint pain."),
    ("I would not recommend antibiotics here, this looks viral.",
     "Antibiotics are recommended when the infection is bacterial."),
    ("You don't need an MRI at this point.", "Doctors may need an MRI to look at the disc."),
    ("Stop the fish oil capsules, they thin the blood.",
     "Fish oil capsules can help lower triglycerides."),
    ("Steroid injections are not advised in your situation.", "Treatment includes steroid injections and rest."),
]
_FOR_AGAINST = [
    ("Keep taking your levothyroxine every morning.", "Do not take levothyroxine; it is rarely needed."),
    ("Surgery is the usual treatment for this kind of hernia.", "Surgery should be avoided for most hernias."),
    ("Use the nasal steroid spray twice a day.", "Nasal steroid sprays don't help this kind of congestion."),
]


def test_more_info_that_recommends_what_the_reply_advises_against_is_held() -> None:
    for reply, more_info in _AGAINST_FOR:
        note = contradiction(reply, _answer(more_info))
        assert note.startswith("The doctor's reply advises against"), (reply, more_info, note)
        assert "More Info recommends it" in note
    for reply, more_info in _FOR_AGAINST:
        note = contradiction(reply, _answer(more_info))
        assert note.startswith("The doctor's reply recommends"), (reply, more_info, note)


def test_agreement_other_treatments_and_conditional_advice_are_not_contradictions() -> None:
    pairs = [
        ("Please avoid ibuprofen for now.", "Ibuprofen should be avoided by people with kidney disease."),  # agree
        ("Avoid aspirin this week.", "Acetaminophen is commonly used for mild pain."),  # another treatment
        ("Do not take ibuprofen on an empty stomach.", "Ibuprofen can help with the swelling."),  # a condition
        ("Do not take more acetaminophen than the label says.", "Acetaminophen is used for fever."),  # an amount
        ("Do not stop taking your lisinopril.", "Lisinopril is used to lower blood pressure."),  # negated "stop"
        # a More Info that says both of the same treatment takes no side on it
        ("Avoid antibiotics.", "Antibiotics are used for bacterial infections. Antibiotics are not needed for colds."),
        ("Take the full course of the prescribed pills.", "Do not take more pills than prescribed."),
    ]
    for reply, more_info in pairs:
        assert contradiction(reply, _answer(more_info)) == "", (reply, more_info)


def test_treatment_statements_and_their_negation_scope() -> None:
    said = {(s.name.lower(), s.advised) for s in treatment_stances(
        "You shouldn’t take aspirin. Antihistamines do not help much here. Physiotherapy is recommended, "
        "but codeine is not. Avoid decongestants and antihistamines while pregnant.")}
    assert ("aspirin", False) in said and ("antihistamines", False) in said and ("physiotherapy", True) in said
    assert not any(name.startswith("decongestant") for name, _ in said)  # advice for a condition only
