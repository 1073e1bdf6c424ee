"""The real-time path on the transactions table, part of the api stack's construct tree.

`anomaly` (the stream consumer that alerts on anomalies) and `aggregation` (the 5-minute scheduled
roll-up). `stacks/api/stack.py` creates both in the api stack: their construct IDs live there.
"""
