"""`python -m localcloud <command>`: the local cloud's front door (the Makefile calls these).

  emulator  run the emulator in the foreground (Ctrl-C stops it)
  deploy    synth + terraform apply every stack of WORKSPACE, in dependency order
  destroy   synth + terraform destroy every stack, in reverse order
  plan      synth + a plan per stack and its review (summary.json, summary.md) under build/plans/;
            --fail-on data-loss exits 3 when the review lists a data loss
  drift     terraform plan -refresh-only per stack: prints drifted resources; exits 2 on drift, 0 when clean
  up        emulator + deploy `local`, then keep running and print how to use it (Ctrl-C: destroy + stop)
  demo      emulator + deploy `local` + push data + summary + destroy
  dashboard render the workspace's CloudWatch dashboard from a running emulator's metrics into one HTML
            file (--name, --out, --hours); exits 1 when the dashboard does not exist
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from localcloud.deploy import ROOT, DeployError, Deployment
from localcloud.emulator import DEFAULT_PORT, Emulator, port_in_use


def _endpoint_port() -> int:
    url = os.environ.get("AWS_ENDPOINT_URL", f"http://127.0.0.1:{DEFAULT_PORT}")
    return int(url.rsplit(":", 1)[1].split("/")[0])


def _deployment(workspace: str, endpoint: str | None) -> Deployment:
    extra = {"AWS_ENDPOINT_URL": endpoint, "TARGET": "local"} if endpoint else {}
    return Deployment(workspace=workspace, outdir=ROOT / "cdktf.out", extra_env=extra,
                      log_dir=ROOT / "build" / "localcloud" / "terraform")


def _target(workspace: str) -> str:
    return os.environ.get("TARGET") or ("local" if workspace == "local" else "aws")


def _require_emulator(workspace: str) -> str | None:
    """The emulator's endpoint when the workspace targets it (`local`, or TARGET=local), else None."""
    if _target(workspace) != "local":
        return None
    port = _endpoint_port()
    if not port_in_use(port):
        raise DeployError(f"no emulator listens on 127.0.0.1:{port}: start one with `make up` (or "
                          "`.venv/bin/python -m localcloud emulator`) in another terminal")
    return f"http://127.0.0.1:{port}"


def cmd_emulator(args: argparse.Namespace) -> int:
    emulator = Emulator(port=args.port).start()
    print(f"emulator listening on {emulator.endpoint} (Ctrl-C stops it)", flush=True)
    _wait_forever()
    emulator.stop()
    return 0


def _wait_forever() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopping", flush=True)


def cmd_deploy(args: argparse.Namespace) -> int:
    deployment = _deployment(args.workspace, _require_emulator(args.workspace))
    deployment.synth()
    deployment.apply()
    return 0


def protection_refusal(workspace: str) -> str | None:
    """Why `destroy` refuses `workspace` (a workspace with deletion protection), or None."""
    from stacks.config import load_config

    config = load_config({**os.environ, "WORKSPACE": workspace})
    if not config.deletion_protection:
        return None
    return (f"refused: {workspace} has deletion protection (stacks/config.py: deletion_protection=True). Its tables "
            "refuse DeleteTable, its buckets keep their objects (force_destroy off) and its KMS key waits 30 days; "
            "nothing was destroyed, in any stack.\nTo destroy it on purpose: in a reviewed change set "
            f"deletion_protection=False for {workspace} (the plan review lists that as data loss), "
            f"`make deploy WORKSPACE={workspace}`, then `make destroy WORKSPACE={workspace}`.")


def cmd_destroy(args: argparse.Namespace) -> int:
    refusal = protection_refusal(args.workspace)
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 1
    deployment = _deployment(args.workspace, _require_emulator(args.workspace))
    deployment.synth()
    deployment.destroy()
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from localcloud.review.run import plan_workspace
    from localcloud.review.summary import data_loss_exit

    deployment = _deployment(args.workspace, _require_emulator(args.workspace))
    deployment.synth()
    plans = ROOT / "build" / "plans"
    reviews = plan_workspace(deployment, plans)
    if args.base:
        from capacity.cli import cost_delta_lines

        with (plans / "summary.md").open("a") as summary:
            summary.write("\n## Cost delta (default scenario)\n\n```\n"
                          + "\n".join(cost_delta_lines(deployment.outdir, args.base, args.workspace)) + "\n```\n")
    print((plans / "summary.md").read_text())
    code = data_loss_exit(reviews, args.fail_on)
    if code:
        losses = sum(len(review.data_loss) for review in reviews.values())
        print(f"error: the plan of {args.workspace} lists {losses} data loss(es); see {plans / 'summary.md'}", file=sys.stderr)
    return code


