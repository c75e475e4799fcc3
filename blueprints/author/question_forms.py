"""Forms for the question and quiz editors: shapes only; the rules live in the services."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import FieldList
from wtforms import Form
from wtforms import FormField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional

TYPE_LABELS = {"single": _l("Single choice"), "multiple": _l("Multiple choice"),
               "truefalse": _l("True / false"), "ordering": _l("Ordering")}
COMPETENCY_LABELS = {"recognition": _l("Recognition"), "discernment": _l("Discernment"),
                     "intervention": _l("Intervention")}
LAYOUT_LABELS = {"all": _l("All questions on one page"), "paged": _l("One question per screen")}
#: blank option and draw rows offered beyond those already filled in
SPARE_ROWS = 2
SEPARATORS = re.compile(r"[\s,，、;；]+")


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the menu options WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


class OptionForm(Form):
    text = StringField(_l("Option"), validators=[Length(max=2000)])
    correct = BooleanField(_l("Correct"))
    feedback = StringField(_l("Feedback on this option"), validators=[Length(max=4000)])


class QuestionForm(FlaskForm):
    bank = StringField(_l("Bank (short name)"), validators=[Length(max=100)],
                       description=_l("An existing bank, or a new one: lower-case letters, "
                                      "digits and hyphens."))
    qid = StringField(_l("Question id"), validators=[Length(max=100)],
                      description=_l("Unique across all banks, e.g. rec-042. It cannot be "
                                     "changed later."))
    type = SelectField(_l("Type"), choices=choices(TYPE_LABELS.items()))
    competency = SelectField(_l("Competency"),
                             choices=choices([("", _l("Not tagged yet")), *COMPETENCY_LABELS.items()]))
    stem = TextAreaField(_l("Question (Markdown)"), validators=[DataRequired(), Length(max=20000)])
    options = FieldList(FormField(OptionForm), min_entries=4, max_entries=12)
    feedback = TextAreaField(_l("General feedback, shown after the attempt (Markdown)"),
                             validators=[Length(max=20000)])
    tags = StringField(_l("Tags"), validators=[Length(max=500)],
                       description=_l("Separated by commas."))
    save = SubmitField(_l("Save"))
    preview = SubmitField(_l("Preview"))

    def record(self) -> dict:
        """The form as a question record (services.question_bank); blank options dropped."""
        options = [dict(option) for option in self.options.data if (option["text"] or "").strip()]
        return {"qid": (self.qid.data or "").strip(), "type": self.type.data,
                "competency": self.competency.data or None, "stem": self.stem.data or "",
                "options": options, "feedback": self.feedback.data or "",
                "tags": [tag for tag in re.split(r"[,，、]", self.tags.data or "") if tag.strip()]}


class DrawForm(Form):
    bank = SelectField(_l("Bank"), choices=[], validate_choice=False)
    competency = SelectField(_l("Competency"), validate_choice=False,
                             choices=choices([("", _l("Any")),
                                              *COMPETENCY_LABELS.items()]))
    count = IntegerField(_l("Count"), validators=[Optional(), NumberRange(min=0, max=500)])


class QuizForm(FlaskForm):
    slug = StringField(_l("Short name (slug)"), validators=[Length(max=100)],
                       description=_l("Lower-case letters, digits and hyphens, e.g. "
                                      "informant-check. It becomes the address and the file name."))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    roles = SelectMultipleField(_l("Required for roles"), choices=[], validate_choice=False)
    pass_mark = IntegerField(_l("Pass mark (percent of the maximum score)"), default=80,
                             validators=[DataRequired(), NumberRange(min=1, max=100)])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"),
                                      validators=[Optional(), NumberRange(min=1, max=1440)],
                                      description=_l("Leave empty for no limit."))
    max_attempts = IntegerField(_l("Attempts allowed"),
                                validators=[Optional(), NumberRange(min=0, max=1000)],
                                description=_l("Leave empty or 0 for unlimited."))
    shuffle = BooleanField(_l("Shuffle questions and options for each attempt"))
    layout = SelectField(_l("Layout"), choices=choices(LAYOUT_LABELS.items()))
    questions = TextAreaField(_l("Fixed questions (ids, in order)"),
                              validators=[Length(max=20000)],
                              description=_l("Separated by spaces, commas or new lines."))
    draws = FieldList(FormField(DrawForm), min_entries=2, max_entries=20)
    save = SubmitField(_l("Save"))

    def record(self) -> dict:
        """The form as a quiz record (services.quiz_defs); empty draw rows dropped."""
        draws = [{"bank": d["bank"], "competency": d["competency"] or None, "count": d["count"]}
                 for d in self.draws.data if d["bank"] and d["count"]]
        return {"title": self.title.data or "", "roles": list(self.roles.data or []),
                "pass_mark": (self.pass_mark.data or 0) / 100,
                "time_limit_minutes": self.time_limit_minutes.data or None,
                "max_attempts": self.max_attempts.data or None, "shuffle": self.shuffle.data,
                "layout": self.layout.data,
                "questions": [q for q in SEPARATORS.split(self.questions.data or "") if q],
                "draw": draws}


def question_initial(question) -> dict:
    """A stored question as the editor's initial values."""
    return {"type": question.type, "competency": question.competency or "",
            "stem": question.stem, "feedback": question.feedback,
            "tags": ", ".join(question.tags or []), "options": list(question.options)}


def quiz_initial(quiz) -> dict:
    """A stored quiz as the editor's initial values."""
    return {"title": quiz.title, "roles": list(quiz.roles), "shuffle": quiz.shuffle,
            "pass_mark": round(quiz.pass_mark * 100), "layout": quiz.layout,
            "time_limit_minutes": quiz.time_limit_minutes, "max_attempts": quiz.max_attempts,
            "questions": "\n".join(quiz.questions),
            "draws": [dict(d, competency=d.get("competency") or "") for d in quiz.draw]}


def add_spare_rows(field_list, minimum: int) -> None:
    """Offer blank rows to fill in, so no script is needed to add an option or a draw."""
    while len(field_list) < min(field_list.max_entries,
                                max(minimum, len(field_list) + SPARE_ROWS)):
        field_list.append_entry()


def form_problems(form) -> list[str]:
    """Every field error as "Label: message", rows of options and draws included."""
    problems = []
    for field in form:
        if field.type == "FieldList":
            for number, entry in enumerate(field, start=1):
                problems += [f"{sub.label.text} {number}: {error}" for sub in entry.form
                             for error in sub.errors]
        elif field.type != "CSRFTokenField":
            problems += [f"{field.label.text}: {error}" for error in field.errors]
    return problems
