"""One test per iJw rule the portal checks, named after its code: a message that breaks the
rule is refused with the rule's code and return code, one that keeps it is not refused for it.
At the end: every kind of message the portal writes keeps every rule of the stylesheet."""

import re
import time
from datetime import date, datetime, timedelta

import pytest
from lxml import etree

from portal.domain import DomainError
from portal.domain.codes import COD327, JZ588, WJ758
from portal.domain.declarations import credit_line, delete_concept
from portal.domain.requests import (
    AllocationWish,
    approve_change,
    request_allocation,
    request_change,
)
from portal.domain.review import approve_line
from portal.domain.trajectories import ChildDetails, check_birth_date_plausible
from portal.formatting import AMSTERDAM
from portal.ijw import jw301, jw305, jw307, jw315, jw317, jw323, jw325, rules
from portal.ijw.exporting import export
from portal.ijw.importing import import_message
from portal.ijw.rules import stylesheet_findings
from tests.declaring import declare, measure_end, submit
from tests.factories import next_bsn
from tests.ijw.messages import ADDRESS, OMVANG, product
from tests.ijw.messages import jw301 as jw301_message

TODAY_ISO = datetime.now(AMSTERDAM).date().isoformat()


def bring_in(world, data: bytes):
    return import_message(data, actor=world.users["access_staff"],
                          municipality=world.municipalities[0], source="r.xml")


def broken(report, rule: str, return_code: str = "0001") -> None:
    """The message is refused for `rule`, with its return code, line and element path."""
    assert not report.ok
    found = [f for f in report.findings if f.rule == rule]
    assert found, report.findings
    assert found[0].code == f"WJ001 {return_code}" and found[0].path and found[0].line


def kept(report, rule: str) -> None:
    assert rule not in {f.rule for f in report.findings}, report.findings


def allocation(world, *products: str, **values) -> bytes:
    values.setdefault("bsn", next_bsn())
    values.setdefault("identification", f"R{next_bsn()}")
    return jw301_message(*(products or (product(next_number()),)),
                         receiver=world.providers[0].agb_code, **values)


_numbers = iter(range(700001, 799999))


def next_number() -> int:
    return next(_numbers)


# JW301 ------------------------------------------------------------------------------------


def test_TR002_a_birth_date_120_years_before_the_dagtekening(world):
    broken(bring_in(world, allocation(world, birth_date="1905-01-19")), "TR002")
    kept(bring_in(world, allocation(world)), "TR002")
    # The forms apply it against today (tests/web: the allocation form).
    with pytest.raises(DomainError, match="TR002"):
        check_birth_date_plausible(date(1906, 11, 27), date(2026, 11, 28))
    check_birth_date_plausible(date(1906, 11, 28), date(2026, 11, 28))


def test_TR134_a_toewijzingsdatum_after_the_dagtekening(world):
    late = product(next_number(), allocated_on="2026-01-21")
    broken(bring_in(world, allocation(world, late)), "TR134")
    assert bring_in(world, allocation(world)).ok


def test_TR135_a_dagtekening_in_the_future(world):
    tomorrow = (datetime.now(AMSTERDAM).date() + timedelta(days=1)).isoformat()
    broken(bring_in(world, allocation(world, day=tomorrow)), "TR135", "8848")
    kept(bring_in(world, allocation(world, day=TODAY_ISO)), "TR135")
    kept(bring_in(world, allocation(world, day="2026-01-20+01:00")), "TR135")


def test_CD041_a_product_code_without_omvang(world):
    broken(bring_in(world, allocation(world, product(next_number(), size=""))), "CD041")
    kept(bring_in(world, allocation(world)), "CD041")


BUDGET = "<jw301:Budget>1000000</jw301:Budget>"


def test_CD077_budget_together_with_omvang(world):
    both = product(next_number(), size=OMVANG + BUDGET)
    broken(bring_in(world, allocation(world, both)), "CD077")
    kept(bring_in(world, allocation(world, product(next_number(), size=BUDGET))), "CD077")


def test_CD078_omvang_together_with_budget(world):
    both = product(next_number(), size=OMVANG + BUDGET)
    broken(bring_in(world, allocation(world, both)), "CD078")
    kept(bring_in(world, allocation(world)), "CD078")


def size(unit: str, frequency: str) -> str:
    return (f"<jw301:Omvang><ijw:Volume>1000000</ijw:Volume><ijw:Eenheid>{unit}</ijw:Eenheid>"
            f"<ijw:Frequentie>{frequency}</ijw:Frequentie></jw301:Omvang>")


