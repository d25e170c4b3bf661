"""Cancelled, put-off and cut-short meetings are REJECT/meet aimed at the host or the other
side (annotation guide §4), and the meeting that did not take place is no CONSULT."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _events(nlp: Language, text: str) -> list[tuple[str, str | None, list[str | None]]]:
    doc = nlp.make_doc(text)
    doc._.pw_published = date(2024, 5, 15)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return [(e.event, e.cameo, [r.country for r in e.recipient]) for e in doc._.pw_events]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Lavrov cancelled his visit to Belgrade on Monday.", "SRB"),
        ("The Croatian speaker cut short an official visit to Serbia on Wednesday.", "SRB"),
        ("Borrell has put off a visit to Montenegro that was planned for Tuesday.", "MNE"),
        ("The Albanian prime minister pulled out of Friday's talks with Kurti.", "XKX"),
    ],
)
def test_a_meeting_called_off_is_a_rejection_of_it(nlp: Language, text: str, host: str) -> None:
    found = _events(nlp, text)
    assert ("REJECT", "125", [host]) in found, found
    assert not any(event == "CONSULT" for event, _cameo, _r in found), found


def test_putting_forward_a_proposal_is_no_cancelled_meeting(nlp: Language) -> None:
    found = _events(nlp, "Vučić put forward another proposal for talks with Kurti on Monday.")
    assert not any(cameo == "125" for _e, cameo, _r in found), found
