"""Forms of the hour ledger pages (shape only; the rules live in services.hours_entries)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import DecimalField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from services.hour_activities import activity_choices


class HoursForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the training."))],
                     default=date.today)
    hours = DecimalField(_l("Hours"), places=1,
                         validators=[InputRequired(_l("Enter the hours, for example 1.5."))],
                         description=_l("In steps of 0.5; at most 12 a day."))
    activity = SelectField(_l("Activity"))
    description = TextAreaField(_l("Description"),
                                description=_l("What the training was, who ran it and where."))
    evidence = FileField(_l("Evidence (optional)"),
                         description=_l("A certificate or attendance sheet: PDF, JPG or PNG, at most 10 MB."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity.choices = activity_choices()


class ReviewForm(FlaskForm):
    """Approve or reject: one entry, or the ticked ones (`ids` read from the request)."""

    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)],
                           description=_l("Required for rejecting; the learner will see it."))


class QueueFilter(FlaskForm):
    """The review queue's search and filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or number"), validators=[Optional(), Length(max=100)])
    unit = StringField(_l("Unit code"), validators=[Optional(), Length(max=64)])
    activity = SelectField(_l("Activity"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity.choices = [("", "—")] + activity_choices()
