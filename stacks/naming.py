"""Physical names: `{project}-{purpose}-{workspace}`, checked against each service's rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from stacks.config import PROJECT


class Service(Enum):
    """Naming limits per service: (max length, allowed characters)."""

    S3 = (63, r"[a-z0-9][a-z0-9-]*[a-z0-9]")
    DYNAMODB = (255, r"[A-Za-z0-9_.-]+")
    LAMBDA = (64, r"[A-Za-z0-9_-]+")
    IAM_ROLE = (64, r"[A-Za-z0-9+=,.@_-]+")
    SQS = (80, r"[A-Za-z0-9_-]+")
    SNS = (256, r"[A-Za-z0-9_-]+")
    STATES = (80, r"[A-Za-z0-9_-]+")
    EVENTS = (64, r"[A-Za-z0-9_.-]+")
    GENERIC = (128, r"[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Namer:
    """Builds the physical names of one workspace."""

    workspace: str
    project: str = PROJECT

    def name(self, purpose: str, service: Service = Service.GENERIC) -> str:
        """Return `{project}-{purpose}-{workspace}`, or raise if the service would refuse it."""
        value = f"{self.project}-{purpose}-{self.workspace}"
        return check_name(value, service)

    def log_group(self, kind: str, purpose: str) -> str:
        """CloudWatch log group path, e.g. `/aws/lambda/txnpipe-validate-dev`."""
        return f"/aws/{kind}/{self.name(purpose)}"


def check_name(value: str, service: Service) -> str:
    """Validate `value` against the service's length and character rules."""
    max_len, pattern = service.value
    if len(value) > max_len:
        raise ValueError(f"{service.name} name {value!r} is {len(value)} chars; limit is {max_len}")
    if not re.fullmatch(pattern, value):
        raise ValueError(f"{service.name} name {value!r} has characters the service refuses")
    return value
