"""The one stand-in for a Lambda context used by every handler test."""

from __future__ import annotations


class FakeContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name = "test-fn"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:test-fn"
    aws_request_id = "req-1"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
