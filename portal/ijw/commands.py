"""flask ijw import FILE... and flask ijw export KIND ID --out FILE."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.domain import DomainError
from portal.domain.accounts import normalise_email
from portal.extensions import db
from portal.ijw.exporting import export
from portal.ijw.parsing import MAX_BYTES
from portal.ijw.receiving import receive_message
from portal.ijw.registry import EXPORTERS
from portal.models import User

ijw = AppGroup("ijw", help="Import and export iJw 3.2 messages.")


@ijw.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "email", default=None,
              help="Import as this account: a municipal one (its municipality only) for a "
                   "JW323 declaration, a provider's for its JW305/JW307.")
@click.option("--answers", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the answer message of each file (JW302, JW306, JW308) here.")
def import_command(files: tuple[Path, ...], email: str | None, answers: Path | None) -> None:
    """Import messages (JW301, JW305, JW307, JW323), each on its own: all of a file or
    nothing of it.

    Prints a report per file; exits with status 1 when any file was refused."""
    actor = None
    if email:
        actor = db.session.scalar(select(User).where(User.email == normalise_email(email)))
        if actor is None or (actor.municipality is None and actor.provider is None):
            raise click.ClickException(f"No municipal or provider account {email}.")
    refused = 0
    for path in files:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)  # a larger file is refused without reading it all
        received = receive_message(data, actor=actor,
                                   municipality=actor.municipality if actor else None,
                                   source=path.name)
        report, answer = received.report, received.answer
        db.session.commit()
        db.session.expunge_all()  # nothing read for a refused file lingers for the next one
        click.echo(report.summary())
        for warning in report.warnings:
            click.echo(f"  waarschuwing [{warning.rule}]  {warning.message}")
        for finding in report.findings:
            place = f"regel {finding.line}" if finding.line else "-"
            codes = ", ".join(filter(None, (finding.rule, finding.code)))
            code = f" [{codes}]" if codes else ""
            click.echo(f"  {place}  {finding.path or '-'}{code}  {finding.message}")
        if answer is not None and answers is not None:
            answers.mkdir(parents=True, exist_ok=True)
            (answers / answer.filename).write_bytes(answer.content)
            click.echo(f"  antwoord: {answer.filename}")
        refused += not report.ok
    if refused:
        raise click.exceptions.Exit(1)


@ijw.command("export")
@click.argument("kind", type=click.Choice(sorted(name.lower() for name in EXPORTERS),
                                          case_sensitive=False))
@click.argument("object_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write the message to.")
def export_command(kind: str, object_id: int, out: Path) -> None:
    """Write the message KIND for the object with ID: jw301 an allocation, jw305 and jw307 a
    trajectory, jw315 an allocation request, jw317 a change request."""
    exporter = EXPORTERS[kind.upper()]
    obj = db.session.get(exporter.model, object_id)
    if obj is None:
        raise click.ClickException(f"No {exporter.model.__name__} with id {object_id}.")
    try:
        made = export(exporter, obj, None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    out.write_bytes(made.content)
    click.echo(f"{made.filename} ({exporter.kind.name} {made.identification}) -> {out}")
