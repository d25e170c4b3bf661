"""What a pronoun in an event's argument stands for (used by ``event_arguments``).

- In a reported statement, the speaker: "Serbia said it had cut ...", "officials said
  they were leaving".
- The object pronoun of a participle, the object of the clause it hangs on: "expelled an
  activist, labelling him a threat", "imposed sanctions on two officials, accusing them".
- Otherwise "he"/"she" the nearest person named before (a person named as a subject for
  "him"), "it" the nearest state or body in the sentence, and "they" a group, which the
  events component replaces with the participants of the event told just before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from pactwatch.nlp.components.event_mentions import Participant, actor_from_mention
from pactwatch.nlp.components.event_subjects import objects_via
from pactwatch.nlp.components.modality import SPEECH_VERBS
from pactwatch.nlp.records import EventActor

if TYPE_CHECKING:
    from pactwatch.nlp.components.event_arguments import ArgumentReader

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
_SPEECH_VERBS = SPEECH_VERBS | {"warn", "promise", "pledge", "deny"}


def resolve_pronoun(reader: ArgumentReader, head: Token) -> Participant | None:
    """What a pronoun stands for.

    "Serbia said it had cut ...", "officials said they were leaving": the speaker. An
    object pronoun of a participle: the object of the clause it hangs on. Otherwise
    "he"/"she" is the nearest person named before, "it" the nearest state or body, and
    "they" a group standing for the participants of the event told just before (resolved
    like "both officials").
    """
    speaker = speaker_of(head)
    if speaker is not None:
        found = reader.participant(speaker)
        if found is not None and not found.group:
            return Participant(found.actor, found.start, found.end, found.kind, token=head.i)
    for antecedent in object_antecedents(head):
        found = reader.participant(antecedent)
        if found is not None and not found.group and found.actor.country:
            return Participant(found.actor, found.start, found.end, found.kind, token=head.i)
    if head.lower_ in THING_PRONOUNS:
        # "thanked Russia for the tanks it has donated": the nearest state or body.
        named = reader.index.body_before(head)
        if named is not None:
            return Participant(
                actor_from_mention(named), named.start, named.end, named.kind, token=head.i
            )
        return None
    if head.lower_ in PERSON_PRONOUNS:
        person = reader.index.person_before(head, subject=head.dep_ in ("dobj", "pobj", "dative"))
        if person is None:
            return None
        return Participant(
            actor_from_mention(person), person.start, person.end, "person", token=head.i
        )
    if head.lower_ in PLURAL_PRONOUNS:
        actor = EventActor(raw_text=head.text, entity_name="", country=None, sector=None)
        return Participant(actor, head.idx, head.idx + len(head.text), group=True, token=head.i)
    return None


def speaker_of(pronoun: Token) -> Token | None:
    """The subject of the speech verb whose complement the pronoun is the subject of."""
    if pronoun.dep_ not in ("nsubj", "nsubjpass", "poss"):
        return None
    clause = pronoun.head
    if pronoun.dep_ == "poss":  # "Serbia said its troops would ..."
        clause = clause.head if clause.dep_ in ("nsubj", "nsubjpass") else clause
    for _ in range(3):
        if clause.dep_ == "ccomp" and clause.head.lemma_.lower() in _SPEECH_VERBS:
            speakers = [c for c in clause.head.children if c.dep_ == "nsubj"]
            if speakers and speakers[0].lower_ not in PERSON_PRONOUNS | PLURAL_PRONOUNS:
                return speakers[0]
            return None
        if clause.dep_ not in ("conj", "xcomp") or clause.head.i == clause.i:
            return None
        clause = clause.head
    return None


_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "it"})
_SUBORDINATE = frozenset({"advcl", "xcomp", "pcomp", "prep", "conj"})


def object_antecedents(pronoun: Token) -> list[Token]:
    """What an object pronoun of a participle refers back to: the object of the clause the
    participle hangs on ("expelled an activist, labelling him a threat"; "imposed sanctions
    on two officials, accusing them of ..."; "released a citizen after questioning him").

    Only for a verb with no subject of its own, whose doer is the main clause's subject; the
    candidates are the main verb's direct object, then the objects of its "on"/"against"
    phrases and of the direct object's "of" phrase, nearest the pronoun last.
    """
    if pronoun.lower_ not in _OBJECT_PRONOUNS or pronoun.dep_ not in ("dobj", "dative"):
        return []
    verb = pronoun.head
    if verb.pos_ != "VERB" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return []
    main = verb
    for _ in range(3):
        if main.dep_ not in _SUBORDINATE or main.head.i == main.i:
            break
        main = main.head
    if main.i == verb.i or main.pos_ != "VERB":
        return []
    out: list[Token] = []
    for child in main.children:
        if child.i >= pronoun.i:
            continue
        if child.dep_ == "dobj":
            out.append(child)
            out += objects_via(child, ("of",))
        elif child.dep_ == "prep" and child.lower_ in ("on", "against"):
            out += [o for o in child.children if o.dep_ == "pobj"]
    plural = pronoun.lower_ == "them"
    return [t for t in out if (t.tag_ in ("NNS", "NNPS") or bool(t.conjuncts)) == plural]
