"""What every route answers to each identity, for a target inside and outside its scope.

A rule is a function (identity, side) → the status expected; `side` is "A" or "B" for a
route with parameters (see tests/authz_world.py), None otherwise. Modules, quizzes and
questions belong to no unit: for them side B is a name that does not exist.
The anonymous are sent to sign in (302) by pages and answered 401 by the API, unless
the rule is public. Every route of the app must be in EXPECTED: a new route fails
tests/test_authz_matrix.py until someone says here who may reach it.
"""
from collections.abc import Callable
from dataclasses import dataclass

from tests.authz_world import IDENTITIES

READ = ("admin", "trainer", "auditor")
WRITE = ("admin",)
MANAGE = ("admin", "trainer")
#: the matrix runs with PDF_FONT pointing nowhere, so an allowed PDF download sends the
#: reader back to its page with a note (302) instead of spending seconds drawing it
PDF = 302


@dataclass(frozen=True)
class Rule:
    expect: Callable[[str, str | None], int | frozenset]
    public: bool = False


def holds(identity: str, kinds: tuple[str, ...], side: str | None = None) -> bool:
    """Whether the identity's grant is of `kinds` (on `side`, when given); superadmin always."""
    grant = IDENTITIES[identity]
    if grant is None:
        return False
    kind, on = grant
    return kind == "superadmin" or (kind in kinds and (side is None or on == side))


def has_person(identity: str) -> bool:
    return identity == "learner"


def owns(identity: str, side: str | None) -> bool:
    """Side A's objects belong to the learner; side B's to someone who is no identity here."""
    return identity == "learner" and side == "A"


def everyone(ok: int, missing: int = 404) -> Rule:
    """Public: the same answer to all, `missing` for side B (an unknown code or name)."""
    return Rule(lambda who, side: missing if side == "B" else ok, public=True)


def signed_in(ok, missing: int = 404, without_person=None, person_first: bool = False) -> Rule:
    """Any signed-in user; side B does not exist. An account without a person in the roster
    gets `without_person` when given (checked before the target when `person_first`)."""
    def expect(who, side):
        refuse = without_person is not None and not has_person(who)
        if refuse and person_first:
            return without_person
        if side == "B":
            return missing
        return without_person if refuse else ok
    return Rule(expect)


def granted(kinds: tuple[str, ...], ok, refused: int) -> Rule:
    """Holders of a grant of `kinds` anywhere; side B (if any) does not exist."""
    return Rule(lambda who, side: (404 if side == "B" else ok) if holds(who, kinds) else refused)


def scoped(ok, kinds: tuple[str, ...] = READ, readers: int | None = None, owner=None,
           ungranted: int = 404) -> Rule:
    """Users whose grant of `kinds` covers the target; readers of it get `readers` (else
    404), its owner `owner` (else as anyone else); those with no grant at all `ungranted`;
    everyone else 404."""
    def expect(who, side):
        if not holds(who, READ):
            return owner if owner is not None and owns(who, side) else ungranted
        if holds(who, kinds, side):
            return ok
        if readers is not None and holds(who, READ, side):
            return readers
        return 404
    return Rule(expect)


def owned(ok) -> Rule:
    """Only the owner (the learner, side A); everyone else 404, superadmins included."""
    return Rule(lambda who, side: ok if owns(who, side) else 404)


def login_page() -> Rule:
    return Rule(lambda who, side: 200 if who == "anonymous" else 302, public=True)


