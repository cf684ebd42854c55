"""`flask support sla-tick`: advance the escalation ladder (once, or every N seconds)."""

import time

import click
from flask.cli import AppGroup

support_group = AppGroup("support", help="Support staff: the escalation ladder.")


@support_group.command("sla-tick")
@click.option("--every", type=float, default=None,
              help="Keep running, ticking every this many seconds (a separate process when scaled out).")
def sla_tick_command(every):
    """Advance the escalation ladder once; running it twice changes nothing."""
    from ..extensions import db
    from ..ladder import sla_tick

    while True:
        result = sla_tick()
        click.echo(f"sla-tick: {result['offered']} offered to experts, {result['escalated']} escalated to staff")
        db.session.remove()
        if every is None:
            return
        time.sleep(every)
