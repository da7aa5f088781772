"""The audit trail: chained, verifiable, and a direct edit in the database is caught."""

from __future__ import annotations

import itertools
import threading

from sqlalchemy import Engine, text
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.trust.audit import list_entries, record, verify_chain
from inspection.services.trust.keys import authenticate, create_key, list_keys, revoke_key

ADMIN = Actor(name="测试管理员", role=Role.ADMIN)


def _fill(session: Session, count: int) -> None:
    for number in range(count):
        record(session, ADMIN, "test.change", "thing", number, {"n": number}, {"n": number + 1})
    session.commit()


def test_a_clean_chain_verifies(engine: Engine) -> None:
    with Session(engine) as session:
        assert verify_chain(session).ok
        _fill(session, 5)
        report = verify_chain(session)
        assert (report.ok, report.entries) == (True, 5)
        entries = list_entries(session)
        assert [e.id for e in entries] == [1, 2, 3, 4, 5]
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
        assert [e.id for e in list_entries(session, after_id=3)] == [4, 5]
        assert [e.id for e in list_entries(session, entity_id="2")] == [3]


def test_an_altered_row_breaks_the_chain_at_that_row(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session, 6)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'admin:someone-else' WHERE id = 4"))
    with Session(engine) as session:
        report = verify_chain(session)
        assert (report.ok, report.first_broken) == (False, 4)


def test_a_removed_row_or_a_cut_tail_is_caught(engine: Engine) -> None:
    with Session(engine) as session:
        _fill(session, 6)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = 3"))
    with Session(engine) as session:
        assert verify_chain(session).first_broken == 3
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id >= 3"))
    with Session(engine) as session:
        report = verify_chain(session)
        assert (report.ok, report.first_broken) == (False, 3)


def test_concurrent_appends_queue_instead_of_forking(engine: Engine) -> None:
    def append() -> None:
        with Session(engine) as session:
            _fill(session, 5)

    threads = [threading.Thread(target=append) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        report = verify_chain(session)
        assert (report.ok, report.entries) == (True, 20)


def test_keys_are_stored_as_hashes_and_revocable(engine: Engine) -> None:
    with Session(engine) as session:
        issued = create_key(session, ADMIN, Role.COORDINATOR, name="司法局协调员")
        assert issued.key.startswith("ioc_")
        holder = authenticate(session, issued.key)
        assert holder is not None
        assert (holder.role, holder.key_id) == ("coordinator", issued.id)
        assert authenticate(session, issued.key + "x") is None
        stored = session.execute(text("SELECT key_hash FROM api_keys")).scalar_one()
        assert issued.key not in stored
        revoke_key(session, ADMIN, issued.id)
        assert authenticate(session, issued.key) is None
        assert list_keys(session)[0].revoked
        assert [e.action for e in list_entries(session)] == ["key.create", "key.revoke"]
        assert verify_chain(session).ok