#: "endpoint METHOD" → rule. POSTs send a CSRF token and no (or invalid) fields, so an
#: authorised user sees the form's problems (200/422) or is sent back (302): nothing changes.
EXPECTED = {
    "static GET": everyone(200),
    "auth.login GET": login_page(),
    "auth.login POST": login_page(),
    "auth.logout POST": everyone(302),
    "auth.activate GET": everyone(200),
    "auth.activate POST": everyone(200),
    "auth.set_language POST": everyone(302),
    "auth.change_password GET": signed_in(200),
    "auth.change_password POST": signed_in(200),
    "auth.profile GET": signed_in(200),
    "auth.create_token POST": signed_in(200),
    "auth.revoke_token POST": signed_in(302),
    "auth.sign_out_everywhere POST": signed_in(302),
    "learn.dashboard GET": signed_in(200),
    "learn.module GET": signed_in(200),
    "learn.answer POST": signed_in(302, without_person=400, person_first=True),
    "learn.reach POST": signed_in(302, without_person=400, person_first=True),
    "learn.dismiss_notice POST": owned(302),
    "learn.quiz GET": signed_in(200),
    "learn.quiz_start POST": signed_in(302, without_person=400),
    "learn.quiz_attempt GET": owned(302),
    "learn.quiz_save POST": owned(302),
    "learn.quiz_finish GET": owned(302),
    "learn.quiz_review GET": owned(200),
    "learn.quiz_submit POST": owned(302),
    "roster.units GET": granted(READ, 200, 403),
    "roster.unit GET": scoped(200),
    "roster.unit_competency GET": scoped(200),
    "roster.add_assignment POST": scoped(200, WRITE, readers=403),
    "roster.edit_assignment GET": scoped(200, WRITE, readers=403),
    "roster.edit_assignment POST": scoped(200, WRITE, readers=403),
    "roster.end_assignment POST": scoped(302, WRITE, readers=403),
    "roster.import_roster GET": granted(WRITE, 200, 404),
    "roster.import_roster POST": granted(WRITE, 422, 404),
    "roster.import_template GET": granted(WRITE, 200, 404),
    "roster.people GET": granted(READ, 200, 403),
    "roster.person GET": scoped(200),
    "reports.audit_log GET": granted(WRITE, 200, 404),
    "reports.audit_xlsx GET": granted(WRITE, 200, 404),
    "reports.audit_csv GET": granted(WRITE, 200, 404),
    "reports.coverage_home GET": granted(READ, 302, 404),
    "reports.unit_coverage GET": scoped(200),
    "reports.coverage_xlsx GET": scoped(200),
    "grants.unit_grants GET": scoped(200, WRITE),
    "grants.unit_grants POST": scoped(200, WRITE),
    "grants.remove POST": scoped(302, WRITE),
    "author.modules GET": granted(MANAGE, 200, 404),
    "author.new_module GET": granted(MANAGE, 200, 404),
    "author.new_module POST": granted(MANAGE, 200, 404),
    "author.edit_module GET": granted(MANAGE, 200, 404),
    "author.edit_module POST": granted(MANAGE, 200, 404),
    "author.export_module GET": granted(MANAGE, 200, 404),
    "author.module_statistics GET": granted(MANAGE, 200, 404),
    "author.preview POST": granted(MANAGE, 200, 404),
    "author.questions GET": granted(MANAGE, 200, 404),
    "author.new_question GET": granted(MANAGE, 200, 404),
    "author.new_question POST": granted(MANAGE, 422, 404),
    "author.edit_question GET": granted(MANAGE, 200, 404),
    "author.edit_question POST": granted(MANAGE, 422, 404),
    "author.import_questions GET": granted(MANAGE, 200, 404),
    "author.import_questions POST": granted(MANAGE, 422, 404),
    "author.quizzes GET": granted(MANAGE, 200, 404),
    "author.new_quiz GET": granted(MANAGE, 200, 404),
    "author.new_quiz POST": granted(MANAGE, 422, 404),
    "author.edit_quiz GET": granted(MANAGE, 200, 404),
    "author.edit_quiz POST": granted(MANAGE, 422, 404),
    "author.quiz_results GET": granted(MANAGE, 200, 404),
    "author.quiz_results POST": granted(MANAGE, 422, 404),
    "author.results_template GET": granted(MANAGE, 200, 404),
    "author.quiz_statistics GET": granted(MANAGE, 200, 404),
    "author.quiz_statistics_xlsx GET": granted(MANAGE, 200, 404),
    "certs.my_certificates GET": signed_in(200),
    "certs.certificate GET": scoped(200, owner=200),
    "certs.download_pdf GET": scoped(PDF, owner=PDF),
    "certs.revoke POST": scoped(302, WRITE, readers=403, owner=403),
    "certs.programs GET": signed_in(200),
    "certs.my_qualifications GET": signed_in(200),
    "certs.my_qualifications POST": signed_in(200),
    "certs.withdraw_qualification POST": owned(302),
    "certs.qualification_review GET": granted(WRITE, 200, 403),
    "certs.review_qualification POST": scoped(302, WRITE, readers=403),
    "certs.verify_form GET": everyone(200),
    "certs.verify GET": everyone(200, missing=200),
    "hours.my_hours GET": signed_in(200),
    "hours.my_hours POST": signed_in(422, without_person=403),
    "hours.edit_entry GET": owned(200),
    "hours.edit_entry POST": owned(422),
    "hours.withdraw_entry POST": owned(302),
    "hours.review_queue GET": granted(READ, 200, 403),
    "hours.review_queue POST": granted(MANAGE, 422, 403),
    "hours.review_entry GET": scoped(200),
    "hours.review_entry POST": scoped(422, MANAGE, readers=403),
    "hours.totals GET": granted(READ, 200, 403),
    "hours.totals_xlsx GET": granted(READ, 200, 403),
    "hours.evidence GET": scoped(200, owner=200),
    "hours.my_transcript GET": signed_in(200, without_person=404),
    "hours.my_transcript_pdf GET": signed_in(PDF, without_person=404),
    "hours.person_transcript GET": scoped(200, owner=200),
    "hours.person_transcript_pdf GET": scoped(PDF, owner=PDF),
    "hours.sessions GET": signed_in(200),
    "hours.new_session GET": granted(MANAGE, 200, 404),
    "hours.new_session POST": granted(MANAGE, 422, 404),
    "hours.session GET": scoped(200, owner=200),
    "hours.edit_session GET": scoped(200, MANAGE, readers=403),
    "hours.edit_session POST": scoped(422, MANAGE, readers=403),
    "hours.cancel_session POST": scoped(302, MANAGE, readers=403),
    "hours.take_attendance POST": scoped(302, MANAGE, readers=403),
    "hours.walk_in POST": scoped(422, MANAGE, readers=403),
    "hours.import_attendance POST": scoped(422, MANAGE, readers=403),
    "hours.session_qr GET": scoped(200, MANAGE, readers=403),
    "hours.register POST": owned(302),
    "hours.unregister POST": owned(302),
    "hours.checked_in GET": owned(200),
    "hours.checkin GET": scoped(409, owner=409),
    "hours.checkin POST": scoped(409, owner=409),
    "hours.course_index GET": signed_in(200),
    "hours.course_unit GET": scoped(200),
    "hours.course_xlsx GET": scoped(200),
    "hours.course_log GET": scoped(200),
    "hours.course_log POST": scoped(200, MANAGE, readers=403),
    "hours.course_delete POST": scoped(302, WRITE, readers=403),
    "api.openapi GET": everyone(200),
    "api.certificate GET": everyone(200, missing=200),
    "api.unit GET": scoped(200),
    "api.unit_coverage GET": scoped(200),
    "api.unit_vacancies GET": scoped(200),
    "api.person GET": scoped(200),
    "api.person_transcript GET": scoped(200, owner=200),
    "api.quiz_statistics GET": granted(READ, 200, 404),
}

