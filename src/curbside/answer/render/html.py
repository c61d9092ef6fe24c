"""An HTML fragment of the answer (Jinja2, autoescape on): the web page embeds it.

Citation numbers link to ``#ref-N``; each reference shows its supporting passages in a
``<details>`` element. Every piece of text (question, passages, titles) is escaped.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, Template, select_autoescape

from curbside.answer.render.markdown import condition_label, shown_citations
from curbside.domain import Answer
from curbside.ingest.injection import without_instructions

_TEMPLATE = """\
{%- macro cites(numbers) -%}
{%- if numbers %} <span class="cs-cite">[{% for n in numbers %}<a href="#ref-{{ n }}">{{ n }}</a>{% if not loop.last %}, {% endif %}{% endfor %}]</span>{% endif -%}
{%- endmacro -%}
{%- macro items(list, style, depth) -%}
{%- set tag = 'ol' if style in ('numbered', 'algorithm') and depth == 0 else 'ul' -%}
<{{ tag }} class="cs-list cs-{{ style if depth == 0 else 'bullets' }}">
{%- for item in list %}
<li>{% if style == 'algorithm' and depth == 0 %}<strong>{{ label(item.text) }}</strong>{{ cites(shown(item, style, depth)) }}{% else %}{{ item.text }}{{ cites(item.citations) }}{% endif %}
{%- if item.children %}{{ items(item.children, 'bullets', depth + 1) }}{% endif %}</li>
{%- endfor %}
</{{ tag }}>
{%- endmacro -%}
<article class="cs-answer" data-intent="{{ a.intent }}" data-audience="{{ a.audience }}">
<h1 class="cs-title">{{ a.title }}</h1>
{%- for n in a.notices %}
<div class="cs-notice{% if n.urgent %} cs-urgent{% endif %}" role="{{ 'alert' if n.urgent else 'note' }}">{% if n.urgent %}<strong>Urgent:</strong> {% endif %}{{ n.text }}</div>
{%- endfor %}
{%- if a.abstained %}
<p class="cs-abstained">{{ a.abstain_reason }}</p>
{%- endif %}
{%- if a.bottom_line.text %}
<p class="cs-bottom-line">{{ a.bottom_line.text }}{{ cites(a.bottom_line.citations) }}</p>
{%- endif %}
{%- for s in a.sections %}
<section class="cs-section">
<h2>{{ s.heading }}</h2>
{{ items(s.items, s.style, 0) }}
</section>
{%- endfor %}
{%- if a.references %}
<section class="cs-references">
<h2>References</h2>
<ol>
{%- for r in a.references %}
<li id="ref-{{ r.number }}"><span class="cs-ref-type">{{ r.type }}</span>
{% if r.url.startswith(('https://', 'http://')) %}<a href="{{ r.url }}" rel="noopener noreferrer">{{ r.title }}</a>{% else %}{{ r.title }}{% endif %}
{%- if r.source or r.year %} <span class="cs-ref-source">{{ [r.source, r.year] | select | join(', ') }}</span>{% endif %}
<details><summary>Supporting passage{{ 's' if r.passages | length > 1 else '' }}</summary>
{%- for p in r.passages %}
<blockquote data-passage-id="{{ p.id }}">{{ p.text | without_instructions }}</blockquote>
{%- endfor %}
</details></li>
{%- endfor %}
</ol>
</section>
{%- endif %}
{%- if a.follow_ups %}
<section class="cs-follow-ups">
<h2>Follow-up questions</h2>
<ul>{% for q in a.follow_ups %}<li>{{ q }}</li>{% endfor %}</ul>
</section>
{%- endif %}
<p class="cs-disclaimer">{{ a.disclaimer }}</p>
</article>
"""


@cache
def _template() -> Template:
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["without_instructions"] = without_instructions  # flagged text is never shown
    return env.from_string(_TEMPLATE)


def render_html(answer: Answer) -> str:
    """The answer as an HTML fragment (an ``<article>``), every text escaped."""
    return _template().render(a=answer, label=condition_label, shown=shown_citations)
