"""The course-delivery form (shape only; the rules live in services.course_delivery)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms import FloatField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional


class DeliveryForm(FlaskForm):
    on = DateField(_l("Date taught"), validators=[InputRequired()], default=date.today)
    hours = FloatField(_l("Class hours"), validators=[InputRequired()],
                       description=_l("In steps of 0.5; at most 8 per entry."),
                       render_kw={"step": "0.5", "min": "0.5", "max": "8", "inputmode": "decimal"})
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    teacher = StringField(_l("Teacher's staff number"), validators=[Optional(), Length(max=64)],
                          description=_l("Leave empty if you taught it yourself."))
