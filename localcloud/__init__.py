"""The project's local cloud: an AWS emulator (moto 5.2.5 + small documented additions),
a terraform deploy/destroy/plan runner, and the end-to-end demo.

Entry points: `python -m localcloud deploy|destroy|plan|up|demo|emulator` (see `__main__`).
"""

REGION_DEFAULT = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
