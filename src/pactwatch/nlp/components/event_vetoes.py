"""Readings that turn out to tell no event once read: a killing by an accident, a visit
with no one visited. ``pw_events`` asks these after a reading's participants and place are
known; the trigger rules alone cannot tell ("killed" by a gunman or by a collapse)."""

from __future__ import annotations

from spacy.tokens import Token

from pactwatch.nlp.components.event_subjects import subject_tokens
from pactwatch.nlp.records import Event

# What kills without anyone attacking: "the collapse that killed 15", "a fire killed 59".
_ACCIDENTS = frozenset(
    {"collapse", "fire", "blaze", "crash", "accident", "flood", "floods", "flooding",
     "earthquake", "quake", "storm", "landslide", "avalanche", "canopy", "roof", "wildfire",
     "heatwave", "disease", "virus", "pandemic", "derailment"}
)  # fmt: skip


# How an accident happens: "two pilots were killed when their plane crashed".
_ACCIDENT_VERBS = frozenset({"crash", "collapse", "derail", "capsize", "sink", "burn"})


def told_of_an_accident(trigger: Token) -> bool:
    """Whether the subject of a killing is an accident or a disaster, not an attacker; the
    parser may hang "that killed" on the last noun of "the collapse of the canopy at the
    station", so the nouns the subject's phrase hangs on count too. A killing told with
    how an accident happened ("were killed when their plane crashed") is one too."""
    if any(c.dep_ == "advcl" and c.lemma_.lower() in _ACCIDENT_VERBS for c in trigger.children):
        return True
    for subject in subject_tokens(trigger):
        current = subject
        for _ in range(5):
            if current.lemma_.lower() in _ACCIDENTS:
                return True
            if current.dep_ != "pobj" or current.head.dep_ != "prep":
                break
            current = current.head.head  # "the collapse [of] the canopy [at] the station"
    return False


def visit_with_no_one(event: Event, own: set[str], trigger: Token) -> bool:
    """A visit with no one visited and no foreign place: a trip at home or to a site, no
    meeting ("after Thaçi visited the Gazivode lake"; the gold's visits with no recipient
    are all abroad: "Scholz arrived in Pristina", "during a visit by Macron")."""
    if event.event != "CONSULT" or event.mode != "visit" or event.recipient:
        return False
    place = event.event_loc
    if place is not None and place.country is not None:
        return place.country in own
    return trigger.pos_ == "VERB" and any(c.dep_ == "dobj" for c in trigger.children)
