"""The Python binding: the same behaviour as the C tests, through Python."""
from __future__ import annotations

import ctypes
import gc
import os
import sqlite3
import tempfile
import unittest

import switchboard as sb
from switchboard import _native as n
from switchboard.carrier import CallbackGuard, make_carrier

KEY_A = b"0123456789abcdef0123456789abcdef"
KEY_B = b"fedcba9876543210fedcba9876543210"


def staff(p: sb.Practice, count: int = 12) -> None:
    """Teammates 1..count, added by the system; teammate 1 is the admin."""
    for i in range(1, count + 1):
        assert p.teammate_add(sb.ACTOR_SYSTEM, f"Teammate {i}") == i


class TempStore(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "store.db")

    def tearDown(self) -> None:
        gc.collect()
        self.dir.cleanup()

    def raw(self, sql: str) -> None:
        con = sqlite3.connect(self.path)
        try:
            con.executescript(sql)
        finally:
            con.close()


class CoreTest(unittest.TestCase):
    def test_version(self) -> None:
        self.assertEqual(sb.version(), 100)
        self.assertEqual(sb.version_string(), "0.1.0")
        self.assertEqual(sb.KEY_BYTES, 32)

    def test_errors_map_to_classes(self) -> None:
        seen = set()
        for code in range(-21, 0):
            exc = sb.error_for(code, "detail")
            self.assertIsInstance(exc, sb.SwitchboardError)
            self.assertEqual(exc.code, code)
            self.assertEqual(exc.detail, "detail")
            seen.add(type(exc))
            self.assertNotEqual(sb.strerror(code), "unknown error")
        self.assertEqual(len(seen), 21)
        self.assertIsInstance(sb.error_for(-3), ValueError)
        self.assertIsInstance(sb.error_for(-11), sb.StoreError)
        self.assertEqual(type(sb.error_for(-99)), sb.SwitchboardError)


class PhoneTest(unittest.TestCase):
    def test_parses_what_people_type(self) -> None:
        for typed in ("(415) 555-2671", "+1 415 555 2671", "14155552671"):
            self.assertEqual(sb.parse_phone(typed), sb.Phone("+14155552671", "geographic", "US"))
        self.assertEqual(sb.parse_phone("604-555-2671").country, "CA")
        self.assertEqual(sb.parse_phone("1-800-555-2671").kind, "toll_free")
        self.assertEqual(sb.parse_phone("900 555 2671").kind, "premium")
        self.assertEqual(sb.parse_phone("415 555 0123").kind, "fictional")
        self.assertEqual(sb.parse_phone("911"), sb.Phone("911", "emergency", ""))
        self.assertEqual(sb.parse_phone("411").kind, "service")
        intl = sb.parse_phone("+44 20 7946 0958")
        self.assertEqual(intl.kind, "international")
        self.assertFalse(intl.is_nanp)
        self.assertTrue(sb.parse_phone("4155552671").is_nanp)

    def test_pasted_forms_and_textable(self) -> None:
        # A no-break space, an en dash and U+2212 minus, as pasted; toll-free N11; 112.
        self.assertEqual(sb.parse_phone("(415)\u00a0555\u20132671").number, "+14155552671")
        self.assertEqual(sb.parse_phone("415\u2212555\u22122671").number, "+14155552671")
        self.assertEqual(sb.parse_phone("1-800-411-2671").kind, "toll_free")
        self.assertEqual(sb.parse_phone("112"), sb.Phone("112", "emergency", ""))
        self.assertTrue(sb.parse_phone("604-555-2671").is_textable)
        self.assertTrue(sb.parse_phone("787-555-2671").is_textable)
        self.assertFalse(sb.parse_phone("876-555-2671").is_textable)
        self.assertTrue(sb.parse_phone("876-555-2671").is_nanp)
        self.assertFalse(sb.parse_phone("900-555-2671").is_textable)
        self.assertFalse(sb.parse_phone("911").is_textable)

    def test_refusals_name_the_rule(self) -> None:
        cases = {
            "(123) 456-7890": "area code cannot start with 0 or 1",
            "495 555 2671": "middle digit",
            "411 555 2671": "N11",
            "375 555 2671": "reserved",
            "415 055 2671": "exchange cannot start",
            "1-800-FLOWERS": "only digits",
            "555 2671": "too few",
            "": "no digits",
        }
        for typed, phrase in cases.items():
            with self.assertRaises(sb.PhoneNumberError) as cm:
                sb.parse_phone(typed)
            self.assertIn(phrase, str(cm.exception))
            self.assertGreater(cm.exception.problem, 0)
            self.assertEqual(cm.exception.code, -8)
        with self.assertRaises(sb.PhoneNumberError):
            sb.parse_phone("415\ud800")
        with self.assertRaises(sb.InvalidArgumentError):
            sb.parse_phone(None)  # type: ignore[arg-type]


class PracticeTest(TempStore):
    def test_open_reopen_and_names(self) -> None:
        with sb.Practice(self.path) as p:
            first = p.id
            self.assertGreater(first, 0)
        with sb.Practice(self.path, practice="default") as p:
            self.assertEqual(p.id, first)
        with sb.Practice(self.path, practice="Another Clinic") as p:
            self.assertNotEqual(p.id, first)

    def test_open_errors(self) -> None:
        with self.assertRaises(sb.StoreError):
            sb.Practice("/nonexistent-dir/x/store.db")
        with self.assertRaises(sb.InvalidUTF8Error if False else sb.InvalidArgumentError):
            sb.Practice(self.path, practice="bad \ud800 name")
        with self.assertRaises(sb.TooBigError) as cm:
            sb.Practice(self.path, practice="a" * 129)
        self.assertIn("practice name", cm.exception.detail)
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(self.path, key=b"short")
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(self.path, sqlite_sync="sometimes")
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(self.path, busy_timeout_ms=-1)

    def test_newer_schema_refused(self) -> None:
        sb.Practice(self.path).close()
        self.raw("UPDATE sb_schema SET version = 999")
        with self.assertRaises(sb.SchemaError) as cm:
            sb.Practice(self.path)
        self.assertIn("999", cm.exception.detail)

    def test_keys(self) -> None:
        sb.Practice(self.path, practice="sealed", key=KEY_A).close()
        sb.Practice(self.path, practice="plain").close()
        sb.Practice(self.path, practice="sealed", key=KEY_A).close()
        with self.assertRaises(sb.MasterKeyError):
            sb.Practice(self.path, practice="sealed")
        with self.assertRaises(sb.MasterKeyError) as cm:
            sb.Practice(self.path, practice="sealed", key=KEY_B)
        self.assertIn("not this practice's key", cm.exception.detail)
        with self.assertRaises(sb.MasterKeyError):
            sb.Practice(self.path, practice="plain", key=KEY_A)

    def test_closed_handle(self) -> None:
        p = sb.Practice(self.path)
        p.close()
        p.close()
        self.assertTrue(p.closed)
        with self.assertRaises(sb.StateError):
            p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)

    def test_two_practices_isolated(self) -> None:
        with sb.Practice(self.path, practice="North") as north, \
                sb.Practice(self.path, practice="South") as south:
            for i in range(3):
                north.audit_record(sb.ACTOR_SYSTEM, "chart.export", "contact", 100 + i)
            south.audit_record(sb.ACTOR_SYSTEM, "chart.print", "contact", 555)
            south_actions = [e.action for e in south.audit_entries(sb.ACTOR_SYSTEM)]
            self.assertEqual(south_actions, ["practice.create", "chart.print"])
            self.assertNotIn("chart.print", [e.action for e in north.audit_entries(sb.ACTOR_SYSTEM)])
            self.assertEqual(north.audit_verify(sb.ACTOR_SYSTEM), 5)
            self.assertEqual(south.audit_verify(sb.ACTOR_SYSTEM), 3)

    def test_transactions(self) -> None:
        with sb.Practice(self.path) as p:
            with self.assertRaises(sb.StateError):
                p.commit()
            before = p.audit_verify(sb.ACTOR_SYSTEM)
            with self.assertRaises(RuntimeError):
                with p.transaction():
                    p.audit_record(sb.ACTOR_SYSTEM, "import.row", "contact", 1)
                    raise RuntimeError("host failure mid-import")
            self.assertEqual(p.audit_verify(sb.ACTOR_SYSTEM), before + 1)  # only that verify
            with p.transaction():
                p.audit_record(sb.ACTOR_SYSTEM, "import.row", "contact", 1)
                with self.assertRaises(sb.InvalidArgumentError):
                    p.audit_record(sb.ACTOR_SYSTEM, "Not An Action", "contact", 2)
            self.assertEqual(p.audit_verify(sb.ACTOR_SYSTEM), before + 3)

    def test_busy(self) -> None:
        with sb.Practice(self.path) as a, sb.Practice(self.path, busy_timeout_ms=0) as b:
            a.begin()
            with self.assertRaises(sb.BusyError):
                b.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)
            a.commit()
            b.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)


class ClockTest(TempStore):
    def test_clock_object_and_callable(self) -> None:
        class Fixed:
            def now_ms(self) -> int:
                return 1_700_000_000_000

        with sb.Practice(self.path, clock=Fixed()) as p:
            self.assertEqual(p.now(), 1_700_000_000_000)
        t = [5]
        with sb.Practice(self.path, clock=lambda: t[0]) as p:
            t[0] = 42
            p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)
            self.assertEqual(p.audit_read(sb.ACTOR_SYSTEM, after_seq=1)[0].at, 42)

    def test_exception_in_clock_comes_out_of_the_call(self) -> None:
        class Broken(Exception):
            pass

        state = {"fail": False}

        def clock() -> int:
            if state["fail"]:
                raise Broken("clock is down")
            return 1000

        with sb.Practice(self.path, clock=clock) as p:
            state["fail"] = True
            with self.assertRaises(Broken):
                p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)
            with self.assertRaises(Broken):
                p.now()
            state["fail"] = False
            self.assertEqual(p.audit_verify(sb.ACTOR_SYSTEM), 1)  # nothing was written by the failed call
        state["fail"] = True
        with self.assertRaises(Broken):
            sb.Practice(self.path, practice="new", clock=clock)

    def test_clock_returning_garbage(self) -> None:
        with sb.Practice(self.path, clock=lambda: 1) as p:
            pass
        with self.assertRaises(TypeError):
            sb.Practice(self.path, practice="x", clock=lambda: "noon")


