#!/usr/bin/env python3
"""Asks a running `setaside serve` on 127.0.0.1 for /healthz and for a page of units
every 100 ms while scripts/probe-outage.sh stops and starts its database, and reports
how long requests took to fail and to work again. Arguments: port, token, and the
files the shell script touches when it stops (stopped) and starts (started) the database."""
import http.client
import os
import sys
import threading
import time

PORT, TOKEN, STOPPED, STARTED, SECONDS = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
log = []   # (time, path, status, seconds)


def ask(path, headers):
    start = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=70)
        c.request("GET", path, headers=headers)
        r = c.getresponse()
        r.read()
        status = r.status
        c.close()
    except OSError:
        status = 0
    log.append((start, path, status, time.monotonic() - start))


def loop(path, headers):
    end = time.monotonic() + SECONDS
    while time.monotonic() < end:
        threading.Thread(target=ask, args=(path, headers), daemon=True).start()
        time.sleep(0.1)


threads = [threading.Thread(target=loop, args=("/healthz", {})),
           threading.Thread(target=loop, args=("/api/v1/units", {"Authorization": "Bearer " + TOKEN}))]
for t in threads:
    t.start()
for t in threads:
    t.join()
time.sleep(2)


def mtime(path):
    return os.stat(path).st_mtime - time.time() + time.monotonic()


stopped, started = mtime(STOPPED), mtime(STARTED)
failures = []
for path in ("/healthz", "/api/v1/units"):
    rows = sorted(r for r in log if r[1] == path)
    down = [r for r in rows if r[0] >= stopped and r[0] < started]
    first_503 = next((r for r in rows if r[0] >= stopped and r[2] == 503), None)
    answered_503 = min((r[0] + r[3] for r in rows if r[0] >= stopped - 1 and r[2] == 503), default=None)
    slowest = max((r[3] for r in down), default=0)
    others = sorted({r[2] for r in down if r[2] != 503})
    back = next((r for r in rows if r[0] >= started and r[2] == 200), None)
    after = [r for r in rows if back and r[0] >= back[0]]
    errors_after = sum(1 for r in after if r[2] != 200)
    line = (f"{path}: first 503 answered {answered_503 - stopped:.2f} s after the database stopped; "
            if answered_503 else f"{path}: no 503; ")
    line += f"slowest answer while it was down {slowest:.2f} s"
    line += f", other statuses then {others}" if others else ""
    line += (f"; 200 again {back[0] + back[3] - started:.2f} s after it started, {errors_after} errors after that"
             if back else "; never 200 again")
    print(line)
    if not answered_503 or answered_503 - stopped > 3:
        failures.append(f"{path} did not answer 503 within 3 s of the outage")
    if slowest > 5:
        failures.append(f"{path} took {slowest:.1f} s to answer during the outage")
    if not back or back[0] + back[3] - started > 3:
        failures.append(f"{path} did not serve again within 3 s of the database's return")
for f in failures:
    print("FAILED:", f)
sys.exit(1 if failures else 0)
