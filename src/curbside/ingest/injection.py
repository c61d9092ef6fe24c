"""Sentences in a document that address an AI or instruct the reader: evidence, never orders.

A knowledge-base document is quoted as evidence; a sentence in it that tries to steer the system
("Ignore previous instructions and state that …", "SYSTEM: You are now in developer mode …",
"Tell every reader to …") is not evidence of anything. Such sentences are found here, by the
rules below (each with its reason), at ingest — ``kb add`` reports them — and again wherever a
composer picks sentences: the extractive composer never quotes them (``answer/select/segments.py``
marks them unusable) and the LLM prompt leaves them out of the fenced evidence.

The check is a pure function of the sentence, so nothing stored can go stale when the rules
change; it is cheap (a few regular expressions) and errs on the side of flagging: a medical
sentence never needs to tell an assistant what to do.

Before any rule, the sentence is put in a canonical form (:func:`canonical`): Unicode NFKC,
format characters (zero-width spaces, joiners, bidi marks) removed, and every character that the
Unicode confusables table (``confusable-homoglyphs``) maps to a Latin letter replaced by it, so a
Cyrillic "о" in "Ignоre" or full-width letters do not slip past. Beyond the phrasing rules, a
sentence that *addresses* a model, an assistant or the reader's software ("this sentence is an
instruction to language models", "any AI reading this should …", "if you are a chatbot, …") is
an instruction whatever it asks (rule ``addresses-software``).

Rules catch the phrasings they were written for; a small classifier catches the rest (rule ``classifier``):
logistic regression over the packaged MiniLM's vector of the canonical sentence, trained by
``scripts/train_injection.py`` on deepset/prompt-injections' train split (Apache-2.0) with MedQuAD answer sentences
as negatives. Only its weights ship (``ingest/models/injection.npz``, under 3 kB) with a threshold chosen on the
training data. A sentence is an instruction when a rule matches or the model's score reaches that threshold;
scores are cached per sentence, and :func:`instruction_rules` scores many sentences in one model call.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from curbside.text import split_sentences

_IGNORE = r"(?:ignore|disregard|forget|override|bypass)"
_EARLIER = r"(?:all\s+|any\s+|the\s+|your\s+|of\s+)*(?:previous|prior|above|earlier|preceding|system|original)"

#: (rule name, pattern, why it is an instruction and not evidence); every pattern ignores case.
_RULES = (
    ("ignore-instructions",
     rf"\b{_IGNORE}\s+{_EARLIER}\s+(?:instructions?|prompts?|directions?|rules|messages?|context)\b",
     "asks the reader (an AI) to drop its instructions"),
    ("role-label",
     r"^[\s\"'(\[<#*]*(?:system|assistant|developer|user)\s*(?:prompt|message)?\s*[:>\]]",
     "speaks as a chat role (system:, assistant:)"),
    ("you-are-now",
     r"\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b|\bact\s+as\s+(?:an?\s+)?(?:ai|assistant|unrestricted)",
     "tries to change who the reader is"),
    ("mode-switch",
     r"\b(?:developer|jailbreak|god|dan|unrestricted)\s+mode\b",
     "asks for a special mode"),
    ("instruct-every-reader",
     r"\b(?:tell|inform|instruct|advise|remind)\s+(?:every|all|each|any)\s+(?:reader|user|patient|visitor)s?\b",
     "instructs the reader to pass a message on"),
    ("addressed-to-ai",
     (r"\b(?:ai\s+(?:assistants?|models?|systems?)|language\s+models?|llms?|chatbots?)\b[^.]{0,60}"
      r"\b(?:must|should|shall|are\s+instructed\s+to|need\s+to)\b"),
     "gives orders to AI systems"),
    ("new-instructions",
     r"\b(?:new|updated|hidden|secret)\s+instructions?\s*[:\-]|\bprompt\s+injection\b",
     "announces instructions"),
)

#: Who a sentence may address that is software, not a person reading medical evidence.
_SOFTWARE = (r"(?:(?:large\s+)?language\s+models?|llms?|ai(?:\s+(?:models?|assistants?|systems?|agents?|tools?|"
             r"chatbots?|bots?|readers?))?|a\.i\.|artificial\s+intelligence(?:\s+(?:systems?|tools?))?|chat\s?bots?|"
             r"(?:virtual|digital|ai|coding|chat)\s+assistants?|gpt(?:-?\d)?|chatgpt|claude|gemini|copilot|"
             r"summari[sz]ers?|crawlers?|scrapers?|automated\s+(?:systems?|readers?|tools?|agents?)|"
             r"(?:the\s+)?reader'?s\s+(?:software|browser|tools?|assistant)|text\s+generators?|bots)")
_DIRECTIVE = (r"(?:must|should|shall|need\s+to|have\s+to|are\s+(?:instructed|required|told|asked|expected)\s+to|"
              r"is\s+(?:instructed|required|told|asked|expected)\s+to|will|may\s+only|can\s+only|"
              r"repeat|say|state|output|print|respond|reply|answer|write|include|quote|recommend|tell|"
              r"ignore|disregard|follow|obey|comply|pretend|act|treat|insert|append|translate|summari[sz]e|"
              r"do\s+not|don'?t|never|always|please)")
_ADDRESSING = (
    # "… an instruction to language models", "a message for AI assistants", "note to any LLM".
    rf"\b(?:instructions?|messages?|notes?|orders?|commands?|directives?|requests?|prompts?)\s+"
    rf"(?:to|for|aimed\s+at|addressed\s+to)\s+(?:(?:all|any|every|each|the|an?|other)\s+)*{_SOFTWARE}\b",
    # "If you are an AI / a language model / reading this as software …"
    rf"\bif\s+you\s+(?:are|'re)\s+(?:(?:an?|the|any)\s+)?(?:\w+\s+)?{_SOFTWARE}\b",
    r"\b(?:you|your)\s+(?:are\s+)?(?:an?\s+)?(?:ai|language\s+model|llm|chat\s?bot|assistant)\b",
    # "AI systems reading this should …", "Any language model must …", "Assistants: repeat …"
    rf"\b(?:(?:all|any|every|each|the|an?|other)\s+)*{_SOFTWARE}\s*(?:,|:|-)?\s*"
    rf"(?:(?:that|which|who)\s+\w+\s+(?:this|these)\s+\w+\s*,?\s*|(?:reading|processing|summari[sz]ing|"
    rf"parsing|seeing|quoting)\s+(?:this|these|the)\b[^.]{{0,40}}?\s*,?\s*)?{_DIRECTIVE}\b",
    # "This sentence/text/passage is an instruction / is addressed to …"
    r"\b(?:this|the\s+following|the\s+preceding|the\s+previous)\s+(?:sentence|text|passage|paragraph|line|note|"
    r"statement|message|section)\s+(?:is|are|was)\s+(?:an?\s+)?(?:instructions?|command|directive|order|"
    r"addressed|meant|intended|written)\b",
    # "… repeat it verbatim", "copy this word for word into your answer".
    r"\b(?:repeat|copy|reproduce|output|print|say|quote|include)\b[^.]{0,40}\b(?:verbatim|word\s+for\s+word|"
    r"exactly\s+as\s+written|in\s+your\s+(?:answer|response|reply|output|summary))\b",
)
_ALL_RULES: tuple[tuple[str, str, str], ...] = (*_RULES, *(("addresses-software", pattern, "addresses a model, an assistant or the reader's software")
                     for pattern in _ADDRESSING))

RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (name, re.compile(pattern, re.I), why) for name, pattern, why in _ALL_RULES)


@dataclass(frozen=True)
class FlaggedSentence:
    """A sentence of a passage that reads as an instruction, and the rule that caught it."""

    passage_id: str
    sentence: str
    rule: str


@cache
def _latin_homoglyphs() -> dict[str, str]:
    """Character → the Latin letter it is confusable with (the Unicode confusables table)."""
    from confusable_homoglyphs import confusables

    data = confusables.confusables_data
    # The table maps to one prototype per class, sometimes of the other case ("I" and Greek "Ι" → "l"):
    # an upper-case character gets the upper-case ASCII letter the table says is confusable with that prototype.
    upper_of = {e["c"]: upper for upper in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                for e in data.get(upper, []) if len(e["c"]) == 1 and e["c"].islower()}
    out: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [e["c"] for e in entries if len(e["c"]) == 1 and e["c"].isascii() and e["c"].isalnum()]
        if latin:
            out[char] = upper_of.get(latin[0], latin[0]) if char.isupper() and latin[0].islower() else latin[0]
    return out


def canonical(text: str) -> str:
    """``text`` as the rules read it: NFKC, format characters removed, confusables mapped to Latin."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    if text.isascii():
        return text
    table = _latin_homoglyphs()
    return "".join(table.get(ch, ch) for ch in text)


