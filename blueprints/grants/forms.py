"""The form that gives someone a grant on a unit."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Email


class GrantForm(FlaskForm):
    email = EmailField(_l("User's email"), validators=[DataRequired(), Email()])
    kind = SelectField(_l("Access"), choices=[
        SelectChoice("admin", _l("Admin — manages the roster and grants")),
        SelectChoice("trainer", _l("Trainer — authors content and reads statistics")),
        SelectChoice("auditor", _l("Auditor — reads everything, changes nothing")),
    ])
