"""The cost model reads memory, states and schedules from the synthesized JSON; its figures move with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capacity.cli import main
from capacity.cost_model import api_cost_per_transaction, break_even_rows, delta, estimate, per_file_cost
from capacity.facts import Measurements, PriceTable, load_measurements, load_prices
from capacity.load_plan import rows_in
from capacity.scenario import Scenario
from capacity.settings import rates
from capacity.synthesized import Synthesized
from tests.synth import Synth

SCENARIO = Scenario(files_per_day=10, mb_per_file=100, api_per_day=100_000)


def _lambda_usd(synth: Synthesized, prices: PriceTable, m: Measurements, what: str) -> float:
    return sum(c.usd for c in estimate(synth, prices, m, SCENARIO).costs if c.line.what == what)


def test_changing_a_functions_memory_changes_its_cost(
        prod_synth: Synthesized, editable: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    # Given the synthesized validate_file, and a copy of the JSON with twice its memory
    before = _lambda_usd(prod_synth, prices, measurements, "validate-file compute")
    body = next(b for b in editable.stacks["processing"]["resource"]["aws_lambda_function"].values()
                if b["function_name"] == "txnpipe-validate-file-prod")
    body["memory_size"] *= 2
    # When both are priced
    after = _lambda_usd(editable, prices, measurements, "validate-file compute")
    # Then its compute cost doubles
    assert before > 0
    assert after == pytest.approx(2 * before)


def test_a_state_added_to_the_definition_is_billed_per_file(
        prod_synth: Synthesized, editable: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    # Given the definition with one more Pass state on every file's path
    machine = next(iter(editable.stacks["processing"]["resource"]["aws_sfn_state_machine"].values()))
    definition = json.loads(machine["definition"])
    first = definition["StartAt"]
    definition["States"]["Extra"] = {"Type": "Pass", "Next": first}
    definition["StartAt"] = "Extra"
    machine["definition"] = json.dumps(definition)
    # When both are priced
    before, after = (estimate(s, prices, measurements, SCENARIO).by_service()["Step Functions"]
                     for s in (prod_synth, editable))
    # Then the difference is one transition per file
    assert after - before == pytest.approx(SCENARIO.files_per_month * prices["states.standard_transition"])


def test_the_delta_of_a_change_is_its_services_difference(
        prod_synth: Synthesized, editable: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    base = estimate(prod_synth, prices, measurements, SCENARIO)
    body = next(b for b in editable.stacks["api"]["resource"]["aws_lambda_function"].values()
                if b["function_name"] == "txnpipe-api-ingest-prod")
    body["memory_size"] += 512
    diff = delta(base, estimate(editable, prices, measurements, SCENARIO))
    assert set(diff) == {"Lambda", "total"}
    assert diff["Lambda"] == pytest.approx(diff["total"])
    assert diff["total"] > 0


def test_at_the_break_even_a_file_costs_what_its_rows_cost_through_the_api(
        prod_synth: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    rows = break_even_rows(prod_synth, prices, measurements)
    mb = rows / rows_in(1, rates(measurements))
    file_usd = per_file_cost(prod_synth, prices, measurements, mb)
    api_usd = rows * api_cost_per_transaction(prod_synth, prices, measurements)
    assert file_usd == pytest.approx(api_usd, rel=0.02)


def test_each_path_has_a_cost_per_million(prod_synth: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    e = estimate(prod_synth, prices, measurements, SCENARIO)
    assert e.per_million("file") > 0
    assert e.per_million("api") > e.per_million("file")


def test_a_region_without_a_price_table_is_named() -> None:
    with pytest.raises(FileNotFoundError, match=r"eu-west-9.*us-east-1"):
        load_prices("eu-west-9")


def test_a_measurement_without_a_source_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"figures": {"x": {"value": 1, "kind": "measured"}}}))
    with pytest.raises(ValueError, match=r"\['x'\]"):
        load_measurements(path)


def test_make_cost_prints_the_paths_and_the_delta(prod: Synth, capsys: pytest.CaptureFixture[str]) -> None:
    outdir = str(prod.outdir)
    code = main(["cost", "--workspace", "prod", "--outdir", outdir, "--base", outdir])
    out = capsys.readouterr().out
    assert code == 0
    assert "USD per 1M" in out
    assert "total" in out.split("delta against")[1]


def test_a_missing_synth_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cost", "--workspace", "prod", "--outdir", str(tmp_path)]) == 2
    assert "make synth" in capsys.readouterr().err


def test_the_storage_class_follows_the_synthesized_lifecycle(
        editable: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    # Given lifecycle rules that move objects to GLACIER after 7 days instead of 90
    for config in editable.stacks["storage"]["resource"]["aws_s3_bucket_lifecycle_configuration"].values():
        for rule in config["rule"]:
            for transition in rule.get("transition", []):
                transition["days"] = 7
    # When priced, Then the month's objects are priced as GLACIER
    keys = {c.line.price for c in estimate(editable, prices, measurements, SCENARIO).costs if "storage" in c.line.what
            and c.line.service == "S3"}
    assert keys == {"s3.glacier_gb_month"}


def test_without_bucket_keys_every_object_request_calls_kms(
        prod_synth: Synthesized, editable: Synthesized, prices: PriceTable, measurements: Measurements) -> None:
    # Given the synthesized buckets with S3 Bucket Keys turned off
    for config in editable.stacks["storage"]["resource"]["aws_s3_bucket_server_side_encryption_configuration"].values():
        for rule in config["rule"]:
            rule["bucket_key_enabled"] = False
    # When both are priced, Then only the copy pays for KMS requests
    def kms_requests(s: Synthesized) -> float:
        return sum(c.line.quantity for c in estimate(s, prices, measurements, SCENARIO).costs if c.line.price == "kms.request")
    assert kms_requests(prod_synth) == 0
    assert kms_requests(editable) > 0
