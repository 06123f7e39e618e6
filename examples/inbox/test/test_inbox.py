"""The web inbox in a real browser: headless Debian Chromium through
chromedriver (python3-selenium), against the inbox server started here on
loopback, on a fresh seeded store.

Environment: SB_INBOX_BIN (the built server), SB_ARTIFACTS (where the
screenshot goes). Skips, saying why, only when Chromium or chromedriver is
not installed."""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import http.cookiejar
import http.server
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import unittest
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "front desk demo"
DANA, ELI, FAY = "(415) 555-0171", "(415) 555-0172", "(415) 555-0173"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait
    HAVE_SELENIUM = True
except ImportError:
    HAVE_SELENIUM = False


def start_inbox(db: str, env: dict | None = None):
    """The server on a fresh store, and the base URL it printed."""
    binary = os.environ.get("SB_INBOX_BIN", "")
    if not os.access(binary, os.X_OK):
        raise RuntimeError("SB_INBOX_BIN must name the built inbox server")
    server = subprocess.Popen([binary, "-db", db, "-addr", "127.0.0.1:0", "-password", PASSWORD],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, **(env or {})})
    for line in server.stdout:
        m = re.match(r"inbox: (http://127\.0\.0\.1:\d+)/", line)
        if m:
            return server, m.group(1)
    server.kill()
    raise RuntimeError("the inbox server did not start")


def missing() -> str:
    if not HAVE_SELENIUM:
        return "python3-selenium is not installed"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (Debian packages chromium, chromium-driver)"
    return ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # keep 303s visible to the test
        return None


