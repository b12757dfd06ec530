"""The practice answer form: one question's answer plus the version it answers (Flask-WTF, CSRF)."""

from __future__ import annotations

from wtforms import HiddenField, SelectChoice
from wtforms.validators import InputRequired, Regexp

from quizapp.contests.forms import AnswerForm


class PracticeForm(AnswerForm):
    """An answer to the question version ``version`` (the id shown on the page)."""

    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,12}$")])

    @property
    def version_id(self) -> int:
        """Return the answered version id (valid after ``validate_on_submit``)."""
        return int(self.version.data)


def practice_form(question: dict, formdata=None) -> PracticeForm:
    """Build the form for *question* (a :func:`quizapp.practice.services.present` dict)."""
    data = {"version": str(question["version_id"]), "blanks": [""] * question["blanks"]}
    form = PracticeForm(formdata=formdata, data=data) if formdata is not None else PracticeForm(data=data)
    choices = [SelectChoice(option["id"], f"{option['label']}. {option['text']}") for option in question["options"]]
    form.choice.choices = choices
    form.choices.choices = choices
    while len(form.blanks.entries) < question["blanks"]:
        form.blanks.append_entry("")
    return form