class RecordingCarrier:
    def __init__(self) -> None:
        self.log: list = []

    def send_sms(self, sms: sb.Sms) -> str:
        self.log.append(sms)
        return "SM1"

    def call_hold(self, leg: str, on: bool) -> None:
        self.log.append(("hold", leg, on))

    def call_hangup(self, leg: str) -> None:
        raise ConnectionError("carrier unreachable")


class CarrierTest(TempStore):
    """The carrier adapter, driven through the C function pointers it builds."""

    def test_adapter(self) -> None:
        guard = CallbackGuard()
        carrier = RecordingCarrier()
        vt, keep = make_carrier(carrier, guard)
        self.assertFalse(bool(vt.send_email))  # missing methods stay NULL: SB_ENOTSUP in C
        media = (ctypes.c_char_p * 1)(b"https://media.example/1")
        sms = n.Sms(1, b"+14155550100", b"+14155550123", "caf\u00e9 \U0001F600".encode(), media, 1, b"k1")
        buf = ctypes.create_string_buffer(n.CARRIER_ID_MAX)
        self.assertEqual(vt.send_sms(None, ctypes.byref(sms), ctypes.addressof(buf), n.CARRIER_ID_MAX), 0)
        self.assertEqual(buf.value, b"SM1")
        self.assertEqual(carrier.log[0], sb.Sms("+14155550100", "+14155550123", "caf\u00e9 \U0001F600",
                                                ("https://media.example/1",), "k1"))
        self.assertEqual(vt.call_hold(None, b"leg1", 1), 0)
        self.assertEqual(carrier.log[1], ("hold", "leg1", True))
        self.assertEqual(vt.call_hangup(None, b"leg1"), -1)
        self.assertIsInstance(guard.take(), ConnectionError)
        self.assertIsNone(guard.take())
        # An id that does not fit is an error, not a truncation.
        self.assertEqual(vt.send_sms(None, ctypes.byref(sms), ctypes.addressof(buf), 2), -1)
        self.assertIsInstance(guard.take(), ValueError)

    def test_practice_accepts_carrier(self) -> None:
        with sb.Practice(self.path, carrier=RecordingCarrier()) as p:
            p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)


class AuditTest(TempStore):
    def setUp(self) -> None:
        super().setUp()
        self.p = sb.Practice(self.path, clock=lambda: 1000)
        for i in range(3):
            self.p.audit_record(sb.ACTOR_SYSTEM, "chart.export", "contact", 40 + i)

    def tearDown(self) -> None:
        self.p.close()
        super().tearDown()

    def test_read_and_page(self) -> None:
        entries = self.p.audit_read(sb.ACTOR_SYSTEM)
        self.assertEqual([e.seq for e in entries], [1, 2, 3, 4])
        self.assertEqual(entries[1], sb.AuditEntry(2, 1000, sb.ACTOR_SYSTEM, "chart.export", "contact", 40))
        # Iteration ends where the trail ended when it began, even at one entry a page.
        self.assertEqual([e.seq for e in self.p.audit_entries(sb.ACTOR_SYSTEM, page=1)], [1, 2, 3, 4, 5])
        self.assertEqual(self.p.audit_head(), 10)  # 5 + the five page reads
        with self.assertRaises(sb.InvalidArgumentError):
            self.p.audit_read(sb.ACTOR_SYSTEM, limit=0)
        with self.assertRaises(sb.InvalidArgumentError):
            self.p.audit_read(sb.ACTOR_SYSTEM, after_seq=-1)

    def test_bad_input(self) -> None:
        for action, kind, exc in (("Viewed Jane Doe", "contact", sb.InvalidArgumentError),
                                  ("a" * 64, "contact", sb.TooBigError),
                                  ("chart.view", "contact.x", sb.InvalidArgumentError)):
            with self.assertRaises(exc) as cm:
                self.p.audit_record(sb.ACTOR_SYSTEM, action, kind, 1)
            self.assertNotIn("Jane", cm.exception.detail)
        with self.assertRaises(sb.InvalidArgumentError):
            self.p.audit_record(-1, "chart.view", "contact", 1)

    def test_tamper_detected(self) -> None:
        self.assertEqual(self.p.audit_verify(sb.ACTOR_SYSTEM), 4)
        with self.assertRaises(sqlite3.DatabaseError):
            self.raw("UPDATE sb_audit SET actor = 99 WHERE seq = 2")
        self.raw("DROP TRIGGER sb_audit_no_update; UPDATE sb_audit SET actor = 99 WHERE seq = 2")
        with self.assertRaises(sb.CorruptError) as cm:
            self.p.audit_verify(sb.ACTOR_SYSTEM)
        self.assertIn("entry 2 was altered", cm.exception.detail)

    def test_tamper_deleted(self) -> None:
        self.raw("DROP TRIGGER sb_audit_no_delete; DELETE FROM sb_audit WHERE seq = 3")
        with self.assertRaises(sb.CorruptError) as cm:
            self.p.audit_verify(sb.ACTOR_SYSTEM)
        self.assertIn("entry 3 is missing", cm.exception.detail)


class LifetimeTest(TempStore):
    def test_open_close_many_times_leaks_nothing(self) -> None:
        def fds() -> int:
            return len(os.listdir("/proc/self/fd"))

        def rss_kb() -> int:
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))

        for _ in range(50):  # warm up caches and allocators
            sb.Practice(self.path, clock=lambda: 1).close()
        fd0, rss0 = fds(), rss_kb()
        for i in range(1500):
            p = sb.Practice(self.path, clock=lambda: 1, carrier=RecordingCarrier())
            if i % 2:
                p.close()
            del p  # the other half is freed by the finalizer
        gc.collect()
        self.assertEqual(fds(), fd0)
        self.assertLess(rss_kb() - rss0, 8 * 1024, "RSS grew by more than 8 MiB over 1500 handles")


if __name__ == "__main__":
    unittest.main()


class _LibPQ:
    """Just enough libpq (ctypes) to make schemas and lend a connection."""

    def __init__(self) -> None:
        self.lib = ctypes.CDLL("libpq.so.5")
        self.lib.PQconnectdb.restype = ctypes.c_void_p
        self.lib.PQconnectdb.argtypes = [ctypes.c_char_p]
        self.lib.PQstatus.argtypes = [ctypes.c_void_p]
        self.lib.PQfinish.argtypes = [ctypes.c_void_p]
        self.lib.PQexec.restype = ctypes.c_void_p
        self.lib.PQexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self.lib.PQresultStatus.argtypes = [ctypes.c_void_p]
        self.lib.PQclear.argtypes = [ctypes.c_void_p]
        self.lib.PQtransactionStatus.argtypes = [ctypes.c_void_p]

    def connect(self, uri: str) -> int:
        conn = self.lib.PQconnectdb(uri.encode())
        if self.lib.PQstatus(conn) != 0:
            raise AssertionError("cannot reach the test PostgreSQL server")
        return conn

    def execute(self, conn: int, sql: str) -> None:
        res = self.lib.PQexec(conn, sql.encode())
        status = self.lib.PQresultStatus(res)
        self.lib.PQclear(res)
        if status not in (1, 2):  # PGRES_COMMAND_OK, PGRES_TUPLES_OK
            raise AssertionError(f"test SQL failed: {sql}")


class PostgresTest(unittest.TestCase):
    """The PostgreSQL store, on the server `make test` starts (SB_TEST_PG).
    Without it these fail: the PostgreSQL half never silently skips."""

    counter = 0

    def setUp(self) -> None:
        base = os.environ.get("SB_TEST_PG")
        if not base:
            self.fail("SB_TEST_PG is not set: run through `make test`, which starts a PostgreSQL server")
        self.pq = _LibPQ()
        PostgresTest.counter += 1
        self.schema = f"sbpy_{os.getpid()}_{PostgresTest.counter}"
        admin = self.pq.connect(base)
        self.pq.execute(admin, f"CREATE SCHEMA {self.schema}")
        self.pq.lib.PQfinish(admin)
        self.uri = f"{base}&options=-csearch_path%3D{self.schema}"

    def tearDown(self) -> None:
        gc.collect()
        conn = self.pq.connect(self.uri)
        self.pq.execute(conn, f"DROP SCHEMA {self.schema} CASCADE")
        self.pq.lib.PQfinish(conn)

    def test_uri_in_store_path(self) -> None:
        with sb.Practice(self.uri, practice="North") as p:
            pid = p.id
            p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 7)
            self.assertEqual(p.audit_verify(sb.ACTOR_SYSTEM), 2)
        with sb.Practice(postgres=self.uri, practice="North", busy_timeout_ms=0) as p:
            self.assertEqual(p.id, pid)
            self.assertEqual([e.action for e in p.audit_read(sb.ACTOR_SYSTEM)], ["practice.create", "chart.view", "audit.verify"])

    def test_lent_connection(self) -> None:
        conn = self.pq.connect(self.uri)
        try:
            with sb.Practice(pg_conn=conn) as p:
                p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 1)
                with p.transaction():
                    p.audit_record(sb.ACTOR_SYSTEM, "chart.view", "contact", 2)
            self.assertEqual(self.pq.lib.PQstatus(conn), 0)  # still open: it is the caller's
            self.assertEqual(self.pq.lib.PQtransactionStatus(conn), 0)  # and idle
            self.pq.execute(conn, "BEGIN")
            with self.assertRaises(sb.StateError) as cm:
                sb.Practice(pg_conn=conn)
            self.assertIn("transaction", cm.exception.detail)
            self.pq.execute(conn, "ROLLBACK")
        finally:
            self.pq.lib.PQfinish(conn)

    def test_unreachable_and_bad_arguments(self) -> None:
        with self.assertRaises(sb.StoreError) as cm:
            sb.Practice("postgresql:///switchboard?host=/nonexistent-dir-for-sure")
        self.assertIn("cannot connect", cm.exception.detail)
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(self.uri, postgres=self.uri)
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice()
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(pg_conn=0)
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Practice(postgres=self.uri, busy_timeout_ms=-1)


