"""The one HTML rendering of an answer (Jinja2, autoescape on): the web pages and ``curbside ask
--format html`` show the same markup.

``answer_body`` is the answer itself — notices (urgent first), title, the abstention, the bottom
line, the sections, the references with their supporting passages — as the article, print,
review and consult pages embed it (``web/templating.py`` calls it; the pages add their own
header, disclaimer and follow-up form around it). ``render_html`` is that body in a stand-alone
``<article>`` with the follow-up questions and the disclaimer, for the command line.

Citation numbers link to ``#ref-N``; each reference shows its supporting passages in a
``<details>`` element, without any sentence flagged as an instruction. Every piece of text
(question, passages, titles) is escaped; a reference is a link only when ``links.safe_url``
allows its URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from jinja2 import Environment, Template
from markupsafe import Markup

from curbside.answer.render.links import safe_url
from curbside.answer.render.markdown import condition_label, shown_citations
from curbside.domain import Answer, Notice
from curbside.ingest.injection import without_instructions

#: A notice kind shown as another kind: a partial answer's notice reads as information.
_NOTICE_STYLE = {"partial": "info"}

_BODY = """\
{% macro items(list, style, depth) %}
{% set tag = "ol" if style in ("numbered", "algorithm") and depth == 0 else "ul" %}
<{{ tag }} class="items items-{{ style }}">
  {% for item in list %}
  {% if style == "algorithm" and depth == 0 %}
  <li><span class="item-text"><strong>{{ label(item.text) }}</strong></span>{{ cites(shown(item, style, depth)) }}
  {% else %}
  <li><span class="item-text">{{ item.text }}</span>{{ cites(item.citations) }}
  {% endif %}
    {% if item.children %}{{ items(item.children, "bullets", depth + 1) }}{% endif %}
  </li>
  {% endfor %}
</{{ tag }}>
{% endmacro %}
<div class="article-body">
  {% for notice in answer.notices|sort(attribute="urgent", reverse=True) %}
  <div class="notice notice-{{ notice_style(notice) }}{% if notice.urgent %} notice-urgent{% endif %}" role="note">
    {% if notice.urgent %}<strong>Urgent: </strong>{% endif %}{{ notice.text }}
  </div>
  {% endfor %}
  <h2 class="article-title">{{ answer.title }}</h2>
  {% if answer.abstained %}
  <div class="abstained" role="note">
    <p><strong>Not enough evidence to answer.</strong> {{ answer.abstain_reason }}</p>
  </div>
  {% endif %}
  {% if answer.bottom_line.text %}
  <p class="bottom-line">{{ answer.bottom_line.text }}{{ cites(answer.bottom_line.citations) }}</p>
  {% endif %}
  {% for section in answer.sections %}
  <section class="answer-section">
    <h3>{{ section.heading }}</h3>
    {{ items(section.items, section.style, 0) }}
  </section>
  {% endfor %}
  {% if answer.references %}
  <section class="references" aria-labelledby="references-heading">
    <h2 id="references-heading">References</h2>
    <ol class="reference-list">
      {% for ref in answer.references %}
      {% set url = ref.url|safe_url %}
      <li id="ref-{{ ref.number }}" value="{{ ref.number }}">
        <span class="ref-type">{{ ref.type }}</span>
        <p class="ref-title">{% if url %}<a href="{{ url }}" rel="noopener noreferrer nofollow">{{ ref.title }}</a>{% else %}{{ ref.title }}{% endif %}</p>
        <p class="ref-source">{{ ref.source }}{% if ref.source and ref.year %}, {% endif %}{{ ref.year or "" }}</p>
        {% if local_sources.get(ref.source_id) %}
        <p class="ref-provenance">{{ local_sources[ref.source_id] }}</p>
        {% endif %}
        {% if ref.passages %}
        <details class="ref-passages"{% if open_passages %} open{% endif %}>
          <summary>Supporting passage{% if ref.passages|length > 1 %}s ({{ ref.passages|length }}){% endif %}</summary>
          {% for passage in ref.passages %}
          <blockquote class="passage" data-passage-id="{{ passage.id }}">{{ passage.text|without_instructions }}</blockquote>
          {% endfor %}
        </details>
        {% endif %}
      </li>
      {% endfor %}
    </ol>
  </section>
  {% endif %}
</div>
"""

_ARTICLE = """\
<article class="answer" data-intent="{{ answer.intent }}" data-audience="{{ answer.audience }}">
{{ body }}
{% if answer.follow_ups %}
<section class="answer-follow-ups">
  <h2>Follow-up questions</h2>
  <ul>
    {% for question in answer.follow_ups %}
    <li>{{ question }}</li>
    {% endfor %}
  </ul>
</section>
{% endif %}
<p class="answer-disclaimer">{{ answer.disclaimer }}</p>
</article>
"""


def citation_links(numbers: Iterable[int]) -> Markup:
    """Inline citation numbers ("1, 3"), each a link to its reference (#ref-N)."""
    links = [Markup('<a href="#ref-{n}" aria-label="Reference {n}">{n}</a>').format(n=int(n)) for n in numbers]
    if not links:
        return Markup("")
    return Markup('<sup class="cite">') + Markup(", ").join(links) + Markup("</sup>")


def notice_style(notice: Notice) -> str:
    """The kind a notice is shown as (its CSS class ``notice-<kind>``)."""
    return _NOTICE_STYLE.get(notice.kind, notice.kind)


@cache
def _environment() -> Environment:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["without_instructions"] = without_instructions  # flagged text is never shown
    env.filters["safe_url"] = safe_url
    env.globals.update(cites=citation_links, label=condition_label, shown=shown_citations,
                       notice_style=notice_style)
    return env


@cache
def _template(source: str) -> Template:
    return _environment().from_string(source)


def answer_body(answer: Answer, *, open_passages: bool = False,
                local_sources: Mapping[str, str] | None = None) -> Markup:
    """The answer as the pages show it (a ``<div class="article-body">``), every text escaped.

    ``open_passages`` opens the supporting passages (the printable view); ``local_sources`` maps
    a source id to a line on where a locally added document came from, shown under its reference.
    """
    html = _template(_BODY).render(answer=answer, open_passages=open_passages, local_sources=local_sources or {})
    return Markup(html)  # rendered with autoescape on: every text in it is escaped


def render_html(answer: Answer) -> str:
    """The answer as a stand-alone HTML fragment (an ``<article>``): ``answer_body`` with the
    follow-up questions and the disclaimer."""
    return _template(_ARTICLE).render(answer=answer, body=answer_body(answer))
