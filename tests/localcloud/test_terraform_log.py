"""What a deploy's terraform DEBUG log says about requests the AWS SDK sent again (real provider log lines)."""

from __future__ import annotations

from pathlib import Path

from localcloud import terraform_log

# Shapes copied from terraform-provider-aws 5.100.0's DEBUG log (aws-sdk-go-base), trimmed.
FIRST_SEND = ('2026-12-02T06:20:29.589Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: '
              'http.method=POST http.request.header.amz_sdk_request="attempt=1; max=25" rpc.method=CreateWebACL '
              'tf_resource_type=aws_wafv2_web_acl @module=aws\n')
RETRYABLE = ('2026-12-02T06:20:31.001Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: request failed with '
             'retryable error read tcp 127.0.0.1:5->127.0.0.1:6: read: connection reset by peer @module=aws '
             'rpc.method=CreateWebACL tf_aws.sdk=aws-sdk-go-v2\n')
SECOND_SEND = FIRST_SEND.replace("attempt=1", "attempt=2").replace("29.589Z", "31.200Z")
UNRETRYABLE = ('2026-12-02T06:16:55.705Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: request failed with '
               'unretryable error https response error StatusCode: 404, RequestID: , NotFound: : @module=aws '
               'rpc.method=HeadBucket\n')


def _log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "api.apply.debug.log"
    path.write_text("".join(lines))
    return path


def test_a_retryable_error_is_quoted_with_its_operation(tmp_path: Path) -> None:
    # Given a log where CreateWebACL's first answer was lost
    path = _log(tmp_path, FIRST_SEND, RETRYABLE, SECOND_SEND)
    # When the retried requests are read
    lines = terraform_log.retried_requests(path)
    # Then the error comes first, naming the operation and the error text only
    assert lines[0] == ("2026-12-02T06:20:31.001Z CreateWebACL: retryable error read tcp 127.0.0.1:5->127.0.0.1:6: "
                        "read: connection reset by peer")


def test_the_second_attempt_is_listed(tmp_path: Path) -> None:
    path = _log(tmp_path, FIRST_SEND, RETRYABLE, SECOND_SEND)
    assert terraform_log.retried_requests(path)[1] == "2026-12-02T06:20:31.200Z CreateWebACL: sent again (attempt 2)"


def test_first_attempts_and_unretryable_errors_are_not_retries(tmp_path: Path) -> None:
    path = _log(tmp_path, FIRST_SEND, UNRETRYABLE)
    assert terraform_log.quote(path) == ""


def test_a_missing_log_quotes_nothing(tmp_path: Path) -> None:
    assert terraform_log.retried_requests(tmp_path / "absent.log") == []


def test_debug_env_starts_a_fresh_log(tmp_path: Path) -> None:
    # Given an earlier command's log at the same path
    path = _log(tmp_path, RETRYABLE)
    # When the next command's environment is made
    env = terraform_log.debug_env(path)
    # Then terraform writes DEBUG to that path, which no longer holds the earlier lines
    assert (env, path.exists()) == ({"TF_LOG": "DEBUG", "TF_LOG_PATH": str(path)}, False)
