"""Handler tests run the real handlers against moto's in-memory AWS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from moto import mock_aws

from tests.fake_aws import use_fake_aws
from tests.lambda_context import FakeContext
from txnpipe import clients

__all__ = ["FakeContext", "aws"]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    use_fake_aws(monkeypatch)
    clients.reset()
    with mock_aws():
        yield
    clients.reset()
