from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from portal.domain.contact import Contact
from portal.domain.family_choice import TEXT_MAX
from portal.domain.lists import FamilyChoice, NotChosenReason
from portal.web.fields import code_field, date_field, id_field, text_field


class ChildFields(FlaskForm):
    """The child's details, shared by the allocation form and the request for one."""

    bsn = text_field(_l("BSN van het kind"), max_length=20)
    birth_date = date_field(_l("Geboortedatum"))
    given_name = text_field(_l("Voornaam"), max_length=80)
    family_name = text_field(_l("Achternaam"), max_length=120)


class ContactFields(FlaskForm):
    """How to reach the child: a JW301 carries an address or a phone (TR061, TR006)."""

    street = text_field(_l("Straat"), max_length=24, required=False)
    house_number = IntegerField(_l("Huisnummer"), validators=[
        Optional(), NumberRange(0, 99999, _l("Het huisnummer ligt tussen 0 en 99999."))])
    house_number_addition = text_field(_l("Toevoeging"), max_length=4, required=False)
    postcode = text_field(_l("Postcode"), max_length=7, required=False)
    city = text_field(_l("Woonplaats"), max_length=80, required=False)
    phone = text_field(_l("Telefoonnummer"), max_length=20, required=False)

    def contact(self) -> Contact:
        return Contact(street=self.street.data, house_number=self.house_number.data,
                       house_number_addition=self.house_number_addition.data,
                       postcode=self.postcode.data, city=self.city.data, phone=self.phone.data)


class AllocationForm(ChildFields, ContactFields):
    provider = id_field(_l("Hoofdaanbieder"))
    arrangement = id_field(_l("Arrangement"))
    start_date = date_field(_l("Ingangsdatum"))
    end_date = date_field(_l("Einddatum"))
    extended_youth_care = BooleanField(_l("Verlengde jeugdhulp (18 tot 23 jaar)"))
    family_choice = SelectField(
        _l("Was de aanbieder de keuze van de ouders of jeugdige?"),
        choices=[(c.value, c.label) for c in FamilyChoice], default=FamilyChoice.UNKNOWN.value)
    not_chosen_reason = code_field(_l("Zo niet: waarom niet?"), NotChosenReason,
                                   required=False, empty="–")
    not_chosen_text = TextAreaField(_l("Toelichting"), validators=[Optional(),
                                                                   Length(max=TEXT_MAX)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV-bestand met toewijzingen"),
                     validators=[FileRequired(_l("Kies een bestand."))])
