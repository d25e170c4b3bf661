"""Where an event's participants hide when the trigger's own slots leave them out.

``pw_events`` reads actors and recipients off the trigger's subject, object and
prepositions (``event_arguments``). These rules find the rest: the owner of the object
("rejected the prime minister's resignation"), the targets of a measure named in a relative
clause ("lifting the measures it imposed on Kosovo"), the origin of banned goods, the
speaker of a nominal request ("calls from Brussels"), a by-agent shared by conjoined
passives, the subject of a threat's condition, and a subject further up the clause.
Each returns tokens (or participants) for ``events._participants`` to read.
"""

from __future__ import annotations

from spacy.tokens import Token

from pactwatch.nlp.components.event_arguments import ArgumentReader
from pactwatch.nlp.components.event_mentions import Participant
from pactwatch.nlp.components.event_subjects import objects_via
from pactwatch.nlp.components.event_triggers import TriggerMatch, that_clauses

# Acts done to someone whose nominal trigger names them by a possessive.
DONE_TO = frozenset({"COERCE", "SANCTION", "ASSAULT"})
# Nominal speech acts whose "from" phrase names the speaker ("calls from Brussels").
VOICED = frozenset({"REQUEST", "THREATEN"})


# Acts on a measure, whose recipients are the measure's targets.
LIFTED = frozenset({"RETREAT", "CONCEDE", "SANCTION"})
_LISTS = frozenset({"list", "blacklist", "register", "registry"})


def measure_targets(verb: Token) -> list[Token]:
    """The targets of the measure a verb acts on: "lifted sanctions on Dodik", "eased the
    ban against Serbian goods", "removed Dodik from its sanctions list"."""
    out: list[Token] = []
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    for prep in verb.subtree:  # the parser may hang "from the list" on the object
        listed = any(o.lemma_.lower() in _LISTS for o in prep.children if o.dep_ == "pobj")
        if prep.dep_ == "prep" and prep.lower_ == "from" and listed:
            out += objects  # "removed X from the list": X
            break
    # "imposed asset freezes ... on Milorad Dodik" (the parser reads "freezes" as a verb)
    objects += [c for c in verb.children if c.dep_ == "ccomp" and c.tag_ != "VBD"]
    # "lifting the measures it imposed on Kosovo": the imposing clause's target.
    objects += [c for o in list(objects) for c in o.children if c.dep_ == "relcl"]
    for obj in objects:
        for prep in obj.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("on", "against", "for"):
                continue
            for target in (o for o in prep.children if o.dep_ == "pobj"):
                out.append(target)
                # "barriers on goods from Serbia and Bosnia": where the goods come from
                out += [
                    o
                    for p in target.children
                    if p.dep_ == "prep" and p.lower_ == "from"
                    for o in p.children
                    if o.dep_ == "pobj"
                ]
    return out


# Owners of an object read as the recipient: "the minister's resignation", "a decision by
# the presidency", "the house arrest of Berisha", "every session of the state parliament".
_OWNER_PREPS = ("of", "by")
# Acts on another's act or institution, whatever prepositions the rule lists: "blocked a
# decision by the presidency", "boycotted every session of parliament", "met another demand
# of the students".
OWNED_OBJECTS = frozenset({"REJECT", "CONCEDE", "RETREAT", "PROTEST"})


def object_owners(verb: Token) -> list[Token]:
    """Whose the verb's object is: "the prime minister's resignation" -> the prime minister,
    "a decision by the presidency" -> the presidency. None for one's own ("its troops",
    "their barricades"): that is the actor's."""
    out: list[Token] = []
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
            continue
        owners = [c for c in obj.children if c.dep_ == "poss"]
        if not owners:
            owners = [
                o
                for p in obj.children
                if p.dep_ == "prep" and p.lower_ in _OWNER_PREPS
                for o in p.children
                if o.dep_ == "pobj"
                and not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in o.children)
            ]
        if not owners:
            # "rejected a compromise put forward by Borrell": the one who made it.
            owners = [
                o
                for acl in obj.children
                if acl.dep_ == "acl" and acl.tag_ == "VBN"
                for agent in acl.children
                if agent.dep_ == "agent"
                for o in agent.children
                if o.dep_ == "pobj"
            ]
        out += owners
    return out


