"""The consult board on a real SQLite database, knowledge base, answer pipeline and de-identifier.

Replies are quoted from the MedQuAD fixture pages (NIH, CC BY 4.0); BENIGN and the urgent reply are
planted test replies (a stance about this case, not medical facts).
"""

from __future__ import annotations

from datetime import date

import pytest

from curbside.accounts.models import User
from curbside.consult.models import ConsultRequest, ConsultState, MoreInfoState
from curbside.consult.service import ConsultService, make_title
from curbside.domain import EvidenceLevel, SourceKind
from curbside.errors import IllegalTransitionError, InputError, NotFoundError, PermissionDeniedError
from curbside.settings import Settings

DRY_MOUTH = ("Hello Dr. Lin, I am Chen Wei-Ting (phone 0912-345-678). My mouth has been dry since March 3, 2024 "
             "and I take several medicines. What makes my mouth so dry?")
# A planted contradiction: a red-flag question answered as benign, with no follow-up.
CHEST = "I have crushing chest pain spreading to my left arm and I am sweating. Could this be my dry mouth medicine?"
BENIGN = "This is benign and does not require any follow-up."


def _ask(service: ConsultService, question: str = DRY_MOUTH, **extra: object) -> int:
    request = ConsultRequest(question=question, age_band="40-49", sex="female", **extra)  # type: ignore[arg-type]
    return service.ask(request).id


def test_a_question_is_stored_de_identified_and_original_not_kept(service: ConsultService) -> None:
    consult = service.store.get(_ask(service, display_name="Chen Wei-Ting"))
    assert consult.state == ConsultState.SUBMITTED
    assert "Chen" not in consult.question and "0912" not in consult.question and "March 3" not in consult.question
    assert "[NAME]" in consult.question and "[PHONE]" in consult.question and "[DATE]" in consult.question
    assert consult.display_name == "Anonymous"  # a real name given as display name is not shown
    assert consult.title == "What makes my mouth so dry?"
    assert service.store.originals(consult.id) == (None, [])


def test_the_original_is_kept_only_when_the_setting_says_so(consult_settings: Settings, service: ConsultService,
                                                            people: dict[str, User]) -> None:
    keeping = ConsultService(consult_settings.model_copy(update={"consult": consult_settings.consult.model_copy(
        update={"keep_original": True})}), service.answers, kb=service.kb)
    consult_id = _ask(keeping)
    keeping.moderate(consult_id, "approve", actor=people["editor"])
    keeping.reply(consult_id, "Dr. Lin here: call me on 0912-345-678. People get dry mouth when the glands in the mouth that make saliva are not working properly.",
                  doctor=people["doctor"])
    question, replies = keeping.store.originals(consult_id)
    assert question == DRY_MOUTH and replies and "0912-345-678" in str(replies[0])
    view = keeping.view(consult_id)
    shown = view.model_dump_json()
    assert "Chen Wei-Ting" not in shown and "0912-345-678" not in shown
    # The LLM / composer only ever sees the masked question.
    assert view.more_info is not None and "Chen" not in view.more_info.question


