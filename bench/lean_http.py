"""A minimal keep-alive HTTP/1.1 client for the latency benchmarks.

It costs about what a browser's fetch does (~0.3 ms a round trip to a do-nothing server on our VM),
where Python's `requests` costs ~2.7 ms: more than the lab's own work on a cache hit, which the
benchmark would then mostly be measuring. Only what the benchmarks send and gunicorn answers:
Content-Length or chunked bodies, one request at a time per connection, a pool per session.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Reply:
    status_code: int
    headers: dict[str, str]
    content: bytes

    def json(self):
        return json.loads(self.content)


class LeanSession:
    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        self._idle: list[socket.socket] = []
        self._lock = threading.Lock()

    def basic_auth(self, username: str, password: str) -> None:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self.headers["Authorization"] = f"Basic {token}"

    def post(self, path: str, body: dict) -> Reply:
        payload = json.dumps(body).encode()
        return self._exchange("POST", path, payload, {"Content-Type": "application/json"})

    def post_accepting(self, path: str, body: dict, accept: str) -> Reply:
        """A POST that asks for one answer format (the attention API's JSON or .npz)."""
        payload = json.dumps(body).encode()
        return self._exchange("POST", path, payload, {"Content-Type": "application/json", "Accept": accept})

    def get(self, path: str) -> Reply:
        return self._exchange("GET", path, b"", {})

    def close(self) -> None:
        with self._lock:
            for connection in self._idle:
                connection.close()
            self._idle.clear()

    def _exchange(self, method: str, path: str, payload: bytes, extra: dict[str, str]) -> Reply:
        head = [f"{method} {path} HTTP/1.1"]
        head += [f"{name}: {value}" for name, value in {**self.headers, **extra, "Content-Length": str(len(payload))}.items()]
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
        with self._lock:
            connection = self._idle.pop() if self._idle else None
        if connection is not None:
            try:
                return self._over(connection, request)
            except OSError:  # the server closed an idle keep-alive connection: a new one, as a browser does
                connection.close()
        connection = socket.create_connection((self.host, self.port), timeout=30)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._over(connection, request)

    def _over(self, connection: socket.socket, request: bytes) -> Reply:
        connection.sendall(request)
        reader = _Reader(connection)
        status_line, *header_lines = reader.until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            content = reader.exactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            content = reader.chunked()
        else:
            content = reader.rest()
        if headers.get("connection", "").lower() == "close" or not reader.clean:
            connection.close()
        else:
            with self._lock:
                self._idle.append(connection)
        return Reply(int(status_line.split()[1]), headers, content)


class _Reader:
    def __init__(self, connection: socket.socket) -> None:
        self.connection, self.buffer, self.clean = connection, bytearray(), True

    def _more(self) -> None:
        chunk = self.connection.recv(1 << 20)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._more()
        found = bytes(self.buffer[:end])
        del self.buffer[: end + len(marker)]
        return found

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._more()
        found = bytes(self.buffer[:size])
        del self.buffer[:size]
        self.clean = not self.buffer
        return found

    def chunked(self) -> bytes:
        body = bytearray()
        while size := int(self.until(b"\r\n").split(b";")[0], 16):
            body += self.exactly(size)
            self.until(b"\r\n")
        self.until(b"\r\n")
        self.clean = not self.buffer
        return bytes(body)

    def rest(self) -> bytes:
        self.clean = False
        try:
            while True:
                self._more()
        except ConnectionError:
            return bytes(self.buffer)