#: what fills a URL parameter, by name, unless PARAMS says otherwise for the endpoint
DEFAULT_PARAMS = {
    "code": "college", "number": "person", "session_id": "session", "entry_id": "entry",
    "evidence_id": "evidence", "grant_id": "fresh_grant", "assignment_id": "assignment",
    "qid": "question", "attempt_id": "attempt", "decision_id": "decision", "index": "index",
    "notice_id": "notice", "qualification_id": "qualification", "token_id": "fresh_token",
    "delivery_id": "fresh_delivery", "kind": "template", "filename": "static", "slug": "quiz",
    "token": "activation",
}
MODULE_SLUG = {"slug": "module"}
ATTEMPT_SLUG = {"slug": "quiz_of_attempt"}
CERTIFICATE = {"code": "certificate"}
PARAMS = {
    "auth.set_language": {"code": "language"},
    "certs.certificate": CERTIFICATE, "certs.download_pdf": CERTIFICATE,
    "certs.revoke": CERTIFICATE, "certs.verify": CERTIFICATE, "api.certificate": CERTIFICATE,
    "certs.withdraw_qualification": {"qualification_id": "fresh_qualification"},
    "hours.course_log": {"code": "klass"}, "hours.course_delete": {"code": "klass"},
    "hours.withdraw_entry": {"entry_id": "fresh_entry"},
    "hours.cancel_session": {"session_id": "fresh_session"},
    "hours.checked_in": {"session_id": "past_session"},
    "hours.checkin": {"token": "checkin"},
    "learn.module": MODULE_SLUG, "learn.answer": MODULE_SLUG, "learn.reach": MODULE_SLUG,
    "author.edit_module": MODULE_SLUG, "author.export_module": MODULE_SLUG,
    "author.module_statistics": MODULE_SLUG,
    "learn.quiz_attempt": ATTEMPT_SLUG, "learn.quiz_save": ATTEMPT_SLUG,
    "learn.quiz_finish": ATTEMPT_SLUG, "learn.quiz_review": ATTEMPT_SLUG,
    "learn.quiz_submit": ATTEMPT_SLUG,
}
#: routes that also take a target in the query or the form: "endpoint METHOD" → ("query"
#: or "form", {field: value key, or "=literal"}, rule); the URL's own parameters are side A's
INPUTS = {
    "hours.totals GET": ("query", {"unit": "college"}, scoped(200, ungranted=403)),
    "hours.totals_xlsx GET": ("query", {"unit": "college"}, scoped(200, ungranted=403)),
    "author.quiz_statistics_xlsx GET": ("query", {"unit": "college"}, scoped(200, MANAGE)),
    "api.quiz_statistics GET": ("query", {"unit": "college"}, scoped(200)),
    # deciding on ticked entries: only reviewers; ids from elsewhere are 404, not skipped
    "hours.review_queue POST": ("form", {"ids": "fresh_entry", "decision": "=approve"},
                                Rule(lambda who, side: 302 if holds(who, MANAGE, side)
                                     else 404 if holds(who, MANAGE) else 403)),
}
#: what a superadmin gets for an id or code that exists nowhere, when it is not 404
MISSING = {"learn.answer POST": 400, "learn.reach POST": 400}

#: form fields sent with a POST (beyond the CSRF token)
FORMS = {
    "roster.end_assignment": {"end": "not-a-date"},
    "learn.answer": {"choice": "0"},
}