def test_CS338_euros_need_a_frequency_per_week_month_or_period(world):
    per_day = product(next_number(), size=size("83", "1"))
    broken(bring_in(world, allocation(world, per_day)), "CS338")
    # The rule allows 2 (per week), 4 and 6; the portal itself always sends 6.
    per_week = product(next_number(), size=size("83", "2"))
    kept(bring_in(world, allocation(world, per_week)), "CS338")


def test_CD007_an_interpreter_needs_a_language(world):
    interpreter = "<jw301:Communicatie><ijw:Vorm>1</ijw:Vorm></jw301:Communicatie>"
    broken(bring_in(world, allocation(world, communication=interpreter)), "CD007")
    with_language = ("<jw301:Communicatie><ijw:Vorm>1</ijw:Vorm><ijw:Taal>Pools</ijw:Taal>"
                     "</jw301:Communicatie>")
    assert bring_in(world, allocation(world, communication=with_language)).ok


PHONE_ONLY = ("<jw301:Contact><jw301:Soort>02</jw301:Soort><jw301:Telefoon><ijw:Telefoon01>"
              "<ijw:Telefoonnummer>0701234567</ijw:Telefoonnummer><ijw:Landnummer>0031"
              "</ijw:Landnummer></ijw:Telefoon01></jw301:Telefoon></jw301:Contact>")


def test_TR061_the_client_has_an_address_contact(world):
    temporary = ADDRESS.replace("<jw301:Soort>01</jw301:Soort>", "<jw301:Soort>04</jw301:Soort>")
    broken(bring_in(world, allocation(world, contact=temporary)), "TR061")
    assert bring_in(world, allocation(world, contact=PHONE_ONLY)).ok


def test_TR006_a_contact_has_a_phone_or_an_address(world):
    nothing = "<jw301:Contact><jw301:Soort>02</jw301:Soort></jw301:Contact>"
    broken(bring_in(world, allocation(world, contact=nothing)), "TR006")
    kept(bring_in(world, allocation(world, contact=PHONE_ONLY)), "TR006")


def test_CS335_a_deletion_ends_on_its_start(world):
    deleted = product(next_number(), end="2026-03-01", reason="13")
    broken(bring_in(world, allocation(world, deleted)), "CS335")
    kept(bring_in(world, allocation(world, product(next_number(), end="2026-02-01",
                                                       reason="13"))), "CS335")


def test_TR379_a_referentieaanbieder_names_a_request_of_the_provider(world):
    bsn = next_bsn()
    stray = product(next_number(), referentie="VOT-424242")
    broken(bring_in(world, allocation(world, stray, bsn=bsn)), "TR379", "9379")
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(bsn, date(2015, 5, 17), "Sanne Eva", "van der Berg"),
        world.municipalities[0], COD327.GENERAL_PRACTITIONER, world.arrangements["ontw_midden"],
        date(2026, 2, 1), date(2026, 7, 31), "Verwezen", referrer_name="Huisarts Jansen"),
        world.users["provider_staff"])
    honoured = product(next_number(), referentie=jw315.reference(wish))
    assert bring_in(world, allocation(world, honoured, bsn=bsn)).ok


# JW323 ------------------------------------------------------------------------------------


@pytest.fixture
def declared(world):
    """The JW323 of a concept with two start tranches; the concept is gone again."""
    world.trajectory("started")
    world.trajectory("started")
    concept = declare(world)
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    return made.content


def first_line(data: bytes, old: bytes, new: bytes) -> bytes:
    """`old` replaced by `new` in the first Prestatie only."""
    first = data.index(b"<jw323:Prestatie>")
    return data[:first] + data[first:].replace(old, new, 1)


def test_TR358_the_total_is_the_sum_of_the_lines(world, declared):
    tampered = re.sub(rb"<ijw:TotaalBedrag>(\d+)<", lambda m: b"<ijw:TotaalBedrag>%d<"
                      % (int(m.group(1)) + 1), declared, count=1)
    broken(bring_in(world, tampered), "TR358")
    assert bring_in(world, declared).ok


def test_CS339_in_euros_the_volume_is_the_amount(world, declared):
    tampered = first_line(declared, b"<jw323:GeleverdVolume>", b"<jw323:GeleverdVolume>1")
    broken(bring_in(world, tampered), "CS339")
    kept(bring_in(world, declared), "CS339")