IMPOSING = frozenset(
    {"impose", "introduce", "enforce", "extend", "adopt", "slap", "issue", "reimpose",
     "announce", "order", "tighten", "expand", "broaden"}
)  # fmt: skip


def goods_origins(noun: Token, reader: ArgumentReader) -> list[Token]:
    """The "from" objects of a measure on things ("a ban on goods from Serbia")."""
    things = [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ in ("on", "against")
        for o in p.children
        if o.dep_ == "pobj" and not reader.is_actor(o)
    ]
    return from_objects(noun) if things else []


# Measures on what may come in or go out ("banned imports from Serbia").
_BANNING = frozenset(
    {"ban", "bar", "prohibit", "forbid", "outlaw", "block", "restrict", "limit", "halt",
     "suspend", "stop", "embargo"}
)  # fmt: skip


def things_origins(verb: Token, reader: ArgumentReader) -> list[Token]:
    """Whose things a measure verb acts on: "banned imports from Serbia", "banned all
    goods from Serbia from entering" (the parser may hang "from Serbia" on the verb),
    "banned imports of pork from Serbia". Only when the object is a thing, not a party:
    the measure hits those the things come from. Measures only: seizing "a truckload of
    goods from Serbia" takes them from a trader, not from Serbia."""
    if verb.lemma_.lower() not in _BANNING:
        return []
    things = [c for c in verb.children if c.dep_ == "dobj" and not reader.is_actor(c)]
    if not things:
        return []
    out = [o for t in things for o in from_objects(t)]
    out += [o for t in things for p in objects_via(t, ("of",)) for o in from_objects(p)]
    return out or from_objects(verb)


def content_subjects(noun: Token) -> list[Token]:
    """Subjects of the "that" clause of a demand ("its demand that Serbia hand him over")."""
    return [
        subject
        for clause in that_clauses(noun)
        for subject in clause.children
        if subject.dep_ in ("nsubj", "nsubjpass")
    ]


def from_objects(noun: Token) -> list[Token]:
    return [
        o
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ == "from"
        for o in p.children
        if o.dep_ == "pobj"
    ]


def shared_agents(verb: Token) -> list[Token]:
    """The "by" agent of a passive verb coordinated with this one ("financed and
    supported by Serbia")."""
    for other in (*verb.conjuncts, verb.head if verb.dep_ == "conj" else verb):
        if other.i == verb.i or other.tag_ != "VBN":
            continue
        for agent in other.children:
            if agent.dep_ == "agent":
                return [o for o in agent.children if o.dep_ == "pobj"]
    return []


