"""`flask search ...` commands: rebuild the index, compare it with the database."""

import click
from flask.cli import AppGroup
from tqdm import tqdm

group = AppGroup("search", help="The search index of solved questions.")


@group.command("reindex")
def reindex_command():
    """Rebuild the index from the database into a fresh copy and swap it in."""
    from . import documents, service

    with tqdm(total=documents.count_all(), unit="doc", desc="indexing") as bar:
        count = service.rebuild(progress=bar.update)
    click.echo(f"indexed: {count}")


@group.command("check")
@click.option("--fix", is_flag=True, help="Add missing, refresh stale and remove extra documents.")
def check_command(fix):
    """Report documents missing from, stale in or extra in the index; exit 1 if any."""
    from . import service

    report = service.check(fix=fix)
    for kind in ("missing", "stale", "extra"):
        ids = report[kind]
        click.echo(f"{kind}: {len(ids)}" + (f" ({', '.join(map(str, ids[:20]))})" if ids else ""))
    if fix:
        click.echo("fixed")
    elif any(report.values()):
        raise SystemExit(1)
