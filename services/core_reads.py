"""Read-only Core statements on the session's connection, for the hot learner pages.

`db.session.execute()` runs a Core select through the ORM's per-statement machinery
(events, result wrapping, ORM compile options): about twice the Python of running it on
the session's connection. `read()` keeps what matters of it — the same transaction, and
pending changes flushed first as autoflush would — without the rest.

Even on the connection, a small select costs five times the driver's time in SQLAlchemy's
execution context and result wrapping. So the second time a select is read, `read()`
learns it: the SQL SQLAlchemy sends for it (one per set of IN-list lengths), where each
parameter comes from and which bind processor applies, and the result metadata with its
row processors, checked against a normal execution. From then on it runs on the DBAPI
cursor and builds the same rows. Anything unusual — not a Select, execution options,
echo, any execute or cursor event listener (tests count statements with one), parameters
it was not learned with — reads normally.
"""
import weakref
from dataclasses import dataclass
from dataclasses import field
from functools import partial

from sqlalchemy import Select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Row
from sqlalchemy.engine.interfaces import BindTyping

from extensions import db

#: how many statements, and sets of IN-list lengths per statement, are kept learned: a
#: statement built per call is never read twice, but must not fill memory either
MAX_STATEMENTS = 500
MAX_PLANS = 16


class Rows(list):
    """A read's rows, all fetched: the part of a Result its callers use."""

    def all(self) -> list[Row]:
        return list(self)

    def first(self) -> Row | None:
        return self[0] if self else None

    def scalar(self):
        return self[0][0] if self else None

    def mappings(self) -> "Rows":
        return Rows(row._mapping for row in self)


def read(statement, params: dict | None = None) -> Rows:
    """Run `statement` in the session's transaction, after the flush autoflush would do.
    Every row is fetched; the result offers iteration, .all(), .first(), .scalar() and
    .mappings() (not .one() or .scalars(): use db.session for those)."""
    session = db.session()
    if session.autoflush:
        session.flush()  # returns at once when nothing is pending
    connection = session.connection()
    params = params or {}
    learned = _learned.get(id(statement))
    plan = learned.plan_for(connection, params) if learned is not None else None
    if plan is not None:
        try:
            arguments = plan.arguments(params)
        except Exception:  # a value SQLAlchemy would refuse: let it say so
            pass
        else:
            return plan.run(connection, arguments)
    return read_and_learn(statement, params, connection)


def read_and_learn(statement, params: dict, connection: Connection) -> Rows:
    """Read through SQLAlchemy; learn a select read before, or a new IN-list length of one."""
    result = connection.execute(statement, params)
    rows = Rows(result)
    if not isinstance(statement, Select) or statement._execution_options or not quiet(connection):
        return rows
    learned = _learned.get(id(statement))
    if learned is None or learned.dialect is not connection.dialect:
        if not seen_before(statement):
            return rows
        if len(_learned) >= MAX_STATEMENTS:
            _learned.clear()
        learned = _learned[id(statement)] = Learned.of(statement, connection.dialect)
    learned.learn(params, result)
    return rows


def quiet(connection: Connection) -> bool:
    """Whether running on the cursor skips nothing SQLAlchemy would do for this connection:
    no execute or cursor listener, no echo, no execution options, a live transaction."""
    transaction = connection._transaction
    nested = connection._nested_transaction
    if (connection._has_events or connection._echo or connection._execution_options
            or connection.dialect._has_events or connection._dbapi_connection is None
            or transaction is None or not transaction.is_active
            or (nested is not None and not nested.is_active)
            or connection._trans_context_manager is not None):
        return False
    events = connection.engine.dispatch  # class-level listeners (on Engine) included
    return not (events.before_execute or events.after_execute
                or events.before_cursor_execute or events.after_cursor_execute)


#: id of a learned statement → what it compiles to (the statement is kept alive with it,
#: so its id is not reused while it is learned)
_learned: dict[int, "Learned"] = {}
#: id of a statement read once → a weak reference to it
_seen: dict[int, weakref.ref] = {}


def seen_before(statement) -> bool:
    """Whether this very statement object was read before (a built-per-call one is not)."""
    seen = _seen.get(id(statement))
    if seen is not None and seen() is statement:
        return True
    if len(_seen) >= MAX_STATEMENTS:
        _seen.clear()
    _seen[id(statement)] = weakref.ref(statement)
    return False