def condition_subjects(trigger: Token) -> list[Token]:
    """Subjects of the conditions in a threat ("if Bosnia took steps", "should the
    organisation admit Kosovo", "unless Pristina withdraws")."""
    out: list[Token] = []
    for token in trigger.subtree:
        # "will not stand idly by if Pristina tries": the parser may hang it on "by"
        if token.dep_ not in ("advcl", "pcomp"):
            continue
        marks = {c.lower_ for c in token.children if c.dep_ in ("mark", "aux")}
        inverted = any(
            c.lower_ in ("should", "were", "had") and c.i < token.i and c.dep_ == "aux"
            for c in token.children
        )
        if marks & {"if", "unless"} or inverted:
            out += [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not out:
        # "warned that further moves could cost Kosovo the support": the one it would cost
        out = [
            o
            for said in trigger.children
            if said.dep_ == "ccomp" and said.lemma_.lower() == "cost"
            for o in said.children
            if o.dep_ in ("dative", "dobj")
        ]
    return out


# Verbs of answering a hostile act: "Moscow will respond in kind to Montenegro's expulsion".
_RETALIATING = frozenset({"respond", "retaliate", "reciprocate", "react", "answer"})


def answered_parties(verb: Token, reader: ArgumentReader) -> list[Token]:
    """Whose act a promised retaliation answers: the party named by "to" or "against"
    ("would respond to Pristina"), else the owner of the act named there ("respond in kind
    to Montenegro's expulsion of Russian diplomats", "retaliate against any incursion from
    Serbia"). A retaliation is aimed at whoever did what it answers. A possessive pronoun
    ("to its expulsion") is left alone: whose it is needs the pronoun resolved."""
    acts = objects_via(verb, ("to", "against")) if verb.lemma_.lower() in _RETALIATING else []
    for token in verb.subtree:
        # "reserved the right to take measures in response to Montenegro's decision"
        if token.lower_ in ("response", "retaliation") and token.head.lower_ == "in":
            acts += objects_via(token, ("to", "for"))
    out: list[Token] = []
    for act in acts:
        # The doer of the act first: its "of" phrase names whom it was done to ("the
        # expulsion of Russian diplomats"), and the phrase as a whole may read as them.
        owners = [c for c in act.children if c.dep_ == "poss"]
        doers = [o for o in owners if o.pos_ != "PRON"] or objects_via(act, ("from", "by"))
        if doers:
            out += doers
        elif not owners and _names_party(act, reader):
            out.append(act)
    return out


def _names_party(token: Token, reader: ArgumentReader) -> bool:
    """Whether ``token`` itself names the party ("respond to Pristina"), not a phrase
    around it ("the expulsion of its diplomats" reads as the diplomats)."""
    found = reader.participant(token)
    return found is not None and found.token == token.i


def struck_places(trigger: Token) -> list[Token]:
    """What a threatened act would be aimed at: the objects of "into", "against" or "on"
    in the clause under the threat word ("threatened to send troops into Kosovo")."""
    return [
        o
        for token in trigger.subtree
        if token.dep_ == "prep"
        and token.lower_ in ("into", "against", "on")
        and token is not trigger
        for o in token.children
        if o.dep_ == "pobj"
    ]


def subject_further_up(match: TriggerMatch, reader: ArgumentReader) -> list[Participant]:
    """When the parse gives a verb a subject that names no actor, the nearest clause above
    that has one ("Rutte said only a solution could bring peace, urged Pristina ...":
    the parser hangs "urged" on "bring")."""
    current = match.token
    if current.dep_ == "ccomp" and any(c.dep_ == "nsubj" for c in current.children):
        # "The agency said looters had attacked the church": reported speech with a subject
        # of its own, however unnamed, is not the speaker's act.
        return []
    for _ in range(4):
        head = current.head
        if current.dep_ not in ("conj", "ccomp", "xcomp") or head.i == current.i:
            return []
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        found = reader.participants(subjects)
        if found:
            return found
        current = head
    return []


# Wh-words and "that" as the object of a relative clause ("which Belgrade called ...").
_RELATIVE_OBJECTS = frozenset({"which", "that", "what"})
# Nouns that sum up the act told before them: "..., a move Belgrade called illegal".
_SUMMARY_NOUNS = frozenset(
    {
        "measure",
        "decision",
        "move",
        "step",
        "request",
        "demand",
        "ban",
        "action",
        "arrest",
        "ruling",
        "verdict",
        "plan",
        "proposal",
        "deal",
        "order",
        "raid",
        "operation",
        "vote",
        "closure",
        "expulsion",
        "sanction",
        "penalty",
        "attack",
        "incident",
        "act",
    }
)


def referred_trigger(verb: Token, triggers: set[int]) -> int | None:
    """The trigger of the act a relative clause judges: "seized cash, which Belgrade called
    an attack", "a request Pristina denounced as a provocation", "measures that Kurti
    denounced as unfair". The verb heads a relative clause whose object is a relative
    pronoun or the gap; the act is the first trigger up the parse from the clause, or,
    when the clause hangs on a noun that sums up an act ("a decision"), the trigger
    nearest before that noun.
    """
    if verb.dep_ != "relcl":
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if objects and not any(o.lower_ in _RELATIVE_OBJECTS for o in objects):
        return None  # "officials who called the vote a blow": the clause has its own object
    noun = verb.head
    token = noun
    for _step in range(8):
        if token.i in triggers:
            return token.i
        if token.head is token:
            break
        token = token.head
    if noun.lemma_.lower() in _SUMMARY_NOUNS:
        before = [i for i in triggers if i < noun.i]
        return max(before) if before else None
    return None


def summed_up_trigger(verb: Token, triggers: set[int]) -> int | None:
    """The act a verb's object sums up: "..., and the United States welcomed the move",
    "Skopje condemned the decision": the trigger nearest before the object, when the
    object is a bare summing noun (no owner or "of" phrase of its own to say whose act).
    Not from a relative clause: "arrested two activists who described the verdict as a
    farce" judges the verdict, not the arrest."""
    if verb.dep_ in ("relcl", "acl"):
        return None
    for obj in verb.children:
        if obj.dep_ != "dobj" or obj.lemma_.lower() not in _SUMMARY_NOUNS:
            continue
        if any(c.dep_ in ("poss", "prep", "compound", "acl", "relcl") for c in obj.children):
            return None  # "Belgrade's decision", "the decision to ban": its own act
        before = [i for i in triggers if i < obj.i]
        return max(before) if before else None
    return None


# Who hosts or mediates a meeting is its recipient (the parties are its actors), per the
# annotation guide's mediated talks: "talks hosted by Borrell", "mediated by Lajčák".
HOSTING_VERBS = frozenset(
    {"host", "chair", "co-chair", "mediate", "broker", "facilitate", "convene", "organise",
     "organize"}
)  # fmt: skip
_MEETING_NOUNS = frozenset(
    {"talk", "talks", "meeting", "summit", "round", "session", "conference", "negotiation",
     "negotiations", "dialogue", "discussion", "discussions"}
)  # fmt: skip


def hosted_meeting(token: Token) -> bool:
    """A hosting participle on a meeting noun ("talks [mediated] by Lajčák"): it tells who
    hosted the meeting, not an event of its own."""
    return (
        token.dep_ == "acl"
        and token.lemma_.lower() in HOSTING_VERBS
        and token.head.lemma_.lower() in _MEETING_NOUNS
    )


def meeting_hosts(trigger: Token) -> list[Token]:
    """The hosts named on the meeting a trigger tells of: the trigger itself when it is a
    meeting noun, else the meeting nouns of its "for", "at" and "in" phrases ("met in
    Brussels in talks mediated by Lajčák", "are due to meet for talks hosted by Borrell")."""
    meetings = [trigger] if trigger.lemma_.lower() in _MEETING_NOUNS else []
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "at", "in"):
            meetings += [
                o for o in prep.children if o.dep_ == "pobj" and o.lemma_.lower() in _MEETING_NOUNS
            ]
    hosts: list[Token] = []
    for meeting in meetings:
        for acl in meeting.children:
            if acl.dep_ != "acl" or acl.lemma_.lower() not in HOSTING_VERBS:
                continue
            for agent in acl.children:
                if agent.dep_ == "agent":
                    hosts += [o for o in agent.children if o.dep_ == "pobj"]
    return hosts


