"""The storage stack: `stack` (buckets, tables, event bus, alert topic) and `kms` (the workspace's CMK)."""