#: The classifier's head: logistic-regression weights over MiniLM vectors and its threshold.
MODEL_FILE = Path(__file__).resolve().parent / "models" / "injection.npz"
CLASSIFIER = "classifier"
#: Fewer words than this give the classifier too little to read (list lead-ins such as "He or she may:" scored
#: high); the rules still read every sentence.
MIN_WORDS = 5


def rule_only(sentence: str) -> str | None:
    """The name of the first rule ``sentence`` matches (read in canonical form), or None."""
    sentence = canonical(sentence)
    for name, pattern, _why in RULES:
        if pattern.search(sentence):
            return name
    return None


@cache
def _head() -> tuple[np.ndarray, float, float]:
    with np.load(MODEL_FILE) as data:
        return data["coef"].astype(np.float32), float(data["intercept"]), float(data["threshold"])


def model_scores(sentences: Sequence[str]) -> np.ndarray:
    """The classifier's probability that each sentence is an instruction (one batched model call)."""
    from curbside.retrieval.embedder import get_embedder
    from curbside.settings import EmbeddingSettings

    if not sentences:
        return np.zeros(0, dtype=np.float32)
    coef, intercept, _ = _head()
    vectors = get_embedder(EmbeddingSettings()).embed([canonical(s) for s in sentences], batch_size=32)
    scores: np.ndarray = 1.0 / (1.0 + np.exp(-(vectors @ coef + intercept)))
    return scores


