"""The dashboard in a real browser (headless Chromium driven by Selenium through chromium-driver).

Run by scripts/test-dashboard-browser.sh against a running `worker-demo serve`; see that script.
Checks what issue 16 asks of the dashboard: no request leaves the origin, tasks created through
the API appear without a reload, filtering, selecting all failed tasks and retrying them, pausing
a queue, watching a task's progress move, and creating a cron job after an invalid and then a
valid expression. Saves a screenshot of every view (1280x800, plus phone width) into SHOTS.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

BASE = sys.argv[1].rstrip("/")          # http://127.0.0.1:PORT (the worker port)
SHOTS = sys.argv[2]                      # directory for screenshots
os.makedirs(SHOTS, exist_ok=True)
failures = []
notes = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("  not ok:", message)
    else:
        print("  ok:", message)
    return condition


def rest(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text


def wait_for(driver, predicate, timeout=15, what="condition"):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d))
    except Exception:
        failures.append("timed out waiting for " + what)
        print("  not ok: timed out waiting for", what)
        return None


def js(driver, code, *args):
    """Evaluates `code` (a function body) in the page: no stale element references."""
    return driver.execute_script(code, *args)


def viewport(driver, width, height, mobile=False):
    """Makes the page's viewport exactly width x height CSS pixels (what the screenshots show)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def click(driver, selector):
    """Clicks by script: the page may redraw a list between finding an element and clicking it."""
    driver.execute_script("document.querySelector(arguments[0]).click();", selector)


def shot(driver, name):
    path = os.path.join(SHOTS, name + ".png")
    driver.save_screenshot(path)
    print("  screenshot", path)


options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 "--window-size=1280,800", "--hide-scrollbars", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--metrics-recording-only"]:
    options.add_argument(argument)
if os.environ.get("CHROMIUM"):
    options.binary_location = os.environ["CHROMIUM"]
options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
service = Service(executable_path=os.environ.get("CHROMEDRIVER", "chromedriver"))
driver = webdriver.Chrome(service=service, options=options)
driver.set_window_size(1280, 800)
driver.set_page_load_timeout(20)
viewport(driver, 1280, 800)

