"""pw_roles: the office or title stated with a person, its country, sectors and office."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from conftest import shared_file
from nlp_actor_fakes import TinyPipeline, base_pipeline
from pactwatch.documents.normalize import normalize_text
from pactwatch.documents.stray import remove_stray_lines
from pactwatch.nlp.components import actors, names, roles  # noqa: F401  (factories)
from pactwatch.nlp.components.role_lexicon import RoleLexiconError, role_lexicon
from pactwatch.nlp.records import ActorMention


@pytest.fixture(scope="module")
def tiny() -> TinyPipeline:
    return TinyPipeline(base_pipeline())


@pytest.fixture(scope="module")
def real() -> Language:
    """pw_actors, pw_roles and pw_names over the bundled knowledge."""
    nlp = base_pipeline()
    for name in ("pw_actors", "pw_roles", "pw_names"):
        nlp.add_pipe(name)
    return nlp


def person(mentions: list[ActorMention], text: str) -> ActorMention:
    [found] = [m for m in mentions if m.kind == "person" and m.text == text]
    return found


# The lexicon --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sector", "others"),
    [
        ("Defence Minister", "GOV", ["MIL"]),
        ("Minister of Defense", "GOV", ["MIL"]),
        ("Interior Minister", "GOV", ["COP"]),
        ("Minister of Justice", "GOV", ["JUD"]),
        ("Minister of Foreign Affairs", "GOV", []),
        ("Prime Minister", "GOV", []),
        ("Ambassador", "GOV", []),
        ("special envoy", "GOV", []),
        ("KFOR commander Maj. Gen.", "MIL", []),
        ("Secretary-General", "GOV", []),
        ("police officer", "COP", []),
        ("police commander", "COP", []),
        ("army spokesman", "MIL", []),
        ("chief prosecutor", "JUD", []),
        ("Speaker of Parliament", "LEG", []),
        ("lawmaker", "LEG", []),
        ("spokesperson", None, []),
        ("Kosovo police sergeant", "COP", []),
    ],
)
def test_role_sectors(role: str, sector: str | None, others: list[str]) -> None:
    assert role_lexicon().sectors(role) == (sector, others)


def test_a_role_without_sector_takes_its_organisations() -> None:
    lexicon = role_lexicon()
    assert lexicon.sectors("head of the mission", ("GOV", "US Mission to NATO")) == ("GOV", [])
    # A person speaking for an international body is civilian, unless the body is a force.
    assert lexicon.sectors("spokesperson", ("IGO", "European Union")) == ("GOV", [])
    assert lexicon.sectors("spokesperson", ("IGO", "Kosovo Force")) == ("MIL", [])


def test_group_nouns() -> None:
    [gunmen] = role_lexicon().find_in_text("gunmen")
    assert gunmen.sector_of("group") == "REB"
    [protesters] = role_lexicon().find_in_text("protesters")
    assert protesters.sector_of("group") == "CVL"


def test_malformed_lexicon_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "roles.yaml"
    bad.write_text("ranks: {sector: MIL}\n", encoding="utf-8")
    with pytest.raises(RoleLexiconError, match="ranks: must be a list"):
        role_lexicon.__wrapped__(bad)


# Roles in sentences, tiny knowledge ---------------------------------------------------------


def test_compound_title_with_demonym(tiny: TinyPipeline) -> None:
    text = (
        "Serbian Defence Minister Nebojša Stefanović signed the contract with Dassault "
        "Aviation chairman and chief executive Éric Trappier in Belgrade."
    )
    mentions = tiny(text, date(2021, 8, 29), upto="roles")._.pw_mentions
    minister = person(mentions, "Nebojša Stefanović")
    assert minister.role_text == "Defence Minister"
    assert (minister.role_country, minister.country) == ("SRB", "SRB")
    assert (minister.sector, minister.other_sectors) == ("GOV", ["MIL"])
    assert minister.role_office == "SRB:minister_defence"
    assert text[minister.phrase_start : minister.phrase_end] == (  # type: ignore[misc]
        "Serbian Defence Minister Nebojša Stefanović"
    )
    # "Serbian" qualifies the minister: it is not an actor of its own.
    assert [m.text for m in mentions if m.kind == "country"] == []
    ceo = person(mentions, "Éric Trappier")
    assert ceo.role_text == "Dassault Aviation chairman and chief executive"
    assert ceo.sector == "BUS"


def test_stated_role_wins_over_knowledge(tiny: TinyPipeline) -> None:
    # On this day knowledge has him as Minister of Internal Affairs (GOV + COP).
    text = "Serbian Defence Minister Nebojša Stefanović visited the base."
    minister = person(
        tiny(text, date(2019, 1, 10), upto="roles")._.pw_mentions, "Nebojša Stefanović"
    )
    assert (minister.sector, minister.other_sectors) == ("GOV", ["MIL"])
    # No role stated: knowledge decides.
    plain = person(
        tiny("Nebojša Stefanović visited the base.", date(2019, 1, 10), upto="roles")._.pw_mentions,
        "Nebojša Stefanović",
    )
    assert (plain.role_text, plain.sector, plain.other_sectors) == (None, "GOV", ["COP"])


def test_apposition_before_the_name(tiny: TinyPipeline) -> None:
    text = (
        "In a significant engagement, Kosovo’s Minister of Defense, Armend Zemaj, held a meeting."
    )
    mentions = tiny(text, upto="roles")._.pw_mentions
    minister = person(mentions, "Armend Zemaj")
    assert (minister.role_text, minister.role_country) == ("Minister of Defense", "XKX")
    assert (minister.country, minister.sector, minister.other_sectors) == ("XKX", "GOV", ["MIL"])
    assert minister.role_office == "XKX:minister_defence"
    assert text[minister.phrase_start : minister.phrase_end] == (  # type: ignore[misc]
        "Kosovo’s Minister of Defense, Armend Zemaj"
    )
    assert mentions == [minister]  # "Kosovo’s" went into role_country


def test_apposition_after_the_name(tiny: TinyPipeline) -> None:
    mentions = tiny("Kurti, the prime minister, said the talks failed.", upto="roles")._.pw_mentions
    kurti = person(mentions, "Kurti")
    assert (kurti.role_text, kurti.role_office, kurti.country) == (
        "prime minister",
        "XKX:prime_minister",
        "XKX",
    )


def test_title_and_apposition_together(tiny: TinyPipeline) -> None:
    text = (
        "Minister of Foreign Affairs Donika Zemaj engaged with the head of the American "
        "mission to NATO, Ambassador Geoffrey Pyatt, to discuss U.S. support."
    )
    mentions = tiny(text, upto="roles")._.pw_mentions
    pyatt = person(mentions, "Geoffrey Pyatt")
    assert pyatt.role_text == "Ambassador; head of the American mission to NATO"
    assert (pyatt.role_country, pyatt.country, pyatt.sector) == ("USA", "USA", "GOV")
    donika = person(mentions, "Donika Zemaj")
    assert (donika.role_text, donika.role_country, donika.sector) == (
        "Minister of Foreign Affairs",
        None,
        "GOV",
    )
    # The mission describes Pyatt here: it lives on in his role, not as an actor.
    assert not any(m.entity_name == "United States Mission to NATO" for m in mentions)


def test_military_titles_and_an_international_command(tiny: TinyPipeline) -> None:
    text = "KFOR commander Maj. Gen. Özkan Ulutaş met U.S. Ambassador Jeffrey Hovenier."
    mentions = tiny(text, date(2024, 1, 5), upto="roles")._.pw_mentions
    general = person(mentions, "Özkan Ulutaş")
    assert general.role_text == "KFOR commander Maj. Gen."
    assert (general.role_country, general.country, general.sector) == ("IGO", "IGO", "MIL")
    assert general.role_office == "IGO:kfor_commander"
    ambassador = person(mentions, "Jeffrey Hovenier")
    assert (ambassador.role_text, ambassador.role_country, ambassador.sector) == (
        "Ambassador",
        "USA",
        "GOV",
    )


def test_country_of_a_role_and_a_posting(tiny: TinyPipeline) -> None:
    text = (
        "The Minister of Defence of Kosovo, Ejup Maqedonci, met the U.S. Ambassador to Serbia "
        "Christopher Hill."
    )
    mentions = tiny(text, upto="roles")._.pw_mentions
    assert person(mentions, "Ejup Maqedonci").role_country == "XKX"
    hill = person(mentions, "Christopher Hill")
    assert (hill.role_text, hill.role_country) == ("Ambassador to Serbia", "USA")
    # "Kosovo" and the posting "Serbia" are parts of the roles, not actors.
    assert [m.text for m in mentions if m.kind == "country"] == []


def test_a_role_the_name_is_not_in_apposition_with(tiny: TinyPipeline) -> None:
    mentions = tiny("Speaking to the President, Kurti said he would not resign.", upto="names")
    kurti = person(mentions._.pw_mentions, "Kurti")
    assert kurti.role_text is None
    assert (kurti.country, kurti.sector) == ("XKX", "GOV")  # from knowledge


# The seed article ----------------------------------------------------------------------------


def test_seed_roles(real: Language) -> None:
    raw = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    text = remove_stray_lines(normalize_text(raw).text, title=None).text
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    mentions = real(text)._.pw_mentions
    for expected in gold["persons"]:
        found = [m for m in mentions if m.text == expected["name"]]
        assert found, expected["name"]
        for mention in found:
            assert mention.role_text is not None
            for role in expected["role"].split("; "):
                assert role in mention.role_text
            assert (mention.country, mention.sector) == (expected["country"], expected["sector"])
            assert mention.other_sectors == expected.get("other_sectors", [])
    offices = {m.text: m.role_office for m in mentions if m.kind == "person" and " " in m.text}
    assert offices["Armend Zemaj"] == "XKX:minister_defence"
    assert offices["Albin Zemaj"] == "XKX:prime_minister"
    assert offices["Donika Zemaj"] == "XKX:minister_foreign_affairs"


def test_demo_sentences(real: Language) -> None:
    text = (
        "PRISTINA, Oct 10 (Adriatic Defence Review) - Turkish Major General Özkan Ulutaş took "
        "command of the NATO-led Kosovo Force (KFOR) on Tuesday. The handover was attended by "
        "Admiral Stuart B. Munsch, commander of NATO's Allied Joint Force Command in Naples, "
        "which oversees the mission. Kosovo police sergeant Afrim Bunjaku and three of the "
        "attackers were killed."
    )
    doc = real.make_doc(text)
    doc._.pw_published = date(2023, 10, 10)
    for _, component in real.pipeline:
        doc = component(doc)
    mentions = doc._.pw_mentions
    general = person(mentions, "Özkan Ulutaş")
    assert (general.role_text, general.country, general.sector) == ("Major General", "TUR", "MIL")
    admiral = person(mentions, "Stuart B. Munsch")
    assert admiral.role_text == "Admiral; commander of NATO's Allied Joint Force Command in Naples"
    assert (admiral.country, admiral.sector) == ("IGO", "MIL")
    sergeant = person(mentions, "Afrim Bunjaku")
    assert (sergeant.role_text, sergeant.country, sergeant.sector) == (
        "Kosovo police sergeant",
        "XKX",
        "COP",
    )


# Accuracy on the development gold set ------------------------------------------------------

DEV_GOLD = Path(__file__).resolve().parent / "gold" / "extraction-dev.jsonl"


def test_dev_gold_actor_countries_and_sectors(real: Language) -> None:
    """Each gold actor's words overlap one of our mentions, with its country and sector.

    Pronouns and descriptions ("the mission", "they") are the events' coreference,
    not ours, so the found rate stays well below 1. Countries named as actors carry no
    sector here (the gold gives GOV): that choice is the events', not measured.
    """
    if not DEV_GOLD.exists():
        pytest.skip("tests/gold/extraction-dev.jsonl is not written yet")
    total = found = 0
    right: dict[str, list[bool]] = {"person": [], "body": [], "country": []}
    right_sector: dict[str, list[bool]] = {"person": [], "body": []}
    for line in DEV_GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        prefix = f"{row['context']}\n" if row.get("context") else ""
        text = prefix + row["text"]
        doc = real.make_doc(text)
        doc._.pw_published = date.fromisoformat(row["published"]) if row["published"] else None
        for _, component in real.pipeline:
            doc = component(doc)
        for event in row["events"]:
            for actor in event["actor"] + event["recipient"]:
                at = text.find(actor["text"], len(prefix))
                if at < 0:
                    continue
                total += 1
                end = at + len(actor["text"])
                ours = [m for m in doc._.pw_mentions if m.start < end and at < m.end]
                if not ours:
                    continue
                found += 1
                mention = ours[0]
                kind = mention.kind if mention.kind in ("person", "country") else "body"
                right[kind].append(mention.country == actor["country"])
                if kind != "country":
                    right_sector[kind].append(mention.sector == actor["sector"])

    def rate(values: list[bool]) -> float:
        return sum(values) / len(values)

    assert total > 300
    assert found / total >= 0.80
    # persons: country 0.954 and sector 0.890 right on the 2,004-sentence dev split
    # (2026-11-28, session 11, after 310 sentences joined; 0.934 and 0.908 on 1,694
    # sentences, 0.928 and 0.899 on 1,285, 0.94 and 0.93 on the first 712)
    assert rate(right["person"]) >= 0.92 and rate(right_sector["person"]) >= 0.88
    assert rate(right["body"]) >= 0.75 and rate(right_sector["body"]) >= 0.85
    # 0.950 on the 2,004-sentence dev split (2026-11-28; 0.944 on 1,694 and on the first
    # 712; 0.95 was set on the first 192, whose country names are fewer and plainer).
    assert rate(right["country"]) >= 0.935
