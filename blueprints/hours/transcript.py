"""Transcript (record of learning) pages: your own at /transcript, someone's in your scope at
/people/<number>/transcript; each printable and downloadable as PDF."""
import io

from flask import flash
from flask import redirect
from flask import render_template
from flask import send_file
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required

from blueprints.hours.views import bp
from models import Person
from services import transcript
from services.errors import NotFound
from services.hour_activities import activity_label
from services.pdf import PdfUnavailable


def own_person() -> Person:
    if current_user.person is None:
        raise NotFound(_("Your login is not linked to a person in the roster, so there is no "
                         "transcript to show."))
    return current_user.person


def render_page(person: Person, pdf_url: str):
    record = transcript.collect(person)
    return render_template("hours/transcript.html", record=record, pdf_url=pdf_url,
                           today=record.as_of, activity_label=activity_label,
                           public_status=lambda c: transcript.public_status(c, record.as_of))


def pdf_response(person: Person, page_url: str):
    """The PDF, or back to the page with a note when the server cannot draw Chinese."""
    try:
        from services.transcript_pdf import transcript_pdf  # fpdf2 loads on the first PDF

        data = transcript_pdf(person)
    except PdfUnavailable as error:
        flash(error.message, "warning")
        return redirect(page_url)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"transcript-{person.number}.pdf")


@bp.route("/transcript")
@login_required
def my_transcript():
    return render_page(own_person(), pdf_url=url_for("hours.my_transcript_pdf"))


@bp.route("/transcript.pdf")
@login_required
def my_transcript_pdf():
    return pdf_response(own_person(), url_for("hours.my_transcript"))


@bp.route("/people/<number>/transcript")
@login_required
def person_transcript(number: str):
    person = transcript.readable_person(current_user, number)
    return render_page(person, pdf_url=url_for("hours.person_transcript_pdf", number=person.number))


@bp.route("/people/<number>/transcript.pdf")
@login_required
def person_transcript_pdf(number: str):
    person = transcript.readable_person(current_user, number)
    return pdf_response(person, url_for("hours.person_transcript", number=person.number))
