"""The GraphQL playground in a real browser (Selenium + chromium-driver), run by
scripts/test-playground-browser.sh: completion, highlighting, inline validation, history, the
headers pane, no autorun of a mutation, and a subscription shown as a live stream (when the schema
has subscriptions). Usage: playground_check.py GATEWAY_BASE WORKER_BASE SHOTS_DIR
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

GATEWAY, WORKER, SHOTS = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3]
os.makedirs(SHOTS, exist_ok=True)
failures, notes = [], []


def check(condition, message):
    print("  ok:" if condition else "  not ok:", message)
    if not condition:
        failures.append(message)
    return condition


def js(driver, code, *args):
    return driver.execute_script(code, *args)


def wait_for(driver, predicate, what, timeout=15):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: predicate(d))
    except Exception:
        check(False, "timed out waiting for " + what)
        return None


def task_total():
    with urllib.request.urlopen(WORKER + "/api/tasks/stats/summary", timeout=10) as response:
        return json.loads(response.read())["total"]


def set_document(driver, text):
    box = driver.find_element(By.ID, "query")
    box.click()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(text)
    return box


options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
    options.add_argument(argument)
if os.environ.get("CHROMIUM"):
    options.binary_location = os.environ["CHROMIUM"]
driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER", "chromedriver")), options=options)
driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
try:
    driver.get(GATEWAY + "/graphql")
    wait_for(driver, lambda d: d.find_element(By.ID, "status").text == "schema loaded", "the schema to load")

    print("completion of fields and enum values")
    box = set_document(driver, "{ taskS")
    wait_for(driver, lambda d: js(d, "return !document.getElementById('completions').hidden"), "the completion list")
    labels = js(driver, "return [...document.querySelectorAll('#completions .label')].map((n) => n.textContent)")
    check("taskStats" in labels, "typing 'taskS' offers taskStats (%s)" % labels)
    box.send_keys(Keys.ENTER)
    check(js(driver, "return document.getElementById('query').value") == "{ taskStats", "Enter inserts the completion")
    box = set_document(driver, "query { tasks(status: P")
    wait_for(driver, lambda d: js(d, "return !document.getElementById('completions').hidden"), "enum completions")
    labels = js(driver, "return [...document.querySelectorAll('#completions .label')].map((n) => n.textContent)")
    check("PENDING" in labels and "PROCESSING" in labels, "an enum argument offers its values (%s)" % labels)
    box = set_document(driver, "query { tasks(")
    box.send_keys(Keys.CONTROL, " ")
    labels = js(driver, "return [...document.querySelectorAll('#completions .label')].map((n) => n.textContent)")
    check({"status", "type", "limit", "offset"} <= set(labels), "Ctrl+Space lists the field's arguments (%s)" % labels)
    box.send_keys(Keys.ESCAPE)

    print("highlighting and inline validation")
    set_document(driver, "query Stats { taskStats { total nope } }")
    wait_for(driver, lambda d: js(d, "return document.getElementById('diagnostics').dataset.count") == "1", "one diagnostic")
    text = driver.find_element(By.ID, "diagnostics").text
    check('Cannot query field "nope" on type "TaskStats"' in text, "the unknown field is reported inline: %r" % text)
    check(js(driver, "return document.querySelector('#highlight mark.err') !== null"), "the error is underlined in the editor")
    check(js(driver, "return document.querySelector('#highlight .t-kw').textContent") == "query", "keywords are highlighted")
    set_document(driver, "{ tasks(status: DONE) { total } }")
    wait_for(driver, lambda d: "DONE" in d.find_element(By.ID, "diagnostics").text, "the bad enum value diagnostic")
    driver.save_screenshot(os.path.join(SHOTS, "playground-validation.png"))

    print("run, history and headers")
    set_document(driver, "{ taskStats { total } }")
    driver.find_element(By.ID, "headers").send_keys('{"X-Playground-Check": "1"}')
    driver.find_element(By.ID, "run").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-state") == "done", "the run")
    check('"total"' in driver.find_element(By.ID, "result").text, "the answer is shown")
    history = js(driver, "return JSON.parse(localStorage.getItem('worker-playground-history') || '[]')")
    check(history and history[0]["query"] == "{ taskStats { total } }", "the run is kept in the history")
    driver.find_element(By.ID, "tab-history").click()
    check(len(driver.find_elements(By.CSS_SELECTOR, "#history li button")) >= 1, "the History tab lists it")
    driver.find_element(By.ID, "headers").send_keys("not json")
    driver.find_element(By.ID, "run").click()
    wait_for(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-state") == "error", "bad headers to be refused")
    js(driver, "document.getElementById('headers').value = ''")
    driver.find_element(By.ID, "tab-schema").click()

    print("a link never runs a mutation")
    before = task_total()
    mutation = 'mutation { createTask(input: {type: "from-a-link"}) { id } }'
    driver.get(GATEWAY + "/graphql?autorun=1&query=" + urllib.parse.quote(mutation))
    wait_for(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-http-status") == "405",
             "the automatic run of the mutation to be refused (GET, 405)")
    check(task_total() == before, "no task was created by opening the link")

    print("a subscription as a live stream")
    has_subscriptions = js(driver, "return fetch('/graphql', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                                   " body: JSON.stringify({query: '{ __schema { subscriptionType { name } } }'})})"
                                   ".then((r) => r.json()).then((j) => !!j.data.__schema.subscriptionType)")
    if not has_subscriptions:
        notes.append("the schema has no subscriptions on this server: the stream was not exercised")
    else:
        set_document(driver, "subscription { taskUpdated { id type status } }")
        driver.find_element(By.ID, "run").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-state") == "streaming", "the stream to open")
        request = urllib.request.Request(WORKER + "/api/tasks", data=b'{"type":"echo","payload":{"via":"playground"}}',
                                         headers={"Content-Type": "application/json"}, method="POST")
        created = json.loads(urllib.request.urlopen(request, timeout=10).read())
        wait_for(driver, lambda d: ('"id": "%s"' % created["id"]) in d.find_element(By.ID, "result").text,
                 "the stream to show task %s" % created["id"])
        driver.save_screenshot(os.path.join(SHOTS, "playground-subscription.png"))
        driver.find_element(By.ID, "stop").click()
        wait_for(driver, lambda d: d.find_element(By.ID, "result").get_attribute("data-state") == "done", "the stream to close")
    driver.get(GATEWAY + "/graphql")
    wait_for(driver, lambda d: d.find_element(By.ID, "status").text == "schema loaded", "the schema to load again")
    driver.save_screenshot(os.path.join(SHOTS, "playground.png"))
finally:
    driver.quit()
for note in notes:
    print("note:", note)
if failures:
    print("FAIL: %d playground check(s) failed" % len(failures))
    sys.exit(1)
print("all playground browser checks passed")
