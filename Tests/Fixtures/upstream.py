#!/usr/bin/env python3
"""A real upstream process for the gateway's fault tests, misbehaving on request.

Listens on 127.0.0.1 (port from argv[1], 0 = any), prints "PORT <n>" once listening, and serves:
  GET  /ok              200 "ok"
  *    /echo            200 JSON of the request line, headers and body it received
  GET  /hang            accepts the request and never answers
  GET  /close-mid?n=N&sent=S  promises N bytes (100000), sends S (1000), then closes the connection
  GET  /split?n=N       N bytes of 's' with a length, the head and each half of the body 50 ms apart
  GET  /whole?n=N       N bytes of 'w' with a length, head and body in one send
  GET  /close-early     closes the connection without answering
  GET  /ambiguous-length  200 with both Content-Length and Transfer-Encoding (a smuggling shape)
  GET  /connection-names-length  200 "hello" whose Connection header names Content-Length
  POST /early-413       answers 413 at once without reading the body
  GET  /big?n=N         N bytes of 'y'
  *    /status/NNN      answers with status NNN
  GET  /chunked?n=N     N bytes of 'c' in chunks of up to 1000, no Content-Length (HEAD: head only)
  *    /no-content      204 with no body and no Content-Length
  *    /flaky           200 "ok", unless a control rule below says otherwise; every call is counted
  POST /control/fail?n=N&status=S   the next N calls to /flaky answer status S (default 503)
  POST /control/hang?n=N            the next N calls to /flaky never answer
  GET  /control/calls               {"flaky": calls to /flaky so far}
"""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs, unquote


STATE_LOCK = threading.Lock()
STATE = {"calls": 0, "fail": 0, "status": 503, "hang": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        # One line per request received, so tests can tell what reached the upstream.
        print("REQ " + getattr(self, "requestline", ""), flush=True)

    def _send(self, status, body, content_type="text/plain"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Server", "fixture/1.0")
        self.end_headers()
        self.wfile.write(data)

    def _drain_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length)
        body = b""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                body += self.rfile.read(size + 2)[:size]
                if size == 0:
                    break
        return body

    def handle_any(self):
        url = urlparse(self.path)
        path = url.path
        if unquote(path) == "/echo":
            path = "/echo"  # decodes percent-escapes, as most servers do (routing-path tests)
        if path == "/early-413":
            self.close_connection = True
            self._send(413, "too big for me")
            return
        body = self._drain_body()
        query = parse_qs(url.query)
        if path == "/control/fail":
            with STATE_LOCK:
                STATE["fail"] = int(query.get("n", ["1"])[0])
                STATE["status"] = int(query.get("status", ["503"])[0])
            self._send(200, "armed")
        elif path == "/control/hang":
            with STATE_LOCK:
                STATE["hang"] = int(query.get("n", ["1"])[0])
            self._send(200, "armed")
        elif path == "/control/calls":
            with STATE_LOCK:
                self._send(200, json.dumps({"flaky": STATE["calls"]}), "application/json")
        elif path == "/flaky":
            with STATE_LOCK:
                STATE["calls"] += 1
                if STATE["hang"] > 0:
                    STATE["hang"] -= 1
                    action = "hang"
                elif STATE["fail"] > 0:
                    STATE["fail"] -= 1
                    action = STATE["status"]
                else:
                    action = 200
            if action == "hang":
                time.sleep(3600)
            elif action == 200:
                # ?echo=1 answers with the body received, to check what a retry resent.
                self._send(200, body.decode("utf-8", "replace") if query.get("echo") else "ok")
            else:
                self._send(action, "failing on purpose")
        elif path == "/ok":
            self._send(200, "ok")
        elif path == "/echo":
            self._send(200, json.dumps({
                "method": self.command, "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
            }), "application/json")
        elif path == "/hang":
            time.sleep(3600)
        elif path == "/close-mid":
            params = parse_qs(url.query)
            self.send_response(200)
            self.send_header("Content-Length", params.get("n", ["100000"])[0])
            self.end_headers()
            self.wfile.write(b"z" * int(params.get("sent", ["1000"])[0]))
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif path == "/split":
            n = int(parse_qs(url.query).get("n", ["0"])[0])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            self.wfile.flush()
            for part in (b"s" * (n // 2), b"s" * (n - n // 2)):
                time.sleep(0.05)
                self.wfile.write(part)
                self.wfile.flush()
        elif path == "/whole":
            n = int(parse_qs(url.query).get("n", ["0"])[0])
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % n + b"w" * n)
            self.wfile.flush()
        elif path == "/close-early":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif path == "/ambiguous-length":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                             b"5\r\nhello\r\n0\r\n\r\n")
            self.wfile.flush()
            self.close_connection = True
        elif path == "/connection-names-length":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\nhello")
            self.wfile.flush()
            self.close_connection = True
        elif path == "/big":
            n = int(parse_qs(url.query).get("n", ["0"])[0])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            chunk = b"y" * 65536
            left = n
            while left > 0:
                self.wfile.write(chunk[:min(left, len(chunk))])
                left -= min(left, len(chunk))
        elif path == "/chunked":
            n = int(parse_qs(url.query).get("n", ["0"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            if self.command != "HEAD":
                left = n
                while left > 0:
                    size = min(left, 1000)
                    self.wfile.write(b"%x\r\n" % size + b"c" * size + b"\r\n")
                    left -= size
                self.wfile.write(b"0\r\n\r\n")
        elif path == "/no-content":
            self.send_response(204)
            self.end_headers()
        elif path.startswith("/status/"):
            self._send(int(path.split("/")[2]), "status")
        else:
            self._send(404, "no such fixture route")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"PORT {server.server_address[1]}", flush=True)
    # Exit when the test that started us goes away (stdin closes).
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
