"""Office claims against the reference: "X is the <office> of <country>", checked on a day.

Every person the text gives a role ("Kosovo's Prime Minister, Albin Zemaj") makes a claim
that the person held that office when the document was written: on its publication date,
or, for an undated document, on the day it was ingested (``date_basis`` "ingested", and the
explanation says so). Only mentions whose own words state the role count (the role's
phrase reaches beyond the name); a later bare "Zemaj" that extraction bound to the same
role repeats the claim, it does not make a new one. One claim per person and office per
document, anchored at the first statement, with every statement kept as evidence.

Verdicts, against ``Knowledge`` (``knowledge/office_holders.yaml`` and any extra folder):

- ``match``: the reference gives this person this office that day (acting holders count);
- ``conflict``: someone else held it that day. The explanation names who, with dates, and
  what the claimed person held that day, held of this office at another time, or that
  the reference does not know the person at all;
- ``unknown``: the role names no office of the reference; the person is an ambiguous bare
  surname; the role text qualifies the office into another one ("Deputy Foreign
  Minister", "former Defence Minister"); the reference records no holder that day; or the
  document is undated and the person did hold this office before it was ingested (an old
  story, not a wrong one).

Days after the office's ``confirmed_until`` (the last day its files vouch for): the claim
is checked against the record as of ``confirmed_until`` (a holder with an open term is
taken to still hold the office) and the explanation says "as of <day>, the last date the
reference was confirmed". A stale reference can then call a claim a conflict that a later
record would match; the wording leaves that visible to the analyst.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from pactwatch.extract import Extraction
from pactwatch.knowledge import Holding, Knowledge, Office
from pactwatch.knowledge.text import fold
from pactwatch.models import Document
from pactwatch.nlp.records import ActorMention
from pactwatch.verify.flags import Evidence, Flag, span_evidence

DateBasis = Literal["published", "ingested"]
Verdict = Literal["match", "conflict", "unknown"]

# Words of a stated role that make it another office ("Deputy Foreign Minister") or another
# time ("former", "then", "incoming"), unless the office's own titles contain them
# ("First Deputy Prime Minister"). Such a binding is too weak to call a conflict.
_OTHER_OFFICE_OR_TIME = frozenset(
    {"former", "ex", "then", "late", "incoming", "designate", "elect", "future", "nominee",
     "deputy", "vice", "assistant"}
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(slots=True)
class RoleStatement:
    """One place the text states the role: the name's span and the role words' span."""

    start: int
    end: int
    role_start: int
    role_end: int


@dataclass(slots=True)
class OfficeClaim:
    """One "X is the <office>" claim of a document and what the reference says of it.

    ``start``/``end`` is the first mention stating the role; ``statements`` every one.
    ``on_date`` is the day the claim is about (publication or ingestion);
    ``reference_date`` the day the reference was read for it (``on_date``, or the office's
    ``confirmed_until`` when ``on_date`` is later). ``record`` names who held the office
    then, ``source_note`` where the reference took that from.
    """

    document_id: str
    start: int
    end: int
    person: str
    role_text: str
    office: str | None
    country: str | None
    on_date: date
    date_basis: DateBasis
    verdict: Verdict
    record: str | None
    source_note: str | None
    explanation: str
    reference_date: date | None = None
    record_person: str | None = None
    statements: list[RoleStatement] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["on_date"] = self.on_date.isoformat()
        data["reference_date"] = self.reference_date.isoformat() if self.reference_date else None
        return data


def office_claims(
    document: Document, extraction: Extraction, knowledge: Knowledge, *, ingested_on: date
) -> list[OfficeClaim]:
    """The office claims of ``document``, each checked against ``knowledge``, in text order."""
    basis: DateBasis = "published" if document.published is not None else "ingested"
    on_date = document.published.date() if document.published is not None else ingested_on
    groups: dict[tuple[str, str], list[ActorMention]] = {}
    for mention in extraction.mentions:
        if mention.kind != "person" or not mention.role_text or not _states_role(mention):
            continue
        key = (mention.entity_name, mention.role_office or fold(mention.role_text))
        groups.setdefault(key, []).append(mention)
    claims = []
    for mentions in groups.values():
        first = mentions[0]
        office = knowledge.office(first.role_office) if first.role_office else None
        verdict = _Check(knowledge, first, office, on_date, basis).run()
        claims.append(
            OfficeClaim(
                document_id=document.id,
                start=first.start,
                end=first.end,
                person=first.entity_name,
                role_text=first.role_text or "",
                office=office.key if office else None,
                country=office.country if office else first.role_country,
                on_date=on_date,
                date_basis=basis,
                verdict=verdict.verdict,
                record=verdict.record,
                source_note=verdict.source_note,
                explanation=verdict.explanation,
                reference_date=verdict.reference_date,
                record_person=verdict.record_person,
                statements=[_statement(document.text, m) for m in mentions],
            )
        )
    claims.sort(key=lambda c: c.start)
    return claims


def claim_flags(document: Document, claims: list[OfficeClaim]) -> list[Flag]:
    """One serious ``role_conflicts_with_reference`` flag per conflicting claim."""
    flags = []
    for claim in claims:
        if claim.verdict != "conflict":
            continue
        evidence: list[Evidence] = []
        for statement in claim.statements or [RoleStatement(claim.start, claim.end, 0, 0)]:
            evidence.append(
                span_evidence(document.text, statement.start, statement.end, document.id)
            )
            if statement.role_end > statement.role_start:
                evidence.append(
                    span_evidence(
                        document.text, statement.role_start, statement.role_end, document.id
                    )
                )
        evidence.append(Evidence("reference", claim.record or "", source=claim.source_note))
        flags.append(
            Flag(
                "role_conflicts_with_reference",
                "serious",
                claim.explanation,
                evidence=evidence,
                document_id=document.id,
                details={"claim": claim.as_json()},
            )
        )
    return flags


# The check of one claim ---------------------------------------------------------------


@dataclass(slots=True)
class _Verdict:
    verdict: Verdict
    explanation: str
    record: str | None = None
    source_note: str | None = None
    reference_date: date | None = None
    record_person: str | None = None


class _Check:
    """Everything one claim's verdict needs, so each outcome is a short method."""

    def __init__(
        self,
        knowledge: Knowledge,
        mention: ActorMention,
        office: Office | None,
        on_date: date,
        basis: str,
    ) -> None:
        self.knowledge = knowledge
        self.mention = mention
        self.office = office
        self.on_date = on_date
        self.undated = basis == "ingested"
        known = knowledge.person(mention.entity_name)
        self.person = known.name if known else mention.entity_name
        self.known = known is not None
        self.day = on_date
        self.as_of = ""
        if office is not None and office.confirmed_until and on_date > office.confirmed_until:
            self.day = office.confirmed_until
            self.as_of = f" as of {self.day}, the last date the reference was confirmed"

    @property
    def when(self) -> str:
        if self.undated:
            return (
                f"; checked at {self.on_date}, the day it was ingested, as the document is undated"
            )
        return ""

    def run(self) -> _Verdict:
        mention, office = self.mention, self.office
        role = mention.role_text or ""
        if mention.ambiguous and mention.candidates:
            names = ", ".join(mention.candidates)
            return _Verdict(
                "unknown", f"'{mention.text}' ({role}) could be {names}: not checked{self.when}"
            )
        if office is None:
            return _Verdict(
                "unknown",
                f"{self.person} is called '{role}', which names no office of the reference"
                f"{self.when}",
            )
        weak = _other_office_or_time(role, office)
        if weak:
            return _Verdict(
                "unknown",
                f"{self.person} is called '{role}': '{weak}' makes it another office or time "
                f"than {office.title}, so it is not checked{self.when}",
            )
        current = [h for h in office.holders if h.covers(self.day)]
        mine = [h for h in current if h.person == self.person]
        if mine:
            return self._match(office, mine[0])
        if not current:
            return _Verdict(
                "unknown",
                f"The reference records no holder of {office.title} on {self.day}{self.as_of}; "
                f"{self.person}'s claim is not checked{self.when}",
                reference_date=self.day,
            )
        earlier = [h for h in office.holders if h.person == self.person and h.start <= self.on_date]
        if self.undated and earlier:
            return _Verdict(
                "unknown",
                f"{self.person} was {office.title} {_term(earlier[-1])}, not on {self.day}; "
                f"the document is undated and may be from then, so it is not checked",
                reference_date=self.day,
            )
        return self._conflict(office, current)

    def _match(self, office: Office, holding: Holding) -> _Verdict:
        acting = " (acting)" if holding.acting else ""
        return _Verdict(
            "match",
            f"{self.person} was {office.title}{acting} on {self.day}{self.as_of}, "
            f"as the reference records ({_term(holding)}){self.when}",
            record=_record(office, holding),
            source_note=holding.source,
            reference_date=self.day,
            record_person=holding.person,
        )

    def _conflict(self, office: Office, current: list[Holding]) -> _Verdict:
        holder = self.knowledge.holder_of(office.key, self.day) or current[0]
        held = f"{holder.person} held that office on {self.day} ({_term(holder)})"
        if self.as_of:
            held = f"the reference has {holder.person} in that office ({_term(holder)}){self.as_of}"
        notes = self._about_the_person(office, current)
        return _Verdict(
            "conflict",
            f"{self.person} is called {office.title}, but {held}{notes}{self.when}",
            record=_record(office, holder),
            source_note=holder.source,
            reference_date=self.day,
            record_person=holder.person,
        )

    def _about_the_person(self, office: Office, current: list[Holding]) -> str:
        """What the reference says of the claimed person, and of holders sharing a name."""
        notes = []
        if not self.known:
            notes.append(f"{self.person} is not in the reference")
        else:
            for other, _holding in self.knowledge.holdings_of(self.person, self.day):
                notes.append(f"{self.person} was {other.title} on {self.day}")
            terms = [_term(h) for h in office.holders if h.person == self.person]
            if terms:
                notes.append(f"{self.person} held this office {' and '.join(terms)}")
            else:
                notes.append(f"{self.person} never held it")
        words = {w for w in _words(self.person) if len(w) > 2}
        named = {h.person for h in current} | {self.person}
        for holding in office.holders:
            if holding.person in named:
                continue
            if words & set(_words(holding.person)):
                notes.append(f"{holding.person} held it {_term(holding)}")
        return "".join(f"; {note}" for note in notes)