class Client:
    """A teammate's HTTP session without a browser: its own cookie jar."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path: str, form: dict | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            r = self.opener.open(self.base + path, data=data, timeout=15)
            return r.status, r.headers, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        m = re.search(r'name="csrf" value="([^"]+)"', body)
        assert m, path
        return m.group(1)

    def sign_in(self, login: str, password: str = PASSWORD):
        token = self.csrf("/signin")
        return self.request("/signin", {"csrf": token, "login": login, "password": password})

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def plant(self, name: str, value: str) -> None:
        host = urllib.parse.urlparse(self.base).hostname
        self.jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, host, False, False, "/", True,
                                                  False, None, False, None, None, {}))

    def multipart(self, path: str, fields: dict, file: tuple):
        """POST fields and one file (name, content type, bytes) as multipart/form-data."""
        boundary = "sb-test-boundary-7d1f"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        name, kind, data = file
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="{name}"\r\n'
                     f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(self.base + path, data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            return self.opener.open(req, timeout=15).status
        except urllib.error.HTTPError as e:
            return e.code

    def text_in(self, sender: str, body: str, to: str = "+14155550100") -> None:
        token = self.csrf("/demo")
        status, _, _ = self.request("/demo", {"csrf": token, "action": "text", "from": sender, "to": to,
                                              "body": body})
        assert status == 303, status


@unittest.skipIf(missing(), missing())
class InboxInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.dir = tempfile.mkdtemp(prefix="sb-inbox-")
        cls.db = os.path.join(cls.dir, "inbox.db")
        cls.server, cls.base = start_inbox(cls.db)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1360,860", "--no-first-run", "--disable-extensions",
                    f"--user-data-dir={cls.dir}/chromium"):
            options.add_argument(arg)
        cls.browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        cls.browser.set_page_load_timeout(30)
        # Generous: CI machines are noisy. The live page replaces nodes while a
        # condition reads them; Chromium 156 reports that as a generic "Node
        # with given id does not belong to the document" error, not a stale
        # element, so a condition's WebDriver errors mean "not yet": one that
        # lasts still fails the wait, at its timeout.
        cls.wait = WebDriverWait(cls.browser, 40, ignored_exceptions=(WebDriverException,))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.browser.quit()
        cls.server.terminate()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    # --- helpers ---

    def sql(self, query: str, *args):
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(query, args).fetchone()[0]
        finally:
            con.close()

    def browser_sign_in(self, login: str) -> None:
        b = self.browser
        b.delete_all_cookies()
        b.get(self.base + "/signin")
        b.find_element(By.ID, "login").send_keys(login)
        b.find_element(By.ID, "password").send_keys(PASSWORD)
        b.find_element(By.ID, "signin").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "nav")))

    def conversation_of(self, body: str) -> int:
        """The conversation whose timeline has this text (read from the page list)."""
        link = self.browser.find_element(By.XPATH, f"//a[.//span[contains(., {body!r})]]")
        return int(link.get_attribute("data-conversation"))

    def open_conversation(self, cid: int) -> None:
        self.browser.get(f"{self.base}/c/{cid}")
        self.wait.until(EC.presence_of_element_located((By.ID, "timeline")))

    # --- the front desk at work ---

    def test_front_desk_flow(self) -> None:
        b = self.browser
        self.browser_sign_in(DANA)
        b.get(self.base + "/mailbox/inbox")
        self.wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-live-ready") == "1")
        b.execute_script("window.__samePage = 'yes'")
        patient = Client(self.base)  # the simulated carrier, driven as another teammate
        self.assertEqual(patient.sign_in(ELI)[0], 303)
        patient.text_in("(415) 555-0144", "Running ten minutes late, sorry!")
        # Live: it appears in the shared inbox without a reload.
        # (by its number: after hours the practice's auto-reply becomes the preview)
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "list"), "(415) 555-0144"))
        self.assertEqual(b.execute_script("return window.__samePage"), "yes")
        self.assertIn("badge", b.find_element(By.ID, "nav").get_attribute("innerHTML"))
        cid = self.conversation_of("(415) 555-0144")
        # Reply.
        self.open_conversation(cid)
        b.find_element(By.ID, "reply").send_keys("No problem, see you soon.")
        b.find_element(By.ID, "send").click()
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "timeline"), "No problem, see you soon."))
        self.assertIn("No problem, see you soon.", patient.request("/demo")[2])  # the carrier was asked to send it
        # Assign to a team: it leaves the shared inbox for Front desk's mailbox.
        Select(b.find_element(By.ID, "assign-to")).select_by_visible_text("Team Front desk")
        b.find_element(By.ID, "assign").click()
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "timeline"), "assigned to Front desk"))
        b.get(self.base + "/mailbox/team/1")
        self.assertIn("(415) 555-0144", b.find_element(By.ID, "list").text)
        b.get(self.base + "/mailbox/inbox")
        self.assertNotIn("(415) 555-0144", b.find_element(By.ID, "list").text)
        # Close, then a new text from the patient reopens it.
        self.open_conversation(cid)
        b.find_element(By.ID, "close").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "reopen")))
        b.get(self.base + "/mailbox/closed")
        self.assertIn("No problem, see you soon.", b.find_element(By.ID, "list").text)
        patient.text_in("(415) 555-0144", "Actually, can we make it 3pm?")
        self.open_conversation(cid)
        self.assertIn("reopened", b.find_element(By.ID, "timeline").text)
        self.assertTrue(b.find_elements(By.ID, "close"))
        b.get(self.base + "/mailbox/closed")
        self.assertNotIn("(415) 555-0144", b.find_element(By.ID, "list").text)
        # The screenshot of the inbox, kept as the run's artifact.
        b.get(self.base + "/mailbox/inbox")
        self.wait.until(EC.text_to_be_present_in_element((By.ID, "list"), "(415) 555-0144"))
        out = os.environ.get("SB_ARTIFACTS") or os.path.join(self.dir, "artifacts")
        os.makedirs(out, exist_ok=True)
        shot = os.path.join(out, "inbox.png")
        self.assertTrue(b.save_screenshot(shot))
        self.assertGreater(os.path.getsize(shot), 10_000)
        print(f"\nscreenshot: {shot}")

    def test_non_member_cannot_open_by_url(self) -> None:
        """The billing line belongs to the Billing team: Eli is not in it."""
        billing = self.sql("SELECT c.id FROM sb_conversation c JOIN sb_endpoint e ON e.id = c.endpoint_id"
                           " WHERE e.address = '+14155550120' ORDER BY c.id LIMIT 1")
        denied = self.sql("SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'")
        self.browser_sign_in(ELI)
        self.browser.get(f"{self.base}/c/{billing}")
        self.assertEqual(self.browser.find_element(By.ID, "status").text, "403")
        self.assertNotIn("charged twice", self.browser.page_source)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM sb_audit WHERE action = 'access.denied'"), denied + 1)
        self.assertEqual(self.sql("SELECT actor FROM sb_audit WHERE action = 'access.denied' ORDER BY seq DESC"
                                  " LIMIT 1"), 2)
        # Fay, in Billing, may.
        fay = Client(self.base)
        fay.sign_in(FAY)
        status, _, body = fay.request(f"/c/{billing}")
        self.assertEqual(status, 200)
        self.assertIn("charged twice", body)
        # Eli's mailboxes do not list it either.
        self.browser.get(self.base + "/mailbox/inbox")
        self.assertNotIn("charged twice", self.browser.page_source)

    def test_message_body_is_inert(self) -> None:
        attack = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
        dana = Client(self.base)
        dana.sign_in(DANA)
        dana.text_in("(415) 555-0166", attack)
        self.browser_sign_in(DANA)
        self.browser.get(self.base + "/mailbox/inbox")
        cid = self.conversation_of("(415) 555-0166")
        self.open_conversation(cid)
        self.assertIsNone(self.browser.execute_script("return window.__xss"))
        self.assertIn("<script>window.__xss = 1</script>", self.browser.find_element(By.ID, "timeline").text)
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "#timeline img, #timeline script"), [])
        self.assertIn("&lt;script&gt;", dana.request(f"/c/{cid}")[2])

    def test_forged_csrf_is_refused(self) -> None:
        dana, eli = Client(self.base), Client(self.base)
        dana.sign_in(DANA)
        eli.sign_in(ELI)
        items = self.sql("SELECT COUNT(*) FROM sb_item WHERE conversation_id = 1")
        eli_token = eli.csrf("/mailbox/inbox")
        for token in ("", "forged", eli_token):  # none, made up, another session's
            status, _, body = dana.request("/c/1/note", {"csrf": token, "body": "forged note"})
            self.assertEqual(status, 403, token)
            self.assertIn("security token", body)
        status, _, _ = dana.request("/c/1/note", {"body": "no token at all"})
        self.assertEqual(status, 403)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM sb_item WHERE conversation_id = 1"), items)
        # The sign-in form has its own token too.
        stranger = Client(self.base)
        status, _, _ = stranger.request("/signin", {"csrf": "forged", "login": DANA, "password": PASSWORD})
        self.assertEqual(status, 403)
        # The real token works.
        status, _, _ = dana.request("/c/1/note", {"csrf": dana.csrf("/c/1"), "body": "a real note"})
        self.assertEqual(status, 303)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM sb_item WHERE conversation_id = 1"), items + 1)

    def test_session_fixation_and_cookie_flags(self) -> None:
        victim = Client(self.base)
        victim.plant("sb_session", "attacker-chosen-token")
        status, headers, _ = victim.sign_in(DANA)
        self.assertEqual(status, 303)
        issued = victim.cookie("sb_session")
        self.assertNotEqual(issued, "attacker-chosen-token")
        self.assertGreaterEqual(len(issued), 40)
        cookie = next(v for k, v in headers.items() if k.lower() == "set-cookie" and v.startswith("sb_session="))
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        attacker = Client(self.base)
        attacker.plant("sb_session", "attacker-chosen-token")
        status, headers, _ = attacker.request("/mailbox/inbox")
        self.assertEqual((status, headers["Location"]), (303, "/signin"))
        # Signing out ends the session on the server, not just in the browser.
        token = victim.csrf("/mailbox/inbox")
        self.assertEqual(victim.request("/signout", {"csrf": token})[0], 303)
        replay = Client(self.base)
        replay.plant("sb_session", issued)
        self.assertEqual(replay.request("/mailbox/inbox")[0], 303)
        # A wrong password says nothing about which part was wrong.
        status, _, body = Client(self.base).sign_in(DANA, "not the password")
        self.assertEqual(status, 401)
        self.assertIn("Wrong phone number or password.", body)

    def test_call_and_voicemail_in_the_timeline(self) -> None:
        dana = Client(self.base)
        dana.sign_in(DANA)
        token = dana.csrf("/demo")
        self.assertEqual(dana.request("/demo", {"csrf": token, "action": "ring", "from": "+14155550155",
                                                "to": "+14155550100"})[0], 303)
        leg = re.findall(r"(CAdemo\d+) \(415\) 555-0155", dana.request("/demo")[2])[-1]
        for action in ({"action": "played"}, {"action": "voicemail", "seconds": "14",
                                               "transcript": "Please call me back about my refill"}):
            self.assertEqual(dana.request("/demo", {"csrf": token, "leg": leg, **action})[0], 303)
        cid = self.sql("SELECT id FROM sb_conversation WHERE id = (SELECT MAX(conversation_id) FROM sb_item"
                       " WHERE kind = 4)")
        page = dana.request(f"/c/{cid}")[2]
        self.assertIn("Voicemail · 0:14", page)
        self.assertIn("Please call me back about my refill", page)
        self.assertRegex(page, r"Call from the patient · \d+:\d\d")

    def test_teammates_added_with_their_password_or_not_at_all(self) -> None:
        dana, eli = Client(self.base), Client(self.base)
        dana.sign_in(DANA)
        eli.sign_in(ELI)
        before = self.sql("SELECT COUNT(*) FROM sb_teammate")
        form = {"form": "add", "name": "Gus Hale", "login": "(415) 555-0174"}
        status, _, body = dana.request("/team", {"csrf": dana.csrf("/team"), **form, "password": "short"})
        self.assertEqual(status, 400)
        self.assertIn("at least 10 bytes", body)
        self.assertEqual(self.sql("SELECT COUNT(*) FROM sb_teammate"), before)
        status, _, _ = eli.request("/team", {"csrf": eli.csrf("/team"), **form, "password": "a long password"})
        self.assertEqual(status, 403)  # only admins add teammates (T1)
        status, _, _ = dana.request("/team", {"csrf": dana.csrf("/team"), **form, "password": "a long password"})
        self.assertEqual(status, 303)
        self.assertEqual(Client(self.base).sign_in("(415) 555-0174", "a long password")[0], 303)

    def test_attachments_download_only_for_those_who_may_see(self) -> None:
        dana, eli = Client(self.base), Client(self.base)
        dana.sign_in(DANA)
        eli.sign_in(ELI)
        evil = b"<script>alert(document.cookie)</script>"
        for line in ("+14155550100", "+14155550120"):
            status = dana.multipart("/demo", {"csrf": dana.csrf("/demo"), "action": "text", "from": "+14155550188",
                                              "to": line, "body": "my insurance card"},
                                    ("card.html", "text/html", evil))
            self.assertEqual(status, 303)
        ids = [self.sql("SELECT a.id FROM sb_attachment a JOIN sb_item i ON i.id = a.item_id JOIN sb_conversation c"
                        " ON c.id = i.conversation_id JOIN sb_endpoint e ON e.id = c.endpoint_id"
                        " WHERE e.address = ? ORDER BY a.id DESC LIMIT 1", line)
               for line in ("+14155550100", "+14155550120")]
        main_conversation = self.sql("SELECT conversation_id FROM sb_item i JOIN sb_attachment a ON a.item_id = i.id"
                                     " WHERE a.id = ?", ids[0])
        self.assertIn(f'href="/attachments/{ids[0]}"', eli.request(f"/c/{main_conversation}")[2])
        r = eli.opener.open(f"{self.base}/attachments/{ids[0]}", timeout=15)
        self.assertEqual(r.read(), evil)
        self.assertEqual(r.headers["Content-Type"], "application/octet-stream")
        self.assertTrue(r.headers["Content-Disposition"].startswith("attachment"))
        self.assertEqual(r.headers["Content-Security-Policy"], "sandbox")
        status, _, body = eli.request(f"/attachments/{ids[1]}")  # on the billing line: not Eli's to see
        self.assertEqual(status, 403)
        self.assertNotIn("alert(", body)

    def test_every_tool_page_works(self) -> None:
        dana = Client(self.base)
        dana.sign_in(DANA)

        def post(path: str, form: dict, page: str | None = None) -> str:
            status, headers, body = dana.request(path, {"csrf": dana.csrf(page or path), **form})
            self.assertEqual(status, 303, (path, body[-400:]))
            return headers["Location"]

        maria = re.search(r'href="/contact/(\d+)"', dana.request("/c/1")[2]).group(1)
        # Contacts: search, rename, tag.
        self.assertIn("Maria Lopez", dana.request("/contacts?q=Maria")[2])
        post(f"/contact/{maria}/save", {"name": "Maria L. Lopez"}, f"/contact/{maria}")
        post(f"/contact/{maria}/tag", {"name": "flu-recall"}, f"/contact/{maria}")
        card = dana.request(f"/contact/{maria}")[2]
        self.assertIn("Maria L. Lopez", card)
        self.assertIn("flu-recall", card)
        self.assertIn("(415) 555-0123", card)
        # A saved filter, then run.
        where = post("/filters", {"name": "Open on the main line", "mailbox": "any", "status": "open", "tag": ""})
        self.assertRegex(where, r"^/filters/\d+$")
        self.assertIn("Open on the main line", dana.request(where)[2])
        self.assertIn('href="/c/', dana.request(where)[2])
        # A bulk message to the tagged contacts: one copy, and the carrier was asked.
        tag = re.search(r'<option value="(\d+)">flu-recall</option>', dana.request("/bulk")[2]).group(1)
        post("/bulk", {"endpoint": "1", "tag": tag, "body": "Flu shots are in this week."})
        self.assertRegex(dana.request("/bulk")[2], r"<td>1</td><td>1</td><td>0</td>")  # 1 recipient, 1 queued
        self.assertIn("Flu shots are in this week.", dana.request("/demo")[2])
        # Business hours and the after-hours reply.
        post("/hours", {"endpoint": "1", "day1": "1", "day2": "1", "day3": "1", "open": "09:00", "close": "18:30",
                        "zone": "America/New_York"})
        post("/hours", {"form": "afterhours", "reply_on": "1", "reply": "We open at 9.", "alert_to": ""})
        hours = dana.request("/hours")[2]
        self.assertIn("Open 09:00–18:30 (America/New_York)", hours)
        self.assertIn("We open at 9.", hours)
        self.assertEqual(dana.request("/hours", {"csrf": dana.csrf("/hours"), "endpoint": "1", "open": "9am",
                                                 "close": "18:30", "zone": "America/New_York"})[0], 400)
        # A secure link with its QR code; an invitation sent from the card, then revoked.
        post("/links", {"label": "Billing chat", "slug": "billing-chat"})
        links = dana.request("/links")[2]
        self.assertIn("https://maple-street.example/s/billing-chat", links)
        link = re.findall(r'<img src="/links/(\d+)/qr.svg"', links)[-1]
        r = dana.opener.open(f"{self.base}/links/{link}/qr.svg", timeout=15)
        self.assertEqual(r.headers["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", r.read())
        post(f"/contact/{maria}/invite", {"link": link}, f"/contact/{maria}")
        card = dana.request(f"/contact/{maria}")[2]
        self.assertIn("pending", card)
        invitation = re.search(r'name="invitation" value="(\d+)"', card).group(1)
        post(f"/contact/{maria}/revoke", {"invitation": invitation}, f"/contact/{maria}")
        self.assertIn("revoked", dana.request(f"/contact/{maria}")[2])
        self.assertIn("/s/billing-chat?invite=", dana.request("/demo")[2])  # the invitation text went out
        # A teammate's own message for one invitation (seed 003).
        post(f"/contact/{maria}/invite", {"link": link, "message": "Hi Maria, here is our chat link."},
             f"/contact/{maria}")
        self.assertIn("Hi Maria, here is our chat link. https://maple-street.example/s/billing-chat?invite=",
                      html.unescape(dana.request("/demo")[2]))

    def test_attachment_paths_cannot_escape(self) -> None:
        dana = Client(self.base)
        dana.sign_in(DANA)
        for path in ("/attachments/../../../../etc/passwd", "/attachments/..%2F..%2F..%2Fetc%2Fpasswd",
                     "/attachments/%2e%2e/%2e%2e/etc/passwd", "/attachments/1%00.png", "/attachments/-1",
                     "/attachments/9999", "/static/../../../../etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd"):
            status, _, body = dana.request(path)
            self.assertNotEqual(status, 200, path)
            self.assertNotIn("root:", body, path)


class SignInThrottle(unittest.TestCase):
    """Ten wrong sign-ins from one address in ten minutes close the door to
    that address, whichever logins they tried (its own server: the tests
    above sign in from the same loopback address)."""

    def test_wrong_sign_ins_are_throttled_by_address(self) -> None:
        work = tempfile.mkdtemp(prefix="sb-inbox-throttle-")
        server, base = start_inbox(os.path.join(work, "inbox.db"))
        try:
            for i in range(10):
                status, _, _ = Client(base).sign_in(f"(415) 555-02{i:02d}", "a guess at it")
                self.assertEqual(status, 401, i)
            status, _, body = Client(base).sign_in(DANA)  # even the right password
            self.assertEqual(status, 429)
            self.assertIn("Too many wrong sign-ins from this address", body)
        finally:
            server.terminate()
            server.wait(timeout=10)
            shutil.rmtree(work, ignore_errors=True)


SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "12345678901234567890123456789012"


def twilio_signature(url: str, params: dict) -> str:
    """X-Twilio-Signature as Twilio computes it: HMAC-SHA1 of the URL and the
    sorted parameters, base64."""
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(AUTH_TOKEN.encode(), data.encode(), hashlib.sha1).digest()).decode()


class FakeTwilioAPI(http.server.BaseHTTPRequestHandler):
    """Loopback stand-in for api.twilio.com: takes any text the practice sends."""
    sent: list = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        FakeTwilioAPI.sent.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        body = b'{"sid": "SM' + b"%032d" % len(FakeTwilioAPI.sent) + b'", "status": "queued"}'
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class InboxOnTwilio(unittest.TestCase):
    """With Twilio configured, the server mounts the adapter's routes under
    /twilio/: a webhook signed as Twilio signs it becomes a text in the inbox,
    a forged one is refused; replies go out through the REST API."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.api = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilioAPI)
        threading.Thread(target=cls.api.serve_forever, daemon=True).start()
        cls.dir = tempfile.mkdtemp(prefix="sb-inbox-twilio-")
        cls.server, cls.base = start_inbox(os.path.join(cls.dir, "inbox.db"), {
            "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE": f"http://127.0.0.1:{cls.api.server_address[1]}"})

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.terminate()
        cls.server.wait(timeout=10)
        cls.api.shutdown()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def post_webhook(self, params: dict, signature: str):
        req = urllib.request.Request(self.base + "/twilio/sms", data=urllib.parse.urlencode(params).encode(),
                                     headers={"X-Twilio-Signature": signature,
                                              "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def test_signed_text_arrives_and_reply_goes_by_rest(self) -> None:
        params = {"AccountSid": SID, "MessageSid": "SM" + "a" * 32, "From": "+14155550177", "To": "+14155550100",
                  "Body": "Hello from a real phone", "NumMedia": "0"}
        status, body = self.post_webhook(params, "forged" + twilio_signature(self.base + "/twilio/sms", params)[6:])
        self.assertEqual(status, 403)
        self.assertNotIn("Hello from a real phone", body)
        self.assertEqual(self.post_webhook(params, "")[0], 403)
        status, _ = self.post_webhook(params, twilio_signature(self.base + "/twilio/sms", params))
        self.assertEqual(status, 200)
        # Redelivered: still one text.
        self.assertEqual(self.post_webhook(params, twilio_signature(self.base + "/twilio/sms", params))[0], 200)
        dana = Client(self.base)
        self.assertEqual(dana.sign_in(DANA)[0], 303)
        page = dana.request("/mailbox/inbox")[2]
        self.assertEqual(page.count('<span class="who">(415) 555-0177</span>'), 1)
        cid = int(re.search(r'href="/c/(\d+)" data-conversation="\d+">\s*<span class="who">\(415\) 555-0177', page)
                  .group(1))
        self.assertEqual(dana.request(f"/c/{cid}")[2].count("Hello from a real phone"), 1)  # stored once
        token = dana.csrf(f"/c/{cid}")
        self.assertEqual(dana.request(f"/c/{cid}/reply", {"csrf": token, "body": "We got it, thanks"})[0], 303)
        sent = [m for m in FakeTwilioAPI.sent if m.get("Body") == ["We got it, thanks"]]
        self.assertEqual(len(sent), 1)
        self.assertEqual((sent[0]["To"], sent[0]["From"]), (["+14155550177"], ["+14155550100"]))
        self.assertIn("This practice is on Twilio", dana.request("/demo")[2])


if __name__ == "__main__":
    unittest.main()
