#!/usr/bin/env python3
"""Connects to a running `setaside serve` on 127.0.0.1 as slow and idle clients do, and
reports what the server holds. Loopback only, every count bounded. Used by
scripts/probe-connections.sh, which starts the server with short timeouts."""
import http.client
import os
import resource
import selectors
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
PID = int(sys.argv[2])
TIMEOUT = float(sys.argv[3])      # the server's --request-timeout and --idle-timeout
CAP = int(sys.argv[4])            # the server's --max-connections
FLOOD = int(sys.argv[5]) if len(sys.argv) > 5 else 5000
ADDRESS = ("127.0.0.1", PORT)


class Watch(threading.Thread):
    """Asks /healthz every 0.5 s on a new connection and counts the server's open files."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.ok = self.failed = 0
        self.latencies = []
        self.most_fds = 0
        self.alive = True

    def run(self):
        while not self.stop.is_set():
            try:
                self.most_fds = max(self.most_fds, len(os.listdir(f"/proc/{PID}/fd")))
            except FileNotFoundError:
                self.alive = False
                return
            start = time.monotonic()
            try:
                c = http.client.HTTPConnection(*ADDRESS, timeout=3)
                c.request("GET", "/healthz")
                status = c.getresponse().status
                c.close()
                if status == 200:
                    self.ok += 1
                    self.latencies.append(time.monotonic() - start)
                else:
                    self.failed += 1
            except OSError:
                self.failed += 1
            self.stop.wait(0.5)

    def report(self):
        lat = sorted(self.latencies) or [0]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        return (f"/healthz {self.ok} ok, {self.failed} failed, p99 {p99 * 1000:.0f} ms; "
                f"server's open files at most {self.most_fds}")


def server_files():
    return len(os.listdir(f"/proc/{PID}/fd"))


def wait_server_files(target, limit):
    """Waits until the server has at most `target` open files; returns (seconds, files)."""
    start = time.monotonic()
    time.sleep(1)
    while server_files() > target and time.monotonic() - start < limit:
        time.sleep(0.2)
    return time.monotonic() - start, server_files()


def connect(n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(ADDRESS)
        socks.append(s)
    return socks


def wait_closed(socks, limit, trickle=None, every=1.0):
    """Waits until the server has closed every socket or `limit` seconds pass, sending
    `trickle` a byte at a time every `every` seconds; returns the seconds each took to
    be closed (None for those still open)."""
    sel = selectors.DefaultSelector()
    opened = time.monotonic()
    closed = {}
    for i, s in enumerate(socks):
        sel.register(s, selectors.EVENT_READ, i)
    sent = 0
    next_send = opened
    while len(closed) < len(socks) and time.monotonic() - opened < limit:
        now = time.monotonic()
        if trickle and now >= next_send and sent < len(trickle):
            for i, s in enumerate(socks):
                if i not in closed:
                    try:
                        s.send(trickle[sent:sent + 1])
                    except OSError:
                        pass
            sent += 1
            next_send = now + every
        for key, _ in sel.select(timeout=0.2):
            i = key.data
            try:
                data = socks[i].recv(4096)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if data == b"" and i not in closed:
                closed[i] = time.monotonic() - opened
                sel.unregister(socks[i])
            elif data:
                closed.setdefault(-1 - i, data)  # an answer where none was due
    for s in socks:
        s.close()
    answers = [k for k in closed if k < 0]
    return [closed.get(i) for i in range(len(socks))], len(answers)


def summary(name, times, answers):
    done = [t for t in times if t is not None]
    still = len(times) - len(done)
    worst = max(done) if done else 0
    return (f"{name}: {len(times)} connections, {len(done)} closed by the server "
            f"(the last after {worst:.1f} s), {still} open on the client's side, {answers} answered")


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    flood = min(FLOOD, hard - 200)
    watch = Watch()
    watch.start()
    results = []
    failures = []
    limit = TIMEOUT * 2 + 10

    # 1. Headers one byte a second.
    times, answers = wait_closed(connect(200), limit, trickle=b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200)
    results.append(summary("slow headers (one byte a second)", times, answers))
    if None in times or max(times) > TIMEOUT + 5:
        failures.append("slow headers were not all closed within the request timeout")

    # 2. A body of 45 bytes, one byte every two seconds.
    head = b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 45\r\n\r\n"
    socks = connect(20)
    time.sleep(0.5)
    for s in socks:
        try:
            s.send(head)
        except OSError:
            pass
    times, answers = wait_closed(socks, limit, trickle=b'{"login": "a", "password": "bbbbbbbbbbbbbbbb"}', every=2.0)
    results.append(summary("slow body (a byte every 2 s)", times, answers))
    if None in times or max(times) > TIMEOUT + 5:
        failures.append("slow bodies were not all closed within the request timeout")

    # 3. Idle sockets that send nothing.
    times, answers = wait_closed(connect(3000), limit)
    results.append(summary("idle sockets (nothing sent)", times, answers))
    if None in times:
        failures.append("idle sockets were left open past the request timeout")

    # 4. A kept-alive connection that goes quiet after one request.
    c = socket.create_connection(ADDRESS)
    c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    c.recv(4096)
    c.setblocking(False)
    times, answers = wait_closed([c], limit)
    results.append(summary("kept-alive and idle after a request", times, answers))
    if None in times:
        failures.append("an idle kept-alive connection was not closed")

    # 5. A flood of sockets, held. More than the listen queue holds at once: the kernel
    # drops the handshakes it has no room for, and a client socket can stay "connected"
    # to a connection the server never had. So what counts is what the server holds: its
    # open files, back to where they were once the timeouts have passed.
    before = server_files()
    socks = connect(flood)
    held = wait_server_files(before + 10, limit + 20)
    times, answers = wait_closed(socks, 1)
    never = sum(1 for t in times if t is None)
    results.append(f"flood of {flood} sockets: the server's open files back to {held[1]} (from {before}) "
                   f"after {held[0]:.1f} s; {answers} answered; {never} of the client's sockets never reached "
                   f"the server (handshakes dropped from the full listen queue)")
    if held[1] > before + 10:
        failures.append("the server still held the flood's connections after the timeouts")

    watch.stop.set()
    watch.join()
    results.append(watch.report())
    if not watch.alive:
        failures.append("the server died")
    if watch.failed > max(2, watch.ok // 20):
        failures.append("/healthz failed more than one time in twenty")
    if watch.most_fds > CAP + 200:
        failures.append(f"the server held {watch.most_fds} open files, above its cap of {CAP} connections")
    for line in results:
        print(line)
    for line in failures:
        print("FAILED:", line)
    sys.exit(1 if failures else 0)


main()
