"""The PromQL form: the same series read from a Prometheus API gives what the files give, and
the connection settings of chaosstat.Prometheus reach the server.

The server is a stand-in on 127.0.0.1 (http.server, standard library) that answers
/api/v1/query_range with the repository's CSV files, one per query text, cut to the
requested range; it records each request's headers. The command's own tests run it against
a real Prometheus (prom/promtest); here it is the Python arguments that are under test.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import shutil
import tempfile
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Tuple

import chaosstat

from . import support

M = "steadystate/monitor/testdata/"
C = "steadystate/criteria/testdata/"


def read_points(path: str) -> List[Tuple[float, str]]:
    with open(support.data(path), newline="") as f:
        return [(float(r["timestamp"]), r["value"]) for r in csv.DictReader(f)]


class FakePrometheus(BaseHTTPRequestHandler):
    series: Dict[str, List[Tuple[float, str]]] = {}
    requests: List[Dict[str, str]] = []

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.answer(urllib.parse.urlparse(self.path).query)

    def do_POST(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        self.answer(self.rfile.read(n).decode())

    def answer(self, query: str) -> None:
        form = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
        type(self).requests.append({"path": urllib.parse.urlparse(self.path).path, **dict(self.headers.items())})
        if urllib.parse.urlparse(self.path).path != "/api/v1/query_range":
            return self.reply(404, {"status": "error", "errorType": "not_found", "error": self.path})
        start, end = float(form["start"]), float(form["end"])
        points = [[t, v] for t, v in self.series.get(form["query"], []) if start <= t <= end]
        result = [{"metric": {"__name__": form["query"]}, "values": points}] if points else []
        self.reply(200, {"status": "success", "data": {"resultType": "matrix", "result": result}})

    def reply(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class TestPromQL(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        support.binary()
        FakePrometheus.series = {
            "control": read_points(M + "drop_control.csv"),
            "experiment": read_points(M + "drop_experiment.csv"),
            "satisfaction": read_points(C + "satisfaction.csv"),
            "good": read_points(C + "good.csv"),
        }
        cls.server = ThreadingHTTPServer(("127.0.0.1", 0), FakePrometheus)
        cls.url = f"http://127.0.0.1:{cls.server.server_address[1]}"
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.shutdown()
        cls.server.server_close()

    def setUp(self) -> None:
        FakePrometheus.requests = []
        support.chdir_root(self)

    def range_of(self, name: str) -> Tuple[int, int]:
        pts = FakePrometheus.series[name]
        return int(pts[0][0]), int(pts[-1][0])

    def test_compare_and_monitor(self) -> None:
        start, end = self.range_of("control")
        q = dict(prometheus=self.url, control_query="control", experiment_query="experiment", start=start, end=end, step="1m")
        self.assertEqual(chaosstat.compare(**q).to_dict(),
                         chaosstat.compare(M + "drop_control.csv", M + "drop_experiment.csv").to_dict())
        got = chaosstat.monitor(direction="decrease", **q)
        want = chaosstat.monitor(M + "drop_control.csv", M + "drop_experiment.csv", direction="decrease")
        self.assertEqual((got.exit_code, got.to_dict()), (want.exit_code, want.to_dict()))
        self.assertTrue(FakePrometheus.requests)

    def test_criteria(self) -> None:
        """satisfaction_query and metric_queries; a queried metric's measurability also
        reports the series returned, which a file's does not."""
        start, end = self.range_of("satisfaction")
        got = chaosstat.criteria(satisfaction_query="satisfaction", metric_queries={"good": "good"},
                                 prometheus=self.url, start=start, end=end, step="1m")
        want = chaosstat.criteria(C + "satisfaction.csv", {"good": C + "good.csv"})
        self.assertEqual(got.exit_code, want.exit_code)
        g, w = got.to_dict(), want.to_dict()
        self.assertEqual(g["metrics"][0]["measurability"].pop("series"), 1)
        for d in (g, w):
            for k in ("series", "query_samples"):
                d["metrics"][0]["measurability"].pop(k, None)
        self.assertEqual(g, w)

    def test_connection_settings(self) -> None:
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        (tmp / "token").write_text("s3cret-token\n")
        start, end = self.range_of("control")
        server = chaosstat.Prometheus(self.url, headers={"X-Scope-OrgID": "team-a"}, bearer_token_file=tmp / "token",
                                      timeout="10s", max_points=20)
        r = chaosstat.compare(prometheus=server, control_query="control", experiment_query="experiment",
                              start=start, end=end)
        self.assertEqual(r.exit_code, 1)
        self.assertGreaterEqual(len(FakePrometheus.requests), 6, "60 points at 20 per request: chunked")
        for h in FakePrometheus.requests:
            self.assertEqual(h.get("X-Scope-Orgid") or h.get("X-Scope-OrgID"), "team-a")
            self.assertEqual(h.get("Authorization"), "Bearer s3cret-token")
        self.assertNotIn("s3cret", " ".join(r.argv))

        r = chaosstat.compare(prometheus=chaosstat.Prometheus(self.url, max_response_bytes=10_000_000),
                              control_query="control", experiment_query="experiment", start=start, end=end)
        self.assertEqual(r.exit_code, 1)
        self.assertIn("--max-response-bytes 10000000", " ".join(r.argv))

        FakePrometheus.requests = []
        server = chaosstat.Prometheus(self.url, basic_auth_user="me", basic_auth_password="pa55")
        self.assertNotIn("pa55", repr(server))
        r = chaosstat.compare(prometheus=server, control_query="control", experiment_query="experiment",
                              start=start, end=end)
        want = "Basic " + base64.b64encode(b"me:pa55").decode()
        self.assertTrue(all(h.get("Authorization") == want for h in FakePrometheus.requests))
        self.assertNotIn("pa55", " ".join(r.argv))
        self.assertNotIn("CHAOSSTAT_PROMETHEUS_PASSWORD", os.environ, "the password is the command's alone")

    def test_no_series_is_inconclusive(self) -> None:
        start, end = self.range_of("control")
        r = chaosstat.compare(prometheus=self.url, control_query="nothing", experiment_query="experiment",
                              start=start, end=end)
        self.assertEqual(r.exit_code, 3)
        self.assertIn("nothing", r.stderr)

    def test_unreachable_server(self) -> None:
        with self.assertRaises(chaosstat.UsageError) as e:
            chaosstat.compare(prometheus=chaosstat.Prometheus("http://127.0.0.1:9", timeout="1s"),
                              control_query="up", experiment_query="up", start="now-10m")
        self.assertIn("127.0.0.1:9", str(e.exception))


if __name__ == "__main__":
    unittest.main()
