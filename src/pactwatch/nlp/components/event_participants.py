"""Who acts and who receives in one reading of a trigger: the participant rules.

``pw_events`` reads a trigger's slots off the parse (``event_triggers.verb_slots`` and
``noun_slots``); this module turns those tokens into actors and recipients and settles their
PLOVER roles: agents of passives, speakers of accusations, the owners of rejected acts and
of requests, the targets of measures, hosts of meetings, the conditions of threats, the
sides of clause-level events (see the comment at each step for the wording it reads).
"""

from __future__ import annotations

from pactwatch.nlp.components.event_arguments import ArgumentReader
from pactwatch.nlp.components.event_details import (
    PARTNERED_ACTS,
    at_whose_request,
    objects_of_to,
    partners_in_clause,
)
from pactwatch.nlp.components.event_lexicon import EventLexicon, TriggerRule
from pactwatch.nlp.components.event_mentions import Participant
from pactwatch.nlp.components.event_subjects import is_passive, purpose_objects, subject_tokens
from pactwatch.nlp.components.event_triggers import SlotTokens, TriggerMatch, clause_head
from pactwatch.nlp.components.modality import reporting_verb
from pactwatch.nlp.components.participant_rules import (
    DONE_TO,
    IMPOSING,
    LIFTED,
    OWNED_OBJECTS,
    VOICED,
    answered_parties,
    condition_subjects,
    content_subjects,
    delivered_to,
    first_of_two_objects,
    from_objects,
    goods_origins,
    measure_targets,
    meeting_hosts,
    object_owners,
    refused_parties,
    shared_agents,
    subject_further_up,
    things_origins,
)

# Passive cooperative acts with no agent are the speaker's ("NATO said forces had been
# authorised for KFOR"); a passive attack or sanction is not ("the sanctions were imposed").
_SPEAKER_ACTS = frozenset({"AID", "COOPERATE", "SUPPORT", "AGREE"})


def unique(participants: list[Participant], taken: list[Participant]) -> list[Participant]:
    """``participants`` that do not start where one of ``taken`` does."""
    return [p for p in participants if all(p.start != t.start for t in taken)]