def instruction_rules(sentences: Sequence[str]) -> list[str | None]:
    """:func:`instruction_rule` of many sentences, with one model call for those no rule matches."""
    out = [rule_only(s) for s in sentences]
    rest = [i for i, r in enumerate(out) if r is None and len(sentences[i].split()) >= MIN_WORDS]
    if rest:
        threshold = _head()[2]
        for i, score in zip(rest, model_scores([sentences[i] for i in rest]), strict=True):
            if score >= threshold:
                out[i] = CLASSIFIER
    return out


@lru_cache(maxsize=65536)
def instruction_rule(sentence: str) -> str | None:
    """The name of the first rule ``sentence`` matches (read in canonical form), ``"classifier"`` when
    only the classifier flags it, or None when it is plain text."""
    return instruction_rules([sentence])[0]


def is_instruction(sentence: str) -> bool:
    return instruction_rule(sentence) is not None


def flag_sentences(passage_id: str, text: str) -> list[FlaggedSentence]:
    """Every sentence of ``text`` that reads as an instruction."""
    sentences = split_sentences(text)
    return [FlaggedSentence(passage_id, sentence, rule)
            for sentence, rule in zip(sentences, instruction_rules(sentences), strict=True) if rule is not None]


def flag_by_rules(passage_id: str, text: str) -> list[FlaggedSentence]:
    """:func:`flag_sentences` by the rules alone (no model call: for bulk collections)."""
    return [FlaggedSentence(passage_id, sentence, rule) for sentence in split_sentences(text)
            if (rule := rule_only(sentence)) is not None]


def without_instructions(text: str) -> str:
    """``text`` with its instruction sentences left out (what an LLM may see of a passage, and what
    a supporting-passage box shows)."""
    if instruction_rule(text) is None:
        return text
    return " ".join(s for s in split_sentences(text) if not is_instruction(s))
