"""flask ijw import and flask ijw export."""

from sqlalchemy import select

from portal.extensions import db
from portal.ijw.parsing import read_message
from portal.models import Allocation
from tests.declaring import declare
from tests.factories import next_bsn
from tests.ijw.messages import SAMPLES, jw301, product


def test_import_prints_a_report_per_file_and_fails_when_one_is_refused(app, world, tmp_path):
    good = tmp_path / "goed.xml"
    good.write_bytes(jw301(product(300201), receiver=world.providers[0].agb_code,
                           bsn=next_bsn()))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["ijw", "import", str(good), str(SAMPLES / "JW301.xml")])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("goed.xml (JW301 T1): ingelezen; 1 nieuwe, 0 gewijzigde en 0 "
                        "ongewijzigde toewijzing(en).")
    # OP192 asks for CR/LF line ends: accepted with a warning.
    assert lines[1].startswith("  waarschuwing [OP192]  De regels van het bericht eindigen")
    assert lines[2].startswith("JW301.xml (JW301 123456789012): geweigerd, 6 fout(en)")
    assert lines[3] == ("  regel 7  /Bericht/Header/Afzender [WJ001 S300]  Gemeente met "
                        "CBS-code 0384 is onbekend in het portaal.")
    assert db.session.scalar(select(Allocation.number)) == 300201
    again = runner.invoke(args=["ijw", "import", str(good)])
    assert again.exit_code == 0 and "al ingelezen op" in again.output


def test_export_writes_a_valid_message(app, world, tmp_path):
    trajectory = world.trajectory("started")
    out = tmp_path / "start.xml"
    result = app.test_cli_runner().invoke(
        args=["ijw", "export", "jw305", str(trajectory.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_message(out.read_bytes()).kind.name == "JW305"


def test_export_explains_why_there_is_no_message(app, world, tmp_path):
    trajectory = world.trajectory("started")
    runner = app.test_cli_runner()
    out = tmp_path / "stop.xml"
    result = runner.invoke(args=["ijw", "export", "jw307", str(trajectory.id), "--out", str(out)])
    assert result.exit_code == 1 and "nog niet beëindigd" in result.output
    assert not out.exists()
    missing = runner.invoke(args=["ijw", "export", "jw301", "999999", "--out", str(out)])
    assert missing.exit_code == 1 and "No Allocation with id 999999" in missing.output


def test_export_writes_a_declaration(app, world, tmp_path):
    world.trajectory("started")
    declaration = declare(world)
    db.session.commit()
    out = tmp_path / "declaratie.xml"
    result = app.test_cli_runner().invoke(
        args=["ijw", "export", "jw323", str(declaration.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_message(out.read_bytes()).kind.name == "JW323"
