"""Flask commands: seed-demo, users create, doctor, outbox run."""

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from .errors import ServiceError


def register_commands(app):
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(users_group)
    app.cli.add_command(doctor_command)
    app.cli.add_command(outbox_group)
    from .seed.bench import seed_bench_command

    app.cli.add_command(seed_bench_command)


@click.command("seed-demo")
@click.option("--questions", default=300, show_default=True, help="How many questions to create.")
@click.option("--seed", default=7, show_default=True, help="Random seed, for a repeatable community.")
def seed_demo_command(questions, seed):
    """Seed the demo community (an Italian mobile operator and bank)."""
    from .seed import seed_demo

    summary = seed_demo(questions=questions, seed=seed, progress=True)
    click.echo(summary)


users_group = AppGroup("users", help="Manage accounts.")


@users_group.command("create")
@click.argument("username")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice(["member", "staff", "admin"]), default="member", show_default=True)
def users_create(username, email, password, role):
    """Create an account."""
    from .services.accounts import register_user

    try:
        user = register_user(username, email, password, role=role)
    except ServiceError as exc:
        detail = "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or exc.message
        raise click.ClickException(detail) from exc
    click.echo(f"created {user.role} {user.username} (id {user.id})")


@click.command("doctor")
def doctor_command():
    """Check the invariants; exit non-zero on a violation."""
    from .doctor import run_checks

    results = run_checks()
    failed = violations = 0
    for name, problems in results:
        mark = "ok " if not problems else "FAIL"
        click.echo(f"[{mark}] {name}")
        for problem in problems[:20]:
            click.echo(f"       - {problem}")
        if len(problems) > 20:
            click.echo(f"       ... and {len(problems) - 20} more")
        failed += bool(problems)
        violations += len(problems)
    click.echo(f"{len(results)} checks, {failed} failed, {violations} violation(s)")
    click.echo("all invariants hold" if not failed else f"{failed} check(s) failed")
    sys.exit(1 if failed else 0)


outbox_group = AppGroup("outbox", help="The outbox of side effects.")


@outbox_group.command("run")
@click.option("--once", is_flag=True, help="Drain what is pending, then stop.")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls.")
def outbox_run(once, interval):
    """Drain the outbox (search index, live events, webhooks)."""
    from .extensions import db, live_write_only
    from .outbox import drain, pending_count

    # The worker has no Socket.IO clients: with a Redis message queue it only publishes,
    # and keeps no listener thread that would receive (and decode) every live event.
    live_write_only()
    current_app.logger.info("outbox worker started")
    while True:
        result = drain()
        if result["done"] or result["failed"]:
            click.echo(f"outbox: {result['done']} done, {result['failed']} failed")
        if once:
            click.echo(f"outbox: {pending_count()} pending")
            db.session.remove()
            return
        db.session.remove()
        if not result["done"]:
            time.sleep(interval)
