"""The terraform CLI config every emulator deploy shares: never seen half-written by a concurrent command."""

from __future__ import annotations

import threading
from pathlib import Path

from localcloud.deploy import CLI_CONFIG_TEMPLATE, MIRROR, write_cli_config


def _expected() -> str:
    return CLI_CONFIG_TEMPLATE.read_text().replace("@MIRROR@", str(MIRROR))


def test_the_config_installs_from_the_mirror(tmp_path: Path) -> None:
    assert write_cli_config(tmp_path / "terraform.rc").read_text() == _expected()


def test_an_unchanged_config_is_not_rewritten(tmp_path: Path) -> None:
    # Given the config written once
    rc = write_cli_config(tmp_path / "terraform.rc")
    inode = rc.stat().st_ino
    # When a later command writes it again
    write_cli_config(rc)
    # Then it is the same file, untouched
    assert rc.stat().st_ino == inode


def test_readers_never_see_a_partial_config_while_it_is_replaced(tmp_path: Path) -> None:
    # Given a stale config that every writer replaces, and a reader polling it meanwhile
    rc = tmp_path / "terraform.rc"
    seen: set[str] = set()
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.add(rc.read_text())

    def write() -> None:
        stale = rc.with_name(f"stale-{threading.get_ident()}")
        for _ in range(300):
            stale.write_text("stale\n")
            stale.replace(rc)
            write_cli_config(rc)

    rc.write_text("stale\n")
    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write) for _ in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join()
    # Then it only ever read a whole config, old or new
    assert seen <= {"stale\n", _expected()}
