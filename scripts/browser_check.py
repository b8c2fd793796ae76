#!/usr/bin/env python3
"""Drives a real headless Chromium through setaside's pages, as a clerk and an inspector.

    scripts/browser_check.py --base http://127.0.0.1:8183 --unit CODE --year 2024 \
        --origin 平鲁区 --clerk LOGIN:PASSWORD --inspector LOGIN:PASSWORD --region 140000 --out FOLDER

Started by scripts/browser-check.sh, which sets up the server and the accounts. Talks to
Chromium over its DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
ended by a NUL byte, commands on the browser's fd 3, answers and events on its fd 4), so
it needs nothing but Python's standard library. Each step loads or submits a page the way
a person would (typing into the fields, choosing a file, pressing the buttons), saves a
screenshot in FOLDER, and checks what the page shows; the first step that does not show
what it should stops the run with exit status 1, naming the step and what was missing.
"""
import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class StepFailed(Exception):
    pass


class Browser:
    """One headless Chromium with one tab, driven over the DevTools pipe."""

    def __init__(self, executable, width, height):
        self.profile = tempfile.mkdtemp(prefix="setaside-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        # The browser reads commands on fd 3 and writes on fd 4: move the pipe ends there in
        # the child (by way of high numbers, so the two moves cannot overwrite each other).
        high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 20)
        high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 21)

        def pipes_at_3_and_4():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "--lang=zh-CN", "--accept-lang=zh-CN,zh",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # Not closing the parent's descriptors is safe: Python opens them all
            # close-on-exec; only 3 and 4, made inheritable above, reach the browser.
            preexec_fn=pipes_at_3_and_4, close_fds=False)
        for fd in (to_browser_r, from_browser_w, high_r, high_w):
            os.close(fd)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "DOM"):
            self.call(f"{domain}.enable", session=True)
        self.resize(width, height)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StepFailed("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise StepFailed("Chromium closed its DevTools pipe (did it start? is it installed?)")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=False, timeout=30):
        """Sends a command and waits for its answer, keeping the events that come meanwhile."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise StepFailed(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def wait_for_event(self, name, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == name:
                    del self.events[: index + 1]
                    return event
            self.events.clear()
            answer = self._read_message(deadline)
            if "method" in answer:
                self.events.append(answer)

    def resize(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}, session=True)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           session=True)
        if "exceptionDetails" in result:
            raise StepFailed(f"the page's script failed: {result['exceptionDetails'].get('text')} in {expression[:80]}")
        return result.get("result", {}).get("value")

    def goto(self, url):
        self.events.clear()
        answer = self.call("Page.navigate", {"url": url}, session=True)
        if answer.get("errorText"):
            raise StepFailed(f"{url} did not load: {answer['errorText']}")
        self.wait_for_event("Page.loadEventFired")

    def type_into(self, selector, text):
        """Focuses a field, clears it and types `text` into it as keystrokes would. A date
        field (type=date) is set as its date picker sets it: its segments take typing in
        the order of the browser's locale."""
        kind = self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e) return null; e.focus(); if (e.type === 'date') return 'date';
            e.select && e.select(); e.value = ''; return 'text'; }})()""")
        if kind is None:
            raise StepFailed(f"no field {selector} on {self.url()}")
        if kind == "date":
            if not self.evaluate(f"""(() => {{ const e = document.activeElement; e.value = {json.dumps(text)};
                e.dispatchEvent(new Event('input', {{bubbles: true}})); e.dispatchEvent(new Event('change', {{bubbles: true}}));
                return e.value === {json.dumps(text)}; }})()"""):
                raise StepFailed(f"the date field {selector} does not take {text}")
            return
        self.call("Input.insertText", {"text": text}, session=True)

    def choose(self, selector, value):
        if not self.evaluate(f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
            if (!e || ![...e.options].some(o => o.value === {json.dumps(value)})) return false;
            e.value = {json.dumps(value)}; e.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"""):
            raise StepFailed(f"no choice {value} in {selector} on {self.url()}")

    def set_file(self, selector, path):
        root = self.call("DOM.getDocument", {"depth": 0}, session=True)["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector}, session=True).get("nodeId")
        if not node:
            raise StepFailed(f"no file field {selector} on {self.url()}")
        self.call("DOM.setFileInputFiles", {"files": [path], "nodeId": node}, session=True)

    def press(self, selector):
        """Presses a button from the keyboard: focuses it and sends Enter, as someone
        without a mouse would (a page that needs a pointer fails here)."""
        self.events.clear()
        if not self.evaluate(f"""(() => {{ const b = document.querySelector({json.dumps(selector)});
            if (!b) return false; b.focus(); return document.activeElement === b; }})()"""):
            raise StepFailed(f"no button {selector} that takes the focus on {self.url()}")
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
                                                 **({"text": "\r"} if kind == "keyDown" else {})}, session=True)
        self.wait_for_event("Page.loadEventFired")

    def url(self):
        return self.evaluate("location.href")

    def text(self):
        return self.evaluate("document.body.innerText") or ""

    def count(self, selector):
        return self.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length")

    def screenshot(self, path):
        height = self.evaluate("Math.ceil(document.documentElement.scrollHeight)") or 768
        shot = self.call("Page.captureScreenshot",
                         {"format": "png", "captureBeyondViewport": True,
                          "clip": {"x": 0, "y": 0, "width": self.evaluate("window.innerWidth"),
                                   "height": min(height, 6000), "scale": 1}}, session=True)
        with open(path, "wb") as file:
            file.write(base64.b64decode(shot["data"]))


