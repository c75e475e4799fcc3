"""Assignment forms (shape only; the rules live in services.roster)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional


class AssignForm(FlaskForm):
    number = StringField(_l("Staff/student number"), validators=[DataRequired(), Length(max=64)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)],
                       description=_l("Only for someone not yet in the roster."))
    #: role codes; the view fills the choices from the catalogue
    role = SelectField(_l("Role"), validators=[DataRequired()])
    start = DateField(_l("Start date"), validators=[InputRequired()], default=date.today)


class AssignmentForm(FlaskForm):
    start = DateField(_l("Start date"), validators=[InputRequired()])
    end = DateField(_l("End date"), validators=[Optional()],
                    description=_l("Leave empty while the person still holds the role."))


class EndForm(FlaskForm):
    end = DateField(_l("End date"), validators=[Optional()])

