#!/usr/bin/env python3
"""Acceptance of the Jira-compatible API with a client nobody here wrote.

Debian's python3-jira pages search_issues over 10,000 issues that jirasync
synced from jirasim into an SQLite cache and that jirasync-api serves (Basic
auth with a real API key), and gets issue() for a current and an old (moved)
key. The same client asks jirasim the same things: key sets and the selected
fields must be equal.

Exit 0 = passed, 1 = failed, 77 = skipped (python3-jira missing and CI unset;
with CI set a missing python3-jira fails).
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP = 77
DEMO_EMAIL = "demo@jirasim.test"
DEMO_TOKEN = "jirasim-demo-token"
DEMO_ACCOUNT = "5d53f3cbc6b9320d9ea5bdc2"


def log(*parts):
    print("[python-jira-compat]", *parts, flush=True)


def poll(what, check, timeout_s):
    """check() until it returns something truthy, or fail naming `what`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise RuntimeError(f"timed out after {timeout_s}s waiting for {what}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Child processes, each with its log file; all stopped at exit."""

    def __init__(self, directory):
        self.directory = directory
        self.children = []

    def start(self, name, argv, env=None):
        out = open(os.path.join(self.directory, name + ".log"), "wb")
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        self.children.append((name, child, out))
        return child

    def tail(self, name, lines=30):
        try:
            with open(os.path.join(self.directory, name + ".log"), errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop_all(self):
        for _, child, out in reversed(self.children):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(10)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
            out.close()


def run(argv, env, what, timeout_s=600):
    log("$", " ".join(argv))
    r = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout_s)
    if r.returncode != 0:
        raise RuntimeError(f"{what} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return r.stdout


def sim_control(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read()
        return json.loads(text) if text else None


def epoch_ms(text):
    if text is None:
        return None
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)


def names(values):
    return sorted(v.get("name") for v in values or [])


def selected(raw):
    """The fields both sides must agree on, normalised (timestamps as instants:
    each side renders them in its own account zone)."""
    f = raw.get("fields", {})

    def user(u):
        return None if u is None else (u.get("accountId"), u.get("displayName"))

    def named(v):
        return None if v is None else v.get("name")

    return {
        "id": raw.get("id"),
        "key": raw.get("key"),
        "summary": f.get("summary"),
        "status": named(f.get("status")),
        "statusCategory": (f.get("status") or {}).get("statusCategory", {}).get("key"),
        "priority": named(f.get("priority")),
        "issuetype": named(f.get("issuetype")),
        "project": (f.get("project") or {}).get("key"),
        "assignee": user(f.get("assignee")),
        "reporter": user(f.get("reporter")),
        "creator": user(f.get("creator")),
        "labels": sorted(f.get("labels") or []),
        "components": names(f.get("components")),
        "fixVersions": names(f.get("fixVersions")),
        "versions": names(f.get("versions")),
        "resolution": named(f.get("resolution")),
        "created": epoch_ms(f.get("created")),
        "updated": epoch_ms(f.get("updated")),
        "resolutiondate": epoch_ms(f.get("resolutiondate")),
        "duedate": f.get("duedate"),
        "description": f.get("description"),
        "parent": (f.get("parent") or {}).get("key"),
        "subtasks": sorted(s.get("key") for s in f.get("subtasks") or []),
        "issuelinks": sorted(
            (l["type"]["name"], (l.get("outwardIssue") or l.get("inwardIssue") or {}).get("key"))
            for l in f.get("issuelinks") or []),
        "attachments": sorted(a.get("filename") for a in f.get("attachment") or []),
        "comments": (f.get("comment") or {}).get("total"),
        "timespent": f.get("timespent"),
        # Set custom fields (Jira renders unset ones as null; the cache keeps no nulls).
        "custom": {k: v for k, v in f.items() if k.startswith("customfield_") and v is not None},
    }


def compare(label, ours, theirs, problems, shown=5):
    ours_by_key = {i.key: selected(i.raw) for i in ours}
    theirs_by_key = {i.key: selected(i.raw) for i in theirs}
    if set(ours_by_key) != set(theirs_by_key):
        only_ours = sorted(set(ours_by_key) - set(theirs_by_key))
        only_theirs = sorted(set(theirs_by_key) - set(ours_by_key))
        problems.append(f"{label}: key sets differ: only jirasync-api {only_ours[:shown]} "
                        f"({len(only_ours)}), only jirasim {only_theirs[:shown]} ({len(only_theirs)})")
    differing = 0
    for key in sorted(set(ours_by_key) & set(theirs_by_key)):
        a, b = ours_by_key[key], theirs_by_key[key]
        for field in a:
            if a[field] != b[field]:
                differing += 1
                if differing <= shown:
                    problems.append(f"{label}: {key}.{field}: jirasync-api {a[field]!r} "
                                    f"!= jirasim {b[field]!r}")
    if differing > shown:
        problems.append(f"{label}: {differing} field values differ in all")
    log(f"{label}: {len(ours_by_key)} issues from jirasync-api, {len(theirs_by_key)} from jirasim, "
        f"{differing} field values differ")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jirasim", required=True, help="path of the jirasim binary")
    parser.add_argument("--jirasync", required=True, help="path of the jirasync CLI")
    parser.add_argument("--api", required=True, help="path of the jirasync-api binary")
    parser.add_argument("--issues", type=int, default=10000, help="issues in the synced project")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    args = parser.parse_args()

    try:
        import jira  # noqa: F401 (Debian's python3-jira)
    except ImportError:
        if os.environ.get("CI"):
            log("FAIL: python3-jira is not installed and CI is set (scripts/deps.sh test installs it)")
            return 1
        log("SKIP: python3-jira is not installed (apt-get install python3-jira)")
        return SKIP
    from jira import JIRA

    directory = tempfile.mkdtemp(prefix="jirasync-python-jira-")
    processes = Processes(directory)
    try:
        return acceptance(args, JIRA, directory, processes)
    except Exception as e:  # noqa: BLE001 (the message and the logs are the report)
        log("FAIL:", e)
        for name, _, _ in processes.children:
            log(f"--- {name}.log (tail)\n" + processes.tail(name))
        return 1
    finally:
        processes.stop_all()
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            log("kept", directory)


def acceptance(args, JIRA, directory, processes):
    started = time.monotonic()
    # The simulator: one big project and one to move an issue into; the
    # classic search (python-jira 3.x pages /rest/api/3/search with startAt).
    port_file = os.path.join(directory, "jirasim.port")
    processes.start("jirasim", [args.jirasim, "--port", "0", "--port-file", port_file,
                                "--projects", f"JCA:{args.issues},JCB:20", "--legacy-search"])
    sim = "http://127.0.0.1:" + poll("jirasim's port", lambda: os.path.exists(port_file) and
                                     open(port_file).read().strip(), 60)
    poll("jirasim health", lambda: sim_control(sim, "GET", "/__sim/health"), 30)

    # The cache: embedded mode on SQLite, a full sync of both projects.
    api_port = free_port()
    config = os.path.join(directory, "jirasync.yaml")
    with open(config, "w") as f:
        f.write(f"""jira:
  base_url: {sim}
  email: {DEMO_EMAIL}
  rate_per_s: 0
  account_id: {DEMO_ACCOUNT}
projects:
  - key: JCA
  - key: JCB
database_url: sqlite:{os.path.join(directory, "cache.db")}
bus: inprocess
listen: 127.0.0.1:0
api:
  listen: 127.0.0.1:{api_port}
  rate_per_s: 0
""")
    env = dict(os.environ, JIRA_API_TOKEN=DEMO_TOKEN)
    for project in ("JCA", "JCB"):
        run([args.jirasync, "-c", config, "sync", "--project", project, "--full", "--wait"], env,
            f"full sync of {project}")
    log(f"synced {args.issues} issues in {time.monotonic() - started:.1f}s")

    # Move an issue, and sync again: the cache learns its old key.
    old_key = "JCA-7"
    moved = sim_control(sim, "POST", f"/__sim/issues/{old_key}/move", {"project": "JCB"})
    new_key = moved["key"]
    for project in ("JCA", "JCB"):
        run([args.jirasync, "-c", config, "sync", "--project", project, "--wait"], env,
            f"incremental sync of {project}")
    log(f"moved {old_key} to {new_key}")

    # A read key and the API role on the same cache.
    api_key = create_api_key(args, config, env)
    api = f"http://127.0.0.1:{api_port}"
    start_api(args, config, env, processes, api_port, directory)

    def api_up():
        try:
            with urllib.request.urlopen(api + "/rest/api/3/serverInfo", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # answering (401 without a key) is up
        except OSError:
            return False

    poll("jirasync-api to listen", api_up, 60)

    options = {"rest_api_version": "3", "check_update": False}
    ours = JIRA(server=api, basic_auth=("tester@example.com", api_key), options=options,
                max_retries=0)
    theirs = JIRA(server=sim, basic_auth=(DEMO_EMAIL, DEMO_TOKEN), options=options, max_retries=0)
    if ours.server_info().get("deploymentType") != "Cloud":
        raise RuntimeError("jirasync-api's serverInfo does not say Cloud")
    from jira.exceptions import JIRAError
    try:
        JIRA(server=api, basic_auth=("tester@example.com", "jsk_" + "0" * 64), options=options,
             max_retries=0)
        raise RuntimeError("jirasync-api accepted a key it never made")
    except JIRAError as e:
        if e.status_code != 401:
            raise RuntimeError(f"a wrong key got HTTP {e.status_code}, not 401") from e

    problems = []
    for jql in ("project = JCA ORDER BY key ASC",
                "project = JCA AND statusCategory = Done ORDER BY updated DESC, key ASC"):
        t0 = time.monotonic()
        a = ours.search_issues(jql, maxResults=False)
        t1 = time.monotonic()
        b = theirs.search_issues(jql, maxResults=False)
        log(f"{jql!r}: jirasync-api {t1 - t0:.1f}s, jirasim {time.monotonic() - t1:.1f}s")
        compare(jql, a, b, problems)
        if jql.startswith("project = JCA ORDER") and len(a) != args.issues - 1:
            problems.append(f"{jql}: {len(a)} issues, expected {args.issues - 1} (one moved out)")

    for key in ("JCA-1", new_key, old_key):
        a, b = ours.issue(key), theirs.issue(key)
        compare(f"issue({key})", [a], [b], problems)
    if ours.issue(old_key).key != new_key:
        problems.append(f"issue({old_key}) is not {new_key} on jirasync-api")

    if problems:
        raise RuntimeError("jirasync-api and jirasim differ:\n  " + "\n  ".join(problems))
    log(f"PASS in {time.monotonic() - started:.1f}s")
    return 0


def create_api_key(args, config, env):
    out = run([args.jirasync, "-c", config, "apikey", "create", "python-jira", "--scope", "read"],
              env, "jirasync apikey create")
    # The key is shown once, alone on stdout (jsk_...).
    keys = [w for w in out.split() if w.startswith("jsk_")]
    if len(keys) != 1:
        raise RuntimeError("no key in the output of jirasync apikey create")
    return keys[0]


def start_api(args, config, env, processes, port, directory):
    processes.start("jirasync-api", [args.api, "--config", config], env=env)


if __name__ == "__main__":
    sys.exit(main())
