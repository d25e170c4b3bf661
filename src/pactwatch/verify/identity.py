"""Conflicting identity: one surname bound to different given names or offices in one story.

A generated or carelessly spun story about one meeting may name its participant "Minister
of Foreign Affairs Donika Zemaj" in one paragraph and "Prime Minister Albin Zemaj" in
another. Families and namesakes are real, so a shared surname alone proves nothing; what
makes the names conflict is that the text uses them *in the same slot of the same event*:

- the names are bound to one event: both are participants of one extracted ``Event``
  (grouping already merged the retellings of the meeting into one), or both are named in
  sentences that are mentions of that event;
- the text never presents them as two people: no sentence names both ("Presidents George
  H. W. Bush and George W. Bush"), no kinship word stands beside either ("his brother",
  "Bush's father") and no sentence adds one to the others ("Bill Clinton also attended",
  "together with");
- their given names cannot be one person's: "George W. Bush" and "George Bush", or "J.
  Borrell" and "Josep Borrell", are compatible (the shorter list of given names matches
  the longer in order, an initial matching its word, "Bill" matching "William"; letters
  are compared without diacritics, "Đ" as "Dj").

Such a surname gets one ``serious`` flag listing every claim (name, stated office, lines,
evidence spans). Names that are not bound to one event but are given the same office
("Prime Minister Albin Zemaj", elsewhere "Prime Minister Avni Zemaj") get a ``warning``:
an office is held by one person at a time, but the story may tell of two periods. Two
people sharing a surname in different events are not flagged at all.

One full name given two different offices (``role_office`` keys) in mentions of one event
is a ``warning``: people do hold two posts ("Deputy Prime Minister and Minister of Foreign
Affairs"), so it is worth a look, not a verdict. Offices marked as past ("former", "ex-",
"then") are not claims about the present and are left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from pactwatch.extract import Extraction, event_id
from pactwatch.models import Document
from pactwatch.nlp.records import ActorMention, Event
from pactwatch.verify.facts import EVENT_NOUNS
from pactwatch.verify.flags import Flag, Severity, line_of, span_evidence

# A kinship word within this many characters of a name presents the names as relatives.
KINSHIP_WINDOW = 40
_KINSHIP = re.compile(
    r"\b(?:father|mother|son|daughter|brother|sister|wife|husband|widow|widower|cousin|uncle"
    r"|aunt|nephew|niece|grandson|granddaughter|grandfather|grandmother|parents?|sons"
    r"|daughters|brothers|sisters|family|relatives?|namesake|no relation)\b",
    re.IGNORECASE,
)
_NEW_EVENT = re.compile(
    r"\b(?:another|second|third|new|earlier|previous|prior|next|separate|later|follow-up)\s+"
    r"(?:meeting|talks|visit|attack|protest|agreement|deal|arrest|round)\b",
    re.IGNORECASE,
)
# "Bill Clinton also attended": a participant added to the others, not a retelling.
_ADDED = re.compile(
    r"\b(?:also|as well|too|along with|together with|accompanied|joined|alongside)\b",
    re.IGNORECASE,
)
_PAST_ROLE = re.compile(r"\b(?:former|ex|then|late|previous|outgoing|erstwhile)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Claim:
    """One way the text names a person: a full name and the offices stated with it."""

    name: str
    mentions: list[ActorMention] = field(default_factory=list)

    def offices(self) -> list[str]:
        return _unique(m.role_office for m in self.mentions if _present_office(m))

    def roles(self) -> list[str]:
        return _unique(m.role_text for m in self.mentions if m.role_text)


def identity_flags(document: Document, extraction: Extraction) -> list[Flag]:
    """One ``conflicting_identity`` flag per surname whose names or offices conflict."""
    people = [m for m in extraction.mentions if m.kind == "person"]
    by_surname: dict[str, dict[str, _Claim]] = defaultdict(dict)
    for mention in people:
        parts = mention.entity_name.split()
        if len(parts) < 2 or mention.ambiguous:
            continue  # a bare surname cannot be told apart from its candidates
        claims = by_surname[_fold(parts[-1])]
        claims.setdefault(mention.entity_name, _Claim(mention.entity_name)).mentions.append(mention)
    flags: list[Flag] = []
    for surname_key, named in by_surname.items():
        merged = _merge_compatible(list(named.values()))
        flag = _surname_flag(document, extraction, merged, people, surname_key)
        if flag is None:
            flag = _office_flag(document, extraction, merged)
        if flag is not None:
            flags.append(flag)
    return flags


def _surname_flag(
    document: Document,
    extraction: Extraction,
    claims: list[_Claim],
    people: list[ActorMention],
    surname_key: str,
) -> Flag | None:
    if len(claims) < 2:
        return None
    text = document.text
    spans = extraction.sentence_spans
    serious: set[int] = set()
    warned: set[int] = set()
    events: dict[str, Event] = {}
    for (i, a), (j, b) in combinations(enumerate(claims), 2):
        if _co_mentioned(a, b, spans) or any(_apart(text, c, spans) for c in (a, b)):
            continue
        shared = _shared_events(a, b, extraction, text)
        if shared:
            serious |= {i, j}
            for event in shared:
                events[event_id(document.id, event)] = event
        elif set(a.offices()) & set(b.offices()):
            warned |= {i, j}
    involved = sorted(serious or warned)
    if not involved:
        return None
    chosen = [claims[i] for i in involved]
    severity: Severity = "serious" if serious else "warning"
    surname = chosen[0].name.split()[-1]
    bare = [
        m for m in people if len(m.entity_name.split()) == 1 and _fold(m.entity_name) == surname_key
    ]
    listed = _listing([_described(c) for c in chosen])
    count = _count_word(len(chosen))
    if serious:
        nouns = sorted({_event_noun(e) for e in events.values()})
        what = f"one {nouns[0]}" if len(events) == 1 else "the same events"
        explanation = f"'{surname}' is given {count} first names for {what}: {listed}"
    else:
        explanation = f"'{surname}' is given {count} first names for one office: {listed}"
    evidence = [
        span_evidence(text, *_phrase(m), document_id=document.id)
        for c in chosen
        for m in c.mentions
    ]
    details = {
        "surname": surname,
        "claims": [_claim_json(text, c) for c in chosen],
        "event_ids": sorted(events),
        "bare_surname_lines": sorted({line_of(text, m.start) for m in bare}),
        "bound_to": "one event" if serious else "one office",
    }
    return Flag(
        "conflicting_identity",
        severity,
        explanation,
        evidence,
        document_id=document.id,
        event_id=next(iter(events)) if len(events) == 1 else None,
        details=details,
    )


def _office_flag(document: Document, extraction: Extraction, claims: list[_Claim]) -> Flag | None:
    """One full name given two present offices in mentions of one event: a warning."""
    text = document.text
    for claim in claims:
        by_office: dict[str, list[ActorMention]] = defaultdict(list)
        for m in claim.mentions:
            if _present_office(m) and m.role_office:
                by_office[m.role_office].append(m)
        if len(by_office) < 2:
            continue
        # Two offices bound to one event: mentions under each office are in it.
        shared = [e for e in extraction.events if _offices_in(e, by_office, extraction, text) > 1]
        if not shared:
            continue
        roles = [ms[0].role_text or office for office, ms in by_office.items()]
        event = shared[0]
        noun = _event_noun(event)
        return Flag(
            "conflicting_identity",
            "warning",
            f"{claim.name} is given {_count_word(len(roles))} offices for one {noun}: "
            f"{_listing(roles)}",
            [
                span_evidence(text, *_phrase(m), document_id=document.id)
                for ms in by_office.values()
                for m in ms
            ],
            document_id=document.id,
            event_id=event_id(document.id, event),
            details={
                "person": claim.name,
                "claims": [
                    {
                        "name": claim.name,
                        "role": ms[0].role_text,
                        "office": office,
                        "lines": sorted({line_of(text, m.start) for m in ms}),
                    }
                    for office, ms in by_office.items()
                ],
            },
        )
    return None


def _offices_in(
    event: Event, by_office: dict[str, list[ActorMention]], extraction: Extraction, text: str
) -> int:
    """How many of the offices have a mention bound to ``event``."""
    return sum(_in_event(ms, event, extraction, text, by_name=False) for ms in by_office.values())


def _merge_compatible(claims: list[_Claim]) -> list[_Claim]:
    """Claims whose given names may be one person's are one claim, under the fullest name."""
    merged: list[_Claim] = []
    for claim in sorted(claims, key=lambda c: -len(c.name.split())):
        home = next((m for m in merged if _compatible(m.name, claim.name)), None)
        if home is None:
            merged.append(_Claim(claim.name, list(claim.mentions)))
        else:
            home.mentions.extend(claim.mentions)
    for claim in merged:
        claim.mentions.sort(key=lambda m: m.start)
    return sorted(merged, key=lambda c: c.mentions[0].start)


