"""Document ids and near-duplicate detection (datasketch MinHash + MinHashLSH).

Content farms respin one story with a few words changed; counted twice, it corrupts
every indicator. A text's signature is a MinHash over its word shingles (lowercased
word tokens, punctuation dropped); two texts are near-duplicates when their estimated
Jaccard similarity reaches the threshold.

Signatures are stable across runs and processes: the permutations come from a fixed
seed and an explicit datasketch scheme (``affine64``), and the token hash is SHA-1 based,
never Python's salted ``hash``. The store keeps each signature as bytes (the hash values
as little-endian uint64) so the index is rebuilt at start-up with ``load``.

Very short texts (fewer than ``MIN_SHINGLES`` shingles) say too little for a similarity
estimate: their signature is made from the whole token sequence as one item, so they
match only a text with exactly the same words (case and punctuation aside).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch is imported where a signature is made, not here: it pulls in scipy (about
# half a second), and ``pactwatch extract`` imports this module only for ``text_id``.

MINHASH_SEED = 1
MINHASH_SCHEME = "affine64"
MIN_SHINGLES = 10
_HASH_DTYPE = np.dtype("<u8")
_LSH_WEIGHTS = (0.05, 0.95)  # (false positive, false negative) weights of the band layout

# Words, keeping inner apostrophes ("Kosovo’s" is one token, "U.S." two).
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def text_id(normalized_text: str) -> str:
    """The document id: SHA-256 hex of the normalised text's UTF-8 bytes."""
    return hashlib.sha256(normalized_text.encode("utf-8")).hexdigest()


def tokens(text: str) -> list[str]:
    """Lowercased word tokens with punctuation stripped."""
    return [token.replace("’", "'") for token in _WORD.findall(text.casefold())]


def shingles(text: str, size: int) -> set[str]:
    """Every run of ``size`` consecutive word tokens, joined by spaces.

    A text with fewer than ``size`` words has one shingle, all its words; no words, none.
    """
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, not {size}")
    words = tokens(text)
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def signature_to_bytes(signature: MinHash) -> bytes:
    """The signature's hash values as little-endian uint64 bytes, for the store."""
    return np.asarray(signature.hashvalues, dtype=_HASH_DTYPE).tobytes()


def signature_from_bytes(data: bytes) -> MinHash:
    """A signature back from ``signature_to_bytes``; ValueError if the bytes are not one."""
    if not data or len(data) % _HASH_DTYPE.itemsize:
        raise ValueError(f"a MinHash signature is a multiple of 8 bytes, got {len(data)} bytes")
    from datasketch import MinHash

    hashvalues = np.frombuffer(data, dtype=_HASH_DTYPE).astype(np.uint64)
    return MinHash(
        num_perm=len(hashvalues),
        seed=MINHASH_SEED,
        scheme=MINHASH_SCHEME,
        hashvalues=hashvalues,
        permutations=_permutations(len(hashvalues)),
    )


@cache
def _permutations(num_perm: int) -> Any:
    """The permutations of our seed and size: made once, not for every signature read."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


class NearDuplicateIndex:
    """Signatures of the documents seen so far, queried for near-duplicates of a new one.

    ``find`` returns the best match at or above ``threshold``: the highest estimated
    Jaccard similarity, ties going to the document added first.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 5) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        # Weighted for recall: LSH only proposes candidates and each is verified with
        # the MinHash estimate, so a false candidate costs a comparison while a missed
        # one counts a story twice.
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=_LSH_WEIGHTS)
        self._signatures: dict[str, MinHash] = {}  # insertion order is the tie-break
        self._order: dict[str, int] = {}
        # Permutations depend only on seed and size: make them once, not per signature.
        self._permutations = _permutations(num_perm)

    @classmethod
    def load(
        cls,
        pairs: Iterable[tuple[str, bytes]],
        *,
        threshold: float = 0.8,
        num_perm: int = 128,
        shingle_size: int = 5,
    ) -> NearDuplicateIndex:
        """An index holding the stored ``(document id, signature bytes)`` pairs, in order."""
        index = cls(threshold=threshold, num_perm=num_perm, shingle_size=shingle_size)
        for doc_id, data in pairs:
            index.add(doc_id, signature_from_bytes(data))
        return index

    def signature(self, text: str) -> MinHash:
        """The MinHash of ``text``'s shingles (see the module docstring for short texts)."""
        items = shingles(text, self.shingle_size)
        if len(items) < MIN_SHINGLES:
            # Too few shingles to estimate similarity: one item, so only equal texts match.
            items = {"\x00exact\x00" + " ".join(tokens(text))}
        from datasketch import MinHash

        signature = MinHash(
            num_perm=self.num_perm,
            seed=MINHASH_SEED,
            scheme=MINHASH_SCHEME,
            permutations=self._permutations,
        )
        signature.update_batch([item.encode("utf-8") for item in sorted(items)])
        return signature

    def add(self, doc_id: str, signature: MinHash) -> None:
        """Index ``signature`` under ``doc_id``; adding an id already present does nothing."""
        self._check(signature)
        if doc_id in self._signatures:
            return
        self._lsh.insert(doc_id, signature)
        self._order[doc_id] = len(self._order)
        self._signatures[doc_id] = signature

    def find(self, signature: MinHash) -> tuple[str, float] | None:
        """The indexed document most similar to ``signature`` at or above the threshold.

        Returns ``(document id, estimated Jaccard similarity)`` or None. LSH proposes the
        candidates; each is verified with the MinHash estimate.
        """
        self._check(signature)
        best: tuple[str, float] | None = None
        for doc_id in sorted(self._lsh.query(signature), key=self._order.__getitem__):
            similarity = float(signature.jaccard(self._signatures[doc_id]))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (doc_id, similarity)
        return best

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    def _check(self, signature: MinHash) -> None:
        if len(signature.hashvalues) != self.num_perm:
            raise ValueError(
                f"signature has {len(signature.hashvalues)} permutations, the index {self.num_perm}"
            )
