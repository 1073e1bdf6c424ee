"""The local AWS emulator: moto 5.2.5's server, in this process, on 127.0.0.1 only.

`Emulator().start()` serves every AWS API the stacks use on one port (default 4566, the
endpoint the `local` workspace's provider block points at) and installs the additions in
`localcloud.patches` (see `PATCHES` there). Step Functions really executes definitions.
Clients point at it with `AWS_ENDPOINT_URL` and any credentials (`client_env()`).
Faults of the emulator itself (not AWS errors) are kept: `unexpected_errors()`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcloud import REGION_DEFAULT, diagnostics

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 4566
LOOPBACK = "127.0.0.1"


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    """True when something already listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass
class Emulator:
    """One in-process moto server with the project's additions. Only one per process (moto state is global)."""

    port: int = DEFAULT_PORT
    region: str = REGION_DEFAULT
    work_dir: Path = ROOT / "build" / "localcloud"
    _server: Any = None
    _thread: threading.Thread | None = None
    runtime: Any = None
    pollers: Any = None
    _extra: list[Any] = field(default_factory=list)
    background: list[Any] = field(default_factory=list)  # started by install_all (metrics sampler, alarms, scheduler)

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def client_env(self) -> dict[str, str]:
        """Environment variables that point boto3, the AWS CLI and terraform at the emulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": self.region, "AWS_DEFAULT_REGION": self.region, "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        }

    def start(self) -> Emulator:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        from localcloud import patches

        if self.port and port_in_use(self.port):
            raise RuntimeError(f"port {self.port} on {LOOPBACK} is in use (is another emulator running?)")

        class QuietHandler(MotoRequestHandler):  # type: ignore[misc, valid-type]
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        app = DomainDispatcherApplication(create_backend_app)
        wrapped = patches.wrap_wsgi(app)
        self._server = make_server(LOOPBACK, self.port, wrapped, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_address[1]
        # moto's Step Functions interpreter calls Lambda and the SDK integrations over HTTP at MOTO_PORT.
        os.environ["MOTO_PORT"] = str(self.port)
        os.environ.setdefault("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
        # The Step Functions interpreter logs every caught task error (with a repr of the state) at
        # ERROR; executions' outcomes are read through the API (DescribeExecution / GetExecutionHistory).
        logging.getLogger("moto.stepfunctions.parser").setLevel(logging.CRITICAL)
        self.runtime, self.pollers = patches.install_all(self)
        diagnostics.watch_requests()
        diagnostics.log_to(Path(self.work_dir) / "logs" / "faults.log")
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.pollers is not None:
            self.pollers.stop()
        for worker in self.background:
            worker.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self.runtime is not None:
            self.runtime.shutdown()

    def unexpected_errors(self) -> tuple[diagnostics.Fault, ...]:
        """Exceptions of the emulator itself so far (`localcloud.diagnostics`); AWS errors are not among them."""
        return diagnostics.recorded()

    def reset(self) -> None:
        """Forget every resource (moto's reset)."""
        from moto.core.models import base_decorator  # noqa: F401
        from moto.moto_api import _internal

        _internal.moto_api_backend.reset()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
