"""What the training-session tests share: a small campus and a way to schedule a session."""
from datetime import datetime
from datetime import timedelta
from types import SimpleNamespace

from extensions import db
from models.base import utcnow
from services import training_sessions
from services.session_times import to_local


def build_campus(make_unit, make_person, make_user, locale: str | None = "en") -> SimpleNamespace:
    """U1 › C1 › K1 › D1 and U1 › C2 › K2; a trainer of C1, an admin of C2, an auditor of C1;
    S001 (dorm informant at D1, a login), S002 (class psych member at K1), S003 (at K2).

    The logins read English (the words tests assert), unless `locale` says otherwise."""
    english = {"locale": locale} if locale else {}
    uni = make_unit("U1", name="示范大学")
    c1 = make_unit("C1", "college", uni, name="教育学院")
    k1 = make_unit("K1", "class", c1, name="心理1班")
    d1 = make_unit("D1", "dorm", k1, name="1号寝室")
    c2 = make_unit("C2", "college", uni, name="理学院")
    k2 = make_unit("K2", "class", c2, name="数学1班")
    s1 = make_person("S001", name="李同学", role="dorm_informant", unit=d1)
    s2 = make_person("S002", name="王同学", role="class_psych_member", unit=k1)
    s3 = make_person("S003", name="赵同学", role="dorm_informant", unit=k2)
    return SimpleNamespace(
        uni=uni, c1=c1, k1=k1, d1=d1, c2=c2, k2=k2, s1=s1, s2=s2, s3=s3,
        trainer=make_user("trainer@example.edu.cn", grant=("trainer", "C1"), name="培训师", **english),
        other_admin=make_user("admin2@example.edu.cn", grant=("admin", "C2"), name="理学院管理员",
                              **english),
        auditor=make_user("auditor@example.edu.cn", grant=("auditor", "C1"), name="督查", **english),
        learner=make_user("s001@example.edu.cn", person=s1, name="李同学", **english),
    )


def schedule(unit, by, *, starts_at: datetime | None = None, minutes: int = 90,
             commit: bool = True, **fields):
    """A session run by `unit`; `starts_at` in naive UTC (default: tomorrow)."""
    starts_at = starts_at or utcnow() + timedelta(days=1)
    values = dict(title="危机识别工作坊", hours=2.0, activity="workshop", place="心理中心 201")
    values.update(fields)
    session = training_sessions.create_session(unit, training_sessions.SessionFields(
        starts_at=to_local(starts_at), ends_at=to_local(starts_at + timedelta(minutes=minutes)),
        **values), by=by)
    if commit:
        db.session.commit()
    return session
