"""The event lexicon: ``knowledge/data/event_lexicon.yaml`` read into typed rules.

The YAML file documents its own format (see its header); this module only reads and
checks it, so a typo in the data fails loudly at start-up with the file and the entry
named, never silently at extraction time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pactwatch.errors import ConfigError
from pactwatch.yaml_load import safe_load

LEXICON_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "event_lexicon.yaml"

PLOVER_EVENTS = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
CONDITION_KEYS = frozenset(
    {"objects", "subjects", "single_country", "recipient_igo", "actor_igo", "actor_foreign",
     "actor_state", "actor_nonstate", "actor_people", "has_recipient"}
)  # fmt: skip
# Event types whose complement is their content ("agreed to hold talks" is AGREE).
FRAME_EVENTS = frozenset({"AGREE", "REQUEST", "REJECT", "THREATEN", "ACCUSE"})


class LexiconError(ConfigError):
    """The event lexicon or the cooperation areas file is malformed."""

    reason = "bad_lexicon"


@dataclass(frozen=True, slots=True)
class EventType:
    """A PLOVER event type: quad class, score, default recipient slots."""

    name: str
    quad: int
    score: float
    recipients: tuple[str, ...]
    requires_recipient: bool = False
    mode_scores: dict[str, float] = field(default_factory=dict)

    def score_for(self, mode: str | None) -> float:
        """The PLOVER score of this event with ``mode`` (the event's own when none is given)."""
        return self.mode_scores.get(mode or "", self.score)


@dataclass(frozen=True, slots=True)
class Coding:
    """What a matched trigger codes: event, mode, CAMEO code and contexts."""

    event: str
    mode: str | None
    cameo: str | None
    contexts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alternative:
    """A coding used instead of the rule's own when every condition in ``when`` holds."""

    when: dict[str, Any]
    coding: Coding


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One entry of ``triggers``: the words that tell of an event and the conditions."""

    id: str
    pos: str  # "VERB" or "NOUN"
    lemmas: frozenset[str]
    coding: Coding
    recipients: tuple[str, ...]
    preps: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    objects_not: frozenset[str] = frozenset()
    governors: frozenset[str] | None = None
    requires_modifier: frozenset[str] = frozenset()
    # nouns only: modifiers that make the noun a kind of thing, no act ("cyber threats")
    modifiers_not: frozenset[str] = frozenset()
    standalone: bool = False
    host: bool = False
    object_is_actor: bool = False
    subjects: frozenset[str] = frozenset()
    subjects_not: frozenset[str] = frozenset()
    frame: bool = False
    negates: bool = False
    participants_optional: bool = False
    stance: bool = False
    min_participants: int = 0
    clause_participants: bool = False
    via_in: bool = False
    # nouns only: any verb governs the noun it takes in one of these prepositions ("jumped
    # alongside U.S. troops in the drill", "unloaded vehicles as part of the exercise")
    via_preps: frozenset[str] = frozenset()
    passive: bool = False  # verbs only: the verb must be passive ("they were concerned")
    speaker: bool = False  # the reporting verb's subject acts on the trigger's subject
    future: bool = False  # verbs only: the verb must carry "will", "would" or "shall"
    content_clause: bool = False  # nouns only: the noun must carry a "that" clause
    # verbs only: what the verb says must be a consequence on a condition ("warned that
    # more measures would follow unless Pristina de-escalated")
    consequence: bool = False
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True, slots=True)
class EventLexicon:
    """The whole lexicon: event types, word classes and trigger rules by lemma."""

    events: dict[str, EventType]
    rules: tuple[TriggerRule, ...]
    classes: dict[str, frozenset[str]]
    sector_nouns: dict[str, str]  # noun (lower case) -> sector
    context_cues: dict[str, tuple[str, ...]]  # context -> cue phrases (lower case)
    group_heads: frozenset[str]
    group_determiners: tuple[str, ...]
    light_verbs: frozenset[str]
    transparent_nouns: frozenset[str]
    organisation_anaphors: frozenset[str] = frozenset()
    # (lemma, part of speech) -> rules in lexicon order; built from ``rules``.
    rule_index: dict[tuple[str, str], list[TriggerRule]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    # Every lemma some rule has (any part of speech): a word with another lemma cannot
    # trigger, and most words are skipped on this test alone; built from ``rules``.
    trigger_lemmas: frozenset[str] = field(
        default=frozenset(), init=False, compare=False, repr=False
    )

    def rules_for(self, lemma: str, pos: str) -> list[TriggerRule]:
        """The rules whose trigger is ``lemma`` with coarse part of speech ``pos``, in order."""
        return list(self.rule_index.get((lemma, pos), ()))

    def __post_init__(self) -> None:
        # Asked for every token of every sentence: an index instead of a scan of all rules.
        index: dict[tuple[str, str], list[TriggerRule]] = {}
        for rule in self.rules:
            for lemma in rule.lemmas:
                index.setdefault((lemma, rule.pos), []).append(rule)
        object.__setattr__(self, "rule_index", index)
        object.__setattr__(self, "trigger_lemmas", frozenset(lemma for lemma, _pos in index))

    def expand(self, words: frozenset[str]) -> frozenset[str]:
        """Words with every "@class" replaced by the class's words."""
        out: set[str] = set()
        for word in words:
            out |= self.classes.get(word[1:], frozenset()) if word.startswith("@") else {word}
        return frozenset(out)


@cache
def load_event_lexicon(path: Path = LEXICON_PATH) -> EventLexicon:
    """Read and check the event lexicon (cached per path)."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LexiconError(f"{path}: cannot read the event lexicon: {error}") from error
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    classes = {
        name: frozenset(str(w).lower() for w in words)
        for name, words in (data.get("classes") or {}).items()
    }
    events = {name: _event_type(path, name, spec) for name, spec in data["events"].items()}
    missing = set(PLOVER_EVENTS) - set(events)
    if missing:
        raise LexiconError(f"{path}: event types missing: {', '.join(sorted(missing))}")
    lexicon = EventLexicon(
        events=events,
        rules=(),
        classes=classes,
        sector_nouns={
            str(noun).lower(): sector
            for sector, nouns in (data.get("sector_nouns") or {}).items()
            for noun in nouns
        },
        context_cues={
            ctx: tuple(str(c).lower() for c in cues)
            for ctx, cues in (data.get("context_cues") or {}).items()
        },
        group_heads=frozenset((data.get("group_nouns") or {}).get("heads", [])),
        group_determiners=tuple((data.get("group_nouns") or {}).get("determiners", [])),
        light_verbs=frozenset(data.get("light_verbs") or []),
        transparent_nouns=frozenset(data.get("transparent_nouns") or []),
        organisation_anaphors=frozenset(data.get("organisation_anaphors") or []),
    )
    rules = tuple(_rule(path, lexicon, spec) for spec in data.get("triggers") or [])
    ids = [r.id for r in rules]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LexiconError(f"{path}: duplicate trigger ids: {', '.join(duplicates)}")
    return EventLexicon(**{**_fields(lexicon), "rules": rules})


def _fields(lexicon: EventLexicon) -> dict[str, Any]:
    derived = ("rule_index", "trigger_lemmas")  # built from the rules, not passed in
    return {name: getattr(lexicon, name) for name in EventLexicon.__slots__ if name not in derived}


def _event_type(path: Path, name: str, spec: dict[str, Any]) -> EventType:
    if name not in PLOVER_EVENTS:
        raise LexiconError(f"{path}: {name!r} is not a PLOVER event type")
    try:
        return EventType(
            name=name,
            quad=int(spec["quad"]),
            score=float(spec["score"]),
            recipients=tuple(spec.get("recipients") or ()),
            requires_recipient=bool(spec.get("requires_recipient", False)),
            mode_scores={k: float(v) for k, v in (spec.get("mode_scores") or {}).items()},
        )
    except (KeyError, TypeError, ValueError) as error:
        raise LexiconError(f"{path}: event type {name}: {error!r}") from error


def _coding(path: Path, where: str, spec: dict[str, Any]) -> Coding:
    event = spec.get("event")
    if event not in PLOVER_EVENTS:
        raise LexiconError(f"{path}: {where}: event {event!r} is not a PLOVER event type")
    cameo = spec.get("cameo")
    return Coding(
        event=event,
        mode=spec.get("mode"),
        cameo=str(cameo) if cameo is not None else None,
        contexts=tuple(spec.get("contexts") or ()),
    )


def word_list(path: Path, where: str, words: Any) -> list[str]:
    """A list of words from the data, refusing YAML's booleans (bare on/off/yes/no)."""
    out: list[str] = []
    for word in words or ():
        if isinstance(word, bool) or not isinstance(word, str | int):
            raise LexiconError(
                f"{path}: {where}: {word!r} is not a word (quote on, off, yes and no)"
            )
        out.append(str(word).lower())
    return out


def _words(lexicon: EventLexicon, path: Path, where: str, words: Any) -> frozenset[str]:
    out = frozenset(word_list(path, where, words))
    unknown = [w for w in out if w.startswith("@") and w[1:] not in lexicon.classes]
    if unknown:
        raise LexiconError(f"{path}: {where}: unknown word classes {unknown}")
    return lexicon.expand(out)


def _rule(path: Path, lexicon: EventLexicon, spec: dict[str, Any]) -> TriggerRule:
    rule_id = str(spec.get("id", "?"))
    where = f"trigger {rule_id}"
    if ("verbs" in spec) == ("nouns" in spec):
        raise LexiconError(f"{path}: {where}: give exactly one of 'verbs' or 'nouns'")
    pos = "VERB" if "verbs" in spec else "NOUN"
    coding = _coding(path, where, spec)
    governors_spec = spec.get("governors")
    governors: frozenset[str] | None
    if governors_spec == "light":
        governors = lexicon.light_verbs
    elif governors_spec is None:
        governors = None if pos == "VERB" else frozenset()
    else:
        governors = frozenset(governors_spec)
    alternatives = []
    for alt in spec.get("alternatives") or ():
        when = dict(alt.get("when") or {})
        if not when or set(when) - CONDITION_KEYS:
            raise LexiconError(f"{path}: {where}: alternative conditions {sorted(when)}")
        for key in ("objects", "subjects"):
            if key in when:
                when[key] = _words(lexicon, path, where, when[key])
        alternatives.append(Alternative(when=when, coding=_coding(path, where, alt)))
    recipients = word_list(path, where, spec["recipients"]) if "recipients" in spec else None
    return TriggerRule(
        id=rule_id,
        pos=pos,
        lemmas=frozenset(word_list(path, where, spec.get("verbs") or spec.get("nouns"))),
        coding=coding,
        recipients=tuple(recipients)
        if recipients is not None
        else lexicon.events[coding.event].recipients,
        preps=frozenset(word_list(path, where, spec.get("preps"))),
        objects=_words(lexicon, path, where, spec.get("objects")),
        objects_not=_words(lexicon, path, where, spec.get("objects_not")),
        governors=governors,
        requires_modifier=frozenset(word_list(path, where, spec.get("requires_modifier"))),
        modifiers_not=frozenset(word_list(path, where, spec.get("modifiers_not"))),
        standalone=bool(spec.get("standalone", False)),
        host=bool(spec.get("host", False)),
        object_is_actor=bool(spec.get("object_is_actor", False)),
        subjects=_words(lexicon, path, where, spec.get("subjects")),
        subjects_not=_words(lexicon, path, where, spec.get("subjects_not")),
        frame=bool(spec.get("frame", pos == "VERB" and coding.event in FRAME_EVENTS)),
        stance=bool(spec.get("stance", False)),
        min_participants=int(spec.get("min_participants", 0)),
        negates=bool(spec.get("negates", False)),
        participants_optional=bool(spec.get("participants_optional", False)),
        clause_participants=bool(spec.get("clause_participants", False)),
        via_in=bool(spec.get("via_in", False)),
        via_preps=frozenset(word_list(path, where, spec.get("via_preps"))),
        passive=bool(spec.get("passive", False)),
        speaker=bool(spec.get("speaker", False)),
        future=bool(spec.get("future", False)),
        content_clause=bool(spec.get("content_clause", False)),
        consequence=bool(spec.get("consequence", False)),
        alternatives=tuple(alternatives),
    )