@dataclass(eq=False)
class Learned:
    """A statement compiled for one dialect, with a plan per set of IN-list lengths."""

    statement: Select
    dialect: object
    compiled: object | None
    #: the parameters whose lists expand an IN, by the key the caller gives them under
    #: (an IN of a list written in the statement is as fixed as the rest of it)
    expanding: tuple = ()
    plans: dict = field(default_factory=dict)

    @classmethod
    def of(cls, statement: Select, dialect) -> "Learned":
        compiled = statement.compile(dialect=dialect)
        binds = compiled.post_compile_params
        if (compiled.escaped_bind_names or compiled.literal_execute_params
                or getattr(compiled, "_collected_params", True)
                or dialect.bind_typing is BindTyping.SETINPUTSIZES
                or any(bind.type._is_tuple_type for bind in binds)):
            return cls(statement, dialect, None)  # always read normally
        given = dict.fromkeys(bind.key for bind in binds if bind.required)  # not .in_([…])
        return cls(statement, dialect, compiled, tuple(given))

    def lengths(self, params: dict) -> tuple:
        """The lengths of the IN lists, which the SQL depends on."""
        return tuple(map(len, map(params.__getitem__, self.expanding)))

    def plan_for(self, connection: Connection, params: dict) -> "Plan | None":
        """The plan to run directly, or None to read through SQLAlchemy."""
        if self.dialect is not connection.dialect or not quiet(connection):
            return None
        try:
            plan = self.plans.get(self.lengths(params))
        except (KeyError, TypeError):  # missing, or not a list: SQLAlchemy will say
            return None
        return plan if plan is not None and params.keys() == plan.keys else None

    def learn(self, params: dict, result) -> None:
        """Learn the plan for these parameters from SQLAlchemy's execution of them."""
        if self.compiled is None or not all(
                isinstance(params.get(key), (list, tuple)) for key in self.expanding):
            return  # an IN of None or of a set: SQLAlchemy's alone
        plan = Plan.of(self.compiled, params, result)
        if plan is None:
            self.compiled = None  # it would not match next time either
            return
        if len(self.plans) >= MAX_PLANS:
            self.plans.clear()
        self.plans[self.lengths(params)] = plan


@dataclass(eq=False)
class Plan:
    """One statement string and how to build its DBAPI parameters from the caller's."""

    sql: str
    #: the caller's parameter names it was learned with: which binds they fill depends on it
    keys: frozenset
    #: per DBAPI parameter: (caller's key, index in its IN list, bind processor, value),
    #: with key None for a value of the statement's own, processed once
    slots: tuple
    #: the DBAPI parameter names for a named paramstyle, None for a positional one
    names: tuple | None
    sequence: type
    make_row: partial

    @classmethod
    def of(cls, compiled, params: dict, result) -> "Plan | None":
        """The plan for `params`, if it gives what SQLAlchemy sent and got for them."""
        context, metadata = result.context, result._metadata
        if metadata._tuplefilter is not None:
            return None
        given = {}  # bind name → the caller's key for it, as construct_params looks
        for bind, name in compiled.bind_names.items():
            if bind.callable:
                return None
            if bind.key in params:
                given[name] = bind.key
            elif name in params:
                given[name] = name
        state = compiled.construct_expanded_state(params, escape_names=False)
        elements = {}  # expanded name → (the caller's key for the list, index)
        for name, expanded in state.parameter_expansion.items():
            bind = compiled.binds[name]
            if not bind.required and name not in given:
                continue  # the statement's own list: its elements are fixed values
            if not bind.required or given.get(name) != bind.key:
                return None
            elements.update((element, (given[name], index))
                            for index, element in enumerate(expanded))
        processors = {**compiled._bind_processors, **state.processors}
        names = state.positiontup if compiled.positional else tuple(state.parameters)
        slots = []
        for name in names:
            process = processors.get(name)
            if name in elements:
                slots.append((*elements[name], process, None))
            elif name in given:
                slots.append((given[name], None, process, None))
            else:
                value = state.parameters[name]
                slots.append((None, None, None, value if process is None else process(value)))
        plan = cls(state.statement, frozenset(params), tuple(slots),
                   None if compiled.positional else tuple(names),
                   compiled.dialect.execute_sequence_format,
                   partial(Row, metadata, metadata._effective_processors, metadata._key_to_index))
        sent = context.parameters[0]
        if plan.sql != context.statement or plan.arguments(params) != sent:
            return None
        return plan

    def arguments(self, params: dict):
        """The DBAPI parameters, as SQLAlchemy's execution context would build them."""
        values = []
        for key, index, process, value in self.slots:
            if key is not None:
                value = params[key] if index is None else params[key][index]
                if process is not None:
                    value = process(value)
            values.append(value)
        return self.sequence(values) if self.names is None else dict(zip(self.names, values, strict=True))

    def run(self, connection: Connection, arguments) -> Rows:
        """Execute on the connection's DBAPI cursor; errors as SQLAlchemy raises them."""
        cursor = None
        try:
            cursor = connection._dbapi_connection.dbapi_connection.cursor()
            connection.dialect.do_execute(cursor, self.sql, arguments, None)
            fetched = cursor.fetchall()
        except BaseException as error:
            connection._handle_dbapi_exception(error, self.sql, arguments, cursor, None)
        cursor.close()
        return Rows(map(self.make_row, fetched))
