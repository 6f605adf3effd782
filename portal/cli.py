"""Flask commands: seed-demo, create-user and ijw (import and export of iJw messages)."""

from datetime import date, datetime

import click
from flask import Flask
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.accounts import create_user
from portal.domain.lists import Role
from portal.extensions import db
from portal.ijw.commands import ijw
from portal.models import Municipality, Provider, Region


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user_command)
    app.cli.add_command(ijw)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database holds a region.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Build the region as of this day (YYYY-MM-DD) instead of today.")
def seed_demo(if_empty: bool, today: datetime | None) -> None:
    """Load the demo region (H10 Haaglanden) and print its accounts."""
    from portal.demo.region import build_demo_region
    from portal.jobs.figures import refresh as refresh_figures

    if db.session.scalar(select(Region.id).limit(1)) is not None:
        if if_empty:
            click.echo("The database already holds a region; the demo is not loaded again.")
            return
        raise click.ClickException("The database is not empty; seed-demo needs an empty one.")
    accounts = build_demo_region(today.date() if today else date.today())
    db.session.commit()
    refresh_figures()  # the steering information is complete from the first page on
    click.echo("Demo accounts (role, e-mail, password, TOTP secret):")
    for account in accounts:
        click.echo(f"  {account.role.value:<17} {account.email:<44} {account.password}  "
                   f"{account.totp_secret or '-'}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--organisation", "organisation_code", default="",
              help="AGB code (provider roles) or CBS code (municipal roles); "
                   "not needed for region roles.")
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_user_command(email, name, role, organisation_code, password) -> None:
    """Create an account."""
    role = Role(role)
    kind = role.organisation_kind
    organisation: Provider | Municipality | Region | None
    if kind == "provider":
        organisation = db.session.scalar(select(Provider).filter_by(agb_code=organisation_code))
    elif kind == "municipality":
        organisation = db.session.scalar(
            select(Municipality).filter_by(cbs_code=organisation_code))
    else:
        organisation = db.session.scalar(select(Region).order_by(Region.id).limit(1))
    if organisation is None:
        raise click.ClickException(f"No {kind} found for '{organisation_code}'.")
    try:
        user = create_user(email=email, name=name, password=password, role=role,
                           organisation=organisation)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({role.value}) for {organisation.name}.")