def _states_role(mention: ActorMention) -> bool:
    """Whether the mention's own words state the role (not one carried over from earlier)."""
    if mention.phrase_start is None or mention.phrase_end is None:
        return True
    return mention.phrase_start < mention.start or mention.phrase_end > mention.end


def _statement(text: str, mention: ActorMention) -> RoleStatement:
    """Where the name and the role words are; the whole phrase when a part is not found."""
    start = mention.phrase_start if mention.phrase_start is not None else mention.start
    end = mention.phrase_end if mention.phrase_end is not None else mention.end
    phrase = text[start:end]
    found = []
    for part in (mention.role_text or "").split("; "):
        at = phrase.find(part) if part else -1
        if at >= 0:
            found.append((start + at, start + at + len(part)))
    if not found:
        return RoleStatement(mention.start, mention.end, start, end)
    return RoleStatement(
        mention.start, mention.end, min(s for s, _ in found), max(e for _, e in found)
    )


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _other_office_or_time(role: str, office: Office) -> str | None:
    """The first word of ``role`` that makes it another office or time than ``office``."""
    own = {w for title in [office.title, *office.titles] for w in _words(title)}
    for word in _words(role):
        if word in _OTHER_OFFICE_OR_TIME and word not in own:
            return word
    return None


def _term(holding: Holding) -> str:
    if holding.end is None:
        return f"since {holding.start}"
    return f"from {holding.start} to {holding.end}"


def _record(office: Office, holding: Holding) -> str:
    acting = ", acting" if holding.acting else ""
    return f"{holding.person}, {office.title}{acting}, {_term(holding)}"
