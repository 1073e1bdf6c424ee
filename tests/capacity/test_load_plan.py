"""The load arithmetic (pure), and that its settings are the synthesized ones."""

from __future__ import annotations

import dataclasses
import sysconfig
from pathlib import Path

import pytest

from capacity.dynamodb_limits import (
    NEW_TABLE_WRU_PER_S,
    PROVIDER_SUPPORTS_WARM_THROUGHPUT,
    TABLE_QUOTA_WRU_PER_S,
    loader_backoff_wait_s,
    loader_batch_items,
)
from capacity.facts import Measurements
from capacity.load_plan import (
    LoadSettings,
    Rates,
    day_index_wru_per_s,
    file_load,
    hot_key_items_per_s,
    rru_per_item,
    sdk_retry_wait_s,
    step_retry_wait_s,
    wru_per_item,
)
from capacity.settings import load_settings, rates
from capacity.synthesized import Synthesized
from stacks.processing.definition import LOAD_CONCURRENCY, THROTTLED_LOAD_RETRY
from stacks.processing.functions import LOAD
from txnpipe.function_environments import LoadTransactionsEnvironment
from txnpipe.layout import DAY_SHARDS

SETTINGS = LoadSettings(writers=8, map_concurrency=8, reserved=10, timeout_s=600, indexes=1,
                        large_file_bytes=100 * 2**20, chunk_bytes=64 * 2**20, chunk_concurrency=40,
                        load_retry=THROTTLED_LOAD_RETRY)
RATES = Rates(writer_items_per_s=500, item_bytes=450, csv_bytes_per_row=87.6, validate_s_per_mb=0.02,
              plan_s_per_mb=0.005, merge_s_per_mb=0.005)


def test_an_item_costs_two_wru_per_kb_on_the_table_in_a_transaction_and_one_per_gsi() -> None:
    assert wru_per_item(450, 1, transactional=True) == (2, 3)
    assert wru_per_item(1500, 2, transactional=True) == (4, 8)


def test_a_single_conditional_put_costs_one_wru_per_kb_on_the_table_and_per_gsi() -> None:
    assert wru_per_item(1500, 2, transactional=False) == (2, 6)


def test_a_small_file_is_limited_by_its_writers_not_the_table() -> None:
    # Given a 100 MB file on one date (one part, one load)
    load = file_load(size_mb=100, dates=1, settings=SETTINGS, rates=RATES, table_wru_per_s=TABLE_QUOTA_WRU_PER_S)
    # Then its rate is its writers' rate
    assert load.items_per_s == SETTINGS.writers * RATES.writer_items_per_s
    assert not load.chunked


def test_doubling_writers_halves_a_load_that_the_table_can_take() -> None:
    one = file_load(size_mb=100, dates=1, settings=SETTINGS, rates=RATES, table_wru_per_s=TABLE_QUOTA_WRU_PER_S)
    more = dataclasses.replace(SETTINGS, writers=16)
    two = file_load(size_mb=100, dates=1, settings=more, rates=RATES, table_wru_per_s=TABLE_QUOTA_WRU_PER_S)
    assert two.load_s == pytest.approx(one.load_s / 2)


def test_a_large_file_is_chunked_and_capped_by_a_new_tables_ceiling() -> None:
    load = file_load(size_mb=1000, dates=1, settings=SETTINGS, rates=RATES, table_wru_per_s=NEW_TABLE_WRU_PER_S)
    assert load.chunked
    assert load.items_per_s == NEW_TABLE_WRU_PER_S / 2  # 2 WRU per item on the base table: prepare and commit
    assert load.writers == SETTINGS.writers * SETTINGS.map_concurrency


def test_a_bad_file_size_is_refused_with_the_values() -> None:
    with pytest.raises(ValueError, match="0 MB"):
        file_load(size_mb=0, dates=1, settings=SETTINGS, rates=RATES, table_wru_per_s=NEW_TABLE_WRU_PER_S)