def _compatible(longer: str, shorter: str) -> bool:
    """Whether the given names of ``shorter`` match those of ``longer`` in order."""
    big = [_fold(w).rstrip(".") for w in longer.split()[:-1]]
    small = [_fold(w).rstrip(".") for w in shorter.split()[:-1]]
    position = 0
    for word in small:
        while position < len(big) and not _same_given(big[position], word):
            position += 1
        if position == len(big):
            return False
        position += 1
    return True


def _same_given(one: str, other: str) -> bool:
    one, other = _SHORT_NAMES.get(one, one), _SHORT_NAMES.get(other, other)
    if one == other:
        return True
    short, long_ = sorted((one, other), key=len)
    return len(short) == 1 and long_.startswith(short)


def _co_mentioned(a: _Claim, b: _Claim, spans: list[tuple[int, int]]) -> bool:
    """Whether one sentence names both: the text presents them as two people."""
    sentences_a = {_sentence_of(m, spans) for m in a.mentions}
    return any(_sentence_of(m, spans) in sentences_a for m in b.mentions)


def _sentence_of(mention: ActorMention, spans: list[tuple[int, int]]) -> int:
    for index, (start, end) in enumerate(spans):
        if start <= mention.start < end:
            return index
    return mention.sentence


def _apart(text: str, claim: _Claim, spans: list[tuple[int, int]]) -> bool:
    """Whether the text marks this name as a relative or an added participant."""
    for m in claim.mentions:
        start, end = _phrase(m)
        window = text[max(0, start - KINSHIP_WINDOW) : end + KINSHIP_WINDOW]
        if _KINSHIP.search(window):
            return True
        if _ADDED.search(text, *_sentence_span(m, spans)):
            return True
    return False


