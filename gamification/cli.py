"""`flask gamification ...` commands."""

import click
from flask.cli import AppGroup

group = AppGroup("gamification", help="Points, badges and leaderboards.")


@group.command("recompute")
def recompute_command():
    """Rebuild totals, daily caps, leaderboards and badges from the facts; report changes."""
    from .recompute import recompute

    report = recompute()
    for key, value in report.items():
        click.echo(f"{key}: {value}")


@group.command("reverse-serial-votes")
def reverse_serial_votes_command():
    """Find serial votes and reverse them with their points (safe to run again)."""
    from .antiabuse import reverse_serial_votes

    result = reverse_serial_votes()
    click.echo(f"serial voters found: {result['voters']}; votes reversed: {result['votes_reversed']}")


@group.command("monthly")
@click.option("--month", help="YYYY-MM; default: the month that just ended.")
def monthly_command(month):
    """Award the monthly badges (fastest median time to a first answer)."""
    from .monthly import award_fastest_of_month

    result = award_fastest_of_month(month)
    click.echo(result)
