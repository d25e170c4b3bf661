"""Accusations aimed at the act they judge, criticism drawn from a critic, concern read
as a passive participle, naming who was behind an attack, hosts of talks, and EUFOR as
an actor.

Fresh sentences (not from the gold splits): an accusation in a relative clause with no
addressee of its own is aimed at whoever did the act it judges ("seized cash, which
Belgrade called an attack"; "a request Pristina denounced as a provocation"); a clause with
its own object keeps its own reading; "drew criticism from X" makes X the critic and the
one who drew it the target.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts, pipeline_doc
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_relative_clause_accusation_targets_the_doer_of_the_act(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Kosovo police raided Serbian-run post offices in the north and seized cash, which "
        "Belgrade called an attack on the livelihood of Serbs.",
    )
    assert ("ACCUSE", "actor", "SRB") in facts
    assert ("ACCUSE", "recipient", "XKX") in facts


def test_summing_noun_points_back_to_the_act_before_it(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Serbia asked the NATO-led force to let 1,000 Serbian troops return to Kosovo, a "
        "request Pristina denounced as a provocation.",
    )
    assert ("ACCUSE", "actor", "XKX") in facts
    assert ("ACCUSE", "recipient", "SRB") in facts


def test_clause_with_its_own_object_is_not_redirected(nlp: Language) -> None:
    # "described the verdict as a farce" judges the verdict, not the arrest it hangs on.
    doc = pipeline_doc(
        nlp, "Kosovo police arrested two activists who described the verdict as a farce."
    )
    accusations = [e for e in doc._.pw_events or [] if e.event == "ACCUSE"]
    assert any(e.event == "COERCE" for e in doc._.pw_events or [])
    assert accusations and all(not e.recipient for e in accusations)


def test_criticism_drawn_from_a_critic(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Kosovo police closed the offices on Monday, drawing sharp criticism from Belgrade."
    )
    assert ("ACCUSE", "actor", "SRB") in facts
    assert ("ACCUSE", "recipient", "XKX") in facts
    assert ("ACCUSE", "actor", "XKX") not in facts


def test_concern_read_as_a_passive_participle_is_voiced_by_its_subject(nlp: Language) -> None:
    # The parser takes "was concerned that ..." and "were alarmed by" as passive verbs.
    facts = country_facts(
        nlp,
        "The U.S. ambassador said Washington was concerned that the rule had been imposed "
        "without consultation.",
    )
    assert ("ACCUSE", "actor", "USA") in facts
    facts = country_facts(nlp, "Washington was alarmed by Belgrade's decision to mass troops.")
    assert ("ACCUSE", "actor", "USA") in facts
    assert ("ACCUSE", "recipient", "SRB") in facts
    assert not any(
        kind == "ACCUSE" for kind, _s, _c in country_facts(nlp, "The rule concerns Serbs.")
    )


def test_eufor_is_an_eu_mission(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "EUFOR instructors regularly train officers of the Armed Forces of Bosnia and Herzegovina.",
    )
    assert ("AID", "actor", "EUR") in facts
    assert ("AID", "recipient", "BIH") in facts


def test_naming_who_is_behind_an_attack_accuses_them(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Albania's prime minister said Iran was behind the cyber attack on state servers."
    )
    assert ("ACCUSE", "actor", "ALB") in facts
    assert ("ACCUSE", "recipient", "IRN") in facts
    # No one says it: a plain statement of who was behind something codes no accusation.
    assert not any(k == "ACCUSE" for k, _s, _c in country_facts(nlp, "Iran was behind the attack."))


def test_a_bare_summing_object_points_back_to_the_act(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Kosovo police closed the offices on Monday, and Belgrade condemned the decision."
    )
    assert ("ACCUSE", "recipient", "XKX") in facts
    # With an owner of its own, the object names its own act.
    facts = country_facts(
        nlp,
        "Kosovo police closed the offices on Monday, and Belgrade condemned the government's "
        "decision to expel the Serbian diplomat.",
    )
    assert ("ACCUSE", "recipient", "XKX") not in facts


def test_host_of_the_talks_receives_and_is_no_second_event(nlp: Language) -> None:
    text = "Kurti and Vučić met in Brussels on Thursday in talks mediated by Miroslav Lajčák."
    doc = pipeline_doc(nlp, text)
    consults = [e for e in doc._.pw_events or [] if e.event == "CONSULT"]
    assert len(consults) == 1
    assert {a.country for a in consults[0].actor} == {"XKX", "SRB"}
    assert [a.entity_name for a in consults[0].recipient] == ["Miroslav Lajčák"]
    facts = country_facts(
        nlp, "Kurti and Vučić are due to meet in Ohrid for talks hosted by Borrell."
    )
    assert ("AGREE", "recipient", "EUR") in facts
