"""Fixtures for index tests that exercise storage mechanics without the neural encoder."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from index.dense import l2_normalize


class HashEncoder:
    """A deterministic stand-in encoder: hashed character bigrams, L2-normalised.

    It records every text it encodes, so tests can tell what a build re-encoded.
    """

    dim = 32

    def __init__(self, id: str = "hash"):
        self.id = id
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for a, b in zip(t, t[1:] + " ", strict=True):
                out[i, zlib.crc32((a + b).encode()) % self.dim] += 1.0
            out[i, 0] += 1e-3  # never a zero vector
        return l2_normalize(out)


@pytest.fixture(scope="session")
def hash_encoder_cls() -> type[HashEncoder]:
    return HashEncoder


@pytest.fixture
def hash_encoder() -> HashEncoder:
    return HashEncoder()