def test_moderate_reply_publish_to_the_knowledge_base(service: ConsultService, people: dict[str, User]) -> None:
    consult_id = _ask(service)
    with pytest.raises(PermissionDeniedError):
        service.moderate(consult_id, "approve", actor=people["doctor"])
    with pytest.raises(IllegalTransitionError):
        service.reply(consult_id, "People get dry mouth when the glands in the mouth that make saliva are not working properly.", doctor=people["doctor"])
    with pytest.raises(NotFoundError):
        service.view(consult_id)  # not public before it is published
    service.moderate(consult_id, "approve", actor=people["editor"])
    with pytest.raises(PermissionDeniedError):
        service.reply(consult_id, "People get dry mouth when the glands in the mouth that make saliva are not working properly.", doctor=people["editor"])
    consult = service.reply(consult_id, "People get dry mouth when the glands in the mouth that make saliva are not working properly, said Dr. Wang Xiaoming.",
                            doctor=people["doctor"], replied_on=date(2024, 3, 24))
    assert consult.state == ConsultState.PUBLISHED
    [reply] = consult.replies
    assert (reply.doctor, reply.specialty, reply.replied_on) == ("Ke Fangxu", "Surgery", date(2024, 3, 24))
    assert "Wang" not in reply.text and "[NAME]" in reply.text
    source = service.kb.store.source(f"consult:{consult_id}")
    assert source is not None
    assert source.kind == SourceKind.CONSULT and source.evidence_level == EvidenceLevel.EXPERT
    assert "Ke Fangxu" in source.attribution and "Surgery" in source.attribution
    hits = service.kb.search("glands in the mouth that make saliva are not working properly", k=20)
    assert any(h.source.id == f"consult:{consult_id}" for h in hits)
    assert consult.more_info_state == MoreInfoState.PUBLISHED
    assert consult.topics == ["Dry Mouth"]
    view = service.view(consult_id)
    assert view.more_info is not None and view.more_info.audience.value == "patient"
    assert all(not ref.source_id.startswith("consult:") for ref in view.more_info.references)
    assert "AI" in view.more_info_label
    assert [t.topic for t in view.related_faq] == ["Dry Mouth"] and view.related_faq[0].specialty == "Surgery"
    events = [e["action"] for e in service.events(consult_id)]
    assert events == ["approve", "reply"]


def test_a_planted_contradiction_holds_more_info_for_an_editor(service: ConsultService,
                                                               people: dict[str, User]) -> None:
    consult_id = _ask(service, CHEST)
    service.moderate(consult_id, "approve", actor=people["editor"])
    consult = service.reply(consult_id, BENIGN, doctor=people["doctor"])
    assert consult.state == ConsultState.PUBLISHED
    assert consult.more_info_state == MoreInfoState.HELD
    assert "reassures" in consult.more_info_note and "urges" in consult.more_info_note
    view = service.view(consult_id)
    assert view.more_info is None  # held: not shown
    assert view.consult.more_info_note == ""  # the reason is for editors, not the public page
    assert view.notices and view.notices[0].urgent  # the red-flag notice still comes first
    assert [c.id for c in service.queue()["held_more_info"]] == [consult_id]
    with pytest.raises(PermissionDeniedError):
        service.release_more_info(consult_id, actor=people["doctor"])
    service.release_more_info(consult_id, actor=people["editor"])
    assert service.view(consult_id).more_info is not None
    assert service.queue()["held_more_info"] == []


def test_an_agreeing_urgent_reply_is_not_held(service: ConsultService, people: dict[str, User]) -> None:
    consult_id = _ask(service, CHEST)
    service.moderate(consult_id, "approve", actor=people["editor"])
    consult = service.reply(consult_id, "Call an ambulance right away: this may be a heart attack.",
                            doctor=people["doctor"])
    assert consult.more_info_state == MoreInfoState.PUBLISHED


def test_reject_and_bad_requests(service: ConsultService, people: dict[str, User]) -> None:
    consult_id = _ask(service)
    assert service.moderate(consult_id, "reject", actor=people["editor"], comment="off topic").state == \
        ConsultState.REJECTED
    with pytest.raises(IllegalTransitionError):
        service.moderate(consult_id, "approve", actor=people["editor"])
    with pytest.raises(InputError):
        service.ask(ConsultRequest(question=DRY_MOUTH, age_band="forty", sex="female"))
    with pytest.raises(InputError):
        service.ask(ConsultRequest(question=DRY_MOUTH, age_band="40-49", sex="female", consent=False))


