"""Document ids and MinHash near-duplicate detection."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from pactwatch.documents.dedup import (
    NearDuplicateIndex,
    shingles,
    signature_from_bytes,
    signature_to_bytes,
    text_id,
    tokens,
)

TEXT_DIR = Path(__file__).parent / "data" / "text"
ORIGINAL = (TEXT_DIR / "kfor-exercise.txt").read_text(encoding="utf-8")
RESPIN = (TEXT_DIR / "kfor-exercise-respin.txt").read_text(encoding="utf-8")
SAME_TOPIC = (TEXT_DIR / "kfor-unrelated.txt").read_text(encoding="utf-8")


def test_text_id_is_sha256_of_the_utf8_text() -> None:
    assert text_id("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert text_id("Prishtinë") == hashlib.sha256("Prishtinë".encode()).hexdigest()
    assert text_id("a") != text_id("a ")


def test_tokens_are_lowercased_words_without_punctuation() -> None:
    assert tokens("Kosovo’s army, the U.S. and NATO-led KFOR!") == [
        "kosovo's", "army", "the", "u", "s", "and", "nato", "led", "kfor",
    ]  # fmt: skip


def test_shingles_are_word_runs() -> None:
    assert shingles("One, two. Three four!", 2) == {"one two", "two three", "three four"}
    assert shingles("One two", 5) == {"one two"}
    assert shingles("...", 5) == set()
    with pytest.raises(ValueError, match="at least 1"):
        shingles("a b", 0)


def test_respin_with_a_few_words_changed_is_found() -> None:
    index = NearDuplicateIndex()
    index.add("original", index.signature(ORIGINAL))
    found = index.find(index.signature(RESPIN))
    assert found is not None
    doc_id, similarity = found
    assert doc_id == "original"
    assert 0.8 <= similarity < 1.0


def test_same_text_reformatted_is_found_as_identical() -> None:
    index = NearDuplicateIndex()
    index.add("original", index.signature(ORIGINAL))
    assert index.find(index.signature(ORIGINAL.upper().replace("\n", "  "))) == ("original", 1.0)


def test_unrelated_text_on_the_same_topic_is_not_a_duplicate() -> None:
    index = NearDuplicateIndex()
    index.add("original", index.signature(ORIGINAL))
    index.add("respin", index.signature(RESPIN))
    assert index.find(index.signature(SAME_TOPIC)) is None


def test_best_match_wins_and_ties_go_to_the_earliest_added() -> None:
    index = NearDuplicateIndex()
    index.add("respin", index.signature(RESPIN))
    index.add("first-copy", index.signature(ORIGINAL))
    index.add("second-copy", index.signature(ORIGINAL))
    assert index.find(index.signature(ORIGINAL)) == ("first-copy", 1.0)


def test_short_texts_match_only_when_their_words_are_equal() -> None:
    index = NearDuplicateIndex()
    index.add("short", index.signature("Kosovo and Serbia agree to resume talks in Brussels."))
    assert index.find(index.signature("KOSOVO and Serbia agree to resume talks in Brussels")) == (
        "short",
        1.0,
    )
    assert index.find(index.signature("Kosovo and Serbia agree to resume talks in Skopje.")) is None
    assert index.find(index.signature("Kosovo and Serbia agree")) is None


def test_adding_an_id_twice_keeps_the_first_signature() -> None:
    index = NearDuplicateIndex()
    index.add("a", index.signature(ORIGINAL))
    index.add("a", index.signature(SAME_TOPIC))
    assert len(index) == 1
    assert "a" in index
    assert index.find(index.signature(SAME_TOPIC)) is None


def test_signatures_round_trip_through_bytes() -> None:
    index = NearDuplicateIndex()
    signature = index.signature(ORIGINAL)
    data = signature_to_bytes(signature)
    assert len(data) == 128 * 8
    restored = signature_from_bytes(data)
    assert list(restored.hashvalues) == list(signature.hashvalues)
    assert restored.jaccard(signature) == 1.0


def test_an_index_loaded_from_bytes_answers_like_the_one_built_live() -> None:
    live = NearDuplicateIndex()
    stored: list[tuple[str, bytes]] = []
    for doc_id, text in [("original", ORIGINAL), ("other", SAME_TOPIC)]:
        signature = live.signature(text)
        live.add(doc_id, signature)
        stored.append((doc_id, signature_to_bytes(signature)))
    loaded = NearDuplicateIndex.load(stored)
    assert len(loaded) == 2
    query = loaded.signature(RESPIN)
    assert loaded.find(query) == live.find(live.signature(RESPIN))
    assert loaded.find(query) is not None


def test_signatures_are_the_same_in_another_process() -> None:
    here = signature_to_bytes(NearDuplicateIndex().signature(ORIGINAL)).hex()
    script = (
        "import sys; from pactwatch.documents.dedup import NearDuplicateIndex, "
        "signature_to_bytes; print(signature_to_bytes("
        "NearDuplicateIndex().signature(sys.stdin.read())).hex())"
    )
    there = subprocess.run(
        [sys.executable, "-c", script],
        input=ORIGINAL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout.strip()
    assert there == here


def test_signature_of_a_fixed_text_is_pinned() -> None:
    """Stored signatures outlive upgrades: a change here means every store needs a rebuild."""
    data = signature_to_bytes(NearDuplicateIndex().signature(ORIGINAL))
    assert hashlib.sha256(data).hexdigest() == PINNED_SIGNATURE_SHA256


@pytest.mark.parametrize("data", [b"", b"\x00" * 7, b"\x00" * 1025])
def test_bytes_that_are_not_a_signature_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="multiple of 8 bytes"):
        signature_from_bytes(data)


def test_signature_of_another_size_is_refused() -> None:
    small = NearDuplicateIndex(num_perm=64)
    index = NearDuplicateIndex()
    with pytest.raises(ValueError, match="64 permutations, the index 128"):
        index.add("a", small.signature(ORIGINAL))
    with pytest.raises(ValueError, match="64 permutations"):
        index.find(small.signature(ORIGINAL))


PINNED_SIGNATURE_SHA256 = "858b07a2d14d45b7849eb2a02d04e5d01f87892b9f086f55b7ba5f5056058279"