class EndpointTest(TempStore):
    def test_business_numbers(self) -> None:
        with sb.Practice(self.path, clock=lambda: 1000) as p:
            staff(p)
            main = p.business_number_create(1, "(415) 555-2671", "Front desk")
            self.assertEqual(p.business_number_find(2, "+1 415 555 2671"), main)
            e = p.endpoint_get(2, main)
            self.assertEqual((e.kind, e.address, e.label, e.owner_kind, e.active, e.created_at),
                             ("business_number", "+14155552671", "Front desk", "practice", True, 1000))
            second = p.business_number_create(1, "800-555-0199", "Toll free")
            self.assertEqual([x.id for x in p.endpoint_list(2, limit=1)], [main])
            self.assertEqual([x.id for x in p.endpoint_list(2, after_id=main)], [second])
            p.endpoint_set_label(1, second, "Billing")
            p.endpoint_retire(1, second)
            self.assertEqual([x.label for x in p.endpoint_list(2, include_retired=True)], ["Front desk", "Billing"])
            self.assertEqual(len(p.endpoint_list(2)), 1)
            self.assertEqual(p.endpoint_list(2, kind="secure_link"), [])

    def test_bad_input(self) -> None:
        with sb.Practice(self.path) as p:
            staff(p)
            main = p.business_number_create(1, "4155552671", "Main")
            with self.assertRaises(sb.ConflictError):
                p.business_number_create(1, "+14155552671", "Again")
            with self.assertRaises(sb.PhoneNumberError) as cm:
                p.business_number_create(1, "+44 20 7946 0958", "London")
            self.assertIn("NANP", cm.exception.detail)
            with self.assertRaises(sb.PhoneNumberError):
                p.business_number_create(1, "911", "Emergency")
            with self.assertRaises(sb.InvalidUTF8Error):
                p.business_number_create(1, "4155552672", "bad \udc80")  # a str that cannot be UTF-8
            with self.assertRaises(sb.TooBigError):
                p.business_number_create(1, "4155552672", "x" * 129)
            with self.assertRaises(sb.NotFoundError):
                p.endpoint_get(1, main + 100)
            with self.assertRaises(sb.NotFoundError):
                p.business_number_find(1, "4155550100")
            with self.assertRaises(sb.InvalidArgumentError):
                p.endpoint_list(1, kind="fax")
            p.endpoint_retire(1, main)
            with self.assertRaises(sb.StateError):
                p.endpoint_retire(1, main)


class ContactTest(TempStore):
    def test_contacts(self) -> None:
        with sb.Practice(self.path, key=KEY_A, clock=lambda: 7000) as p:
            staff(p)
            jane = p.contact_create(1, "Jane Patient")
            p.contact_save(1, jane, "Jane Q. Patient")
            p.contact_set_notes(1, jane, "prefers texts \U0001F600")
            c = p.contact_get(1, jane)
            self.assertEqual((c.id, c.saved, c.name, c.created_at), (jane, True, "Jane Q. Patient", 7000))
            self.assertEqual(p.contact_notes(1, jane), "prefers texts \U0001F600")
            phone = p.contact_add_address(1, jane, "phone", "(415) 555-2671")
            p.contact_add_address(1, jane, "email", "Jane@Example.org")
            self.assertEqual([(a.kind, a.value) for a in p.contact_addresses(1, jane)],
                             [("phone", "+14155552671"), ("email", "Jane@Example.org")])
            self.assertEqual(p.contact_addresses(1, jane)[0].id, phone)
            self.assertEqual(p.contact_find(1, "phone", "+1 415 555 2671"), jane)
            self.assertEqual(p.contact_find(1, "email", "jane@example.ORG"), jane)
            john = p.contact_create(1, "John Smith")
            self.assertEqual(p.contact_search(1, "ja pat"), [jane])
            self.assertEqual(p.contact_search(1, "J"), [jane, john])
            self.assertEqual(p.contact_search(1, "J", after_id=jane, limit=1), [john])
            self.assertEqual(p.contact_search(1, "415.555.2671"), [jane])
            with self.assertRaises(sb.InvalidArgumentError):
                p.contact_search(1, "--")
            p.contact_remove_address(1, jane, "phone", "4155552671")
            with self.assertRaises(sb.NotFoundError):
                p.contact_find(1, "phone", "4155552671")
        with open(self.path, "rb") as f:
            raw = f.read()
        self.assertNotIn(b"Jane Q. Patient", raw)  # sealed at rest

    def test_bad_input(self) -> None:
        with sb.Practice(self.path) as p:
            staff(p)
            jane = p.contact_create(1, "Jane")
            john = p.contact_create(1, "John")
            p.contact_add_address(1, jane, "phone", "4155552671")
            with self.assertRaises(sb.ConflictError):
                p.contact_add_address(1, john, "phone", "+14155552671")
            with self.assertRaises(sb.PhoneNumberError):
                p.contact_add_address(1, john, "phone", "555-CALL-NOW")
            with self.assertRaises(sb.EmailAddressError):
                p.contact_add_address(1, john, "email", "not an address")
            with self.assertRaises(sb.InvalidArgumentError):
                p.contact_add_address(1, john, "fax", "x")
            with self.assertRaises(sb.NotFoundError):
                p.contact_get(1, john + 100)
            with self.assertRaises(sb.TooBigError):
                p.contact_set_notes(1, jane, "n" * 16385)
            with self.assertRaises(sb.InvalidArgumentError):
                p.contact_create(1, "")


class FlakyCarrier:
    """Fails the first send, then accepts with SM-<n>."""

    def __init__(self) -> None:
        self.sent: list = []

    def send_sms(self, sms: sb.Sms) -> str:
        self.sent.append(sms)
        if len(self.sent) == 1:
            raise ConnectionError("carrier unreachable")
        return f"SM-{len(self.sent)}"


class MessagingTest(TempStore):
    FRONT, BILLING, PAT = "+14155550100", "+14155550101", "+14155550123"

    def test_conversation_flow(self) -> None:
        carrier = FlakyCarrier()
        with sb.Practice(self.path, key=KEY_A, clock=lambda: 5000, carrier=carrier) as p:
            staff(p)
            front = p.business_number_create(1, self.FRONT, "Front")
            billing = p.business_number_create(1, self.BILLING, "Billing")
            d = p.sms_receive("(415) 555-0123", self.FRONT, "hi \U0001F44B", "SM-in-1")
            self.assertTrue(d.new_conversation and d.new_contact)
            self.assertEqual(p.sms_receive(self.PAT, self.FRONT, "hi \U0001F44B", "SM-in-1").item_id, d.item_id)
            self.assertTrue(p.sms_receive(self.PAT, self.FRONT, "x", "SM-in-1").duplicate)
            other = p.sms_receive(self.PAT, self.BILLING, "billing?", "SM-in-2")
            self.assertNotEqual(other.conversation_id, d.conversation_id)  # C2
            self.assertEqual(p.conversation_start(1, front, "415-555-0123"), d.conversation_id)  # C3
            c = p.conversation_get(1, d.conversation_id)
            self.assertEqual((c.business_number, c.external, c.contact_id, c.unread), (self.FRONT, self.PAT,
                                                                                        d.contact_id, True))
            self.assertEqual(p.conversation_unread_count(1), 2)
            p.conversation_mark_read(1, d.conversation_id)
            self.assertEqual(p.conversation_unread_count(1), 1)
            # Outbound: the first try fails and stays stored; the same key sends it again.
            with self.assertRaises(ConnectionError):  # the carrier's own exception comes out
                p.sms_send(1, "See you at 3", conversation_id=d.conversation_id, idempotency_key="k1")
            sent = p.sms_send(1, "See you at 3", conversation_id=d.conversation_id, idempotency_key="k1")
            self.assertEqual((sent.status, sent.carrier_id, sent.segments), ("queued", "SM-2", 1))
            self.assertTrue(p.sms_status("SM-2", "delivered"))
            self.assertFalse(p.sms_status("SM-2", "sent"))  # late: ignored
            self.assertEqual(p.item_get(1, sent.item_id).status, "delivered")
            with self.assertRaises(sb.PhoneNumberError):
                p.sms_send(1, "hi", endpoint_id=front, to="+442071838750")  # C14
            with self.assertRaises(sb.RouteError):
                p.sms_receive(self.PAT, "+14155550109", "hi", "SM-in-9")
            # Timeline: notes, calls and voicemails too, newest first.
            p.note_add(2, d.conversation_id, "checked the chart")
            p.call_item_record(0, "voicemail", "inbound", self.FRONT, self.PAT, duration_ms=9000,
                               media_ref="https://m/vm1", transcript="call me", carrier_id="CA1")
            items = p.timeline(1, d.conversation_id, limit=10)
            self.assertEqual([i.kind for i in items], ["voicemail", "note", "message", "message"])
            self.assertEqual(items[0].text, "call me")
            older = p.timeline(1, d.conversation_id, before_id=items[1].id, limit=10)
            self.assertEqual([i.text for i in older], ["See you at 3", "hi \U0001F44B"])
            # The card, regarding, attach, merge.
            jane = p.contact_create(1, "Jane Roe")
            p.conversation_regarding_add(1, other.conversation_id, jane)
            self.assertEqual(p.conversation_regarding(1, other.conversation_id), [jane])
            p.conversation_attach(1, d.conversation_id, jane)
            card = p.contact_conversations(1, jane)
            self.assertEqual([(x.id, x.regarding) for x in card],
                             [(d.conversation_id, False), (other.conversation_id, False)])
            p.conversation_regarding_remove(1, other.conversation_id, jane)
            sam = p.contact_create(1, "Sam")
            p.contact_merge(1, sam, jane)
            self.assertEqual(len(p.contact_conversations(1, sam)), 2)
            with self.assertRaises(sb.NotFoundError):
                p.contact_get(1, jane)
            # Close, reopen by inbound, delete.
            p.conversation_close(1, other.conversation_id)
            self.assertTrue(p.conversation_get(1, other.conversation_id).closed)
            p.sms_receive(self.PAT, self.BILLING, "again", "SM-in-3")
            self.assertFalse(p.conversation_get(1, other.conversation_id).closed)
            p.conversation_close(1, other.conversation_id)
            p.conversation_reopen(1, other.conversation_id)
            p.conversation_delete(1, other.conversation_id)
            with self.assertRaises(sb.NotFoundError):
                p.conversation_get(1, other.conversation_id)
            self.assertGreater(billing, front)
        with open(self.path, "rb") as f:
            self.assertNotIn(b"See you at 3", f.read())  # sealed at rest

    def test_attachments_library_and_segments(self) -> None:
        with sb.Practice(self.path, carrier=RecordingCarrier()) as p:
            staff(p)
            front = p.business_number_create(1, self.FRONT, "Front")
            d = p.sms_receive(self.PAT, self.FRONT, "", "MM1",
                              media=[sb.AttachmentSpec("image/png", "rash.png", data=b"\x89PNG\x00\x01"),
                                     sb.AttachmentSpec("image/jpeg", "leg.jpg", media_ref="https://m/1", size=9)])
            a = p.item_attachments(1, d.item_id)
            self.assertEqual([(x.file_name, x.has_data) for x in a], [("rash.png", True), ("leg.jpg", False)])
            self.assertEqual(p.attachment_read(1, a[0].id), b"\x89PNG\x00\x01")
            with self.assertRaises(sb.StateError):
                p.attachment_read(1, a[1].id)
            form = p.library_add(1, sb.AttachmentSpec("application/pdf", "form.pdf", data=b"%PDF"))
            self.assertEqual([x.id for x in p.library_list(1)], [form])
            s = p.sms_send(1, "please fill in", endpoint_id=front, to=self.PAT, library=[form])
            self.assertEqual(p.item_attachments(1, s.item_id)[0].file_name, "form.pdf")
            p.library_remove(1, form)
            self.assertEqual(p.library_list(1), [])
            with self.assertRaises(sb.InvalidArgumentError):
                p.library_add(1, sb.AttachmentSpec("pdf", "form.pdf", data=b"%PDF"))
            with self.assertRaises(sb.InvalidArgumentError):
                p.call_item_record(0, "fax", "inbound", self.FRONT, self.PAT)
        self.assertEqual(sb.sms_segments("a" * 160), (1, "gsm7"))
        self.assertEqual(sb.sms_segments("a" * 161), (2, "gsm7"))
        self.assertEqual(sb.sms_segments("\U0001F600" * 36), (2, "ucs2"))
        with self.assertRaises(sb.InvalidUTF8Error):
            sb.sms_segments("\udc00")