def read_participants(
    match: TriggerMatch, slots: SlotTokens, reader: ArgumentReader, lexicon: EventLexicon
) -> tuple[list[Participant], list[Participant]]:
    """Actors and recipients of one reading, PLOVER roles settled."""
    rule = match.rule
    if rule.speaker:
        # "Montenegro's security agency said Russian services were behind the attacks":
        # who says so accuses whom they name.
        speech = reporting_verb(match.token)
        if speech is None:
            return [], []
        accused = reader.participants(slots.actors)
        return unique(reader.participants(subject_tokens(speech)), accused), accused
    actor_tokens = list(slots.actors)
    passive = rule.pos == "VERB" and is_passive(match.token)
    if passive and not actor_tokens:
        # "had been financed and logistically supported by Serbia": one agent for both.
        actor_tokens = shared_agents(match.token)
    if passive and not actor_tokens:
        if rule.coding.event in ("MOBILIZE", "RETREAT"):
            # "troops were placed on alert": the troops act.
            actor_tokens = [c for c in match.token.children if c.dep_ == "nsubjpass"]
        elif rule.coding.event in _SPEAKER_ACTS:
            # "The alliance said additional forces had been authorised": the speaker.
            speech = reporting_verb(match.token)
            actor_tokens = subject_tokens(speech) if speech is not None else []
    actors = reader.participants(actor_tokens)
    if rule.pos == "VERB" and not actors and not passive:
        actors = subject_further_up(match, reader)
    actors += unique(reader.participants(slots.modifiers, bare=False), actors)
    recipient_tokens = list(slots.recipients)
    if rule.pos == "VERB" and match.token.dep_ == "acl" and "dobj" in rule.recipients:
        recipient_tokens.append(match.token.head)  # "a meeting requested by Belgrade"
    recipients = reader.participants(recipient_tokens)
    if rule.pos == "VERB" and not recipients and rule.coding.event == "REJECT":
        # "declined to hand Radoičić over to Kosovo": the one turned down
        recipients = unique(reader.participants(refused_parties(match.token)), actors)
    if rule.pos == "VERB" and not recipients:
        # "send 200 soldiers to reinforce KFOR", "used tear gas to disperse Serbs": the
        # purpose names the recipient.
        recipients = reader.participants(purpose_objects(match.token))
    if rule.pos == "VERB" and not recipients and rule.coding.event in LIFTED:
        # "lifted sanctions on Dodik", "removed Dodik from its sanctions list",
        # "barriers on goods from Serbia": those the measure is (was) aimed at.
        recipients = unique(reader.participants(measure_targets(match.token)), actors)
    if rule.pos == "VERB" and not recipients and rule.coding.event in DONE_TO:
        # "Croatia banned imports from Serbia": a measure on goods hits their origin.
        recipients = unique(reader.participants(things_origins(match.token, reader)), actors)
    by_owner = "dobj" in rule.recipients or rule.coding.event in OWNED_OBJECTS
    if rule.pos == "VERB" and not recipients and by_owner and actors:
        # "rejected the prime minister's resignation", "blocked a decision by Bosnia's
        # presidency", "lifted the house arrest of Sali Berisha": the object is an act
        # or a thing; whose it is (or whom it concerns) receives the event.
        recipients = unique(reader.participants(object_owners(match.token)), actors)
    hung = tuple(p for p in ("to", "with") if p in rule.recipients)
    if not recipients and hung:
        # "donated equipment to the Armed Forces of BiH": the "to" hangs off the object;
        # so it does off a nominal act's "of" phrase ("Washington's donation of armoured
        # ambulances to the army"): the parser attaches it to the nearest noun.
        recipients = reader.participants(objects_of_to(match.token, hung))
    if rule.pos == "VERB" and not recipients and rule.coding.event == "AID":
        # "helicopters donated by the United States joined the Croatian Air Force"
        recipients = unique(reader.participants(delivered_to(match.token)), actors)
    if rule.pos == "VERB" and not recipients and rule.coding.event in ("AID", "COOPERATE"):
        # "handed KFOR and EULEX drone footage": a first object the parser missed
        recipients = unique(reader.participants(first_of_two_objects(match.token, reader)), actors)
    if rule.pos == "VERB" and not recipients and rule.coding.event in PARTNERED_ACTS:
        recipients = reader.participants(partners_in_clause(match.token))
    if rule.pos == "NOUN" and not recipients and at_whose_request(match.token):
        # "delayed the rules at the request of the U.S. ambassador": the one who acts on
        # the request received it.
        recipients = reader.participants(subject_tokens(match.token.head.head))
    if rule.pos == "NOUN" and rule.coding.event in DONE_TO:
        # "its ban on goods from Serbia": the goods' origin is the one hit, not the
        # one who bans (the parser hangs "from Serbia" on "ban").
        origin = reader.participants(goods_origins(match.token, reader))
        if origin:
            actors = [a for a in actors if all(a.start != o.start for o in origin)]
            recipients = [*recipients, *unique(origin, recipients)]
        verb = match.token.head
        imposed = match.token.dep_ in ("dobj", "conj") and verb.lemma_ in IMPOSING
        if match.token.dep_ == "conj" and verb.dep_ == "dobj":
            verb = verb.head  # "imposed asset freezes and travel bans"
            imposed = verb.lemma_ in IMPOSING
        if imposed and not actors:
            # "Kosovo imposed a ban on goods from Serbia": who imposes it acts.
            actors = unique(reader.participants(subject_tokens(verb)), recipients)
        if imposed and not recipients:
            # "imposed asset freezes on Monday on Milorad Dodik": the verb's "on".
            targets = [
                o
                for p in verb.children
                if p.dep_ == "prep" and p.lower_ in ("on", "against")
                for o in p.children
                if o.dep_ == "pobj"
            ]
            recipients = unique(reader.participants(targets), actors)
    owners = [c for c in match.token.children if c.dep_ == "poss"]  # "Dodik's", "its"
    done_to = rule.pos == "NOUN" and not recipients and rule.coding.event in DONE_TO
    if done_to and owners and slots.governor_subjects:
        # "ordered Dodik's arrest", "upheld Milorad Dodik's sentence": the one it is
        # done to, when another acts (the governing verb's subject).
        owned = reader.participants(owners)
        recipients = owned
        actors = [a for a in actors if all(a.start != o.start for o in owned)]
    if (
        rule.pos == "NOUN"
        and not recipients
        and rule.coding.event == "REQUEST"
        and not rule.clause_participants
    ):
        # "repeated its demand that Serbia hand him over": who is to act received it.
        recipients = unique(reader.participants(content_subjects(match.token)), actors)
    governed = reader.participants(slots.governor_subjects)
    if rule.pos == "NOUN" and not recipients and rule.coding.event in VOICED:
        # "rejecting calls from Washington", "despite warnings from Brussels that the
        # trip would harm ...", "turned down Belgrade's request": the clause's subject is
        # the one called on or warned.
        voices = reader.participants([*from_objects(match.token), *owners])
        if voices and all(any(v.start == a.start for a in actors) for v in voices):
            subjects = subject_tokens(clause_head(match.token))
            addressed = unique(reader.participants(subjects), actors)
            if addressed:
                recipients, governed = addressed, []
    if rule.pos == "NOUN" and not rule.host and _comes_under(match):
        # "a KFOR patrol came under attack near Zvečan": the subject suffers the act.
        recipients, governed = [*governed, *unique(recipients, governed)], []
    if rule.pos == "NOUN" and rule.host:
        # "officers completed an FBI course": the course's side gives, the subject gets.
        actors, recipients = actors + unique(recipients, actors), governed
    else:
        actors += unique(governed, actors)
    actors += unique(reader.participants(slots.symmetric), actors)
    parties = reader.participants(slots.object_parties)
    if _judges_a_thing(rule):
        # "the EU welcomed the agreement between Belgrade and Pristina": its parties are
        # what the welcome is aimed at, not its authors
        recipients += unique(parties, [*actors, *recipients])
    else:
        actors += unique(parties, actors)  # "signed an agreement between X and Y"
    if rule.pos == "VERB" and not recipients and rule.coding.event == "THREATEN":
        # "Moscow will respond in kind to Montenegro's expulsion of its diplomats"
        recipients = unique(reader.participants(answered_parties(match.token, reader)), actors)
    if rule.coding.event == "THREATEN":
        # "Serbia will not stand idly by if Pristina tries ...", "threatened to block the
        # vote if the government did not agree": who must meet the condition is warned.
        # Active subjects only: "if the Ibar bridge were opened" names no one warned.
        conditions = [t for t in condition_subjects(match.token) if t.dep_ == "nsubj"]
        bound = unique(reader.participants(conditions), actors)
        if bound:
            recipients = bound
    if rule.coding.event in ("CONSULT", "AGREE"):
        hosts = reader.participants(meeting_hosts(match.token))
        if hosts:  # "met in talks mediated by Lajčák": the mediator receives
            actors = [a for a in actors if all(a.start != h.start for h in hosts)]
            recipients = [*unique(hosts, recipients), *recipients]
    if rule.pos == "NOUN" and not actors and rule.coding.event == "CONSULT":
        # "Zaev said after talks with Tsipras": who speaks after the talks took part
        after = match.token.head if match.token.dep_ == "pobj" else None
        if (
            after is not None
            and after.lower_ in ("after", "following")
            and after.head.pos_ == "VERB"
        ):
            actors = unique(reader.participants(subject_tokens(after.head)), recipients)
    if rule.coding.event in _OWN_PEOPLE_ACTS and rule.coding.mode not in _DONE_TO_PEOPLE:
        # "cut the number of troops deployed near its boundary", "recalled its ambassador
        # from Belgrade": one's own forces or envoys pulled back receive nothing.
        recipients = [r for r in recipients if not _own_people(r, actors, reader)]
    if rule.coding.mode == "expel":
        # "North Macedonia's expulsion of five of its diplomats": no state expels its own
        # envoys; a wrong "its" gives nothing rather than the expelling state.
        own = {a.actor.country for a in actors if a.actor.country}
        recipients = [r for r in recipients if r.actor.country not in own]
    if rule.coding.event == "THREATEN":
        # "Kurti warned that Kosovo would respond with all means": one's own side is
        # who carries the threat out, not whom it is aimed at.
        recipients = [r for r in recipients if not _own_side_acting(r, actors, match, reader)]
    recipients = unique(recipients, actors)
    if rule.pos == "VERB" and rule.host:
        actors, recipients = recipients, actors
    event_type = lexicon.events[rule.coding.event]
    if event_type.requires_recipient and not recipients and len(actors) >= 2:
        # "Albania and the US stepped up the exchange of intelligence": PLOVER wants a
        # recipient for COOPERATE, AID and SANCTION; the first named acts.
        actors, recipients = actors[:1], actors[1:]
    if rule.clause_participants and not actors and (not recipients or rule.content_clause):
        clause = clause_head(match.token)
        subjects = subject_tokens(clause)
        # "Talks between Kurti and Vučić ... produced no agreement": the talks' sides.
        subjects += [
            o
            for s in subjects
            for p in s.children
            if p.dep_ == "prep" and p.lower_ == "between"
            for o in p.children
            if o.dep_ == "pobj"
        ]
        actors = reader.participants(subjects)
        objects = [c for c in clause.children if c.dep_ == "dobj"]
        recipients = unique(reader.participants(objects), actors)
        if rule.coding.event == "REQUEST":
            # "on condition that Skopje recognise ...": who is to act is asked.
            asked = unique(reader.participants(content_subjects(match.token)), actors)
            recipients = asked or recipients
    return actors, recipients