# Verbs that tell equipment reaching its new owner: "donated by the US, [joined] the
# Croatian Air Force", "were [handed] over to Albania's army".
_TAKEN_INTO_SERVICE = frozenset(
    {"join", "enter", "reach", "arrive", "hand", "deliver", "give", "transfer", "send",
     "ship", "pass", "go"}
)  # fmt: skip


def delivered_to(trigger: Token) -> list[Token]:
    """Who receives the things a participle describes as given: "two helicopters
    [donated] by the United States have joined the Croatian Air Force" -> the air force;
    "Humvees [donated] by the US were handed over to Albania's army" -> the army."""
    if trigger.dep_ != "acl" or trigger.head.dep_ not in ("nsubj", "nsubjpass"):
        return []
    verb = trigger.head.head
    if verb.lemma_.lower() not in _TAKEN_INTO_SERVICE:
        return []
    out = [c for c in verb.children if c.dep_ == "dobj"]
    for child in verb.children:
        if child.dep_ == "prt":  # "handed over to": the "to" may hang on the particle
            out += objects_via(child, ("to", "into"))
        if child.dep_ == "prep" and child.lower_ in ("to", "into"):
            out += [o for o in child.children if o.dep_ == "pobj"]
    return out


def refused_parties(verb: Token) -> list[Token]:
    """Whom a refusal turns down, named inside what was refused: "declined to hand
    Radoičić over to Kosovo" (Kosovo, not Radoičić), "refused to appear before state
    prosecutors", "refused to allow the OSCE to collect the ballots" (the OSCE)."""
    for done in (c for c in verb.children if c.dep_ == "xcomp"):
        addressed = objects_via(done, _ADDRESSED_PREPS)
        if addressed:
            return addressed
        if done.lemma_.lower() in _PERMITTING:
            allowed = [c for c in done.children if c.dep_ == "dobj"]
            allowed += [
                s
                for clause in done.children
                if clause.dep_ in ("ccomp", "xcomp")
                for s in clause.children
                if s.dep_ == "nsubj"
            ]
            # "refused to let its police take part": its own, no one turned down
            return [t for t in allowed if not any(c.dep_ == "poss" for c in t.children)]
    return []