def test_import_publishes_and_export_round_trips(service: ConsultService) -> None:
    lines = [
        '{"question": "My son Oliver Grant (born 12/03/2016) has a dry mouth at night. Why?", "age_band": "0-9", '
        '"sex": "male", "asked_on": "2022-03-24", "replies": [{"doctor": "Li Yongheng", "specialty": "Pediatrics", '
        '"text": "Everyone has dry mouth once in a while -- if they are nervous, upset, or under stress.", "replied_on": "2022-03-25"}]}',
        '{"question": "Is dry mouth common in older adults who take many medicines?", "age_band": "70-79", '
        '"sex": "female", "asked_on": "2022-04-01", "replies": []}',
    ]
    first, second = service.import_lines(lines, more_info=False)
    published = service.store.get(first)
    assert published.state == ConsultState.PUBLISHED and "Oliver" not in published.question
    assert published.replies[0].doctor == "Li Yongheng" and published.replies[0].replied_on == date(2022, 3, 25)
    assert service.store.get(second).state == ConsultState.AWAITING_REPLY
    exported = list(service.export_lines())
    assert len(exported) == 2 and '"Li Yongheng"' in exported[0] and "Oliver" not in exported[0]
    with pytest.raises(InputError, match="Line 1"):
        service.import_lines(['{"question": "short"}'])


def test_make_title_skips_greetings() -> None:
    assert make_title("Hello, Dr. [NAME]. There is a lump under my calf skin. What could it be?") == \
        "What could it be?"
    assert make_title("Lump on my calf") == "Lump on my calf"


def test_a_question_whose_masks_make_it_longer_than_the_pipeline_allows(service: ConsultService,
                                                                      people: dict[str, User]) -> None:
    # 4000 characters as asked; "[ADDRESS]" is longer than "IL 62704", so the masked text is longer.
    filler = "My mouth is dry at night. " * 40
    question = (filler + "I live in IL 62704. " * 160)[:3990] + " Why?"
    consult_id = _ask(service, question)
    assert len(service.store.get(consult_id).question) > 4000
    service.moderate(consult_id, "approve", actor=people["editor"])
    consult = service.reply(consult_id, "People get dry mouth when the glands in the mouth that make saliva are "
                                        "not working properly.", doctor=people["doctor"])
    assert consult.state == ConsultState.PUBLISHED and consult.more_info_state == MoreInfoState.PUBLISHED


def test_acting_on_a_stale_state_is_a_conflict(service: ConsultService, people: dict[str, User]) -> None:
    consult_id = _ask(service)
    service.store.set_state(consult_id, ConsultState.REJECTED, action="reject", actor="someone else")
    from curbside.errors import ConflictError

    with pytest.raises(ConflictError):
        service.store.set_state(consult_id, ConsultState.AWAITING_REPLY, action="approve", actor="late editor",
                                expected=ConsultState.SUBMITTED)
    assert service.store.get(consult_id).state == ConsultState.REJECTED



def test_similar_qa_offers_only_consults_about_the_same_thing(service: ConsultService, people: dict[str, User]) -> None:
    """Similar Q&A is every published consult near the question by the packaged model, not the nearest ones
    whatever they are about: a consult on an ankle X-ray is not offered beside one on a dry mouth."""
    def published(question: str, reply: str) -> int:
        consult_id = _ask(service, question)
        service.moderate(consult_id, "approve", actor=people["editor"])
        service.reply(consult_id, reply, doctor=people["doctor"], replied_on=date(2024, 3, 24))
        return consult_id

    dry = published(DRY_MOUTH, "People get dry mouth when the glands in the mouth that make saliva are not working "
                               "properly.")
    ankle = published("I twisted my ankle playing football and the X-ray showed no fracture. How long until I can "
                      "run again?", "Most ankle sprains heal within a few weeks with rest and physical therapy.")
    dry_again = published("My mouth feels dry all the time and my lips crack. Could my medicines cause that?",
                          "Many medicines can cause dry mouth.")
    similar = [s.id for s in service.view(dry).similar]
    assert dry_again in similar and ankle not in similar
    assert all(t.topic != "Sprains and Strains" for t in service.view(dry).related_faq)