def in_hours(data: bytes, amount_per_hour: int, hours: int, declared_cents: bytes) -> bytes:
    """The first line in hours (Eenheid 04) with a tariff, declaring `declared_cents`."""
    amount = re.search(rb"<ijw:Bedrag>(\d+)<", data[data.index(b"<jw323:Prestatie>"):])[1]
    data = first_line(data, b"<jw323:GeleverdVolume>%s<" % amount,
                      b"<jw323:GeleverdVolume>%d<" % hours)
    data = first_line(data, b"<jw323:Eenheid>83</jw323:Eenheid>",
                      b"<jw323:Eenheid>04</jw323:Eenheid><jw323:ProductTarief>%d"
                      b"</jw323:ProductTarief>" % amount_per_hour)
    return first_line(data, b"<ijw:Bedrag>%s<" % amount, b"<ijw:Bedrag>%s<" % declared_cents)


def hours_for(data: bytes) -> tuple[int, int, bytes]:
    """Hours and a tariff per hour that make the first line's amount exactly."""
    amount = int(re.search(rb"<ijw:Bedrag>(\d+)<", data[data.index(b"<jw323:Prestatie>"):])[1])
    return amount // 100, 100, str(amount).encode()


def test_TR346_the_amount_is_volume_times_tariff(world, declared):
    hours, tariff, amount = hours_for(declared)
    broken(bring_in(world, in_hours(declared, tariff + 1, hours, amount)), "TR346", "9346")
    kept(bring_in(world, in_hours(declared, tariff, hours, amount)), "TR346")


def test_TR341_the_unit_is_the_allocations(world, declared):
    hours, tariff, amount = hours_for(declared)
    report = bring_in(world, in_hours(declared, tariff, hours, amount))
    broken(report, "TR341", "9341")
    assert report.findings[0].path.endswith("/Client[1]/Prestaties/Prestatie/Eenheid")
    assert bring_in(world, declared).ok


def test_TR416_one_debit_per_product_and_period(world, declared):
    second = re.search(rb"<jw323:Prestatie>.*?</jw323:Prestatie>", declared, re.S)[0]
    again = second.replace(b"<ijw:ReferentieNummer>", b"<ijw:ReferentieNummer>X", 1)
    doubled = declared.replace(second, second + again, 1)
    broken(bring_in(world, doubled), "TR416")


def test_TR416_a_start_and_an_end_in_one_month_are_two_periods(world):
    """Care from 3 to 20 February: both tranches fall in February; the end tranche is for the
    last day of care, so the portal's own message holds TR416 and reads back in."""
    trajectory = world.trajectory("ended", ended_on=date(2026, 2, 20))
    measure_end(trajectory, world.users["provider_staff"])
    concept = declare(world)
    periods = [(line.tranche.value, line.period_start, line.period_end)
               for line in concept.lines]
    assert [period[1:] for period in periods] == [
        (date(2026, 2, 1), date(2026, 2, 28)), (date(2026, 2, 20), date(2026, 2, 20))]
    made = export(jw323.EXPORTER, concept, world.users["provider_staff"])
    delete_concept(concept, world.users["provider_staff"])
    report = bring_in(world, made.content)
    assert report.ok, report.findings


def test_TR333_a_declaration_number_once_per_provider(world, declared):
    assert bring_in(world, declared).ok
    again = re.sub(rb"<ijw:Identificatie>\d+<", b"<ijw:Identificatie>999999999<", declared,
                   count=1)
    broken(bring_in(world, again), "TR333", "9333")


def credited(world):
    """A submitted and approved start tranche, credited in March: the concept with its
    credit (a month is declared once it is over: TR137)."""
    world.trajectory("started")
    declaration = declare(world)
    submit(world, declaration)
    approve_line(declaration.lines[0], world.users["reviewer"])
    return credit_line(declaration.lines[0], world.users["provider_staff"], date(2026, 3, 5))


def test_CD060_a_credit_names_its_debit(world):
    concept = credited(world)
    data = export(jw323.EXPORTER, concept, world.users["provider_staff"]).content
    # IV091: the credit has a reference of its own and the debit's as the previous one.
    credit = concept.lines[0]
    assert (b"<ijw:ReferentieNummer>%sC</ijw:ReferentieNummer><ijw:VorigReferentieNummer>%s<"
            % (credit.reference.encode(), credit.reference.encode())) in re.sub(
                rb"\s", b"", data)
    root = etree.fromstring(data)
    assert stylesheet_findings(root) == []
    previous = root.find(".//{*}VorigReferentieNummer")
    previous.getparent().remove(previous)
    assert "CD060" in {finding.rule for finding in stylesheet_findings(root)}


# JW315 ------------------------------------------------------------------------------------