# "hand him over to Kosovo", "appear before prosecutors", "sit down with Vučić".
_ADDRESSED_PREPS = frozenset({"to", "before", "with"})
_PERMITTING = frozenset({"allow", "let", "permit"})


# Verbs whose first object is the one given to: "handed KFOR the footage".
_GIVING = frozenset(
    {"give", "hand", "send", "offer", "grant", "lend", "award", "pass", "pay", "show"}
)  # fmt: skip


def first_of_two_objects(verb: Token, reader: ArgumentReader) -> list[Token]:
    """The receiving first object of a giving verb that the small parser hangs inside the
    second: "handed KFOR and EULEX drone footage", "handed Kosovo's Special Prosecution
    forensic reports", "handed U.S. investigators evidence". The parties named straight
    after the verb, when the thing given still follows them."""
    if verb.lemma_.lower() not in _GIVING:
        return []
    if any(c.dep_ in ("dative", "prt") for c in verb.children):
        return []  # read already, or "handed over" (to whom: the "to" phrase)
    doc = verb.doc
    i = verb.i + 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    parties: list[Token] = []
    while i < len(doc):
        found = reader.participant(doc[i])
        if found is None or found.start != doc[i].idx:
            break
        parties.append(doc[i])
        while i < len(doc) and doc[i].idx < found.end:
            i += 1
        if i + 1 < len(doc) and doc[i].lower_ in ("and", ","):  # "KFOR and EULEX"
            i += 1
            continue
        break
    if not parties or i >= len(doc) or doc[i].text in ("-", "–"):
        return []  # "sold Russian-made rifles": a kind of thing, no party
    given = [
        t for t in verb.subtree if t.i >= i and t.pos_ in ("NOUN", "PROPN") and not t.is_sent_start
    ]
    # "Kosovo's universities grants": the owned body, then the thing given.
    wanted = 2 if doc[i].tag_ == "POS" else 1
    return parties if len(given) >= wanted else []
