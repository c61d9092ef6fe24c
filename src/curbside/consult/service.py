"""The consult board: ask, moderate, reply, publish (knowledge base + More Info), import/export, view.

Every text is de-identified (:mod:`curbside.consult.deid`) before it is stored for publication or
given to the answer pipeline; the original is stored only when ``consult.keep_original`` is on and
is never read back for a page, the API or an LLM. Who may do what is data in
:mod:`curbside.consult.workflow`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError

from curbside.accounts.models import User
from curbside.answer import safety
from curbside.answer.service import AnswerService
from curbside.consult.deid import Deidentifier, shared_deidentifier
from curbside.consult.faq import related_faq, topics_for
from curbside.consult.models import (
    AGE_BANDS,
    SEXES,
    Consult,
    ConsultRequest,
    ConsultState,
    ConsultView,
    MoreInfoState,
    Reply,
)
from curbside.consult.more_info import compose_more_info
from curbside.consult.similar import similar_consults, source_id
from curbside.consult.store import ConsultStore, ImportItem
from curbside.consult.workflow import WORKFLOW
from curbside.db import get_engine
from curbside.domain import Answer, Audience, EvidenceLevel, Notice, Section, Source, SourceDocument, SourceKind
from curbside.errors import InputError, NotFoundError
from curbside.kb.health import behind
from curbside.kb.service import KnowledgeBase
from curbside.settings import Settings
from curbside.text import without_placeholders

_TITLE_CHARS = 90
_SENTENCE = re.compile(r"(?<=[.?!])\s+")


def _today() -> date:
    return datetime.now(UTC).date()


def make_title(question: str) -> str:
    """A consult's title: its first question sentence (or first sentence), at most 90 characters."""
    sentences = [s.strip() for s in _SENTENCE.split(" ".join(question.split())) if s.strip()]
    greeting = re.compile(r"^(?:hello|hi|dear)\b[^.?!]*[.,!]?$", re.IGNORECASE)
    sentences = [s for s in sentences if not greeting.match(s)] or sentences
    chosen = next((s for s in sentences if s.endswith("?")), sentences[0] if sentences else "Question")
    return chosen if len(chosen) <= _TITLE_CHARS else chosen[:_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def doctor_name(name: str) -> str:
    """A doctor's name without a leading title: pages print "Dr. NAME reply"."""
    return re.sub(r"^(?:Dr\.?|Doctor)\s+", "", name.strip(), flags=re.IGNORECASE)


def _check_request(request: ConsultRequest) -> None:
    if request.age_band not in AGE_BANDS:
        raise InputError(f"Unknown age band {request.age_band!r}; use one of {', '.join(AGE_BANDS)}.")
    if request.sex not in SEXES:
        raise InputError(f"Unknown sex {request.sex!r}; use one of {', '.join(SEXES)}.")


class ConsultService:
    """The consult board on one database and knowledge base."""

    def __init__(self, settings: Settings, answers: AnswerService, *, kb: KnowledgeBase | None = None,
                 deidentifier: Deidentifier | None = None) -> None:
        self.settings = settings
        self.answers = answers
        self.kb = kb or answers.kb
        self.store = ConsultStore(get_engine(settings.resolved_database_url))
        self._deid = deidentifier
        #: True in the server: when passages another process wrote wait to be embedded, publication
        #: (knowledge base, More Info) runs in the background thread (kb/maintenance.py,
        #: :meth:`publish_pending`), not inside the doctor's request.
        self.defer_publication = False

    @property
    def deid(self) -> Deidentifier:
        if self._deid is None:
            self._deid = shared_deidentifier(self.settings.consult.deid_score_threshold)
        return self._deid

    # --- asking and moderation ----------------------------------------------------------------

    def ask(self, request: ConsultRequest) -> Consult:
        """Store a patient's question, de-identified, for moderation."""
        _check_request(request)
        if not request.consent:
            raise InputError("A consult is published for others to read: tick the consent box to ask.")
        consult = self._new(request, ConsultState.SUBMITTED)
        return self.store.get(consult)

    def _new(self, request: ConsultRequest, state: ConsultState) -> int:
        question = self.deid.mask(request.question).text
        name = request.display_name.strip()
        if name and self.deid.find(name):
            name = ""  # a real name given as display name: shown as Anonymous
        consult = Consult(title=make_title(question), question=question, age_band=request.age_band, sex=request.sex,
                          display_name=name or "Anonymous", asked_on=request.asked_on or _today(),
                          consent=request.consent, state=state)
        original = request.question if self.settings.consult.keep_original else None
        return self.store.create(consult, original=original)

    def moderate(self, consult_id: int, action: str, *, actor: User, comment: str = "") -> Consult:
        """An editor approves a question for the doctors, or rejects it."""
        if action not in ("approve", "reject"):
            raise InputError(f"Moderation action {action!r} is not one of: approve, reject.")
        self._require(actor, action)
        consult = self.store.get(consult_id)
        target = WORKFLOW.check_transition(WORKFLOW.action(action), consult.state)
        self.store.set_state(consult_id, target, action=action, actor=actor.signature, comment=comment,
                             expected=consult.state)
        return self.store.get(consult_id)

    def reply(self, consult_id: int, text: str, *, doctor: User, replied_on: date | None = None) -> Consult:
        """A doctor replies; the consult is published (knowledge base, More Info)."""
        self._require(doctor, "reply")
        consult = self.store.get(consult_id)
        target = WORKFLOW.check_transition(WORKFLOW.action("reply"), consult.state)
        if len(text.strip()) < 10:
            raise InputError("The reply is too short (at least 10 characters).")
        reply = Reply(doctor=doctor_name(doctor.display_name or doctor.username), credentials=doctor.credentials,
                      specialty=doctor.specialty, text=self.deid.mask(text).text, replied_on=replied_on or _today())
        original = text if self.settings.consult.keep_original else None
        # Queued first (More Info pending), so a crash from here on is finished by publish_pending().
        self.store.set_more_info(consult_id, None, MoreInfoState.PENDING, "")
        self.store.set_state(consult_id, target, action="reply", actor=doctor.signature, expected=consult.state)
        self.store.add_reply(consult_id, reply, doctor_id=doctor.id, original=original)
        if not (self.defer_publication and behind(self.kb)):  # a backlog: the background publishes
            self.publish([consult_id])
        return self.store.get(consult_id)

    def publish_pending(self) -> int:
        """Publish every consult whose publication is queued (a reply, or a crash during one);
        returns how many. Idempotent: the knowledge-base document is keyed by the consult."""
        pending = self.store.pending_more_info()
        if pending:
            self.publish(pending)
        return len(pending)

    def release_more_info(self, consult_id: int, *, actor: User, comment: str = "") -> Consult:
        """An editor decides that a held More Info may be published after all."""
        self._require(actor, "approve")
        consult = self.store.get(consult_id)
        if consult.more_info_state != MoreInfoState.HELD:
            raise InputError(f"The More Info of consult {consult_id} is not held.")
        answer = self.store.more_info(consult_id)
        self.store.set_more_info(consult_id, answer, MoreInfoState.PUBLISHED, "")
        self.store.set_state(consult_id, consult.state, action="release_more_info", actor=actor.signature,
                             comment=comment or consult.more_info_note)
        return self.store.get(consult_id)

    def held_more_info(self, consult_id: int, *, actor: User) -> Answer | None:
        """The More Info an editor must judge (held because it contradicts the reply)."""
        self._require(actor, "approve")
        return self.store.more_info(consult_id)

    def queue(self) -> dict[str, list[Consult]]:
        """What waits: questions to moderate, questions awaiting a reply, held More Info."""
        return {"submitted": self.store.find([ConsultState.SUBMITTED]),
                "awaiting_reply": self.store.find([ConsultState.AWAITING_REPLY]),
                "held_more_info": self.store.held_more_info()}

    @staticmethod
    def _require(user: User, action: str) -> None:
        WORKFLOW.check_actor(user, WORKFLOW.action(action))

    # --- publication --------------------------------------------------------------------------

    def publish(self, consult_ids: list[int], *, more_info: bool = True) -> None:
        """Write published consults to the knowledge base; compose their More Info and topics."""
        consults = [self.store.get(i) for i in consult_ids]
        consults = [c for c in consults if c.state == ConsultState.PUBLISHED and c.replies]
        if not consults:
            return
        self.kb.add_documents([self._document(c) for c in consults])
        self.kb.refresh()
        for consult in consults:
            self.store.set_topics(consult.id, topics_for(self.kb, without_placeholders(consult.question),
                                                         min_similarity=self.settings.answer.min_relevance))
            if more_info:
                result = compose_more_info(self.answers, self.kb, consult)
                self.store.set_more_info(consult.id, result.answer, result.state, result.note)

    def _document(self, consult: Consult) -> SourceDocument:
        attribution = "; ".join(r.byline + (f" ({r.specialty})" if r.specialty else "")
                                for r in consult.replies)
        source = Source(id=source_id(consult.id), kind=SourceKind.CONSULT, title=consult.title,
                        publisher=self.settings.consult.publisher, year=consult.asked_on.year,
                        url=self.settings.consult.consult_url.format(id=consult.id), attribution=attribution,
                        audience=Audience.PATIENT, evidence_level=EvidenceLevel.EXPERT, collection="consult",
                        topics=consult.topics)
        sections = [Section(headings=["Question"], text=consult.question)]
        sections += [Section(headings=[f"{r.byline} reply" + (f" · {r.specialty}" if r.specialty else "")],
                             text=r.text) for r in consult.replies]
        return SourceDocument(source=source, sections=sections, origin=f"consult {consult.id}")

    # --- import / export ----------------------------------------------------------------------

    def import_lines(self, lines: Iterable[str], *, more_info: bool = True) -> list[int]:
        """Import JSON lines (a clinic's archive); consults with replies are published.

        The whole file is validated first (a bad line stops the import before anything is
        stored, naming the line), then every consult goes in in one transaction, keyed by the
        record's ``id`` (or ``key``) when it has one, else by a hash of its content: importing the
        same file again adds nothing. Publication (knowledge base, More Info) follows; a crash
        during it leaves the consults queued (``publish_pending``), never half-imported."""
        items = [(number, self._import_item(number, line, more_info)) for number, line in enumerate(lines, 1)
                 if line.strip()]
        first: dict[str, int] = {}
        for number, item in items:  # one key twice in a file is two consults claiming one identity
            if item.key in first:
                raise InputError(f"Lines {first[item.key]} and {number} have the same key "
                                 f"({item.key.removeprefix('id:')}); nothing was imported.")
            first[item.key] = number
        created = self.store.import_many([item for _number, item in items])
        self.publish(created, more_info=more_info)
        return created

    def _import_item(self, number: int, line: str, more_info: bool) -> ImportItem:
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise InputError("a line must be a JSON object")
            explicit = record.get("id", record.get("key"))
            replies = record.pop("replies", []) or []
            for key in [k for k in record if k not in ConsultRequest.model_fields]:
                record.pop(key)  # extra keys (ids, provenance) are not part of a consult
            request = ConsultRequest.model_validate(record)
            _check_request(request)
            if not isinstance(replies, list):
                raise InputError("replies must be a list")
        except (json.JSONDecodeError, ValidationError, InputError, AttributeError) as exc:
            raise InputError(f"Line {number} is not a consult (nothing was imported): {exc}") from exc
        parsed: list[tuple[Reply, str | None]] = []
        for item in replies:
            try:
                text = str(item["text"])
                reply = Reply(doctor=doctor_name(str(item["doctor"])), specialty=str(item.get("specialty", "")),
                              credentials=str(item.get("credentials", "")), text=self.deid.mask(text).text,
                              replied_on=date.fromisoformat(str(item.get("replied_on") or request.asked_on
                                                                or _today())))
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise InputError(f"Line {number}: a reply needs doctor and text ({exc}); "
                                 "nothing was imported.") from exc
            parsed.append((reply, text if self.settings.consult.keep_original else None))
        state = ConsultState.PUBLISHED if parsed else ConsultState.AWAITING_REPLY
        question = self.deid.mask(request.question).text
        name = request.display_name.strip()
        if name and self.deid.find(name):
            name = ""
        consult = Consult(title=make_title(question), question=question, age_band=request.age_band,
                          sex=request.sex, display_name=name or "Anonymous",
                          asked_on=request.asked_on or _today(), consent=request.consent, state=state)
        if explicit is not None and str(explicit).strip():
            key = "id:" + str(explicit).strip()
        else:
            content = json.dumps([request.question, request.asked_on.isoformat() if request.asked_on else "",
                                  request.age_band, request.sex,
                                  [[str(r.get("doctor", "")), str(r.get("text", ""))] for r in replies]],
                                 ensure_ascii=False, sort_keys=True)
            key = "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:50]
        pending = MoreInfoState.PENDING if (parsed and more_info) else MoreInfoState.NONE
        return ImportItem(key=key[:64], consult=consult,
                          original=request.question if self.settings.consult.keep_original else None,
                          replies=parsed, more_info_state=pending)

    def export_lines(self) -> Iterator[str]:
        """Every consult as a JSON line in the import shape (de-identified text only)."""
        for consult in reversed(self.store.find(limit=1_000_000)):
            record: dict[str, Any] = {
                "question": consult.question, "age_band": consult.age_band, "sex": consult.sex,
                "asked_on": consult.asked_on.isoformat(), "display_name": consult.display_name,
                "state": consult.state.value,
                "replies": [{"doctor": r.doctor, "specialty": r.specialty, "text": r.text,
                             "replied_on": r.replied_on.isoformat()} for r in consult.replies],
            }
            yield json.dumps(record, ensure_ascii=False)

    # --- reading ------------------------------------------------------------------------------

    def list_consults(self, *, state: ConsultState | None = ConsultState.PUBLISHED, topic: str = "",
             limit: int = 100) -> list[Consult]:
        consults = self.store.find([state] if state else None, limit=limit if not topic else 10_000)
        if topic:
            consults = [c for c in consults if topic.lower() in (t.lower() for t in c.topics)][:limit]
        return consults

    def view(self, consult_id: int, *, public: bool = True) -> ConsultView:
        """A consult with its More Info, Similar Q&A and Related FAQ (published ones only when public)."""
        consult = self.store.get(consult_id)
        if public and consult.state != ConsultState.PUBLISHED:
            raise NotFoundError(f"No published consult {consult_id}.")
        more_info = self.store.more_info(consult_id) if consult.more_info_state == MoreInfoState.PUBLISHED else None
        limit = self.settings.consult.similar_limit
        similar = similar_consults(self.kb, self.store, consult, limit=limit,
                                   url_template=self.settings.consult.consult_url,
                                   min_similarity=self.settings.answer.min_relevance) if limit else []
        similar_full = [self.store.get(s.id) for s in similar]
        faq = related_faq(self.store, consult, similar_full, limit=self.settings.consult.faq_limit)
        if public:  # why a More Info is held is for editors
            consult = consult.model_copy(update={"more_info_note": ""})
        return ConsultView(consult=consult, more_info=more_info, similar=similar, related_faq=faq,
                           notices=self.notices(consult))

    @staticmethod
    def notices(consult: Consult) -> list[Notice]:
        """Red-flag notices for the question (urgent first), shown above everything else."""
        return [n for n in safety.screen(consult.question, Audience.PATIENT) if n.urgent]

    def events(self, consult_id: int) -> list[dict[str, Any]]:
        return self.store.events(consult_id)