class TeamTest(TempStore):
    """Team workflows (T1-T8) through Python: the same rules as the C tests."""

    def setUp(self) -> None:
        super().setUp()
        self.p = sb.Practice(self.path, clock=lambda: 1000, carrier=RecordingCarrier())
        staff(self.p, 6)
        self.front = self.p.business_number_create(1, "4155550100", "Front desk")
        self.billing = self.p.business_number_create(1, "4155550101", "Billing")

    def tearDown(self) -> None:
        self.p.close()
        super().tearDown()

    def text_in(self, to: str, carrier_id: str, sender: str = "+14155550123") -> sb.Delivery:
        return self.p.sms_receive(sender, to, "hello", carrier_id)

    def test_alerts(self) -> None:
        p = self.p
        heard = []
        p.notify_set(heard.append)
        p.notify_prefs_set(3, 3, sb.AlertPrefs(messages="off"))
        p.notify_prefs_set(1, 4, sb.AlertPrefs(messages="mine"))  # an admin for a teammate
        self.assertEqual(p.notify_prefs_get(4, 4), sb.AlertPrefs("mine", "all", "all"))
        with self.assertRaises(sb.PermissionDeniedError):
            p.notify_prefs_set(3, 4, sb.AlertPrefs())
        with self.assertRaises(sb.InvalidArgumentError):
            p.notify_prefs_set(3, 3, sb.AlertPrefs(messages="loud"))
        d = self.text_in("+14155550100", "SM-a1")
        self.assertEqual(heard, [sb.Alert("message", d.conversation_id, d.item_id, "inbox", 0, (1, 2, 5, 6))])
        self.text_in("+14155550100", "SM-a1")  # a redelivery alerts nobody
        self.assertEqual(len(heard), 1)
        p.notify_set(lambda alert: 1 / 0)  # a failing callback leaves the text stored
        self.assertFalse(self.text_in("+14155550100", "SM-a2").duplicate)
        p.notify_set(None)
        self.text_in("+14155550100", "SM-a3")
        self.assertEqual(len(heard), 1)

    def test_chats(self) -> None:
        p = self.p
        with self.assertRaises(sb.InvalidArgumentError):  # NUL never reaches C, where it would cut the text
            p.team_create(1, "Nurses\x00 and more")
        heard = []
        p.notify_set(heard.append)
        chat = p.chat_direct(1, [2, 2])
        self.assertEqual(p.chat_direct(2, [1]), chat)  # the same set, the same chat
        first = p.chat_post(1, chat, "Room 4 needs you", idempotency_key="k1")
        self.assertEqual(p.chat_post(1, chat, "Room 4 needs you", idempotency_key="k1"), first)
        self.assertEqual([m.text for m in p.chat_messages(2, chat)], ["Room 4 needs you"])
        self.assertEqual(heard[-1].kind, "chat_message")
        self.assertEqual((heard[-1].conversation_id, heard[-1].mailbox, heard[-1].teammates), (chat, "none", (2,)))
        self.assertEqual(p.chat_list(2)[0].unread, 1)
        p.chat_mark_read(2, chat)
        self.assertEqual(p.chat_list(2)[0].unread, 0)
        self.assertEqual(p.chat_members(2, chat), [1, 2])
        with self.assertRaises(sb.PermissionDeniedError):
            p.chat_messages(3, chat)
        with self.assertRaises(sb.InvalidArgumentError):
            p.chat_post(1, chat, "")
        team = p.team_create(1, "Nurses")
        p.team_member_add(1, team, 3)
        p.team_member_add(1, team, 4)
        nurses = p.chat_team(3, team)
        p.chat_post(3, nurses, "who has room 4?")
        self.assertEqual(p.chat_list(4)[0].kind, "team")
        with self.assertRaises(sb.PermissionDeniedError):
            p.chat_team(1, team)

    def test_teammates_and_admins(self) -> None:
        p = self.p
        me = p.teammate_get(2, 1)
        self.assertTrue(me.admin)
        self.assertEqual((me.status, me.name), ("active", "Teammate 1"))
        with self.assertRaises(sb.PermissionDeniedError) as cm:
            p.teammate_add(2, "Zed")
        self.assertIn("only admins", cm.exception.detail)
        with self.assertRaises(sb.PermissionDeniedError):
            p.teammate_get(99, 1)
        cy = p.teammate_invite(1, "Cy", login_phone="415-555-0110", ring_numbers=["4155550111"])
        with self.assertRaises(sb.PermissionDeniedError):
            p.teammate_get(cy, cy)
        p.teammate_accept(cy)
        t = p.teammate_get(cy, cy)
        self.assertEqual((t.login_phone, t.ring_numbers), ("+14155550110", ["+14155550111"]))
        p.teammate_update(cy, cy, "Cy D.", ring_numbers=["4155550112", "4155550113"])
        self.assertEqual(p.teammate_get(1, cy).ring_numbers, ["+14155550112", "+14155550113"])
        with self.assertRaises(sb.PhoneNumberError):
            p.teammate_update(cy, cy, "Cy", login_phone="+44 20 7946 0958")
        with self.assertRaises(sb.StateError) as cm:
            p.teammate_set_admin(1, 1, False)
        self.assertIn("last admin", cm.exception.detail)
        p.teammate_set_admin(1, cy, True)
        p.teammate_set_admin(cy, 1, False)
        p.teammate_remove(cy, 2)
        self.assertEqual(p.teammate_get(1, 2).status, "removed")
        self.assertEqual([t.id for t in p.teammate_list(1)], [1, 3, 4, 5, 6, cy])
        self.assertEqual(len(p.teammate_list(1, include_removed=True)), 7)

    def test_sign_in(self) -> None:
        p = self.p
        p.teammate_update(1, 2, "Ana", login_phone="415-555-0142")
        p.teammate_password_set(2, 2, "correct horse battery")
        self.assertEqual(p.teammate_sign_in("(415) 555-0142", "correct horse battery"), 2)
        for login, password in (("4155550142", "hunter2 guess"), ("4155550199", "correct horse battery")):
            with self.assertRaises(sb.PermissionDeniedError) as cm:
                p.teammate_sign_in(login, password)
            self.assertEqual(cm.exception.detail, "wrong login phone or password")
        with self.assertRaises(sb.InvalidArgumentError):
            p.teammate_password_set(2, 2, "short")
        with self.assertRaises(sb.PermissionDeniedError):
            p.teammate_password_set(3, 2, "ben sets ana's")
        with self.assertRaises(sb.PhoneNumberError):
            p.teammate_sign_in("555-0142", "correct horse battery")
        for _ in range(3):
            with self.assertRaises(sb.PermissionDeniedError):
                p.teammate_sign_in("4155550142", "hunter2 guess")
        with self.assertRaises(sb.LimitError) as cm:
            p.teammate_sign_in("4155550142", "hunter2 guess")
        self.assertNotIn("hunter2 guess", cm.exception.detail)
        with self.assertRaises(sb.LimitError):
            p.teammate_sign_in("4155550142", "correct horse battery")
        p.teammate_password_set(1, 2, "reset by the admin")
        self.assertEqual(p.teammate_sign_in("4155550142", "reset by the admin"), 2)

    def test_teams_and_settings(self) -> None:
        p = self.p
        team = p.team_create(1, "Front desk")
        with self.assertRaises(sb.ConflictError):
            p.team_create(1, "front DESK")
        with self.assertRaises(sb.PermissionDeniedError):
            p.team_create(2, "Billing")
        p.team_member_add(1, team, 2)
        p.team_member_add(1, team, 3)
        with self.assertRaises(sb.ConflictError):
            p.team_member_add(1, team, 3)
        self.assertEqual(p.team_members(4, team), [2, 3])
        self.assertEqual(p.teammate_teams(4, 3), [team])
        p.team_rename(1, team, "Reception")
        p.team_member_remove(1, team, 2)
        self.assertEqual(p.team_get(4, team), sb.Team(team, "Reception", 1, 1000, 0))
        self.assertEqual([t.name for t in p.team_list(4)], ["Reception"])
        p.team_delete(1, team)
        self.assertEqual(p.team_list(4), [])
        self.assertEqual(p.settings(4), sb.Settings(True, "", ""))
        with self.assertRaises(sb.PermissionDeniedError):
            p.set_settings(4, sb.Settings(False))
        p.set_settings(1, sb.Settings(False, "Premium", "billing@clinic.example"))
        self.assertEqual(p.settings(4), sb.Settings(False, "Premium", "billing@clinic.example"))
        with self.assertRaises(sb.EmailAddressError):
            p.set_settings(1, sb.Settings(True, "", "no at sign"))
        with self.assertRaises(sb.TooBigError):
            p.set_settings(1, sb.Settings(True, "x" * 65))

    def test_assignment_and_mailboxes(self) -> None:
        p = self.p
        c = self.text_in("4155550100", "SM-py-1").conversation_id
        self.assertEqual([e.conversation_id for e in p.mailbox_page(2, "inbox")], [c])
        self.assertEqual(p.mailbox_unread(2, "inbox"), 1)
        p.conversation_assign(2, c, "teammate", 3)
        self.assertEqual(p.mailbox_page(2, "inbox"), [])
        entry = p.mailbox_page(3, "teammate", 3)[0]
        self.assertEqual((entry.conversation_id, entry.unread, entry.conversation_kind), (c, True, "standard"))
        event = p.timeline(3, c)[0]
        self.assertEqual(event.kind, "event")
        self.assertEqual(p.item_event(3, event.id), sb.ItemEvent("assigned", "teammate", 3))
        p.conversation_close(3, c)
        self.assertEqual(p.mailbox_page(3, "closed")[0].conversation_id, c)
        with self.assertRaises(sb.StateError):
            p.conversation_assign(3, c, "teammate", 2)
        self.text_in("4155550100", "SM-py-2")
        self.assertEqual(p.mailbox_page(3, "inbox")[0].conversation_id, c)  # T4: back to the inbox
        with self.assertRaises(sb.InvalidArgumentError):
            p.conversation_assign(3, c, "somewhere")
        # T5: an owned number with auto-assign.
        team = p.team_create(1, "Front team")
        p.team_member_add(1, team, 4)
        with self.assertRaises(sb.StateError):
            p.endpoint_set_auto_assign(1, self.front, True)
        p.endpoint_set_owner(1, self.front, "team", team)
        p.endpoint_set_auto_assign(4, self.front, True)
        d = self.text_in("4155550100", "SM-py-3", sender="+14155550124")
        self.assertEqual([e.conversation_id for e in p.mailbox_page(4, "team", team)], [d.conversation_id])
        self.assertTrue(p.endpoint_get(1, self.front).auto_assign)

    def test_visibility_and_tags(self) -> None:
        p = self.p
        p.endpoint_set_owner(1, self.billing, "teammate", 2)
        p.endpoint_member_add(2, self.billing, 3)
        self.assertEqual(p.endpoint_members(5, self.billing), [3])
        d = self.text_in("4155550101", "SM-py-4")
        self.assertTrue(p.endpoint_sees(3, self.billing))
        self.assertFalse(p.endpoint_sees(4, self.billing))
        with self.assertRaises(sb.PermissionDeniedError):
            p.conversation_get(4, d.conversation_id)
        with self.assertRaises(sb.PermissionDeniedError):
            p.conversation_get(1, d.conversation_id)  # admins are no exception
        self.assertEqual(p.mailbox_page(4, "inbox"), [])
        self.assertEqual(p.mailbox_unread(4, "inbox"), 0)
        p.conversation_get(3, d.conversation_id)
        with self.assertRaises(sb.PermissionDeniedError):
            p.endpoint_set_label(3, self.billing, "Mine")  # a member, not the owner (T6)
        p.endpoint_member_remove(2, self.billing, 3)
        with self.assertRaises(sb.PermissionDeniedError):
            p.conversation_get(3, d.conversation_id)
        # Tags (T7).
        p.tag_add(2, "conversation", d.conversation_id, "Insurance")
        p.tag_add(4, "contact", d.contact_id, "VIP")
        self.assertEqual([t.name for t in p.tags_of(2, "conversation", d.conversation_id)], ["Insurance"])
        self.assertEqual([t.name for t in p.tag_list(4, "contact")], ["VIP"])
        with self.assertRaises(sb.ConflictError):
            p.tag_add(4, "contact", d.contact_id, "vip")
        with self.assertRaises(sb.PermissionDeniedError):
            p.tag_add(4, "conversation", d.conversation_id, "Nosy")
        p.tag_add(1, "endpoint_conversations", self.front, "Front")
        p.tag_add(1, "endpoint_contacts", self.front, "New patient")
        e = self.text_in("4155550100", "SM-py-5", sender="+14155550177")
        self.assertEqual(p.tags_of(2, "conversation", e.conversation_id)[0].name, "Front")
        self.assertEqual(p.tags_of(2, "contact", e.contact_id)[0], sb.Tag(p.tag_list(2, "contact")[1].id, "contact",
                                                                           "New patient"))
        p.tag_remove(4, "contact", d.contact_id, "VIP")
        with self.assertRaises(sb.NotFoundError):
            p.tag_remove(4, "contact", d.contact_id, "VIP")
        with self.assertRaises(sb.InvalidArgumentError):
            p.tag_add(4, "nowhere", 1, "x")


