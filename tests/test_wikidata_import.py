"""The Wikidata importer on hand-written exports (tests/data/wikidata), with no network.

The fixtures use their own position and person QIDs (Q99000xx, fictional people named
"Fixture ...") mapped to offices explicitly, plus Q11696 (President of the United
States), which maps through the office's ``wikidata_id``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import DATA
from pactwatch.knowledge import Knowledge, KnowledgeDataError, load_knowledge
from pactwatch.knowledge.cli import knowledge_app
from pactwatch.knowledge.wikidata import import_wikidata, read_export

EXPORTS = DATA / "wikidata"
RETRIEVED = date(2026, 11, 27)
ENTITY_MAP = {"Q9900101": "USA:ambassador_kosovo", "Q9900102": "ALB:minister_interior"}
SPARQL_MAP = {"Q9900201": "USA:ambassador_nato"}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge([])


def test_entity_json_round_trip_through_the_loader(knowledge: Knowledge, tmp_path: Path) -> None:
    report = import_wikidata(
        EXPORTS / "entities.json",
        tmp_path,
        knowledge=knowledge,
        mapping=ENTITY_MAP,
        retrieved=RETRIEVED,
    )
    assert report.written == tmp_path / "wikidata-entities.yaml"
    merged = load_knowledge([tmp_path])
    holder = merged.holder_of("USA:ambassador_kosovo", date(2025, 3, 1))
    assert holder is not None and holder.person == "Fixture Envoy"
    assert holder.source == "Wikidata Q9900001, retrieved 2026-11-27"
    office = merged.office("USA:ambassador_kosovo")
    assert office is not None and office.confirmed_until == RETRIEVED
    person = merged.person("Fixture Envoy")
    assert person is not None and person.wikidata_id == "Q9900001"
    # Q11696 maps through the office's wikidata_id; same person and start as the reference.
    president = merged.holder_of("USA:president", date(2022, 1, 1))
    assert president is not None and president.person == "Joe Biden"
    assert president.source.startswith("Wikidata Q9900005")
    # The bundled knowledge is untouched.
    assert knowledge.holder_of("USA:ambassador_kosovo", date(2025, 3, 1)) is None


def test_sparql_result_round_trip_through_the_loader(knowledge: Knowledge, tmp_path: Path) -> None:
    import_wikidata(
        EXPORTS / "sparql.json",
        tmp_path,
        knowledge=knowledge,
        mapping=SPARQL_MAP,
        retrieved=RETRIEVED,
    )
    merged = load_knowledge([tmp_path])
    holder = merged.holder_of("USA:ambassador_nato", date(2025, 2, 15))
    assert holder is not None and holder.person == "Fixture Charge"
    early = merged.holder_of("USA:ambassador_nato", date(2016, 6, 1))
    assert early is not None and early.start == date(2016, 5, 1)
    assert "start known to the month only" in early.source


def test_precision_month_and_year_use_the_first_day_and_say_so(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    report = import_wikidata(
        EXPORTS / "entities.json",
        tmp_path,
        knowledge=knowledge,
        mapping=ENTITY_MAP,
        retrieved=RETRIEVED,
    )
    assert report.written is not None
    written = yaml.safe_load(report.written.read_text(encoding="utf-8"))
    interior = next(o for o in written["offices"] if o["key"] == "ALB:minister_interior")
    (holding,) = interior["holders"]  # the deprecated statement is not read
    assert (holding["start"], holding["end"]) == (date(2016, 3, 1), date(2019, 1, 1))
    assert "start known to the month only" in holding["source"]
    assert "end known to the year only" in holding["source"]
    assert written["confirmed_until"] == RETRIEVED


def test_left_out_statements_are_reported_not_written(knowledge: Knowledge, tmp_path: Path) -> None:
    report = import_wikidata(
        EXPORTS / "entities.json",
        tmp_path,
        knowledge=knowledge,
        mapping=ENTITY_MAP,
        retrieved=RETRIEVED,
    )
    assert report.unmapped == {"Q9900199": 1}
    text = "\n".join(report.lines())
    assert "--map Q9900199=OFFICE_KEY" in text
    assert "no start time at day, month or year precision" in text  # a century-precision date
    assert "the end time is unknown" in text
    assert "overlaps Jeffrey Hovenier (2022-01-10 to 2025-01-01) in the knowledge" in text
    assert report.written is not None
    assert "Fixture Overlapper" not in report.written.read_text(encoding="utf-8")


def test_sparql_overlap_with_the_reference_is_reported(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    report = import_wikidata(
        EXPORTS / "sparql.json",
        tmp_path,
        knowledge=knowledge,
        mapping=SPARQL_MAP,
        retrieved=RETRIEVED,
    )
    assert any("Fixture Clash" in line and "Julianne Smith" in line for line in report.left_out)
    assert report.holdings == 2


def _entity(time: object, precision: object = 11) -> dict[str, object]:
    qualifier = {
        "snaktype": "value",
        "property": "P580",
        "datavalue": {"type": "time", "value": {"time": time, "precision": precision}},
    }
    return {
        "id": "Q9900001",
        "labels": {"en": {"language": "en", "value": "Fixture Envoy"}},
        "claims": {
            "P39": [
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "property": "P39",
                        "datavalue": {"value": {"id": "Q9900101"}},
                    },
                    "qualifiers": {"P580": [qualifier]},
                }
            ]
        },
    }


MALFORMED = {
    "not JSON": ("{oops", "not JSON"),
    "wrong shape": (json.dumps({"rows": []}), "neither entity JSON"),
    "bad time": (
        json.dumps({"entities": {"Q9900001": _entity("yesterday")}}),
        "not a Wikidata time",
    ),
    "impossible day": (json.dumps([_entity("+2023-02-30T00:00:00Z")]), "not a real day"),
    "precision not a number": (json.dumps(_entity("+2023-02-01T00:00:00Z", "day")), "precision"),
    "entity without id": (json.dumps([{"claims": {}}]), "no item id"),
    "sparql without person": (
        json.dumps({"results": {"bindings": [{"position": {"value": "Q9900201"}}]}}),
        "'person' is missing",
    ),
    "nothing maps": (
        json.dumps([_entity("+2023-02-01T00:00:00Z")]).replace("Q9900101", "Q9900777"),
        "maps to an office",
    ),
    "no statements": (json.dumps({"entities": {}}), "no 'position held' statement"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_export_is_one_error_naming_the_file_and_nothing_is_written(
    case: str, knowledge: Knowledge, tmp_path: Path
) -> None:
    content, reason = MALFORMED[case]
    export = tmp_path / "export.json"
    export.write_text(content, encoding="utf-8")
    into = tmp_path / "out"
    with pytest.raises(KnowledgeDataError) as error:
        import_wikidata(export, into, knowledge=knowledge, mapping=ENTITY_MAP, retrieved=RETRIEVED)
    assert str(export) in str(error.value)
    assert reason in str(error.value)
    assert not into.exists()


def test_mapping_to_an_unknown_office_is_refused(knowledge: Knowledge, tmp_path: Path) -> None:
    with pytest.raises(KnowledgeDataError, match="'XKX:king'"):
        import_wikidata(
            EXPORTS / "sparql.json",
            tmp_path / "out",
            knowledge=knowledge,
            mapping={"Q9900201": "XKX:king"},
        )
    assert not (tmp_path / "out").exists()


def test_read_export_reads_both_shapes() -> None:
    entities = read_export(EXPORTS / "entities.json")
    sparql = read_export(EXPORTS / "sparql.json")
    assert {s.position_qid for s in entities} >= {"Q9900101", "Q9900102", "Q11696"}
    assert [s.person_label for s in sparql][:2] == ["Fixture Charge", "Fixture Early"]
    assert sparql[1].start is not None and sparql[1].start.precision == 10
    biden = next(s for s in entities if s.position_qid == "Q11696")
    assert biden.person_label == "Joe Biden"  # only a German label: taken all the same


def test_cli_import_and_offices(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        knowledge_app,
        [
            "import-wikidata",
            str(EXPORTS / "sparql.json"),
            "--into",
            str(tmp_path),
            "--map",
            "Q9900201=USA:ambassador_nato",
            "--retrieved",
            "2026-11-27",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wrote 2 holdings" in result.output
    offices = runner.invoke(knowledge_app, ["offices", "--country", "XKX", "--on", "2023-09-14"])
    assert offices.exit_code == 0, offices.output
    assert "Ejup Maqedonci" in offices.output and "Albin Kurti" in offices.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import-wikidata", "missing.json", "--into", "out"], "no such file"),
        (["import-wikidata", "x.json", "--into", "out", "--map", "Q1"], "is not QID=OFFICE_KEY"),
        (["offices", "--on", "someday"], "is not a date"),
        (["offices", "--country", "Narnia"], "not a country"),
    ],
)
def test_cli_errors_are_one_line_without_traceback(args: list[str], message: str) -> None:
    result = CliRunner().invoke(knowledge_app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
