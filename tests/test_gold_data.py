"""Checks of the extraction gold set (tests/gold/extraction-{dev,validation,test}.jsonl).

The gold is data, not code, so these tests are its type checker: every record has the
contract's fields, every code is one pactwatch speaks (PLOVER event types and modes, CAMEO
codes consistent with the event type, actor and sector codes), the coverage the annotation
guide promises holds in each split, sentences taken from the demo corpus are verbatim, and
the two held-out splits (validation and the frozen test split) still have the checksums
recorded in tests/gold/README.md.
The code lists mirror the reference /work/shared/reference/plover-cameo.md and
docs/annotation-guide.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

GOLD_DIR = Path(__file__).parent / "gold"
SPLIT_FILES = {
    "dev": GOLD_DIR / "extraction-dev.jsonl",
    "validation": GOLD_DIR / "extraction-validation.jsonl",
    "test": GOLD_DIR / "extraction-test.jsonl",
}
ID_PREFIX = {"dev": "d", "validation": "v", "test": "t"}
HELD_OUT = ("validation", "test")
README = GOLD_DIR / "README.md"
CORPUS_DIR = Path(__file__).parents[1] / "src" / "pactwatch" / "demo" / "corpus"

RECORD_KEYS = {"id", "source", "published", "context", "text", "events", "areas"}
EVENT_KEYS = {"event", "mode", "cameo", "modality", "actor", "recipient", "date", "place"}
ACTOR_KEYS = {"text", "name", "country", "sector"}
PLACE_KEYS = {"text", "country"}

# PLOVER manual draft v2.0 event types and their modes (an event may always have mode null).
MODES: dict[str, set[str]] = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize",
        "restrict",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
        "misinformation",
        "cyber",
    },
    "ASSAULT": {
        "abduct",
        "beat",
        "torture",
        "sexual",
        "targeted",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "aerial",
        "drone",
        "heavy-weapons",
        "crowd-control",
        "unconventional",
    },
}
EVENT_TYPES = set(MODES)
RECIPIENT_REQUIRED = {"COOPERATE", "AID", "SANCTION"}
MODALITIES = {"factual", "future", "hypothetical", "negated"}
AREAS = {
    "joint_exercises",
    "training_education",
    "intelligence_sharing",
    "cybersecurity",
    "infrastructure",
    "equipment_resources",
    "diplomatic_engagement",
    "economic_cooperation",
    "security_assistance",
    "cultural_exchange",
}
# The sector codes of the NLP contract; IGO is the sector of an organisation itself.
SECTORS = {
    "GOV",
    "MIL",
    "COP",
    "JUD",
    "LEG",
    "PTY",
    "REB",
    "SPY",
    "CVL",
    "OPP",
    "BUS",
    "MED",
    "REL",
    "UNK",
    "IGO",
}
NON_STATE_CODES = {"EUR", "UNO", "IGO", "NGO"}
_ISO3_CODES = """
AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN
BMU BTN BOL BES BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK
COL COM COG COD COK CRI CIV HRV CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH
FLK FRO FJI FIN FRA GUF PYF ATF GAB GMB GEO DEU GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY
HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL IMN ISR ITA JAM JPN JEY JOR KAZ KEN KIR PRK KOR
KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS MDV MLI MLT MHL MTQ MRT MUS MYT MEX
FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA NIU NFK MKD MNP NOR OMN
PAK PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA MAF SPM VCT
WSM SMR STP SAU SEN SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE
SYR TWN TJK TZA THA TLS TGO TKL TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT
VEN VNM VGB VIR WLF ESH YEM ZMB ZWE XKX
"""
ISO3 = set(_ISO3_CODES.split())  # ISO 3166-1 alpha-3, plus XKX for Kosovo

# CAMEO top-level code -> PLOVER event (reference table); 01 and 02 are dropped by PLOVER.
CAMEO_TOP = {
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}
# Sub-codes that PLOVER's CAMEO2PLOVER table or manual place under another event
# (docs/annotation-guide.md, "CAMEO codes").
CAMEO_EXCEPTIONS = {
    "116": {"ACCUSE", "SANCTION"},
    "163": {"SANCTION", "COERCE"},
    "175": {"COERCE", "ASSAULT"},
    "1712": {"COERCE", "ASSAULT"},
    "191": {"ASSAULT", "COERCE"},
    "192": {"ASSAULT", "COERCE"},
    "0813": {"CONCEDE", "RETREAT"},
    "0814": {"CONCEDE", "RETREAT"},
}

# Coverage the gold promises (tests/gold/README.md).
MIN_TOTAL_SENTENCES = 1000
MIN_HELD_OUT_SENTENCES = {"validation": 150, "test": 130}
MIN_EVENT_TYPE = {"all": 8, "test": 3, "dev": 3, "validation": 3}
MIN_AREA = {"all": 10, "test": 4, "dev": 4, "validation": 4}
MIN_NEGATIVES = 50
MIN_MODALITY = 10


def load_split(split: str) -> list[dict[str, Any]]:
    """The records of one split, in file order; fails on a line that is not JSON."""
    records = []
    for number, line in enumerate(SPLIT_FILES[split].read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{split} line {number} is empty"
        records.append(json.loads(line))
    return records


@pytest.fixture(scope="module")
def gold() -> dict[str, list[dict[str, Any]]]:
    return {split: load_split(split) for split in SPLIT_FILES}


def all_records(gold: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return gold["dev"] + gold["validation"] + gold["test"]


def plover_events_for_cameo(code: str) -> set[str]:
    """The PLOVER event types a CAMEO code may be coded as (empty: not a PLOVER event)."""
    if code in CAMEO_EXCEPTIONS:
        return CAMEO_EXCEPTIONS[code]
    if code.startswith("08"):
        if code[:3] in {"081", "082", "083"}:
            return {"CONCEDE"}
        if code[:3] in {"084", "085", "086", "087"}:
            return {"RETREAT"}
        return set()
    top = CAMEO_TOP.get(code[:2])
    return {top} if top else set()


def event_problems(event: dict[str, Any], record: dict[str, Any]) -> list[str]:
    """Everything wrong with one event of a record, as short messages."""
    problems: list[str] = []
    if set(event) != EVENT_KEYS:
        return [f"event keys {sorted(event)}"]
    kind = event["event"]
    if kind not in EVENT_TYPES:
        return [f"event type {kind!r}"]
    if event["mode"] is not None and event["mode"] not in MODES[kind]:
        problems.append(f"mode {event['mode']!r} not a {kind} mode")
    cameo = event["cameo"]
    if cameo is None:
        if (kind, event["mode"]) != ("RETREAT", "resign"):
            problems.append("cameo null outside RETREAT/resign")
    elif not re.fullmatch(r"\d{3,4}", cameo) or kind not in plover_events_for_cameo(cameo):
        problems.append(f"cameo {cameo!r} does not map to {kind}")
    if event["modality"] not in MODALITIES:
        problems.append(f"modality {event['modality']!r}")
    if kind in RECIPIENT_REQUIRED and not event["recipient"]:
        problems.append(f"{kind} without recipient")
    mentioned = record["text"] + " " + (record["context"] or "")
    for role in ("actor", "recipient"):
        for actor in event[role]:
            if set(actor) != ACTOR_KEYS:
                problems.append(f"{role} keys {sorted(actor)}")
                continue
            if actor["text"] not in mentioned:
                problems.append(f"{role} text {actor['text']!r} not in sentence or context")
            if actor["country"] is not None and actor["country"] not in ISO3 | NON_STATE_CODES:
                problems.append(f"{role} country {actor['country']!r}")
            if actor["sector"] not in SECTORS:
                problems.append(f"{role} sector {actor['sector']!r}")
            if actor["name"] is not None and not actor["name"].strip():
                problems.append(f"{role} name is blank")
    place = event["place"]
    if place is not None:
        if set(place) != PLACE_KEYS:
            problems.append(f"place keys {sorted(place)}")
        else:
            if place["text"] not in mentioned:
                problems.append(f"place text {place['text']!r} not in sentence or context")
            if place["country"] not in ISO3:
                problems.append(f"place country {place['country']!r}")
    if event["date"] is not None:
        day = dt.date.fromisoformat(event["date"])
        published = dt.date.fromisoformat(record["published"])
        if event["modality"] in {"factual", "negated"} and day > published:
            problems.append(f"{event['modality']} event dated {day} after publication {published}")
    return problems


@pytest.mark.parametrize("split", sorted(SPLIT_FILES))
def test_records_have_the_contract_fields_and_valid_codes(
    split: str, gold: dict[str, list[dict[str, Any]]]
) -> None:
    problems = []
    for record in gold[split]:
        if set(record) != RECORD_KEYS:
            problems.append((record.get("id"), f"record keys {sorted(record)}"))
            continue
        dt.date.fromisoformat(record["published"])
        if not record["text"].strip():
            problems.append((record["id"], "empty text"))
        if record["context"] is not None and not record["context"].strip():
            problems.append((record["id"], "blank context (use null)"))
        bad_areas = set(record["areas"]) - AREAS
        if bad_areas or len(set(record["areas"])) != len(record["areas"]):
            problems.append((record["id"], f"areas {record['areas']}"))
        for event in record["events"]:
            problems.extend((record["id"], problem) for problem in event_problems(event, record))
    assert problems == []


@pytest.mark.parametrize("split", sorted(SPLIT_FILES))
def test_ids_are_unique_and_numbered_in_order(
    split: str, gold: dict[str, list[dict[str, Any]]]
) -> None:
    ids = [record["id"] for record in gold[split]]
    expected = [f"{ID_PREFIX[split]}{n:04d}" for n in range(1, len(ids) + 1)]
    assert ids == expected


def test_no_sentence_is_in_both_splits(gold: dict[str, list[dict[str, Any]]]) -> None:
    texts = Counter(record["text"] for record in all_records(gold))
    assert [text for text, count in texts.items() if count > 1] == []


def test_split_sizes(gold: dict[str, list[dict[str, Any]]]) -> None:
    total = len(all_records(gold))
    assert total >= MIN_TOTAL_SENTENCES
    assert {split: len(gold[split]) >= size for split, size in MIN_HELD_OUT_SENTENCES.items()} == {
        split: True for split in MIN_HELD_OUT_SENTENCES
    }


@pytest.mark.parametrize("split", ["all", "dev", "validation", "test"])
def test_every_event_type_and_area_is_covered(
    split: str, gold: dict[str, list[dict[str, Any]]]
) -> None:
    records = all_records(gold) if split == "all" else gold[split]
    types = Counter(event["event"] for record in records for event in record["events"])
    areas = Counter(area for record in records for area in record["areas"])
    short_types = {t: types[t] for t in EVENT_TYPES if types[t] < MIN_EVENT_TYPE[split]}
    short_areas = {a: areas[a] for a in AREAS if areas[a] < MIN_AREA[split]}
    assert (short_types, short_areas) == ({}, {})


def test_negatives_and_modalities_are_covered(gold: dict[str, list[dict[str, Any]]]) -> None:
    records = all_records(gold)
    negatives = sum(1 for record in records if not record["events"])
    modalities = Counter(event["modality"] for record in records for event in record["events"])
    assert negatives >= MIN_NEGATIVES
    assert {m: modalities[m] for m in MODALITIES if modalities[m] < MIN_MODALITY} == {}
    assert {split: sum(1 for r in gold[split] if not r["events"]) > 0 for split in gold} == {
        split: True for split in SPLIT_FILES
    }


def corpus_document(source: str) -> tuple[str, str]:
    """(text, published date) of a demo corpus file or wire item named as a gold source."""
    if source.startswith("wire.jsonl#"):
        wanted = source.split("#", 1)[1]
        for line in (CORPUS_DIR / "wire.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if item["id"] == wanted:
                return item["text"], item["published"]
        raise AssertionError(f"no wire item {wanted}")
    raw = (CORPUS_DIR / "articles" / source).read_text(encoding="utf-8")
    match = re.search(r"^published: (\S+)$", raw, re.MULTILINE)
    assert match, f"{source} has no published date"
    return raw, match.group(1)


def test_corpus_sentences_are_verbatim_with_their_publication_date(
    gold: dict[str, list[dict[str, Any]]],
) -> None:
    problems = []
    corpus_records = [r for r in all_records(gold) if r["source"] != "written"]
    for record in corpus_records:
        text, published = corpus_document(record["source"])
        if record["text"] not in text:
            problems.append((record["id"], "text not verbatim"))
        if record["published"] != published:
            problems.append((record["id"], f"published {record['published']} != {published}"))
        for part in re.split(r"(?<=\.) (?=[A-Z])", record["context"] or ""):
            if part and part not in text:
                problems.append((record["id"], "context not verbatim"))
    assert problems == []
    assert 100 <= len(corpus_records) <= 140


@pytest.mark.parametrize("split", HELD_OUT)
def test_held_out_splits_match_the_checksums_in_readme(split: str) -> None:
    pattern = rf"{split} split sha256: `([0-9a-f]{{64}})`"
    recorded = re.search(pattern, README.read_text(encoding="utf-8"))
    assert recorded, f"tests/gold/README.md must record the {split} split checksum"
    actual = hashlib.sha256(SPLIT_FILES[split].read_bytes()).hexdigest()
    assert actual == recorded.group(1), f"the frozen {split} split changed: see the freeze rule"


def test_cameo_mapping_rejects_dropped_and_mismatched_codes() -> None:
    assert plover_events_for_cameo("042") == {"CONSULT"}
    assert plover_events_for_cameo("0841") == {"RETREAT"}
    assert plover_events_for_cameo("081") == {"CONCEDE"}
    assert plover_events_for_cameo("010") == set()
    assert plover_events_for_cameo("0212") == set()
    bad = {
        "event": "CONSULT",
        "mode": "visit",
        "cameo": "057",
        "modality": "factual",
        "actor": [],
        "recipient": [],
        "date": None,
        "place": None,
    }
    assert event_problems(bad, {"text": "x", "context": None, "published": "2024-01-01"}) == [
        "cameo '057' does not map to CONSULT"
    ]