class CountingCarrier:
    """A carrier that gives each text its own id, and can be made to refuse."""

    def __init__(self) -> None:
        self.log: list = []
        self.refuse = False

    def send_sms(self, sms: sb.Sms) -> str:
        if self.refuse:
            raise ConnectionError("carrier unreachable")
        self.log.append(sms)
        return f"SM{len(self.log)}"


class FilterBulkTest(TempStore):
    """Filters (T9) and bulk messages (T10) through Python."""

    def setUp(self) -> None:
        super().setUp()
        self.carrier = CountingCarrier()
        self.p = sb.Practice(self.path, clock=lambda: 1000, carrier=self.carrier)
        staff(self.p, 6)
        self.front = self.p.business_number_create(1, "4155550100", "Front desk")
        self.billing = self.p.business_number_create(1, "4155550101", "Billing")

    def tearDown(self) -> None:
        self.p.close()
        super().tearDown()

    def tag(self, kind: str, name: str) -> int:
        return next(t.id for t in self.p.tag_list(2, kind) if t.name == name)

    def test_conversation_filters(self) -> None:
        p = self.p
        a = p.sms_receive("+14155550121", "+14155550100", "hi", "SM-a")
        b = p.sms_receive("+14155550122", "+14155550101", "hi", "SM-b")
        p.tag_add(2, "conversation", a.conversation_id, "Refill")
        p.conversation_assign(2, b.conversation_id, "teammate", 3)
        refill = self.tag("conversation", "Refill")
        pick = lambda actor, f: [e.conversation_id for e in p.filter_conversations(actor, f)]  # noqa: E731
        self.assertEqual(sorted(pick(4, sb.Filter())), sorted([a.conversation_id, b.conversation_id]))
        self.assertEqual(pick(4, sb.Filter(tags=(refill,))), [a.conversation_id])
        self.assertEqual(pick(3, sb.Filter(mailbox="teammate")), [b.conversation_id])  # whoever runs it
        self.assertEqual(pick(4, sb.Filter(mailbox="teammate")), [])
        self.assertEqual(pick(4, sb.Filter(endpoint=self.billing, status="open")), [b.conversation_id])
        p.endpoint_set_owner(1, self.billing, "teammate", 5)  # T8: only who sees it
        self.assertEqual(pick(4, sb.Filter(endpoint=self.billing)), [])
        with self.assertRaises(sb.InvalidArgumentError) as cm:
            p.filter_conversations(4, sb.Filter(mailbox="closed", status="open"))
        self.assertIn("contradict", cm.exception.detail)
        with self.assertRaises(sb.NotFoundError):
            p.filter_conversations(4, sb.Filter(tags=(999,)))
        with self.assertRaises(sb.InvalidArgumentError):
            p.filter_conversations(4, sb.Filter(kind="contacts"))
        with self.assertRaises(sb.TooBigError):
            p.filter_conversations(4, sb.Filter(tags=tuple(range(1, 10))))

    def test_contact_filters_and_saved(self) -> None:
        p = self.p
        pat = p.contact_create(2, "Pat")
        other = p.contact_create(2, "Other")
        p.tag_add(2, "contact", pat, "Flu")
        flu = sb.Filter(kind="contacts", tags=(self.tag("contact", "Flu"),))
        self.assertEqual(p.filter_contacts(2, flu), [pat])
        self.assertEqual(p.filter_contacts(2, sb.Filter(kind="contacts", invitation="never")), [pat, other])
        self.assertEqual(p.filter_contacts(2, sb.Filter(kind="contacts", account="with")), [])
        mine = p.filter_save(3, 3, "Flu patients", flu)
        shared = p.filter_save(3, 0, "Open", sb.Filter(status="open"))
        got = p.filter_get(3, mine)
        self.assertEqual((got.name, got.owner, got.filter), ("Flu patients", 3, flu))
        self.assertEqual([s.id for s in p.filter_list(3)], [mine, shared])
        self.assertEqual([s.id for s in p.filter_list(4)], [shared])
        with self.assertRaises(sb.PermissionDeniedError):
            p.filter_get(4, mine)
        with self.assertRaises(sb.PermissionDeniedError):
            p.filter_update(4, shared, "Mine now", sb.Filter())
        p.filter_update(1, mine, "Flu, any", flu)  # an admin changes anyone's (T1)
        self.assertEqual(p.filter_get(3, mine).name, "Flu, any")
        with self.assertRaises(sb.ConflictError):
            p.filter_save(3, 3, "FLU, ANY", flu)
        p.filter_delete(3, mine)
        with self.assertRaises(sb.NotFoundError):
            p.filter_get(3, mine)

    def test_bulk_message(self) -> None:
        p = self.p
        pats = []
        for number in ("4155550131", "4155550132", "4155550133"):
            c = p.contact_create(2, "Patient")
            p.contact_add_address(2, c, "phone", number)
            p.tag_add(2, "contact", c, "Flu")
            pats.append(c)
        flu = sb.Filter(kind="contacts", tags=(self.tag("contact", "Flu"),))
        bulk = p.bulk_create(3, self.front, "Flu shots are in", flu)
        self.assertEqual(p.bulk_get(3, bulk).pending, 3)
        self.assertEqual(p.bulk_send(3, bulk, limit=1).queued, 1)
        self.carrier.refuse = True
        with self.assertRaises(ConnectionError):  # the carrier's own error, re-raised after the step
            p.bulk_send(3, bulk, limit=1)
        self.carrier.refuse = False
        b = p.bulk_send(3, bulk)
        self.assertEqual((b.pending, b.queued, b.failed), (0, 2, 1))
        self.assertEqual(len(self.carrier.log), 2)
        p.bulk_send(3, bulk)  # nothing more to send: no second copies
        self.assertEqual(len(self.carrier.log), 2)
        b = p.bulk_retry(3, bulk)
        self.assertEqual((b.queued, b.failed), (3, 0))
        self.assertEqual(len(self.carrier.log), 3)
        self.assertEqual(len({s.to for s in self.carrier.log}), 3)
        rs = p.bulk_recipients(3, bulk)
        self.assertEqual([r.contact_id for r in rs], pats)
        self.assertEqual({r.state for r in rs}, {"stored"})
        self.assertEqual(len({r.conversation_id for r in rs}), 3)
        self.assertEqual([x.id for x in p.bulk_list(3)], [bulk])
        with self.assertRaises(sb.StateError):
            p.bulk_create(3, self.front, "x", sb.Filter(kind="contacts", account="with"))
        with self.assertRaises(sb.InvalidArgumentError):
            p.bulk_create(3, self.front, "", flu)
        with self.assertRaises(sb.NotFoundError):
            p.bulk_get(3, 999)
        p.endpoint_set_owner(1, self.front, "teammate", 5)
        with self.assertRaises(sb.PermissionDeniedError):
            p.bulk_get(3, bulk)


