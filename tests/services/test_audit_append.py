"""The audit append on both paths: one statement on PostgreSQL, chained in Python otherwise.

Entries written by PostgreSQL's one-statement append (one change) and by the batch path
(several changes, and SQLite) must make one chain that the Python `verify_chain` accepts,
with dense ids and times that never go back along the chain, also when many connections
append at once.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow
from inspection.services.access import Actor, Role
from inspection.services.trust.audit import (
    Change,
    canonical_pieces,
    entry_hash,
    record,
    record_and_commit,
    record_many,
    verify_chain,
)

ADMIN = Actor(name="测试管理员", role=Role.ADMIN)
ODD = Actor(name='名字里有 "引号"、\\反斜杠\\ 和 é', role=Role.ADMIN)

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _dumps(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@given(
    actor=st.text(max_size=20),
    action=st.text(max_size=10),
    entity_id=st.text(max_size=10),
    before=st.none() | st.dictionaries(st.text(), _json, max_size=4),
    after=st.none() | st.dictionaries(st.text(), _json, max_size=4),
    entry_id=st.integers(1, 2**31 - 1),
)
def test_the_pieces_and_the_spliced_values_are_the_canonical_text(
    actor: str,
    action: str,
    entity_id: str,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
    entry_id: int,
) -> None:
    fields: dict[str, object] = {
        "actor": actor,
        "action": action,
        "entity": "thing",
        "entity_id": entity_id,
        "before": before,
        "after": after,
    }
    at, previous = "2026-12-02T14:00:00.000001+00:00", "ab" * 32
    p0, p1, p2, p3 = canonical_pieces(fields)
    spliced = p0 + _dumps(at) + p1 + str(entry_id) + p2 + _dumps(previous) + p3
    whole = {**fields, "id": entry_id, "at": at, "prev_hash": previous}
    assert spliced == _dumps(whole)


def _entries(session: Session) -> list[AuditEntryRow]:
    return list(session.exec(select(AuditEntryRow).order_by(col(AuditEntryRow.id))))


def _assert_one_chain(session: Session, count: int) -> None:
    report = verify_chain(session)
    assert (report.ok, report.entries) == (True, count), report
    entries = _entries(session)
    assert [e.id for e in entries] == list(range(1, count + 1))
    moments = [e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC) for e in entries]
    assert all(a <= b for a, b in itertools.pairwise(moments))


def test_single_and_batched_appends_make_one_chain(engine: Engine) -> None:
    awkward = {"名": '值"\\', "n": 1.5, "l": [1, None, {"b": 2, "a": "é\u0001"}], "e": {}}
    with Session(engine) as session:
        record(session, ODD, "test.one", "thing", 1, None, awkward)
        record_many(
            session,
            ADMIN,
            [Change("test.many", "thing", n, {"n": n}, None) for n in range(2, 5)],
        )
        record(session, ADMIN, "test.one", "thing", "x" * 80, awkward, None)
        session.commit()
        record(session, ADMIN, "test.one", "thing", 6, {"n": 6}, {"n": 7})
        session.commit()
        _assert_one_chain(session, 6)
        entries = _entries(session)
        # every stored entry hashes (in Python) to its stored hash, whoever computed it
        assert all(entry_hash(e) == e.hash for e in entries)
        assert (entries[0].actor, entries[0].after) == (ODD.label, awkward)
        assert (entries[0].before, entries[4].entity_id) == (None, "x" * 64)


def test_a_rolled_back_append_leaves_no_trace(engine: Engine) -> None:
    with Session(engine) as session:
        record(session, ADMIN, "test.one", "thing", 1, None, {"n": 1})
        session.commit()
        record(session, ADMIN, "test.one", "thing", 2, None, {"n": 2})
        session.rollback()
        record(session, ADMIN, "test.one", "thing", 3, None, {"n": 3})
        session.commit()
        _assert_one_chain(session, 2)
        assert [e.entity_id for e in _entries(session)] == ["1", "3"]


def test_json_null_is_stored_as_the_batch_path_stores_it(engine: Engine) -> None:
    with Session(engine) as session:
        record(session, ADMIN, "test.one", "thing", 1, None, {"n": 1})
        record_many(
            session, ADMIN, [Change("test.many", "thing", n, None, {"n": n}) for n in (2, 3)]
        )
        session.commit()
        stored = session.execute(text("SELECT before IS NULL FROM audit_log ORDER BY id")).scalars()
        assert len(set(stored)) == 1  # the same on both paths, whatever it is on this back-end


@pytest.mark.parametrize(("batch", "with_commit"), [(1, False), (3, False), (3, True)])
def test_many_connections_appending_at_once_make_one_chain(
    engine: Engine, batch: int, with_commit: bool
) -> None:
    threads, rounds = 8, 15
    failures: list[BaseException] = []
    start = threading.Barrier(threads)

    def append(worker: int) -> None:
        try:
            start.wait()
            with Session(engine) as session:
                for n in range(rounds):
                    if n % 5 == 4:  # now and then several changes in one transaction
                        changes = [
                            Change("test.many", "thing", f"{worker}-{n}-{k}", None, {"k": k})
                            for k in range(batch)
                        ]
                        record_many(session, ADMIN, changes)
                        session.commit()
                    elif with_commit:  # the append sent with the commit
                        record_and_commit(
                            session, ADMIN, "test.one", "thing", f"{worker}-{n}", None, {}
                        )
                    else:
                        record(session, ADMIN, "test.one", "thing", f"{worker}-{n}", None, {})
                        session.commit()
        except BaseException as error:  # the thread's failure is the test's
            failures.append(error)

    workers = [threading.Thread(target=append, args=(w,)) for w in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    per_thread = (rounds - rounds // 5) + (rounds // 5) * batch
    with Session(engine) as session:
        _assert_one_chain(session, threads * per_thread)
        stored = {e.entity_id for e in _entries(session)}
        assert len(stored) == threads * per_thread  # every change stored, none twice


@pytest.mark.parametrize("with_commit", [False, True])
def test_the_time_is_taken_after_the_head_is_locked(engine: Engine, with_commit: bool) -> None:
    """An append that waited for the head gets a later time than the one it waited for."""
    holder = Session(engine)
    record(holder, ADMIN, "test.one", "thing", "first", None, {})
    waited = threading.Event()

    def second() -> None:
        with Session(engine) as session:
            waited.set()
            if with_commit:
                record_and_commit(session, ADMIN, "test.one", "thing", "second", None, {})
            else:
                record(session, ADMIN, "test.one", "thing", "second", None, {})
                session.commit()

    follower = threading.Thread(target=second)
    follower.start()
    waited.wait()
    # the follower is queued on the head's lock: hold it a while before committing
    threading.Event().wait(0.3)
    released = datetime.now(UTC)
    holder.commit()
    holder.close()
    follower.join()
    with Session(engine) as session:
        _assert_one_chain(session, 2)
        second_at = _entries(session)[1].at
        assert second_at >= released


def test_an_append_sent_with_the_commit_commits_the_callers_rows(engine: Engine) -> None:
    with Session(engine) as session:
        record(session, ADMIN, "test.one", "thing", 1, None, {"n": 1})
        record_and_commit(session, ODD, "test.one", "thing", 2, {"n": 1}, {"n": 2})
        assert not session.in_transaction()
    with Session(engine) as session:
        _assert_one_chain(session, 2)
        assert [(e.actor, e.after) for e in _entries(session)] == [
            (ADMIN.label, {"n": 1}),
            (ODD.label, {"n": 2}),
        ]
        # and the session goes on: a next transaction appends after it
        record_and_commit(session, ADMIN, "test.one", "thing", 3)
        _assert_one_chain(session, 3)


def test_a_failed_append_with_the_commit_stores_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        record_and_commit(session, ADMIN, "test.one", "thing", 1, None, {"n": 1})
    with Session(engine) as session:
        session.execute(
            text(
                "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, "
                "prev_hash, hash) VALUES (2, CURRENT_TIMESTAMP, 'x', 'x', 'x', 'x', "
                "'x', 'x')"
            )
        )
        session.commit()
    with Session(engine) as session:
        with pytest.raises(DBAPIError):  # entry 2 exists: the append's insert fails
            record_and_commit(session, ADMIN, "test.one", "thing", 2, None, {"n": 2})
        session.rollback()
        assert session.execute(text("SELECT last_id FROM audit_head")).scalar_one() == 1
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 2
