"""Certification: a learner's programs and certificates, the public verification page,
revocation, and external qualifications (S9)."""