class AutomationCarrier:
    """Texts, e-mails and timers, recorded; it can be made to refuse."""

    def __init__(self) -> None:
        self.texts: list = []
        self.emails: list = []
        self.timers: list = []
        self.refuse = False

    def send_sms(self, sms: sb.Sms) -> str:
        if self.refuse:
            raise ConnectionError("carrier unreachable")
        self.texts.append(sms)
        return f"SM{len(self.texts)}"

    def send_email(self, email: sb.Email) -> str:
        if self.refuse:
            raise ConnectionError("carrier unreachable")
        self.emails.append(email)
        return f"EM{len(self.emails)}"

    def timer_start(self, timer_id: str, due_ms: int) -> None:
        self.timers.append((timer_id, due_ms))

    def timer_stop(self, timer_id: str) -> None:
        self.timers.append((timer_id, 0))


HOUR = 3600000
MONDAY_NIGHT = 1773097200000  # 2026-03-09 19:00 EDT


class CarrierWorld(TempStore):
    """A practice on a hand-moved clock with four teammates, the front desk
    number and a recording carrier."""

    def setUp(self) -> None:
        super().setUp()
        self.now = MONDAY_NIGHT
        self.carrier = AutomationCarrier()
        self.p = sb.Practice(self.path, clock=lambda: self.now, carrier=self.carrier)
        staff(self.p, 4)
        self.front = self.p.business_number_create(1, "4155550100", "Front desk")

    def tearDown(self) -> None:
        self.p.close()
        super().tearDown()


class AutomationTest(CarrierWorld):
    """Business hours (A1), after-hours replies and alerts (A2), scheduled texts (A3) through Python."""

    def setUp(self) -> None:
        super().setUp()
        weekdays = tuple(sb.Span(d, 9 * 60, 17 * 60) for d in ("monday", "tuesday", "wednesday", "thursday", "friday"))
        self.hours = sb.Hours("America/New_York", weekdays, (sb.Closure(20261126, 20261127, "Thanksgiving"),))

    def test_hours(self) -> None:
        p = self.p
        s = p.hours_evaluate(self.hours, MONDAY_NIGHT)
        self.assertFalse(s.open)
        self.assertEqual(s.weekday, "monday")
        self.assertEqual(s.utc_offset, -240)
        self.assertEqual(s.next_opening, MONDAY_NIGHT + 14 * HOUR)  # Tuesday 09:00 EDT
        self.assertEqual(p.hours_at(2).source, "none")
        with self.assertRaises(sb.PermissionDeniedError):
            p.hours_set(2, self.hours)
        p.hours_set(1, self.hours)
        self.assertEqual(p.hours_get(3), self.hours)
        self.assertFalse(p.hours_at(3, self.front).open)
        self.assertEqual(p.hours_at(3, self.front).source, "practice")
        p.hours_set(1, sb.Hours("UTC", (sb.Span("monday", 0, 1440),)), self.front)
        self.assertTrue(p.hours_at(3, self.front).open)
        p.hours_clear(1, self.front)
        with self.assertRaises(sb.NotFoundError):
            p.hours_get(3, self.front)
        with self.assertRaises(sb.NotFoundError):
            p.hours_evaluate(sb.Hours("Mars/Olympus"), 0)
        with self.assertRaises(sb.InvalidArgumentError):
            p.hours_evaluate(sb.Hours("UTC", (sb.Span("monday", 600, 700), sb.Span("monday", 650, 800))), 0)
        with self.assertRaises(sb.TooBigError):
            p.hours_evaluate(sb.Hours("x" * 65), 0)

    def test_after_hours(self) -> None:
        p = self.p
        p.hours_set(1, self.hours)
        with self.assertRaises(sb.EmailAddressError):
            p.after_hours_set(1, sb.AfterHours(alert_on=True, alert_to="oncall@clinic.example, nobody"))
        with self.assertRaises(sb.PermissionDeniedError):
            p.after_hours_set(2, sb.AfterHours())
        p.after_hours_set(1, sb.AfterHours(True, "We are closed; we open at 9.", True,
                                           "oncall@clinic.example , desk@clinic.example"))
        self.assertEqual(p.after_hours_get(2).alert_to, "oncall@clinic.example,desk@clinic.example")
        p.sms_receive("+14155550121", "+14155550100", "my rash is worse", "SM-1")
        p.sms_receive("+14155550121", "+14155550100", "hello?", "SM-2")
        self.assertEqual(len(self.carrier.texts), 1)  # once per closed period
        self.assertEqual(self.carrier.texts[0].body, "We are closed; we open at 9.")
        self.assertEqual([e.to for e in self.carrier.emails], ["oncall@clinic.example", "desk@clinic.example"])
        self.assertNotIn("rash", self.carrier.emails[0].body)
        self.assertNotIn("4155550121", self.carrier.emails[0].body)
        self.carrier.refuse = True
        with self.assertRaises(ConnectionError):  # the carrier's own error, re-raised after the step
            p.sms_receive("+14155550122", "+14155550100", "hi", "SM-3")
        self.assertEqual(p.sms_receive("+14155550122", "+14155550100", "hi", "SM-3").duplicate, True)  # kept
        events = p.after_hours_list(2)
        self.assertEqual(len(events), 2)
        self.assertEqual(events[0].reply_state, "failed")
        self.assertEqual(events[0].alerts_failed, 2)
        self.carrier.refuse = False
        self.assertEqual(p.after_hours_retry(1), (3, 0))
        self.assertEqual(p.after_hours_list(2)[0].alerts_sent, 2)
        # C10: a conversation that got the reply deletes whole, its period and alerts with it.
        d = p.sms_receive("+14155550121", "+14155550100", "again", "SM-4")
        p.conversation_delete(1, d.conversation_id)
        self.assertEqual(len(p.after_hours_list(2)), 1)

    def test_schedule(self) -> None:
        p = self.p
        contact = p.contact_create(2, "Pat")
        p.contact_add_address(2, contact, "phone", "4155550171")
        due = MONDAY_NIGHT + 13 * HOUR
        first = p.schedule_create(2, self.front, "Reminder: tomorrow at 9:30", due, contact=contact,
                                  purpose="reminder", idempotency_key="appt-1")
        self.assertEqual(p.schedule_create(2, self.front, "Reminder: tomorrow at 9:30", due, contact=contact,
                                           idempotency_key="appt-1"), first)
        second = p.schedule_create(2, self.front, "Confirmed", due + HOUR, to="415-555-0172", purpose="confirmation")
        self.assertEqual(self.carrier.timers[-1], ("sb.schedule", due))
        self.assertEqual([s.id for s in p.schedule_list(2, "pending")], [first, second])
        p.schedule_reschedule(2, second, due - HOUR)
        self.assertEqual([s.id for s in p.schedule_list(2)], [second, first])
        p.schedule_cancel(2, second)
        with self.assertRaises(sb.StateError):
            p.schedule_cancel(2, second)
        with self.assertRaises(sb.PhoneNumberError):
            p.schedule_create(2, self.front, "x", due, to="+442071234567")
        with self.assertRaises(sb.InvalidArgumentError):
            p.schedule_create(2, self.front, "x", 0, contact=contact)
        self.assertEqual(p.schedule_pump().sent, 0)
        self.now = due
        report = p.schedule_pump()
        self.assertEqual((report.sent, report.failed, report.missed, report.next_due), (1, 0, 0, 0))
        self.assertEqual(self.carrier.texts[-1].idempotency_key, f"sb-schedule-{first}")
        got = p.schedule_get(2, first)
        self.assertEqual((got.state, got.purpose, got.message_status), ("sent", "reminder", "queued"))
        self.assertEqual(p.schedule_get(2, second).state, "cancelled")
        late = p.schedule_create(2, self.front, "Too late", due - 7 * HOUR, contact=contact)
        self.assertEqual(p.schedule_pump().missed, 1)
        self.assertEqual(p.schedule_get(2, late).state, "missed")


