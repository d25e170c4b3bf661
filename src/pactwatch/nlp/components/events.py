"""``pw_events``: PLOVER events told by a document, one ``Event`` per real-world event.

Per sentence (headings and list fragments without a finite verb are skipped: they name
topics, not acts): find trigger words with the event lexicon (``event_lexicon.yaml``),
keep those that report an event of their own (``event_filters``), read actors and
recipients off the parse (``event_triggers``, ``event_arguments``) and settle their roles
(``event_participants``), attach the place and date of the trigger's clause and score the
reading (``event_details``), decide the modality (``modality``), apply the PLOVER rules
that need the whole reading (``event_recoding``: intentions are AGREE, refusals REJECT,
CONSULT modes). Then ``grouping`` merges the records that tell of one event.

Recommendations in list items ("- Security Assistance: Continue to provide ...") are
hypothetical and are not coded: they say what someone should do, nothing happened.

A second opinion covers phrasings the lexicon does not list: when the rules code nothing in
a sentence, the event-type classifier (``event_classifier``, a bag-of-words model shipped
in ``nlp/models/event_types``) scores it, and if one type scores at least
``CLASSIFIER_THRESHOLD`` the sentence is read as that type from a trigger that
``event_fallback`` picks. The reading goes through the same steps as a rule's (it still
needs an actor or a recipient on the parse), so the classifier only proposes the type.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc, Span

from pactwatch.nlp.components.date_binding import bind_date, speaker_side
from pactwatch.nlp.components.event_alternatives import coding_for, participant_count
from pactwatch.nlp.components.event_arguments import ArgumentReader
from pactwatch.nlp.components.event_classifier import EventTypeClassifier, load_event_classifier
from pactwatch.nlp.components.event_details import (
    at_summit,
    border_side,
    event_contexts,
    event_place,
    home_country,
    host_at_home,
    line_segment,
    place_locals,
    reading_confidence,
    told_before_or_generic,
)
from pactwatch.nlp.components.event_fallback import FallbackTriggers
from pactwatch.nlp.components.event_filters import select_matches
from pactwatch.nlp.components.event_justifications import justifications
from pactwatch.nlp.components.event_lexicon import EventLexicon, load_event_lexicon
from pactwatch.nlp.components.event_links import (
    aim_force_responses,
    aim_judgements,
    answered_requests,
    answers_to_askers,
    told_otherwise,
)
from pactwatch.nlp.components.event_mentions import (
    MentionIndex,
    Participant,
    actor_from_mention,
)
from pactwatch.nlp.components.event_participants import read_participants, unique
from pactwatch.nlp.components.event_recoding import (
    INTENDED_EVENTS,
    READY_EVENTS,
    REFUSED_EVENTS,
    agrees_not_to,
    as_concession,
    as_intention,
    as_refusal,
    conditional_threats,
    promised,
    refine_consult_mode,
    stands_ready,
)
from pactwatch.nlp.components.event_subjects import attributed_doers, subject_tokens
from pactwatch.nlp.components.event_triggers import (
    TriggerMatch,
    clause_head,
    find_triggers,
    noun_slots,
    verb_slots,
)
from pactwatch.nlp.components.event_triggers import subject_words as subject_words_of
from pactwatch.nlp.components.event_vetoes import told_of_an_accident, visit_with_no_one
from pactwatch.nlp.components.grouping import EventRecord, group_events
from pactwatch.nlp.components.modality import (
    has_cannot,
    has_future_auxiliary,
    modality_of,
    reporting_verb,
)
from pactwatch.nlp.components.participant_bodies import mission_served
from pactwatch.nlp.components.participant_rules import (
    condition_subjects,
    hosted_meeting,
    struck_places,
)
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.components.sentence_shape import Shape, reports_acts, shape_of
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import DateMention, Event, EventActor, EventMention, PlaceMention

_ACCEPTANCES = frozenset({"AGREE", "SUPPORT"})
_GROUP_LOOKBACK = 3  # sentences within which "both officials" finds the participants
# The classifier's score from which a sentence the rules coded nothing in is read as an
# event of the best-scoring type (tuned on the dev split and the held-out silver sentences).
CLASSIFIER_THRESHOLD = 0.7
# Types the classifier may propose only with an addressee found: a request, accusation or
# threat nobody receives is a wish or a statement (annotation guide, section 2).
_ADDRESSED = frozenset({"REQUEST", "ACCUSE", "THREATEN"})
# The stricter score from which the classifier adds a type to a sentence the rules coded.
CLASSIFIER_EXTRA_THRESHOLD: float | None = 0.9


def _names_someone(starts: list[int], begin: int, end: int) -> bool:
    """Whether a mention starts between ``begin`` and ``end`` (``starts`` sorted)."""
    i = bisect_left(starts, begin)
    return i < len(starts) and starts[i] < end


def _published(doc: Doc) -> date | None:
    value = doc._.pw_published
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


@dataclass(slots=True)
class _Document:
    """What every reading of one document shares."""

    reader: ArgumentReader
    places: list[PlaceMention]
    dates: list[DateMention]
    published: date | None
    home: str | None  # the country most of the text's towns lie in
    records: list[EventRecord] = field(default_factory=list)  # the readings so far


class EventExtractor:
    """The ``pw_events`` component: sets ``doc._.pw_events``."""

    def __init__(
        self,
        lexicon: EventLexicon | None = None,
        classifier: EventTypeClassifier | None = None,
        *,
        second_opinion: bool = True,
    ) -> None:
        ensure_extensions()
        self.lexicon = lexicon or load_event_lexicon()
        self.classifier = (classifier or load_event_classifier()) if second_opinion else None
        self.threshold: float | None = CLASSIFIER_THRESHOLD
        self.extra_threshold: float | None = CLASSIFIER_EXTRA_THRESHOLD
        self.fallback = FallbackTriggers(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        doc._.pw_events = self.extract(doc)
        return doc

    def extract(self, doc: Doc) -> list[Event]:
        """The grouped events of ``doc``."""
        places: list[PlaceMention] = list(doc._.pw_places or [])
        index = MentionIndex(doc, doc._.pw_mentions)
        reader = ArgumentReader(doc, index, self.lexicon, places)
        dates: list[DateMention] = list(doc._.pw_dates or [])
        dated = set()
        for mention in dates:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                dated.add(clause_head(span.root).i)
        state = _Document(reader, places, dates, _published(doc), home_country(places))
        sentences = [(n, s, shape_of(s)) for n, s in enumerate(doc.sents) if reports_acts(s)]
        # The classifier is asked only about sentences that name someone: without an actor
        # or a recipient its reading would be dropped anyway.
        starts = sorted(m.start for m in doc._.pw_mentions or [])
        opinions = self._opinions(
            [
                s
                for _n, s, shape in sentences
                if shape != "bullet" and _names_someone(starts, s.start_char, s.end_char)
            ]
        )
        for number, sent, shape in sentences:
            matches = find_triggers(sent, self.lexicon, reader.is_actor)
            selection = select_matches(matches, dated)
            coded = len(state.records)
            by_trigger: dict[int, EventRecord] = {}
            for match in selection.kept:
                if hosted_meeting(match.token) and len(selection.kept) > 1:
                    continue  # "talks mediated by Lajčák": the mediator of another event
                denied = match.token.i in selection.negated
                record = self._record(match, sent, number, shape, state, denied)
                if record is not None:
                    state.records.append(record)
                    by_trigger[match.token.i] = record
            aim_judgements(sent, by_trigger)
            answered_requests(sent, by_trigger)
            answers_to_askers(sent, by_trigger)
            aim_force_responses(sent, by_trigger)
            told = state.records[coded:]
            state.records += conditional_threats(
                selection.kept, by_trigger, reader, told, self.lexicon
            )
            state.records += justifications(selection.kept, by_trigger, reader, told, self.lexicon)
            # A denial ("rejected reports that ...") is no event: no second opinion on it.
            if shape != "bullet" and not any(m.rule.negates for m in matches):
                found = {r.event.event for r in state.records[coded:]}
                scores = opinions.get(sent.start, {})
                used = {m.token.i: self._quad(m.rule.coding.event) for m in selection.kept}
                extra = self._second_opinion(
                    sent, number, shape, state, found, scores, used, selection.refused
                )
                state.records += extra
            else:
                extra = []
            if repeated := told_otherwise(sent, by_trigger, extra):
                gone = {id(by_trigger[i]) for i in repeated}
                state.records = [r for r in state.records if id(r) not in gone]
        return group_events(state.records)

    def _opinions(self, sentences: list[Span]) -> dict[int, dict[str, float]]:
        """The classifier's scores of each sentence (by its first token), in one batch."""
        if self.classifier is None:
            return {}
        scored = self.classifier.scores_many(sentences)
        return {sent.start: scores for sent, scores in zip(sentences, scored, strict=True)}

    def _quad(self, event: str) -> int:
        """The PLOVER quad class (1 to 4) of an event type."""
        return self.lexicon.events[event].quad

    def _second_opinion(
        self,
        sent: Span,
        number: int,
        shape: Shape,
        state: _Document,
        found: set[str],
        scores: dict[str, float],
        used: dict[int, int] | None = None,
        refused: set[int] | None = None,
    ) -> list[EventRecord]:
        """The classifier's reading of a sentence, where it is confident.

        Where the rules coded nothing, the best-scoring type from ``threshold``; where they
        coded ``found``, one further type from the stricter ``extra_threshold`` (a second
        act the rules have no word for: "met Rutte and told him the declaration had started
        an arms race"). When the best type has no trigger or no actor on the parse, the
        runner-up above the bar is tried (one reading at most either way).
        """
        bar = self.extra_threshold if found else self.threshold
        if bar is None:
            return []
        ranked = sorted(
            (kind for kind, score in scores.items() if score >= bar and kind not in found),
            key=scores.__getitem__,
            reverse=True,
        )
        for best in ranked[:2]:
            match = self.fallback.match(sent, best)
            # A word the rules already read as one act may tell a second of another kind
            # ("refused Kosovo's requests": a refusal and the request), not a second of the
            # same quad class ("attacked ... during the operation" is no coercion as well).
            if match is None or (used or {}).get(match.token.i) == self._quad(best):
                continue
            if match.token.i in (refused or set()):
                continue  # "Serbia's refusal to impose sanctions": what is refused is no act
            record = self._record(match, sent, number, shape, state, denied=False)
            # No actor read off the parse: the classifier alone does not make an event of it.
            if record is None or not record.event.actor:
                continue
            if best in _ADDRESSED and not record.event.recipient:
                continue  # "Kosovo seeks to ensure its own defence": a wish, no addressee
            if record.event.event in found:  # recoded as a type the rules already coded
                continue
            if record.event.event == "REJECT" and record.event.modality == "negated":
                record.event.modality = "factual"  # "would not comply": the refusal is made
            record.event.confidence = round(min(record.event.confidence, scores[best]), 3)
            return [record]
        return []

    def _record(
        self,
        match: TriggerMatch,
        sent: Span,
        number: int,
        shape: Shape,
        state: _Document,
        denied: bool,
    ) -> EventRecord | None:
        """One reading of one trigger as an event record, or None when it tells of none."""
        rule, token, reader = match.rule, match.token, state.reader
        if rule.pos == "VERB":
            slots = verb_slots(token, rule.recipients)
        else:
            slots = noun_slots(token, match.governor, rule.recipients)
        actors, recipients = read_participants(match, slots, reader, self.lexicon)
        clause_derived = rule.clause_participants and not (slots.actors or slots.recipients)
        actors = self._resolve_groups(actors, number, state.records, reader)
        recipients = self._resolve_groups(recipients, number, state.records, reader)
        if not actors and not recipients and not rule.participants_optional:
            # "this meeting", "the dialogue": a reference back; PLOVER codes no event
            # without a participant (explosions and attacks excepted).
            return None
        if participant_count(actors, recipients, sent.doc) < rule.min_participants:
            return None
        optional = rule.participants_optional or rule.coding.event == "ASSAULT"
        # "after the explosion" refers back; "X were behind the attacks" puts them down
        if (
            optional
            and not recipients
            and told_before_or_generic(match)
            and not (rule.pos == "NOUN" and attributed_doers(token))
        ):
            return None
        if rule.coding.event == "ASSAULT" and told_of_an_accident(token):
            return None  # "the collapse of the canopy that killed 15 people": no attacker
        subject_words = subject_words_of(token)
        coding = coding_for(match, actors, recipients, subject_words)
        when = bind_date(
            match,
            state.dates,
            sent.doc,
            event=coding.event,
            speaker=speaker_side(actors, reader.participants),
        )
        modality = modality_of(
            token, match.governor, shape=shape, event_date=when, published=state.published
        )
        if denied:
            modality = "negated"
        elif rule.future and modality == "future":
            modality = "factual"  # "Moscow will respond": the threat is made now (guide §6)
        if modality == "hypothetical" and shape == "bullet":
            return None  # a recommendation, not an event
        if rule.stance and modality == "negated" and not has_future_auxiliary(token):
            return None  # "Serbia does not recognise it": a standing position
        event_type = self.lexicon.events[coding.event]
        start, end = line_segment(sent, token)
        event = Event(
            event=coding.event,
            cameo=coding.cameo,
            mode=coding.mode,
            context=event_contexts(coding, sent, self.lexicon),
            actor=[p.actor for p in actors],
            recipient=[p.actor for p in recipients],
            modality=modality,
            event_text=doc_text(sent.doc)[start:end],
            mentions=[
                EventMention(
                    start,
                    end,
                    token.idx,
                    token.idx + len(token.text),
                    doc_text(sent.doc)[start:end],
                )
            ],
            quad_code=event_type.quad,
            plover_score=event_type.score_for(coding.mode),
            event_loc=event_place(
                match,
                state.places,
                [*slots.actors, *slots.recipients],
                event=coding.event,
                actors=slots.actors,
            ),
            # The guide dates an event to a day only: "last week", "in June" give none.
            date=when.date if when and when.precision == "day" else None,
            date_precision=when.precision if when else None,
            confidence=reading_confidence(
                match, slots.subject_found, actors, recipients, event_type.requires_recipient
            ),
        )
        border_side(event, doc_text(sent.doc))
        place_locals(event, state.home)
        host_at_home(event)
        self._recode(event, match, reader, denied)
        if event.event in ("AID", "AGREE") and "peacekeeping" in event.context:
            served = mission_served(reader, token)  # "arrived in Kosovo to serve with KFOR"
            if served is not None:
                event.recipient = [actor_from_mention(served)]
        own = {a.country for a in event.actor if a.country}
        if event.event == "THREATEN" and all(r.country in own for r in event.recipient):
            # "warned that Moscow would react if Bosnia took steps towards NATO": the
            # condition's subject is the one threatened, not the threatener's own side.
            conditions = unique(reader.participants(condition_subjects(token)), actors)
            # "threatened to send troops into northern Kosovo": where the act would strike
            conditions = [p for p in conditions if p.actor.country not in own] or [
                p for p in reader.participants(struck_places(token)) if p.actor.country not in own
            ]
            if conditions:
                event.recipient = [p.actor for p in conditions]
        if event.event == "CONSULT" and (at_summit(token) or (clause_derived and event.mode)):
            # A call or a summit has no host and no visitor: PLOVER codes all as actors.
            event.actor, event.recipient = [*event.actor, *event.recipient], []
        if visit_with_no_one(event, own, token):
            return None  # "after Thaçi visited the Gazivode lake": no one was met
        directed = bool(recipients) and not slots.symmetric
        return EventRecord(event=event, sentence=number, directed=directed)

    def _recode(
        self, event: Event, match: TriggerMatch, reader: ArgumentReader, denied: bool
    ) -> None:
        """Intentions, refusals and CONSULT modes (see ``event_recoding``)."""
        # "will not", "would not" refuse; so does "cannot" accept or support ("Serbia
        # cannot accept Kosovo's membership"), unlike "cannot receive" (an inability)
        future_aux = has_future_auxiliary(match.token, match.governor) or (
            event.event in _ACCEPTANCES and has_cannot(match.token, match.governor)
        )
        if event.event == "AGREE" and agrees_not_to(match.token):
            as_concession(event, self.lexicon)
        elif (
            stands_ready(match.governor or match.token)
            and event.event == "MOBILIZE"
            and condition_subjects(match.token)
        ):
            # "ready to send its army to Kosovo if Serbs were killed": held out on a
            # condition, a conditional threat (conditional_threats), not a promise
            event.modality = "hypothetical"
        elif stands_ready(match.governor or match.token) and event.event in READY_EVENTS:
            as_intention(event, self.lexicon, [])
            event.modality = "factual"
        elif event.modality == "negated" and future_aux and not denied:
            if event.event in REFUSED_EVENTS:
                as_refusal(event, self.lexicon)
        elif event.modality == "future" and event.event in INTENDED_EVENTS:
            speech = reporting_verb(match.governor or match.token)
            speaker = reader.participants(subject_tokens(speech)) if speech is not None else []
            if promised(event, match, speech, speaker):
                as_intention(event, self.lexicon, speaker)
        refine_consult_mode(event, self.lexicon)

    def _resolve_groups(
        self,
        participants: list[Participant],
        number: int,
        earlier: list[EventRecord],
        reader: ArgumentReader,
    ) -> list[Participant]:
        """Replace "both officials" by the participants of the event told just before, or
        else by the last actors of two different countries named before them."""
        if not any(p.group for p in participants):
            return participants
        latest = next(
            (
                r.sentence
                for r in reversed(earlier)
                if number - _GROUP_LOOKBACK <= r.sentence <= number
            ),
            None,
        )
        out = [p for p in participants if not p.group]
        # "Both officials reiterated their commitment": one group, named at its fullest.
        group = max((p for p in participants if p.group), key=lambda p: len(p.actor.raw_text))
        records = [r for r in earlier if r.sentence == latest]
        named: list[EventActor] = [
            actor
            for record in records
            for actor in (*record.event.actor, *record.event.recipient)
            if actor.entity_name or actor.country  # not a group left unresolved itself
        ]
        pair = any(w in group.actor.raw_text.lower().split() for w in ("both", "two"))
        if pair and len(named) > 2:
            # "Borrell hosted Kurti and Vučić ... after both leaders declined": the pair.
            sides = [side for r in records for side in (r.event.actor, r.event.recipient)]
            named = next((side for side in sides if len(side) == 2), named)
        if not named:
            token = reader.doc[group.token] if group.token >= 0 else reader.doc[0]
            named = [actor_from_mention(m) for m in reader.index.sides_before(token)]
        if not named:
            # "The two governments reached an understanding" with no one named before: the
            # group stays, unplaced, rather than the event being lost.
            return [*out, group]
        for actor in named:
            if any(_same_name(actor, p.actor) for p in out):
                continue
            copy = EventActor(**{**actor.as_json(), "raw_text": group.actor.raw_text})
            out.append(Participant(copy, group.start, group.end))
        return out


def _same_name(a: EventActor, b: EventActor) -> bool:
    return (a.entity_name or a.raw_text).casefold() == (b.entity_name or b.raw_text).casefold()


@Language.factory("pw_events")
def make_event_extractor(nlp: Language, name: str) -> EventExtractor:
    """Build ``pw_events`` with the lexicon in ``knowledge/data/event_lexicon.yaml``."""
    return EventExtractor()