class Run:
    """The steps, each a screenshot and its checks."""

    def __init__(self, browser, out):
        self.browser = browser
        self.out = out
        self.number = 0

    def step(self, name, *checks):
        """Saves a screenshot named after the step, then runs the checks (callables that
        return None or what is wrong)."""
        self.number += 1
        path = os.path.join(self.out, f"{self.number:02d}-{name}.png")
        self.browser.screenshot(path)
        for check in checks:
            problem = check()
            if problem:
                raise StepFailed(f"step {self.number} ({name}, {self.browser.url()}): {problem}; see {path}")
        print(f"  ok  {self.number:02d} {name}")

    def shows(self, *texts):
        def check():
            body = self.browser.text()
            missing = [t for t in texts if t not in body]
            return f"the page does not show {missing}" if missing else None
        return check

    def lacks(self, *texts):
        def check():
            body = self.browser.text()
            present = [t for t in texts if t in body]
            return f"the page shows {present}" if present else None
        return check

    def has(self, selector, at_least=1):
        def check():
            found = self.browser.count(selector)
            return None if found >= at_least else f"{found} of {selector} (expected at least {at_least})"
        return check

    def at(self, fragment):
        def check():
            url = self.browser.url()
            return None if fragment in url else f"the address is {url}, not one with {fragment}"
        return check

    def value(self, selector, expected):
        def check():
            actual = self.browser.evaluate(f"document.querySelector({json.dumps(selector)})?.value")
            return None if actual == expected else f"{selector} holds {actual!r}, not {expected!r}"
        return check


