"""A small HTTP proxy in front of the real gateway that can lose answers, say 429 or answer late.

It lets the tests show what retries do against the real platform: the request is applied, the
answer is replaced by a 503 (as a gateway timeout would), and the client's retry must not apply
it twice.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, List, Optional

import urllib3

# What to do with request n (1-based): None = forward as is; "lose" = forward, then answer 503;
# "429" = answer 429 without forwarding; "slow" = wait SLOW_SECONDS, then forward.
Plan = Callable[[int], Optional[str]]

SLOW_SECONDS = 0.3


class Proxy:
    def __init__(self, target: str, plan: Plan) -> None:
        self.target = target.rstrip("/")
        self.plan = plan
        self.seen: List[dict] = []
        self._http = urllib3.PoolManager(retries=False)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})
                action = proxy.plan(len(proxy.seen))
                if action == "429":
                    self.send_response(429)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/problem+json")
                    payload = b'{"status":429,"error_code":"RATE_LIMITED","detail":"slow down"}'
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if action == "slow":
                    time.sleep(SLOW_SECONDS)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                r = proxy._http.request(self.command, proxy.target + self.path, body=body, headers=headers)
                if action == "lose":
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(r.status)
                for k, v in r.headers.items():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(r.data)))
                self.end_headers()
                self.wfile.write(r.data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
