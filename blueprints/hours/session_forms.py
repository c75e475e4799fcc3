"""Training-session forms (shape only; the rules live in services/training_sessions.py)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import DateTimeLocalField
from wtforms import DecimalField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import StopValidation

#: what a datetime-local input sends, and what someone typing without one may write
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]



def finite(form, field) -> None:
    """Refuse NaN and infinities before the range check (Decimal cannot compare them)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Give a number."))

class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of check boxes (easier than a list box on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Starts (Beijing time)"), format=TIME_FORMATS,
                                   validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends (Beijing time)"), format=TIME_FORMATS,
                                 validators=[InputRequired()])
    hours = DecimalField(_l("Hours credited"), places=1,
                         validators=[InputRequired(), finite, NumberRange(min=0.5, max=12)],
                         description=_l("In half-hour steps, at most 12."),
                         render_kw={"step": "0.5", "min": "0.5", "max": "12", "inputmode": "decimal"})
    #: ledger activity codes; the view fills the choices
    activity = SelectField(_l("Activity"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    #: role codes; the view fills the choices
    roles = CheckboxesField(_l("For roles"), validators=[Optional()],
                            description=_l("Tick none for everyone in the unit."))
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100_000)],
                            description=_l("How many may register; empty for no limit."),
                            render_kw={"min": "1", "inputmode": "numeric"})


class NewSessionForm(SessionForm):
    unit = StringField(_l("Unit code"), validators=[DataRequired(), Length(max=64)],
                       description=_l("The unit whose people the session is for; its trainers and "
                                      "admins manage it."))


class WalkInForm(FlaskForm):
    number = StringField(_l("Staff/student number"), validators=[DataRequired(), Length(max=64)])


class AttendanceImportForm(FlaskForm):
    file = FileField(_l("File (.xlsx or .csv)"),
                     validators=[FileRequired(_l("Choose a file to import."))])
    dry_run = BooleanField(_l("Dry run (validate only)"))
