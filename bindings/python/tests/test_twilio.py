"""The Twilio adapter from Python: webhooks signed by the official Twilio Node
SDK, REST to a loopback server of the test's own, and the adapter's TwiML
compared, parsed, with what the SDK's VoiceResponse builds for the same verbs."""
from __future__ import annotations

import base64
import gc
import json
import os
import subprocess
import tempfile
import threading
import unittest
import urllib.parse
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

import switchboard as sb

SDK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "twilio", "sdk.js")
SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "python-test-token-0123456789"
BASE = "https://clinic.example/twilio"
FRONT = "+14155550100"
C1 = "CA10000000000000000000000000000001"


def sdk(*args: str) -> str:
    try:
        return subprocess.run(["node", SDK, *args], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise AssertionError(f"the Twilio SDK did not run ({exc}): run `make deps-twilio`") from None


class FakeTwilio(BaseHTTPRequestHandler):
    """Twilio's REST API, as far as the adapter uses it."""
    requests: List[Dict[str, Any]] = []
    calls = 0

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        form = urllib.parse.parse_qs(body)
        FakeTwilio.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "form": form})
        if self.path.endswith("/Messages.json"):
            answer, status = {"sid": "SM%032d" % len(FakeTwilio.requests)}, 201
        elif self.path.endswith("/Calls.json"):
            FakeTwilio.calls += 1
            answer, status = {"sid": "CA%032d" % FakeTwilio.calls}, 201
        else:
            answer, status = {"sid": self.path.rsplit("/", 1)[1][:-5]}, 200
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def tree(xml: str) -> Any:
    """A TwiML document as comparable data: (tag, attributes, text, children)."""
    def walk(e: ET.Element) -> Any:
        return (e.tag, dict(e.attrib), (e.text or "").strip(), [walk(c) for c in e])
    return walk(ET.fromstring(xml.encode()))