def cmd_drift(args: argparse.Namespace) -> int:
    from localcloud.review.drift import DRIFT_EXIT, drift_lines, drift_workspace

    deployment = _deployment(args.workspace, _require_emulator(args.workspace))
    deployment.synth()
    report = drift_workspace(deployment)
    print("\n".join(drift_lines(report)))
    return DRIFT_EXIT if any(isinstance(found, list) and found for found in report.values()) else 0


def cmd_up(args: argparse.Namespace) -> int:
    from localcloud.demo import fresh_local_deployment
    from localcloud.scenario import Pipeline
    from localcloud.testing import client_environment

    with Emulator(port=args.port) as emulator:
        deployment = fresh_local_deployment(emulator, outdir=ROOT / "cdktf.out",
                                            log_dir=ROOT / "build" / "localcloud" / "terraform")
        deployment.apply()
        env = emulator.client_env()
        print("\nThe pipeline is deployed into the local emulator. In another shell:\n")
        # AWS_DEFAULT_REGION too: the AWS CLI v1 reads it, not AWS_REGION.
        for key in ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
            print(f"  export {key}={env[key]}")
        with client_environment(emulator):
            pipeline = Pipeline.discover(emulator.endpoint, emulator.region)
        cli, sdk = pipeline.upload_commands("my.csv", "uploads/p-001/my.csv")
        print(f"  aws s3 ls\n  aws dynamodb scan --table-name txnpipe-files-local\n  {cli}\n\n"
              f"  # boto3 (uploads/ requires SSE-KMS with the pipeline's key, multipart included):\n  {sdk}\n")
        print("Ctrl-C destroys the deployment and stops the emulator.", flush=True)
        _wait_forever()
        deployment.destroy()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from localcloud.demo import run_demo

    return run_demo(port=args.port)


def cmd_dashboard(args: argparse.Namespace) -> int:
    import boto3

    from localcloud.dashboard import DashboardMissing, render
    from stacks.naming import Namer
    from stacks.observability.dashboard_name import dashboard_name

    endpoint = _require_emulator(args.workspace)
    name = args.name or dashboard_name(Namer(args.workspace))
    if endpoint:
        env = Emulator(port=_endpoint_port()).client_env()
        client = boto3.client("cloudwatch", endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", env["AWS_REGION"]),
                              aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    else:
        client = boto3.client("cloudwatch")
    end = datetime.now(UTC)
    try:
        rendered = render(client, name, start=end - timedelta(hours=args.hours), end=end)
    except DashboardMissing:
        print(f"error: no dashboard {name!r} at {endpoint or 'AWS'}: deploy the observability stack first "
              f"(`make deploy WORKSPACE={args.workspace}`, or `make up`), or pass --name", file=sys.stderr)
        return 1
    out = args.out or ROOT / "build" / "dashboard" / f"{name}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(rendered.html)
    print(out)
    for widget in rendered.widgets:
        print(f"  {widget.line()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localcloud", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("emulator", cmd_emulator), ("deploy", cmd_deploy), ("destroy", cmd_destroy),
                       ("plan", cmd_plan), ("drift", cmd_drift), ("up", cmd_up), ("demo", cmd_demo),
                       ("dashboard", cmd_dashboard)):
        p = sub.add_parser(name)
        p.set_defaults(func=func)
        p.add_argument("--workspace", default=os.environ.get("WORKSPACE", "local"))
        p.add_argument("--port", type=int, default=_endpoint_port())
        if name == "plan":
            p.add_argument("--fail-on", choices=["data-loss", ""], default=os.environ.get("FAIL_ON", ""))
            p.add_argument("--base", type=Path, help="main's synthesized cdktf.out: adds the cost delta to summary.md")
        if name == "dashboard":
            p.add_argument("--name", help="dashboard name (default: the workspace's, txnpipe-health-<workspace>)")
            p.add_argument("--out", type=Path, help="HTML file (default: build/dashboard/<name>.html)")
            p.add_argument("--hours", type=float, default=3.0, help="time range: the last HOURS up to now")
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DeployError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