try:
    # Some tasks before the page opens: completed ones for the chart, failed ones to retry.
    for index in range(4):
        rest("POST", "/api/tasks", {"type": "echo", "payload": {"n": index, "to": "ops@example.com"}})
    failed_ids = []
    for index in range(3):
        status, task = rest("POST", "/api/tasks", {"type": "fail", "payload": {"n": index}, "maxAttempts": 1})
        failed_ids.append(task["id"])
    _, job = rest("POST", "/api/jobs", {"name": "Nightly backup", "type": "backup", "schedule": "0 3 * * *",
                                        "timezone": "Europe/Berlin"})
    deadline = time.time() + 15
    while time.time() < deadline:
        _, summary = rest("GET", "/api/tasks/stats/summary")
        if summary["failed"] >= 3 and summary["completed"] >= 4:
            break
        time.sleep(0.1)

    print("overview")
    started = time.time()
    driver.get(BASE + "/dashboard")
    wait_for(driver, lambda d: d.find_elements(By.ID, "count-failed"), what="the overview's counts")
    load_ms = driver.execute_script(
        "const t = performance.getEntriesByType('navigation')[0]; return t ? t.responseEnd - t.startTime : -1;")
    notes.append("dashboard document fetched in %.1f ms (browser navigation timing)" % load_ms)
    check(0 <= load_ms < 200, "the page's document arrives in under 200 ms (%.1f ms)" % load_ms)
    check(driver.find_element(By.ID, "count-failed").get_attribute("data-count") == "3",
          "the overview counts 3 failed tasks")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#throughput polyline"), what="the throughput chart")
    driver.execute_script("window.__noReload = true;")
    shot(driver, "overview")

    print("tasks appear without a reload")
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=tasks]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#task-table tr[data-id]"), what="the task list")
    _, fresh = rest("POST", "/api/tasks", {"type": "sleep", "payload": {"ms": 200, "label": "fresh"}})
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#task-table tr[data-id="%s"]' % fresh["id"]),
             what="task %s to appear in the list" % fresh["id"])
    check(driver.execute_script("return window.__noReload === true;"), "the new task appeared without a reload")

    print("filter by status and payload")
    click(driver, "#filter-status-failed")
    click(driver, "#filter-apply")
    wait_for(driver, lambda d: js(d, "const n = document.getElementById('task-total'); return n && n.dataset.total;") == "3",
             what="the failed filter to match 3 tasks")
    statuses = set(js(driver, "return [...document.querySelectorAll('#task-table tr[data-id]')].map((r) => r.dataset.status);"))
    check(statuses == {"failed"}, "the filtered list shows only failed tasks (%s)" % sorted(statuses))
    shot(driver, "tasks")

    print("select all failed and retry")
    click(driver, "#select-all-matching")
    wait_for(driver, lambda d: js(d, "const n = document.getElementById('selection'); return n && n.dataset.count;") == "3",
             what="all 3 matching tasks to be selected")
    click(driver, "#bulk-retry")
    wait_for(driver, lambda d: d.find_element(By.ID, "confirm").get_attribute("open") is not None,
             what="the confirmation dialog")
    text = driver.find_element(By.ID, "confirm-text").text
    check("3 task" in text, "the confirmation names the count: %r" % text)
    shot(driver, "tasks-confirm")
    click(driver, "#confirm-ok")
    deadline = time.time() + 15
    attempts = []
    while time.time() < deadline:
        attempts = [rest("GET", "/api/tasks/" + task_id)[1]["attempts"] for task_id in failed_ids]
        if all(count == 2 for count in attempts):
            break
        time.sleep(0.2)
    check(attempts == [2, 2, 2], "every failed task was retried once more (attempts %s)" % attempts)

    print("pause a queue")
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=queues]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#queue-table, [data-missing]"), what="the queue view")
    if driver.find_elements(By.CSS_SELECTOR, "[data-missing]"):
        notes.append("queues: this server has no /api/queues; the view says 'not available' (pause not exercised)")
        check("not available" in driver.find_element(By.ID, "queue-list").text, "the queue view degrades to 'not available'")
    else:
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#queue-table tr[data-name="default"] button.pause'),
                 what="the default queue's pause button")
        click(driver, '#queue-table tr[data-name="default"] button.pause')
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#queue-table tr[data-name="default"][data-paused="true"]'),
                 what="the default queue to show paused")
        check(rest("GET", "/api/queues/default")[1].get("paused") is True, "the default queue is paused on the server")
    shot(driver, "queues")
    if not driver.find_elements(By.CSS_SELECTOR, "[data-missing]"):
        click(driver, '#queue-table tr[data-name="default"] button.resume')
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#queue-table tr[data-name="default"][data-paused="false"]'),
                 what="the default queue to resume")

    print("one task: progress moves")
    _, slow = rest("POST", "/api/tasks", {"type": "sleep", "payload": {"ms": 6000, "steps": 12}})
    driver.execute_script("location.hash = '#/tasks/%s'" % slow["id"])
    wait_for(driver, lambda d: d.find_elements(By.ID, "task-progress"), what="the task view")
    seen = []
    deadline = time.time() + 20
    while time.time() < deadline:
        value, status = js(driver, "const p = document.getElementById('task-progress'); "
                                   "const d = document.getElementById('task-detail'); "
                                   "return [p ? p.dataset.value : null, d ? d.dataset.status : null];")
        if value and (not seen or seen[-1] != value):
            seen.append(value)
        if status == "completed":
            break
        time.sleep(0.1)
    numbers = [int(v) for v in seen if v.isdigit()]
    check(len(numbers) >= 2 and numbers == sorted(numbers), "the progress bar moved without a reload (%s)" % numbers)
    check(driver.find_element(By.ID, "task-detail").get_attribute("data-status") == "completed", "the task view shows it completed")
    check(driver.execute_script("return window.__noReload === true;"), "no reload while watching")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#task-log tbody tr")) >= 3, "the log shows the lifecycle lines")
    shot(driver, "task")

    print("a cron job: invalid, then valid")
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=jobs]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '#job-table tr[data-id="%s"]' % job["id"]), what="the job list")
    check(len(driver.find_elements(By.CSS_SELECTOR, '#job-table tr[data-id="%s"] .next-times div' % job["id"])) == 5,
          "the job shows its next five fire times")
    driver.find_element(By.ID, "job-name").send_keys("Report every five minutes")
    driver.find_element(By.ID, "job-type").send_keys("email")
    schedule = driver.find_element(By.ID, "job-schedule")
    schedule.send_keys("0 25 * * *")
    wait_for(driver, lambda d: d.find_element(By.ID, "cron-preview").get_attribute("data-state") == "invalid",
             what="the invalid expression to be flagged")
    preview = driver.find_element(By.ID, "cron-preview").text
    check("hour" in preview and "25" in preview, "the form names the bad field: %r" % preview)
    check(not driver.find_element(By.ID, "job-submit").is_enabled(), "an invalid expression cannot be submitted")
    shot(driver, "jobs-invalid")
    schedule.send_keys(Keys.CONTROL, "a")
    schedule.send_keys(Keys.BACKSPACE)
    schedule.send_keys("*/5 * * * *")
    wait_for(driver, lambda d: d.find_element(By.ID, "cron-preview").get_attribute("data-state") == "valid",
             what="the valid expression to be accepted")
    check(driver.find_element(By.ID, "job-submit").is_enabled(), "a valid expression can be submitted")
    click(driver, "#job-submit")
    wait_for(driver, lambda d: js(d, "return [...document.querySelectorAll('#job-table tr[data-id]')]"
                                     ".some((row) => row.textContent.includes(arguments[0]));", "Report every five minutes"),
             what="the new job in the list")
    jobs = rest("GET", "/api/jobs")[1]["jobs"]
    check(any(j["name"] == "Report every five minutes" and j["schedule"] == "*/5 * * * *" for j in jobs),
          "the job exists on the server")
    shot(driver, "jobs")

    print("batches")
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-view=batches]").click()
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#batch-table, [data-missing]"), what="the batch view")
    if driver.find_elements(By.CSS_SELECTOR, "[data-missing]"):
        notes.append("batches: this server has no /api/batches; the view says 'not available'")
    shot(driver, "batches")

    print("keyboard and phone width")
    driver.find_element(By.TAG_NAME, "body").send_keys("g", "o")
    wait_for(driver, lambda d: d.find_element(By.ID, "main").get_attribute("data-view") == "overview",
             what="'g o' to open the overview")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#throughput polyline"), what="the chart again")
    shot(driver, "overview")
    viewport(driver, 390, 844, mobile=True)
    wait_for(driver, lambda d: js(d, "return document.documentElement.clientWidth;") == 390, what="the phone viewport")
    width = driver.execute_script("return document.documentElement.scrollWidth;")
    check(width <= 400, "nothing overflows a phone-width screen (%d px)" % width)
    shot(driver, "overview-phone")
    driver.execute_script("location.hash = '#/tasks'")
    wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#task-table"), what="tasks at phone width")
    shot(driver, "tasks-phone")
    viewport(driver, 1280, 800)

    print("no request leaves the origin")
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
    foreign = sorted(u for u in urls if not (u.startswith(BASE + "/") or u.startswith("data:")))
    check(not foreign, "every request went to %s (%d distinct URLs; foreign: %s)" % (BASE, len(urls), foreign))
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE" and "favicon" not in e.get("message", "")
              and "/api/events" not in e.get("message", "") and "/api/queues" not in e.get("message", "")
              and "/api/batches" not in e.get("message", "") and "/api/tasks/bulk" not in e.get("message", "")
              and not ("/api/cron/next" in e.get("message", "") and "400" in e.get("message", ""))]
    check(not errors, "no JavaScript errors in the console (%s)" % errors[:3])
finally:
    driver.quit()

for note in notes:
    print("note:", note)
if failures:
    print("FAIL: %d check(s) failed" % len(failures))
    sys.exit(1)
print("all dashboard browser checks passed")
