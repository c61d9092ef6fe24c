"""ArticleService builds its own AnswerService when none is given (the CLI's path)."""

from __future__ import annotations

from curbside.answer.service import AnswerService
from curbside.articles.service import ArticleService
from curbside.settings import Settings


def test_default_answer_service_shares_the_knowledge_base(settings: Settings) -> None:
    service = ArticleService(settings)
    answers = service.answers
    assert isinstance(answers, AnswerService)
    assert answers.kb is service.kb