# Acts whose object may be the actor's own people, and the modes where it is not.
_OWN_PEOPLE_ACTS = frozenset({"RETREAT", "SANCTION", "MOBILIZE"})
_DONE_TO_PEOPLE = frozenset({"release", "convict", "expel"})
_OWN_PEOPLE = frozenset(
    {"troop", "troops", "unit", "units", "force", "forces", "soldier", "soldiers",
     "ambassador", "envoy", "diplomat", "diplomats", "contingent", "battalion",
     "personnel", "staff"}
)  # fmt: skip


def _of_an_actors_state(recipient: Participant, actors: list[Participant]) -> bool:
    """Whether a recipient read off a token is of the same state as one of the actors."""
    country = recipient.actor.country
    return (
        recipient.token >= 0
        and country is not None
        and any(a.actor.country == country for a in actors)
    )


def _own_people(recipient: Participant, actors: list[Participant], reader: ArgumentReader) -> bool:
    """Whether a recipient is the actors' own forces or envoys: a force or envoy noun of an
    actor's country."""
    return (
        _of_an_actors_state(recipient, actors) and reader.doc[recipient.token].lower_ in _OWN_PEOPLE
    )


def _own_side_acting(
    recipient: Participant, actors: list[Participant], match: TriggerMatch, reader: ArgumentReader
) -> bool:
    """Whether a recipient is the subject of what the trigger says, of an actor's country."""
    if not _of_an_actors_state(recipient, actors):
        return False
    token = reader.doc[recipient.token]
    said = token.head
    return token.dep_ == "nsubj" and said.dep_ == "ccomp" and said.head.i == match.token.i


def _comes_under(match: TriggerMatch) -> bool:
    """A nominal act the clause's subject "came under" (attack, criticism, sanctions)."""
    noun, governor = match.token, match.governor
    return (
        governor is not None
        and governor.lemma_.lower() == "come"
        and noun.dep_ == "pobj"
        and noun.head.lower_ == "under"
    )


def _judges_a_thing(rule: TriggerRule) -> bool:
    """Praise, welcome, criticism or refusal of a thing (not signing it: SUPPORT 057)."""
    event, cameo = rule.coding.event, rule.coding.cameo or ""
    return event in ("ACCUSE", "REJECT") or (event == "SUPPORT" and not cameo.startswith("057"))