class SecureTest(CarrierWorld):
    """Secure links (L1), invitations (L2), accounts (L3-L5) and secure messages (L6) through Python."""

    def setUp(self) -> None:
        super().setUp()
        p = self.p
        p.link_base_set(1, "https://clinic.example/s/")
        self.link = p.link_create(1, "Maple Street secure", "Maple-Street")
        p.invitation_settings_set(1, sb.InvitationSettings(text="Maple Street invites you:", sender=self.front))
        self.jane = p.contact_create(1, "Jane Roe")
        p.contact_add_address(1, self.jane, "phone", "4155550161")
        p.contact_add_address(1, self.jane, "email", "jane@mail.example")

    def code(self) -> str:
        return self.carrier.texts[-1].body.split("code is ")[1][:6]

    def test_links(self) -> None:
        p = self.p
        self.assertEqual(p.link_url(2, self.link), "https://clinic.example/s/maple-street")
        self.assertEqual(p.link_find(2, "MAPLE-STREET"), self.link)
        self.assertEqual(p.link_base_get(2), "https://clinic.example/s")
        with self.assertRaises(sb.ConflictError):
            p.link_create(1, "Again", "maple-street")
        with self.assertRaises(sb.InvalidArgumentError):
            p.link_create(1, "Reserved", "admin")
        with self.assertRaises(sb.PermissionDeniedError):
            p.link_create(2, "Not an admin")
        generated = p.link_create(1, "Generated")
        self.assertEqual(len(p.endpoint_get(1, generated).address), 16)
        p.link_set_slug(1, self.link, "elm-street")
        self.assertEqual(p.link_find(3, "elm-street"), self.link)
        qr = p.link_qr(1, self.link)
        self.assertTrue(21 <= len(qr) <= 177 and all(len(row) == len(qr) for row in qr))
        self.assertTrue(all(qr[0][:7]) and not qr[1][1])
        self.assertTrue(p.link_qr_svg(1, self.link).startswith("<svg"))

    def test_invitation_signup_and_messages(self) -> None:
        p = self.p
        inv = p.invitation_send(2, self.link, self.jane)
        self.assertEqual(p.invitation_get(2, inv).state, "pending")
        self.assertEqual(len(self.carrier.emails), 1)
        url = self.carrier.texts[-1].body.split(" ")[-1]
        self.assertTrue(url.startswith("https://clinic.example/s/maple-street?invite="))
        token = url.split("=")[1]
        self.assertEqual(p.filter_contacts(2, sb.Filter(kind="contacts", invitation="not_accepted")), [self.jane])
        self.assertEqual(p.invitation_open(token), self.link)  # the patient opened the link (seed 003)
        self.assertEqual(p.invitation_get(2, inv).state, "opened")
        with self.assertRaises(sb.CodeError):
            p.invitation_open("wrong-token")
        signup = p.signup_start("(415) 555-0161", token=token)
        with self.assertRaises(sb.CodeError):
            p.signup_verify(signup, "000000" if self.code() != "000000" else "111111")
        r = p.signup_verify(signup, self.code())
        self.assertEqual((r.contact_id, r.identity, r.new_account), (self.jane, "verified", True))
        self.assertEqual(p.invitation_get(2, inv).state, "accepted")
        self.assertEqual(p.contact_invitations(2, self.jane)[0].account_id, r.account_id)
        with self.assertRaises(sb.StateError):
            p.signup_start("4155550161", token=token)  # single-use
        # A teammate's own text for one invitation.
        p.invitation_send(2, self.link, self.jane, message="Hi Jane, here is the link we talked about.")
        self.assertTrue(self.carrier.texts[-1].body.startswith("Hi Jane, here is the link we talked about. https://"))
        with self.assertRaises(sb.InvalidArgumentError):
            p.invitation_send(2, self.link, self.jane, message="")
        status = p.secure_status(2, r.conversation_id)
        self.assertEqual((status.identity, status.mobile_matches, status.email_matches), ("verified", True, False))
        jane = sb.patient_actor(r.account_id)
        item = p.secure_send(jane, r.conversation_id, "my results?", idempotency_key="app-1",
                             attachments=[sb.AttachmentSpec("text/plain", "q.txt", data=b"question")])
        self.assertEqual(p.secure_send(jane, r.conversation_id, "my results?", idempotency_key="app-1"), item)
        p.secure_send(2, r.conversation_id, "Ready on Friday.")
        messages = p.secure_messages(jane, r.conversation_id)
        self.assertEqual([(m.direction, m.text) for m in messages],
                         [("outbound", "Ready on Friday."), ("inbound", "my results?")])
        self.assertEqual([c.link_label for c in p.patient_conversations(jane)], ["Maple Street secure"])
        self.assertEqual(p.account_get(jane, r.account_id).mobile, "+14155550161")
        # Seed 003: a teammate changes the lost mobile; the code to the new one re-verifies it.
        change = p.account_mobile_change(2, r.account_id, "415-555-0177")
        with self.assertRaises(sb.PermissionDeniedError):
            p.account_mobile_change(jane, r.account_id, "415-555-0178")
        moved = p.signup_verify(change, self.code())
        self.assertEqual((moved.account_id, moved.new_account), (r.account_id, False))
        self.assertEqual(p.account_get(jane, r.account_id).mobile, "+14155550177")
        with self.assertRaises(sb.PermissionDeniedError):
            p.conversation_get(jane, r.conversation_id)
        with self.assertRaises(sb.PermissionDeniedError):
            p.tags_of(jane, "conversation", r.conversation_id)
        with self.assertRaises(sb.SecureConversationError):
            p.conversation_delete(1, r.conversation_id)
        with self.assertRaises(sb.StateError):
            p.sms_send(2, "hi", conversation_id=r.conversation_id)
        with self.assertRaises(sb.StateError):
            p.secure_start(2, self.front, r.account_id)
        self.assertEqual(p.secure_start(2, self.link, r.account_id), r.conversation_id)

    def test_bare_link_and_bounds(self) -> None:
        p = self.p
        signup = p.signup_start("4155550177", slug="maple-street", email="sam@mail.example", name="Sam")
        wrong = "000000" if self.code() != "000000" else "111111"
        for _ in range(4):
            with self.assertRaises(sb.CodeError):
                p.signup_verify(signup, wrong)
        with self.assertRaises(sb.LimitError):
            p.signup_verify(signup, wrong)
        with self.assertRaises(sb.LimitError):
            p.signup_verify(signup, self.code())
        signup = p.signup_start("4155550177", slug="maple-street", name="Sam")
        with self.assertRaises(sb.LimitError):
            p.signup_resend(signup)  # too soon
        self.now += 10 * 60 * 1000
        with self.assertRaises(sb.ExpiredError):
            p.signup_verify(signup, self.code())
        p.signup_resend(signup)
        r = p.signup_verify(signup, self.code())
        self.assertEqual((r.identity, r.new_contact), ("unverified", True))
        self.assertEqual(p.contact_get(2, r.contact_id).name, "Sam")
        p.account_confirm(2, r.account_id)
        self.assertEqual(p.account_get(2, r.account_id).identity, "verified")
        with self.assertRaises(sb.StateError):
            p.account_confirm(2, r.account_id)
        with self.assertRaises(sb.PhoneNumberError):
            p.signup_start("+44 20 7946 0958", slug="maple-street")
        with self.assertRaises(sb.CodeError):
            p.signup_start("4155550177", token="A" * 43)

    def test_round(self) -> None:
        p = self.p
        for i in range(3):
            c = p.contact_create(1, f"Patient {i}")
            p.contact_add_address(1, c, "phone", f"415555017{i}")
        never = sb.Filter(kind="contacts", invitation="never")
        first = p.invitation_round(2, self.link, never, "spring", limit=2)
        self.assertEqual((first.invited, first.more), (2, True))
        rest = p.invitation_round(2, self.link, never, "spring")
        self.assertEqual((rest.invited, rest.more), (2, False))
        again = p.invitation_round(2, self.link, sb.Filter(kind="contacts", invitation="not_accepted"), "spring")
        self.assertEqual(again.invited, 0)
        self.assertEqual(len(self.carrier.texts), 4)


