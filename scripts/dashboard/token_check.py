"""The dashboard's token prompt in a real browser (API.md section 10): against a worker-demo started
with --api-tokens, the page asks for a token when the API answers 401, works with a write token,
keeps it in sessionStorage only (never localStorage, never the URL), sends it on every call and on
the event stream, and asks again in a new browser session. Run by scripts/test-dashboard-browser.sh.

Usage: token_check.py BASE WRITE_TOKEN
"""
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = sys.argv[1].rstrip("/")
TOKEN = sys.argv[2]
failures = []


def check(condition, message):
    print(("  ok: " if condition else "  not ok: ") + message)
    if not condition:
        failures.append(message)
    return condition


def wait_for(driver, predicate, timeout=15, what="condition"):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d))
    except Exception:
        check(False, "timed out waiting for " + what)
        return None


def new_browser():
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,800", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-extensions"]:
        options.add_argument(argument)
    if os.environ.get("CHROMIUM"):
        options.binary_location = os.environ["CHROMIUM"]
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "chromedriver")),
                              options=options)
    driver.set_page_load_timeout(20)
    return driver


def prompt_open(driver):
    return driver.execute_script("const d = document.getElementById('token-dialog'); return !!(d && d.open);")


def requests_sent(driver):
    """(url, Authorization header or None) of every request the page sent, from the DevTools log."""
    sent = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            request = message["params"]["request"]
            headers = {k.lower(): v for k, v in request.get("headers", {}).items()}
            sent.append((request["url"], headers.get("authorization")))
    return sent


# A task the page will list once it is let in.
request = urllib.request.Request(BASE + "/api/tasks", data=json.dumps({"type": "echo"}).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer " + TOKEN})
with urllib.request.urlopen(request, timeout=10) as response:
    check(response.status == 201, "a task created with the write token")

driver = new_browser()
try:
    driver.get(BASE + "/dashboard")
    check(wait_for(driver, prompt_open, what="the token prompt") is not None,
          "the page asks for a token when the API answers 401")
    driver.find_element(By.ID, "token-input").send_keys(TOKEN)
    driver.find_element(By.ID, "token-ok").click()
    wait_for(driver, lambda d: not prompt_open(d), what="the prompt to close")
    check(wait_for(driver, lambda d: d.execute_script(
        "const c = document.getElementById('count-completed') || document.getElementById('count-pending');"
        "return c && c.getAttribute('data-count') !== null && Number(c.getAttribute('data-count')) >= 0;"),
        what="the overview's counts") is not None, "with the token the overview loads")
    stored = driver.execute_script(
        "return [Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)), "
        "Object.keys(localStorage).map(k => localStorage.getItem(k)), location.href];")
    check(TOKEN in stored[0], "the token is kept in sessionStorage")
    check(TOKEN not in json.dumps(stored[1]) and TOKEN not in stored[2], "and not in localStorage or the URL")
    time.sleep(1.0)  # let the event stream (re)connect with the token
    sent = requests_sent(driver)
    api_calls = [(url, auth) for url, auth in sent if "/api/" in url and "/api/events" not in url]
    # The calls before the prompt went without a token (and got 401); from the first call with it
    # on, every call carries it.
    first = next((i for i, (_, auth) in enumerate(api_calls) if auth), None)
    check(first is not None and all(auth == "Bearer " + TOKEN for _, auth in api_calls[first:]),
          "API calls after the prompt carry the token (%d calls, %d with it)"
          % (len(api_calls), 0 if first is None else len(api_calls) - first))
    streams = [url for url, _ in sent if "/api/events" in url]
    check(any("access_token=" in url for url in streams),
          "the event stream is opened with ?access_token= (EventSource cannot set headers)")
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"
              and "favicon" not in e.get("message", "") and "401" not in e.get("message", "")]
    check(not errors, "no script errors (%s)" % errors[:2])
finally:
    driver.quit()

# A new browser session knows no token: it asks again.
driver = new_browser()
try:
    driver.get(BASE + "/dashboard")
    check(wait_for(driver, prompt_open, what="the token prompt in a new session") is not None,
          "a new browser session asks again")
finally:
    driver.quit()

print("token prompt: %d failed" % len(failures))
sys.exit(1 if failures else 0)
