"""Training hours: a learner's ledger and evidence, approvals, in-person sessions with
QR check-in, the students' mental-health course (S10), and the transcript."""
