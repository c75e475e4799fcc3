"""What the concurrency tests share: many signed-in browsers of one person, released at once."""
import threading
from collections import Counter

from flask.testing import FlaskClient

#: parallel requests per race: a double click multiplied by a crowd of retries
CROWD = 50


def clones(client: FlaskClient, n: int) -> list[FlaskClient]:
    """`n` fresh clients carrying `client`'s session cookie: the same signed-in person in n
    tabs (signing in n times would spend seconds hashing the password)."""
    cookie = client.get_cookie("session")
    assert cookie is not None, "sign in first"
    made = []
    for _ in range(n):
        other = client.application.test_client()
        other.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")
        made.append(other)
    return made


def at_once(work, n: int = CROWD) -> list:
    """Run work(i) for i < n in n threads that start together; what each returned or raised."""
    barrier = threading.Barrier(n, timeout=60)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 (reported by the caller's assertion)
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def statuses(responses: list) -> Counter:
    """How many answered each status (an exception counts under its repr)."""
    return Counter(getattr(r, "status_code", repr(r)) for r in responses)
