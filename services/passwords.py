"""Password rules (ASVS 2.1) and hashing: long enough, not common, not the login's own name."""
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from services.errors import DomainError

MIN_LENGTH = 8
#: long passphrases are welcome; the cap only keeps scrypt's input bounded
MAX_LENGTH = 128
#: werkzeug's scrypt (n=2**15, r=8, p=1), memory-hard
HASH_METHOD = "scrypt"
COMMON_FILE = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The refused passwords, lower case, read once per process."""
    with COMMON_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def is_current_hash(password_hash: str | None) -> bool:
    """Whether a stored hash uses today's method (older ones are replaced at sign-in)."""
    return bool(password_hash) and password_hash.startswith(HASH_METHOD + ":")


def own_names(email: str | None = None, name: str | None = None, number: str | None = None) -> set[str]:
    """What a password may not be: the login's email, its local part, its name, its number."""
    names = {email, name, number}
    if email and "@" in email:
        names.add(email.split("@", 1)[0])
    return {value.strip().lower() for value in names if value and value.strip()}


def check_password(password: str, *, email: str | None = None, name: str | None = None,
                   number: str | None = None) -> None:
    """Raise a DomainError that says what is wrong with `password`, if anything."""
    if len(password) < MIN_LENGTH:
        raise DomainError(_("The password must have at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise DomainError(_("The password may have at most %(n)d characters.", n=MAX_LENGTH))
    folded = password.strip().lower()
    if folded in common_passwords():
        raise DomainError(_("This password is among the most common ones and easy to guess. "
                            "Choose another."))
    if folded in own_names(email, name, number):
        raise DomainError(_("The password may not be your email address, name or number."))