def _shared_events(a: _Claim, b: _Claim, extraction: Extraction, text: str) -> list[Event]:
    """Events both names take part in: as participants, in the event's sentences, or in a
    sentence that refers back to the document's only event of its kind ("During the
    meeting, Minister ... said")."""
    return [
        e
        for e in extraction.events
        if _in_event(a.mentions, e, extraction, text) and _in_event(b.mentions, e, extraction, text)
    ]


def _in_event(
    mentions: list[ActorMention],
    event: Event,
    extraction: Extraction | None = None,
    text: str = "",
    *,
    by_name: bool = True,
) -> bool:
    """Whether ``mentions`` are bound to ``event``: by name among its participants (unless
    ``by_name`` is off, when the mentions of one name are split by office), by sentence,
    or by a definite back-reference to the document's only event of its kind."""
    names = {_fold(p.entity_name) for p in (*event.actor, *event.recipient)}
    if by_name and any(_fold(m.entity_name) in names for m in mentions):
        return True
    if any(s.sentence_start <= m.start < s.sentence_end for m in mentions for s in event.mentions):
        return True
    if extraction is None or event.modality != "factual":
        return False
    same_kind = [e for e in extraction.events if e.event == event.event and e.modality == "factual"]
    nouns = EVENT_NOUNS.get(event.event)
    if len(same_kind) != 1 or not nouns:
        return False
    back = re.compile(rf"\b(?:the|this|that)\s+(?:{'|'.join(nouns)})\b", re.IGNORECASE)
    for m in mentions:
        start, end = _sentence_span(m, extraction.sentence_spans)
        found = back.search(text, start, end)
        if found is not None and not _NEW_EVENT.search(text, start, end):
            return True
    return False


def _sentence_span(mention: ActorMention, spans: list[tuple[int, int]]) -> tuple[int, int]:
    for start, end in spans:
        if start <= mention.start < end:
            return start, end
    return mention.start, mention.end


def _event_noun(event: Event) -> str:
    nouns = EVENT_NOUNS.get(event.event)
    return nouns[0] if nouns else "event"


def _present_office(mention: ActorMention) -> bool:
    return bool(mention.role_office) and not _PAST_ROLE.search(mention.role_text or "")


def _phrase(mention: ActorMention) -> tuple[int, int]:
    if mention.phrase_start is not None and mention.phrase_end is not None:
        return mention.phrase_start, mention.phrase_end
    return mention.start, mention.end


def _claim_json(text: str, claim: _Claim) -> dict[str, object]:
    roles = claim.roles()
    return {
        "name": claim.name,
        "role": roles[0] if roles else None,
        "roles": roles,
        "offices": claim.offices(),
        "lines": sorted({line_of(text, m.start) for m in claim.mentions}),
        "spans": [{"start": s, "end": e} for s, e in (_phrase(m) for m in claim.mentions)],
    }


def _described(claim: _Claim) -> str:
    given = " ".join(claim.name.split()[:-1])
    roles = claim.roles()
    return f"{given} ({roles[0]})" if roles else given


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def _unique(values: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


# Letters NFKD does not decompose, spelled as outlets without diacritics spell them
# ("Đurić" / "Djuric").
_TRANSLITERATION = str.maketrans({"đ": "dj", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss"})
# Short forms of given names that news copy mixes with the full form.
_SHORT_NAMES = {
    "bill": "william", "bob": "robert", "jim": "james", "mike": "michael", "joe": "joseph",
    "tony": "anthony", "dick": "richard", "ted": "edward", "tom": "thomas", "alex": "alexander",
}  # fmt: skip


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_TRANSLITERATION))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
