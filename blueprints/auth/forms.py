"""Sign-in and password forms (shape only; the rules live in services.accounts)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import EqualTo
from wtforms.validators import Length


class LoginForm(FlaskForm):
    username = StringField(_l("Email or staff/student number"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class TokenForm(FlaskForm):
    name = StringField(_l("What is it for?"), validators=[Length(max=100)])
