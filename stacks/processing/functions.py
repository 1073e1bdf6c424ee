"""The file pipeline's Lambda functions as data: sizing, reservations and the environment each reads.

The values of their variables (names of this deployment's resources, the per-workspace large-file
threshold and chunk size of stacks/config.py) and their grants are given in stacks/processing/stack.py.
"""

from __future__ import annotations

from stacks.constructs.python_function import FunctionSpec
from stacks.quotas import Reservation
from txnpipe.function_environments import (
    FileOutputEnvironment,
    FileStatusEnvironment,
    LoadTransactionsEnvironment,
    PlanChunksEnvironment,
    RegisterFileEnvironment,
    SlaMonitorEnvironment,
    SummarizeQuarantineEnvironment,
)

REGISTER = FunctionSpec(name="register_file", environment=RegisterFileEnvironment,
                        description="Registers an uploaded object version (RECEIVED), once",
                        memory_mb=256, timeout_s=30)
STATUS = FunctionSpec(name="file_status", environment=FileStatusEnvironment,
                      description="Records a file's status change and its audit entry",
                      memory_mb=256, timeout_s=30)
# 3,008 MB gives 1.7 vCPU on two cores (capacity.lambda_cpu): parse + checks, the duplicate index and
# the Parquet writers overlap on their own threads; 100 MB takes seconds, and 5 minutes leaves room
# for a 1 GB file in one function (see bench/README.md; `make bench-data` measures with this share).
VALIDATE = FunctionSpec(name="validate_file", environment=FileOutputEnvironment,
                        description="Validates and transforms a file to Parquet + quarantine",
                        memory_mb=3008, timeout_s=300, ephemeral_storage_mb=4096)
PLAN = FunctionSpec(name="plan_chunks", environment=PlanChunksEnvironment,
                    description="Splits a large CSV into row-aligned byte ranges",
                    memory_mb=1024, timeout_s=300)
MERGE = FunctionSpec(name="merge_chunks", environment=FileOutputEnvironment,
                     description="Merges chunk results and finds cross-chunk duplicate ids",
                     memory_mb=1024, timeout_s=300, ephemeral_storage_mb=2048)
# Each load runs 8 writers at ~500 items/s (~4,000 WRU/s); 10 at once reach the transactions table's
# default on-demand quota of 40,000 WRU/s ("Quotas in Amazon DynamoDB"). Must stay >= the LoadTransactions
# Map's MaxConcurrency (8), or one file's map throttles itself (tests/unit/test_quotas.py checks it).
LOAD_RESERVATION = Reservation(per_workspace={"staging": 10, "prod": 10},
                               reason="cap: concurrent file loads stay within the table's 40,000 WRU/s write quota")
LOAD = FunctionSpec(name="load_transactions", environment=LoadTransactionsEnvironment,
                    description="Loads one Parquet object into the transactions table",
                    # Lambda's maximum: on a new on-demand table (2,000 transactional items/s) a 100 MB file's one
                    # part loads in ~570 s, too close to 600 s for a throttled retry (make load-plan).
                    memory_mb=1024, timeout_s=900, reservation=LOAD_RESERVATION)
SUMMARIZE = FunctionSpec(name="summarize_quarantine", environment=SummarizeQuarantineEnvironment,
                         description="Audits a file's quarantined rows by field",
                         memory_mb=512, timeout_s=60)
SLA_MONITOR = FunctionSpec(name="sla_monitor", environment=SlaMonitorEnvironment,
                           description="Publishes how many files are past the 15-minute SLA",
                          memory_mb=256, timeout_s=60)
