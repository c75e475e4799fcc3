"""The module editor's form: the whole Markdown source and the re-completion flag."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length

#: a case study is a few pages; this keeps a pasted book out of the database
MAX_SOURCE = 200_000


class ModuleForm(FlaskForm):
    source = TextAreaField(_l("Module source (Markdown)"),
                           validators=[DataRequired(), Length(max=MAX_SOURCE)])
    requires_recompletion = BooleanField(
        _l("Requires re-completion: learners who completed an earlier version must do it again"))
    save = SubmitField(_l("Save as new version"))
    preview = SubmitField(_l("Preview"))


class NewModuleForm(ModuleForm):
    slug = StringField(_l("Short name (slug)"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Lower-case letters, digits and hyphens, e.g. silent-dorm. "
                                      "It becomes the address and the file name."))
