"""The processing stack: the file pipeline.

`stack` (wiring and grants), `functions` (the Lambda specs), `definition` (the state machine's
Amazon States Language), `state_machine` (the state machine resource, its role and logs, and the
S3 → EventBridge routing that starts it), `analytics` (Glue catalog and Athena workgroup).
"""