def sign_in(browser, base, credentials):
    login, password = credentials.split(":", 1)
    browser.goto(f"{base}/sign-in")
    browser.type_into("#login", login)
    browser.type_into("#password", password)
    browser.press("form[action='/sign-in'] button[type=submit]")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--unit", required=True, help="the clerk's unit (credit code)")
    parser.add_argument("--year", required=True)
    parser.add_argument("--origin", required=True, help="a poverty-relieved county's name, as 832 exports write it")
    parser.add_argument("--origin-code", required=True, help="the same county's code, as a clerk types it")
    parser.add_argument("--clerk", required=True, help="LOGIN:PASSWORD")
    parser.add_argument("--inspector", required=True, help="LOGIN:PASSWORD")
    parser.add_argument("--region", required=True, help="the inspector's region code")
    parser.add_argument("--out", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    base, unit, year = args.base.rstrip("/"), args.unit, args.year

    browser = Browser(args.chromium, 1366, 768)
    run = Run(browser, args.out)
    try:
        # Signing in: a wrong password first, then the clerk's.
        browser.goto(f"{base}/sign-in")
        run.step("sign-in", run.shows("登录"), run.has("input#login"), run.has("input#password[type=password]"))
        login = args.clerk.split(":", 1)[0]
        sign_in(browser, base, f"{login}:not the password")
        run.step("sign-in-refused", run.has("[role=alert]"), run.at("/sign-in"), run.value("#login", login))
        sign_in(browser, base, args.clerk)
        run.step("clerk-home", run.at(f"/units/{unit}"), run.shows("退出"))

        # The dashboard of the demo's year: a bar per rule, the declaration's state.
        browser.goto(f"{base}/units/{unit}?year={year}")
        run.step("clerk-dashboard", run.has("li.rule", 1), run.has("svg.bar[role=progressbar]", 1),
                 run.has(".declaration .badge"), run.shows("申报", "应达"))
        browser.resize(390, 844)
        browser.goto(f"{base}/units/{unit}?year={year}")
        run.step("clerk-dashboard-phone", run.has("li.rule", 1),
                 lambda: None if browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
                 else "the page is wider than a phone's screen")
        browser.resize(1366, 768)

        # The declaration: a wrong amount is marked and kept, then a good one is stored.
        browser.goto(f"{base}/units/{unit}/declaration?year={year}")
        run.step("declaration-form", run.has("form[action*='/declaration'] #reserved_amount"),
                 run.has("#canteen_mode"), run.has("#has_canteen"))
        browser.type_into("#canteen_food_total", "120,000.00")
        browser.type_into("#reserved_amount", "-5")
        browser.press("form[action*='/declaration?'] button[type=submit]")
        run.step("declaration-error", run.has("#reserved_amount-error"), run.value("#reserved_amount", "-5"),
                 run.has("#reserved_amount[aria-invalid=true]"))
        browser.type_into("#reserved_amount", "12,000.00")
        browser.press("form[action*='/declaration?'] button[type=submit]")
        run.step("declaration-stored", run.shows("申报已保存"), run.lacks("此项有误"),
                 run.value("#reserved_amount", "12000.00"))

        # A purchase typed wrong, then right.
        browser.goto(f"{base}/units/{unit}/purchases?year={year}")
        run.step("purchases", run.has("form[action*='/purchases?year='] #order_no"), run.has("table tbody tr", 1))
        browser.type_into("#order_no", "BROWSER-1")
        browser.type_into("#order_date", f"{year}-07-01")
        browser.choose("#channel", "platform832")
        browser.choose("#category", "canteenFood")
        browser.type_into("#origin_code", "14")
        browser.type_into("#amount", "12a4.50")
        browser.press("form[action*='/purchases?year='] button[type=submit]")
        run.step("purchase-error", run.has("#amount-error"), run.has("#origin_code-error"), run.lacks("the date is empty"),
                 run.shows("“12a4.50”不是以元为单位的金额", "“14”有 2 个字符"), run.lacks("is not an amount in yuan"),
                 run.value("#order_no", "BROWSER-1"), run.value("#amount", "12a4.50"))
        browser.type_into("#origin_code", args.origin_code)
        browser.type_into("#amount", "1,234.50")
        browser.press("form[action*='/purchases?year='] button[type=submit]")
        run.step("purchase-stored", run.shows("已保存订单 BROWSER-1"), run.lacks("此项有误"))

        # An 832 export: checked by a dry run (nothing stored), then imported on confirmation.
        export = os.path.join(args.out, "832订单.csv")
        with open(export, "w", encoding="utf-8-sig") as file:
            file.write("订单编号,下单时间,店铺名称,产地,实付金额,订单状态\n")
            file.write(f"BROWSER-832-1,{year}-06-01,示范合作社,{args.origin},2,345.60,交易成功\n".replace(",2,345.60,", ',"2,345.60",'))
            file.write(f"BROWSER-832-2,{year}-06-02,示范合作社,{args.origin},33.30,待付款\n")
        browser.goto(f"{base}/units/{unit}/upload")
        run.step("upload-form", run.has("form[enctype='multipart/form-data'] input#file[type=file]"), run.has("#kind"))
        browser.choose("#kind", "orders832")
        browser.set_file("#file", export)
        browser.press("form[enctype='multipart/form-data'] button[type=submit]")
        run.step("upload-dry-run", run.shows("检查结果", "将新增"), run.has("form[action*='/upload/'] button"),
                 lambda: None if browser.evaluate("[...document.querySelectorAll('dd')].some(d => d.innerText.trim() === '2')")
                 else "the dry run does not count the export's 2 orders")
        browser.press("form[action*='/upload/'] button[type=submit]")
        run.step("upload-imported", run.shows("导入完成"))
        browser.goto(f"{base}/units/{unit}/purchases?year={year}")
        run.step("purchases-after-upload", run.shows("BROWSER-832-1", "BROWSER-832-2", "BROWSER-1"))

        # Signing out, and the inspector's region.
        browser.press("form[action='/sign-out'] button[type=submit]")
        run.step("signed-out", run.at("/sign-in"))
        sign_in(browser, base, args.inspector)
        run.step("inspector-home", run.at(f"/regions/{args.region}"))
        browser.goto(f"{base}/regions/{args.region}?year={year}")
        run.step("inspector-overview", run.shows("地区概况"), run.has("table tbody tr", 100), run.lacks("中华人民共和国"),
                 run.has(f"a[href*='/units/{unit}']"))
        browser.goto(f"{base}/regions/{args.region}?year={year}&filter=short&sort=shortfall")
        run.step("inspector-overview-short", run.has("table tbody tr", 1))
        browser.goto(f"{base}/regions/{args.region}/notice?year={year}")
        run.step("inspector-notice", run.shows("通报"), run.has(f"a[href*='/regions/{args.region}/assessment.xlsx']"))
        browser.goto(f"{base}/units/{unit}/purchases?year={year}")
        run.step("inspector-unit-purchases", run.shows("BROWSER-1"), run.lacks("已保存订单"),
                 lambda: None if browser.count("form[action*='/purchases?year='] #order_no") == 0
                 else "an inspector is offered the purchase form")
    except StepFailed as failure:
        print(f"FAILED {failure}", file=sys.stderr)
        sys.exit(1)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