def test_CD067_a_referring_care_provider_has_a_code_or_a_name(world):
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "Vos"), world.municipalities[0],
        COD327.GENERAL_PRACTITIONER, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen", referrer_code="01234567"),
        world.users["provider_staff"])
    root = etree.fromstring(export(jw315.EXPORTER, wish, None).content)
    assert root.findtext(".//{*}Verwijzer/{*}ZorgverlenerCode") == "01234567"
    assert stylesheet_findings(root) == []
    code = root.find(".//{*}Verwijzer/{*}ZorgverlenerCode")
    code.getparent().remove(code)
    assert "CD067" in {finding.rule for finding in stylesheet_findings(root)}


# Every export ------------------------------------------------------------------------------


def test_every_kind_of_export_keeps_every_rule_of_the_stylesheet(world):
    staff, reviewer = world.users["provider_staff"], world.users["reviewer"]
    changed = world.trajectory("started")
    change = request_change(changed, reason=WJ758.CARE_PLAN,
                            arrangement=world.arrangements["ontw_zwaar"],
                            end_date=date(2027, 7, 31), motivation="Zwaarder", actor=staff)
    later = request_change(world.trajectory("started"), reason=WJ758.CARE_PLAN,
                           arrangement=world.arrangements["ontw_midden"],
                           end_date=date(2027, 1, 31), motivation="Langer", actor=staff)
    replaced = world.trajectory("started")
    approve_change(request_change(replaced, reason=WJ758.CARE_PLAN,
                                  arrangement=world.arrangements["ontw_zwaar"],
                                  end_date=date(2026, 12, 31), motivation="Zwaarder",
                                  actor=staff),
                   date(2026, 4, 1), world.users["access_staff"])
    ended = world.trajectory("ended", ended_on=date(2026, 5, 31),
                             end_reason=JZ588.EARLY_BY_AGREEMENT)
    declaration = declare(world)
    submit(world, declaration)
    for line in declaration.lines:
        approve_line(line, reviewer)
    wish = request_allocation(world.providers[0], AllocationWish(
        ChildDetails(next_bsn(), date(2012, 1, 1), "Ali", "Vos"), world.municipalities[0],
        COD327.MEDICAL_SPECIALIST, world.arrangements["ontw_midden"], date(2026, 3, 1),
        date(2026, 8, 31), "Verwezen", referrer_name="Dr. Bakker"), staff)
    exports = [(jw301.EXPORTER, replaced.allocations[0]), (jw301.EXPORTER, ended.allocations[0]),
               (jw305.EXPORTER, replaced), (jw307.EXPORTER, ended), (jw315.EXPORTER, wish),
               (jw317.EXPORTER, change), (jw317.EXPORTER, later),
               (jw323.EXPORTER, declaration), (jw325.EXPORTER, declaration)]
    for exporter, obj in exports:
        content = export(exporter, obj, None).content
        assert not content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content  # OP192
        assert stylesheet_findings(etree.fromstring(content)) == [], exporter.kind.name


# OP192: how a message is written --------------------------------------------------------


def test_OP192_another_encoding_is_refused_before_parsing(world):
    data = allocation(world)
    latin = data.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    [finding] = bring_in(world, latin).findings
    assert "ISO-8859-1" in finding.message and "OP192" in finding.message
    [finding] = bring_in(world, data.decode().encode("utf-16")).findings
    assert "geen UTF-8 (OP192)" in finding.message


def test_OP192_a_bom_and_lf_line_ends_are_read_with_a_warning(world):
    data = allocation(world)
    report = bring_in(world, b"\xef\xbb\xbf" + data)
    assert report.ok and [w.rule for w in report.warnings] == ["OP192", "OP192"]
    assert "byte order mark" in report.warnings[0].message
    report = bring_in(world, allocation(world).replace(b"\n", b"\r\n"))
    assert report.ok and report.warnings == []


# Bounds on what the stylesheet is given ---------------------------------------------------


def test_a_product_repeated_beyond_reason_is_refused_before_the_stylesheet_runs(world, declared):
    item = re.search(rb"<jw323:Prestatie>.*?</jw323:Prestatie>", declared, re.S)[0]
    copies = b"".join(item.replace(b"<ijw:ReferentieNummer>", b"<ijw:ReferentieNummer>%d" % n)
                      for n in range(200))
    started = time.perf_counter()
    [finding] = bring_in(world, declared.replace(item, copies, 1)).findings
    assert time.perf_counter() - started < 2  # the stylesheet would take minutes
    assert finding.rule == "TR416" and "200 keer" in finding.message


def test_a_message_with_too_many_items_is_refused(world, declared, monkeypatch):
    monkeypatch.setattr(rules, "MAX_ITEMS", 1)
    [finding] = bring_in(world, declared).findings
    assert "hoogstens 1 per bericht" in finding.message and finding.code == "WJ001 0001"
