"""pw_names: a short name refers back to the full name stated in the same document."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from conftest import shared_file
from nlp_actor_fakes import TinyPipeline, base_pipeline
from pactwatch.documents.normalize import normalize_text
from pactwatch.documents.stray import remove_stray_lines
from pactwatch.nlp.components import actors, names, places, roles  # noqa: F401  (factories)
from pactwatch.nlp.components.names import refers_to
from pactwatch.nlp.records import ActorMention


@pytest.fixture(scope="module")
def tiny() -> TinyPipeline:
    return TinyPipeline(base_pipeline())


@pytest.fixture(scope="module")
def seed_doc() -> Doc:
    nlp = base_pipeline()
    for name in ("pw_actors", "pw_roles", "pw_names", "pw_places"):
        nlp.add_pipe(name)
    raw = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    text = remove_stray_lines(normalize_text(raw).text, title=None).text
    return nlp(text)


def persons(mentions: list[ActorMention], text: str) -> list[ActorMention]:
    return [m for m in mentions if m.kind == "person" and m.text == text]


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("Zemaj", "Armend Zemaj", True),
        ("Zemaj’s", "Armend Zemaj", True),
        ("Gërvalla", "Donika Gërvalla-Schwarz", True),
        ("Gervalla", "Donika Gërvalla-Schwarz", True),
        ("Donika Gërvalla", "Donika Gërvalla-Schwarz", True),
        ("von der Leyen", "Ursula von der Leyen", True),
        ("Ristuccia", "Angelo Michele Ristuccia", True),
        ("Albin Zemaj", "Armend Zemaj", False),
        ("Armend Zemaj", "Armend Zemaj", False),
        ("Kurti", "Albin Zemaj", False),
        ("Albin", "Albin Kurti", False),
    ],
)
def test_refers_to(short: str, full: str, expected: bool) -> None:
    assert refers_to(short, full) is expected


def test_one_full_name_resolves_the_surname(tiny: TinyPipeline) -> None:
    text = (
        "Kosovo’s Minister of Defense, Armend Zemaj, held a meeting with NATO. "
        "Zemaj emphasized the partnership."
    )
    mentions = tiny(text, upto="names")._.pw_mentions
    [bare] = persons(mentions, "Zemaj")
    assert (bare.entity_name, bare.ambiguous, bare.candidates) == ("Armend Zemaj", False, [])
    assert (bare.country, bare.sector, bare.other_sectors) == ("XKX", "GOV", ["MIL"])
    assert (bare.role_text, bare.role_office) == ("Minister of Defense", "XKX:minister_defence")


def test_several_full_names_make_the_surname_ambiguous(tiny: TinyPipeline) -> None:
    text = (
        "Kosovo’s Minister of Foreign Affairs Donika Zemaj met the ambassador. "
        "Kosovo’s Minister of Defense, Armend Zemaj, held a meeting. "
        "Kosovo’s Prime Minister, Albin Zemaj, spoke. Zemaj said the talks went well."
    )
    mentions = tiny(text, upto="names")._.pw_mentions
    [bare] = persons(mentions, "Zemaj")
    assert bare.ambiguous is True
    assert bare.candidates == ["Donika Zemaj", "Armend Zemaj", "Albin Zemaj"]
    assert bare.entity_name == "Zemaj"
    assert (bare.role_text, bare.role_office) == (None, None)
    # What all three share is kept: they are all Kosovo government officials.
    assert (bare.country, bare.sector, bare.other_sectors) == ("XKX", "GOV", [])


def test_a_first_and_last_name_variant(tiny: TinyPipeline) -> None:
    text = "Donika Gërvalla-Schwarz met the envoy. Later Donika Gërvalla told reporters more."
    mentions = tiny(text, upto="names")._.pw_mentions
    [short] = persons(mentions, "Donika Gërvalla")
    assert short.entity_name == "Donika Gërvalla-Schwarz"


def test_the_role_stated_at_the_short_name_stays(tiny: TinyPipeline) -> None:
    text = "Albin Kurti met NATO. Later Prime Minister Kurti said he was satisfied."
    mentions = tiny(text, upto="names")._.pw_mentions
    [short] = persons(mentions, "Kurti")
    assert (short.entity_name, short.role_text) == ("Albin Kurti", "Prime Minister")


def test_knowledge_resolves_a_surname_no_full_name_explains(tiny: TinyPipeline) -> None:
    mentions = tiny("Kurti said the talks failed.", upto="names")._.pw_mentions
    [kurti] = persons(mentions, "Kurti")
    assert (kurti.entity_name, kurti.country, kurti.sector, kurti.ambiguous) == (
        "Albin Kurti",
        "XKX",
        "GOV",
        False,
    )
    mentions = tiny("Hoxha said the talks failed.", upto="names")._.pw_mentions
    [hoxha] = persons(mentions, "Hoxha")
    assert (hoxha.entity_name, hoxha.ambiguous) == ("Hoxha", True)
    assert hoxha.candidates == ["Enver Hoxha", "Ardian Hoxha"]


def test_seed_zemaj_is_ambiguous_and_never_a_place(seed_doc: Doc) -> None:
    mentions, found_places = seed_doc._.pw_mentions, seed_doc._.pw_places
    bare = persons(mentions, "Zemaj")
    assert len(bare) == 5
    for mention in bare:
        assert mention.ambiguous is True
        assert mention.entity_name == "Zemaj"
        assert mention.candidates == ["Donika Zemaj", "Armend Zemaj", "Albin Zemaj"]
        assert (mention.country, mention.sector) == ("XKX", "GOV")
    assert not [p for p in found_places if "Zemaj" in p.text]
    full = [m for m in mentions if m.kind == "person" and " " in m.text]
    assert not any(m.ambiguous for m in full)