class TwilioTest(unittest.TestCase):
    def setUp(self) -> None:
        FakeTwilio.requests, FakeTwilio.calls = [], 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.dir = tempfile.TemporaryDirectory()
        self.timers: List[str] = []
        test = self

        class Host:
            def timer_start(self, timer_id: str, due_ms: int) -> None:
                test.timers.append(timer_id)

            def timer_stop(self, timer_id: str) -> None:
                pass

        self.tw = sb.Twilio(SID, TOKEN, BASE, api_base="http://127.0.0.1:%d" % self.server.server_port,
                            timeout_ms=2000, host=Host())
        self.p = sb.Practice(os.path.join(self.dir.name, "store.db"), carrier=self.tw)
        admin = self.p.teammate_add(sb.ACTOR_SYSTEM, "Dr. Rivera", ring_numbers=["+16175550101"])
        nurse = self.p.teammate_add(sb.ACTOR_SYSTEM, "Sam", ring_numbers=["+16175550102"])
        self.front = self.p.business_number_create(admin, FRONT, "Front desk")
        self.p.endpoint_member_add(admin, self.front, nurse)
        self.p.endpoint_member_add(admin, self.front, admin)
        self.admin = admin

    def tearDown(self) -> None:
        self.p.close()
        self.tw.close()
        self.server.shutdown()
        self.server.server_close()
        gc.collect()
        self.dir.cleanup()

    def hook(self, route: str, fields: Dict[str, str]) -> sb.WebhookReply:
        url = BASE + route
        body = urllib.parse.urlencode(fields)
        return self.tw.webhook(self.p, url, body, sdk("sign", TOKEN, url, body))

    def test_inbound_text_signed_by_the_sdk(self) -> None:
        fields = {"MessageSid": "SM" + "1" * 32, "From": "+12125550142", "To": FRONT, "Body": "Running late",
                  "NumMedia": "0", "AccountSid": SID}
        r = self.hook("/sms", fields)
        self.assertEqual((r.status, r.kind, r.error), (200, "sms", None))
        self.assertTrue(r.delivery.new_conversation)
        self.assertEqual(self.p.item_get(self.admin, r.delivery.item_id).text, "Running late")
        again = self.hook("/sms", fields)
        self.assertTrue(again.delivery.duplicate)
        # One byte changed: refused, with its own error.
        url, body = BASE + "/sms", urllib.parse.urlencode(fields)
        sig = sdk("sign", TOKEN, url, body)
        bad = self.tw.webhook(self.p, url, body.replace("late", "lame"), sig)
        self.assertEqual(bad.status, 403)
        self.assertIsInstance(bad.error, sb.SignatureError)
        self.tw.verify(url, body, sig)
        with self.assertRaises(sb.SignatureError):
            self.tw.verify(url, body, None)
        with self.assertRaises(sb.TooBigError):
            self.tw.verify(url, b"a" * (sb.twilio.BODY_MAX + 1), sig)
        malformed = self.tw.webhook(self.p, url, "From=%zz", sig)
        self.assertEqual(malformed.status, 400)
        self.assertIsInstance(malformed.error, sb.WebhookError)
        unknown = self.hook("/sms/status", {"MessageSid": "SM9", "MessageStatus": "teleported"})
        self.assertIsInstance(unknown.error, sb.WebhookError)

    def test_send_goes_to_twilio(self) -> None:
        sent = self.p.sms_send(self.admin, "See you at 3.", endpoint_id=self.front, to="+12125550142")
        self.assertTrue(sent.carrier_id.startswith("SM"))
        req = FakeTwilio.requests[0]
        self.assertEqual(req["path"], f"/2010-04-01/Accounts/{SID}/Messages.json")
        self.assertEqual(req["auth"], "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode())
        self.assertEqual(req["form"]["Body"], ["See you at 3."])
        self.assertEqual(req["form"]["StatusCallback"], [BASE + "/sms/status"])
        r = self.hook("/sms/status", {"MessageSid": sent.carrier_id, "MessageStatus": "delivered"})
        self.assertTrue(r.applied)
        self.assertEqual(self.tw.last_error, sb.RestError(0, 0))
        with self.assertRaises(sb.InvalidArgumentError):
            sb.Twilio("AC1", TOKEN, BASE)

    def assert_same_twiml(self, adapter: str, verbs: List[Any]) -> None:
        self.assertEqual(tree(adapter), tree(sdk("twiml", json.dumps(verbs))))

    def test_twiml_matches_the_sdk(self) -> None:
        hold = "https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
        r = self.hook("/voice", {"CallSid": C1, "From": "+12125550142", "To": FRONT, "Direction": "inbound",
                                 "CallStatus": "ringing"})
        self.assertEqual((r.kind, r.content_type), ("call", "text/xml"))
        self.assert_same_twiml(r.body, [["play", {"loop": 0}, hold]])  # ringback
        self.assertEqual(len([q for q in FakeTwilio.requests if q["path"].endswith("/Calls.json")]), 2)
        self.assertEqual(len(self.timers), 1)

        leg = "CA%032d" % 2
        r = self.hook("/voice/answer", {"CallSid": leg, "CallStatus": "in-progress"})
        self.assert_same_twiml(r.body, [
            ["gather", {"input": "dtmf", "finishOnKey": "#", "timeout": 3, "action": BASE + "/voice/digits",
                        "method": "POST"},
             [["say", {}, "Call from 2 1 2, 5 5 5, 0 1 4 2. Press 1 to connect."]]],
            ["redirect", {"method": "POST"}, BASE + "/voice/played"]])

        r = self.hook("/voice/digits", {"CallSid": leg, "Digits": "1"})
        conf = f"sb-{C1}-{leg}"
        dial = ["dial", {"hangupOnStar": True, "method": "POST", "action": f"{BASE}/voice/star?conf={conf}"},
                [["conference", {"beep": False, "startConferenceOnEnter": True, "endConferenceOnExit": False,
                                 "waitUrl": ""}, conf]]]
        self.assert_same_twiml(r.body, [dial])
        caller = FakeTwilio.requests[-1]
        self.assertEqual(caller["path"], f"/2010-04-01/Accounts/{SID}/Calls/{C1}.json")
        self.assert_same_twiml(caller["form"]["Twiml"][0], [dial])

        r = self.hook(f"/voice/star?conf={conf}", {"CallSid": leg, "CallStatus": "in-progress"})
        self.assert_same_twiml(FakeTwilio.requests[-1]["form"]["Twiml"][0], [["play", {"loop": 0}, hold]])

        idle = self.hook("/voice/idle", {"CallSid": leg})
        self.assert_same_twiml(idle.body, [
            ["gather", {"input": "dtmf", "finishOnKey": "#", "timeout": 3, "action": BASE + "/voice/digits",
                        "method": "POST"}, [["pause", {"length": 55}, None]]],
            ["redirect", {"method": "POST"}, BASE + "/voice/idle"]])

        gone = self.hook("/voice/answer", {"CallSid": "CAnobody"})
        self.assert_same_twiml(gone.body, [["hangup", {}, None]])
        self.assertIsInstance(gone.error, sb.NotFoundError)
        rejected = self.hook("/voice", {"CallSid": "CA2", "From": "+12125550142", "To": "+14155550199"})
        self.assert_same_twiml(rejected.body, [["reject", {}, None]])

    def test_voicemail_record_matches_the_sdk(self) -> None:
        self.hook("/voice", {"CallSid": C1, "From": "+13125550177", "To": FRONT})
        for leg in ("CA%032d" % 1, "CA%032d" % 2):
            self.hook("/voice/status", {"CallSid": leg, "CallStatus": "no-answer"})
        r = self.hook("/voice/played", {"CallSid": C1})
        self.assert_same_twiml(r.body, [
            ["record", {"maxLength": 120, "playBeep": True, "finishOnKey": "#", "method": "POST",
                        "action": BASE + "/voice/recorded", "transcribe": True,
                        "transcribeCallback": BASE + "/voice/transcription"}, None],
            ["redirect", {"method": "POST"}, BASE + "/voice/recorded"]])


if __name__ == "__main__":
    unittest.main()