class VoiceCarrier:
    """A callback-driven telephony carrier: every command becomes one line; the
    legs it places are L1, L2, ... and the timers it starts are remembered."""

    def __init__(self) -> None:
        self.log: list = []
        self.legs = 0
        self.timers: list = []

    def call_originate(self, req: sb.CallOriginate) -> str:
        self.legs += 1
        self.log.append(f"originate L{self.legs} to={req.to} from={req.from_number}")
        return f"L{self.legs}"

    def call_cancel(self, leg: str) -> None:
        self.log.append(f"cancel {leg}")

    def call_answer(self, leg: str) -> None:
        self.log.append(f"answer {leg}")

    def call_hangup(self, leg: str) -> None:
        self.log.append(f"hangup {leg}")

    def call_play(self, leg: str, play: sb.Play) -> None:
        self.log.append(f"play {leg} {play.kind} {play.content}")

    def call_hold(self, leg: str, on: bool) -> None:
        self.log.append(f"hold {leg} {on}")

    def call_bridge(self, a: str, b: str) -> None:
        self.log.append(f"bridge {a} {b}")

    def call_record(self, leg: str, rec: sb.Record) -> None:
        self.log.append(f"record {leg} {rec.max_ms}")

    def timer_start(self, timer_id: str, due_ms: int) -> None:
        self.timers.append(timer_id)

    def timer_stop(self, timer_id: str) -> None:
        pass

    def take(self) -> list:
        out, self.log = self.log, []
        return out


class VoiceTest(TempStore):
    """The call engine (V1-V12) through Python, with a Python carrier."""

    def setUp(self) -> None:
        super().setUp()
        self.now = MONDAY_NIGHT
        self.carrier = VoiceCarrier()
        self.p = sb.Practice(self.path, clock=lambda: self.now, carrier=self.carrier)
        staff(self.p, 3)
        p = self.p
        self.front = p.business_number_create(1, "4155550100", "Front desk")
        p.teammate_update(1, 2, "Teammate 2", ring_numbers=["6175550102"])
        p.teammate_update(1, 3, "Teammate 3", ring_numbers=["6175550103"])
        p.endpoint_member_add(1, self.front, 2)
        p.endpoint_member_add(1, self.front, 3)

    def tearDown(self) -> None:
        self.p.close()
        super().tearDown()

    def test_ring_screen_transfer(self) -> None:
        p, c = self.p, self.carrier
        call = p.call_inbound("+12125550142", "+14155550100", "C1")
        log = c.take()
        self.assertIn("answer C1", log)
        self.assertIn("originate L1 to=+16175550102 from=+14155550100", log)  # V5
        self.assertIn("originate L2 to=+16175550103 from=+14155550100", log)
        p.call_feed(sb.CallEvent("early_media", "L1"))  # never an answer
        self.assertEqual(c.take(), [])
        p.call_feed(sb.CallEvent("answered", "L1"))
        self.assertIn("play L1 0 Call from 2 1 2, 5 5 5, 0 1 4 2. Press 1 to connect.", c.take())
        p.call_feed(sb.CallEvent("digits", "L1", digits="1"))
        self.assertIn("bridge C1 L1", c.take())
        self.assertEqual(p.call_get(2, call).phase, "connected")
        p.desk_phone_add(1, 3, "203", "sip:203@desk.example")
        p.call_feed(sb.CallEvent("digits", "L1", digits="*1203#"))
        self.assertIn("originate L3 to=sip:203@desk.example from=+14155550100", c.take())
        p.call_feed(sb.CallEvent("answered", "L3"))
        p.call_feed(sb.CallEvent("digits", "L1", digits="*1"))
        self.assertIn("bridge C1 L3", c.take())
        self.now += 60000
        p.call_feed(sb.CallEvent("hangup", "C1"))
        got = p.call_get(3, call)
        self.assertEqual((got.phase, got.outcome, got.teammate_id), ("ended", "answered", 3))
        with self.assertRaises(sb.NotFoundError):
            p.call_feed(sb.CallEvent("answered", "nobody"))
        with self.assertRaises(sb.InvalidArgumentError):
            p.call_feed(sb.CallEvent("digits", "L1", digits="x"))

    def test_round_robin_and_ring_timeouts(self) -> None:
        p, c = self.p, self.carrier
        p.voice_settings_set(1, self.front, sb.VoiceSettings(ring_mode="round_robin", ring_timeout_ms=5000))
        self.assertEqual(p.voice_settings_get(2, self.front).ring_mode, "round_robin")
        p.ring_timeout_set(1, self.front, "617-555-0103", 12000)
        self.assertEqual(p.ring_timeout_get(2, self.front, "+16175550103"), 12000)
        self.assertEqual(p.ring_timeout_get(2, self.front, "+16175550102"), 5000)
        with self.assertRaises(sb.InvalidArgumentError):
            p.ring_timeout_set(1, self.front, "617-555-0103", 10)
        with self.assertRaises(sb.PermissionDeniedError):
            p.ring_timeout_set(3, self.front, "617-555-0103", 9000)
        firsts = []
        for i in (1, 2, 3):
            p.call_inbound("+12125550142", "+14155550100", f"C{i}")
            firsts.append([line for line in c.take() if line.startswith("originate")])
            p.call_feed(sb.CallEvent("hangup", f"C{i}"))
            c.take()
        self.assertEqual([len(f) for f in firsts], [1, 1, 1])  # one at a time
        self.assertEqual([f[0].split()[2] for f in firsts],
                         ["to=+16175550102", "to=+16175550103", "to=+16175550102"])  # each call one further on

    def test_voicemail_and_transcript(self) -> None:
        p, c = self.p, self.carrier
        p.voice_settings_set(1, self.front, sb.VoiceSettings(greeting="Leave a message.", voicemail_max_ms=30000))
        self.assertEqual(p.voice_settings_get(2, self.front).voicemail_max_ms, 30000)
        call = p.call_inbound("+442079460958", "+14155550100", "C1")  # V11: unknown caller
        p.call_feed(sb.CallEvent("failed", "L1", reason="busy"))
        p.call_feed(sb.CallEvent("failed", "L2"))
        self.assertIn("play C1 0 Leave a message.", c.take())
        p.call_feed(sb.CallEvent("played", "C1"))
        self.assertIn("record C1 30000", c.take())
        p.call_feed(sb.CallEvent("recorded", "C1", media_ref="https://media.example/vm.wav", duration_ms=9000))
        got = p.call_get(2, call)
        self.assertTrue(got.unknown_caller)
        self.assertEqual(got.outcome, "missed")
        p.voicemail_transcript(2, "C1", "Call me back")
        with self.assertRaises(sb.ConflictError):
            p.voicemail_transcript(2, "C1", "Something else")
        # The voicemail item leads back to its call (issue 24), and carries the caller's leg id.
        self.assertEqual(p.item_call(2, got.voicemail_item), call)
        self.assertEqual(p.item_get(2, got.voicemail_item).carrier_id, "C1")
        with self.assertRaises(sb.NotFoundError):
            p.item_call(2, 999)

    def test_outbound(self) -> None:
        p, c = self.p, self.carrier
        with self.assertRaises(sb.EmergencyError):
            p.call_dial(2, self.front, "911")
        with self.assertRaises(sb.PhoneNumberError):
            p.call_dial(2, self.front, "+44 20 7946 0958")
        call = p.call_dial(2, self.front, "(212) 555-0142")
        self.assertIn("originate L1 to=+16175550102 from=+14155550100", c.take())
        p.call_feed(sb.CallEvent("answered", "L1"))
        self.assertIn("originate L2 to=+12125550142 from=+14155550100", c.take())  # V1
        p.call_feed(sb.CallEvent("answered", "L2"))
        with self.assertRaises(sb.TransferError):
            p.call_feed(sb.CallEvent("digits", "L1", digits="*"))
        p.access_pool_set(1, ["6175550181"], 60000)
        a = p.call_reserve(3, self.front, "2125550142")
        self.assertEqual((a.number, a.from_phone), ("+16175550181", "+16175550103"))
        with self.assertRaises(sb.LimitError):
            p.call_reserve(3, self.front, "2125550142")
        with self.assertRaises(sb.PermissionDeniedError):
            p.call_inbound("+16175550102", a.number, "A1")
        self.assertEqual(p.call_inbound("+16175550103", a.number, "A1"), a.call_id)
        self.assertEqual(p.call_get(3, call).phase, "connected")

    def test_tree(self) -> None:
        p, c = self.p, self.carrier
        team = p.team_create(1, "Nurses")
        p.team_member_add(1, team, 3)
        with self.assertRaises(sb.TreeError):
            p.tree_save(1, "Broken", [sb.TreeNode("Press 1", (sb.TreeBranch("1", "menu", 4),))])
        tree = p.tree_save(1, "Main", [
            sb.TreeNode("For the nurses press 1.", (sb.TreeBranch("1", "team", team, True),
                                                    sb.TreeBranch("2", "menu", 1))),
            sb.TreeNode("For a message press 1.", (sb.TreeBranch("1", "voicemail"), sb.TreeBranch("9", "menu", 0)))])
        self.assertEqual(p.tree_get(2, tree).node_count, 2)
        self.assertEqual(p.tree_node_get(2, tree, 0).branches[0], sb.TreeBranch("1", "team", team, True))
        p.voice_settings_set(1, self.front, sb.VoiceSettings(tree_id=tree))
        call = p.call_inbound("+12125550142", "+14155550100", "C1")
        self.assertIn("play C1 0 For the nurses press 1.", c.take())
        p.call_feed(sb.CallEvent("digits", "C1", digits="21"))  # submenu, then voicemail
        self.assertEqual(p.call_get(2, call).phase, "greeting")
        with self.assertRaises(sb.StateError):
            p.tree_delete(1, tree)