def test_retry_waits_sum_the_capped_backoff() -> None:
    rule = [{"ErrorEquals": ["X"], "IntervalSeconds": 5, "BackoffRate": 2.0, "MaxAttempts": 4, "MaxDelaySeconds": 15}]
    assert step_retry_wait_s(rule, "X") == 5 + 10 + 15 + 15
    assert step_retry_wait_s(rule, "Other") == 0
    assert sdk_retry_wait_s(4, 0.05, 2) == pytest.approx(0.05 + 0.1 + 0.2)


def test_a_hot_key_is_capped_at_one_partition() -> None:
    assert hot_key_items_per_s(0.5) == 2000
    with pytest.raises(ValueError, match="share"):
        hot_key_items_per_s(0)


def test_the_day_index_takes_the_peak_of_a_bulk_day_on_its_write_shards(prod_synth: Synthesized,
                                                                        measurements: Measurements) -> None:
    # Given prod's loads at their peak (every reserved load's writers at the measured rate, capped at the quota)
    settings, rate = load_settings(prod_synth), rates(measurements)
    peak = min((settings.reserved or settings.map_concurrency) * settings.writers * rate.writer_items_per_s,
               TABLE_QUOTA_WRU_PER_S)
    # When all of it is one day's rows (one index write each), Then the day's shards can absorb it
    assert day_index_wru_per_s(DAY_SHARDS) >= peak
    with pytest.raises(ValueError, match="shards must be >= 1, got 0"):
        day_index_wru_per_s(0)


def test_the_loaders_transactions_are_transact_write_items_maximum() -> None:
    assert loader_batch_items() == 100


def test_a_key_look_up_costs_half_a_read_unit_per_4_kb() -> None:
    assert (rru_per_item(450), rru_per_item(5000)) == (0.5, 1.0)


def test_the_loaders_longest_resend_wait_is_the_sum_of_its_capped_bounds() -> None:
    # 10 attempts: 9 waits of 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, then the 5 s cap three times
    assert loader_backoff_wait_s() == (10, 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5.0 * 3)


def test_a_100_mb_file_on_a_new_table_loads_with_a_quarter_of_the_timeout_to_spare(
        prod_synth: Synthesized, measurements: Measurements) -> None:
    # Given the synthesized prod settings, When a 100 MB file (one part) loads on a new on-demand table
    settings = load_settings(prod_synth)
    load = file_load(size_mb=100, dates=1, settings=settings, rates=rates(measurements),
                     table_wru_per_s=NEW_TABLE_WRU_PER_S)
    # Then its one part leaves room for throttled retries inside load_transactions' timeout, and the SLA holds
    assert load.part_load_s <= 0.75 * settings.timeout_s
    assert load.total_s <= 15 * 60


def test_the_settings_are_the_synthesized_ones(prod_synth: Synthesized) -> None:
    # Given the prod synth, When the load settings are read from it
    settings = load_settings(prod_synth)
    # Then they are what the stacks and the handler's record define
    assert settings.map_concurrency == LOAD_CONCURRENCY
    assert settings.reserved == LOAD.reserved_concurrency("prod")
    assert settings.timeout_s == LOAD.timeout_s
    assert settings.writers == LoadTransactionsEnvironment.__dataclass_fields__["writers"].default


def test_the_load_timeout_is_read_from_the_synthesized_json(editable: Synthesized) -> None:
    # Given the synthesized load function with a 100 s timeout instead
    body = next(b for b in editable.stacks["processing"]["resource"]["aws_lambda_function"].values()
                if b["function_name"] == "txnpipe-load-transactions-prod")
    body["timeout"] = 100
    # Then the load plan works with 100 s
    assert load_settings(editable).timeout_s == 100


def test_the_warm_throughput_flag_matches_the_pinned_provider_binding() -> None:
    # The binding of hashicorp/aws 5.100.0 is generated from the provider's schema: an argument it lacks,
    # the provider lacks. When the provider is upgraded and gains it, this fails and the plan changes advice.
    # Read, not imported: importing a binding module loads the provider's whole jsii assembly (seconds).
    source = (Path(sysconfig.get_paths()["purelib"]) / "cdktf_cdktf_provider_aws" / "dynamodb_table" / "__init__.py").read_text()
    assert "5.100.0" in source
    assert ("warm_throughput" in source) is PROVIDER_SUPPORTS_WARM_THROUGHPUT
