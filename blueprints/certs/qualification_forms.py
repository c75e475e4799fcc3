"""Qualification forms (shape only; the rules live in services.qualifications)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed
from flask_wtf.file import FileField
from wtforms import DateField
from wtforms import SelectField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import Optional

#: the file extensions offered; the service checks the content itself
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class QualificationForm(FlaskForm):
    #: type codes; the view fills the choices from the catalogue
    type = SelectField(_l("Qualification"), validators=[DataRequired()])
    issuer = StringField(_l("Issued by"), validators=[DataRequired(), Length(max=200)])
    number = StringField(_l("Certificate number"), validators=[DataRequired(), Length(max=100)])
    issued_on = DateField(_l("Date of issue"), validators=[InputRequired()])
    expires_on = DateField(_l("Valid until"), validators=[Optional()],
                           description=_l("Leave empty if it does not expire."))
    evidence = FileField(_l("Scan or photo of the certificate (PDF, JPG or PNG, at most 10 MB)"),
                         validators=[FileAllowed(EVIDENCE_EXTENSIONS,
                                                 _l("The evidence must be a PDF, JPG or PNG file."))])


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=2000)],
                           description=_l("Required when rejecting; the person sees it."))
    verify = SubmitField(_l("Mark verified"))
    reject = SubmitField(_l("Reject"))
