#!/usr/bin/python3
"""The Python and Node examples of docs/clients.md, run with the real
client libraries against the server in the environment (PGHOST, PGPORT,
... as pg_virtualenv sets them), in a database of their own.

In the page, a fenced block opened with ```python or ```js whose first
line names it ("# clients example: NAME" or "// clients example: NAME")
is an example; the ```text block after it is what it must print, exactly.
Python examples run with /usr/bin/python3 (Debian's python3-psycopg2 and
python3-psycopg); Node examples with node, after `npm ci` installs the
locked node-postgres in tools/clients/.  Each prints one line
"test clients_NAME ... ok|FAILED", as pg_regress does; exits non-zero
when any fails.

	/usr/bin/python3 tools/clients_check.py [--keep-db]
"""
import os
import re
import subprocess
import sys
import tempfile

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, "docs", "clients.md")
NODE_DIR = os.path.join(ROOT, "tools", "clients")
DB = "mycc_clients"
RUNNERS = {"python": ["/usr/bin/python3"], "js": ["node"]}


def examples(text):
    """(name, language, code, expected output) of each example of the page."""
    blocks = re.findall(r"^```(\w*)\n(.*?)^```\n", text, re.M | re.S)
    found = []
    for i, (lang, code) in enumerate(blocks):
        if lang not in RUNNERS:
            continue
        m = re.match(r"(?:#|//) clients example: (\S+)\n", code)
        if not m:
            continue
        expected = blocks[i + 1][1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" else ""
        found.append((m.group(1), lang, code, expected))
    return found


def report(name, ok, detail=""):
    print(f"test clients_{name:<24} ... {'ok' if ok else 'FAILED'}", flush=True)
    if not ok and detail:
        print(detail.rstrip(), flush=True)


def admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
    conn.close()


def npm_ci():
    """Installs node-postgres from the lock file; True when it worked."""
    run = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                         cwd=NODE_DIR, capture_output=True, text=True)
    report("npm_ci", run.returncode == 0, run.stdout + run.stderr)
    return run.returncode == 0


def main():
    with open(PAGE, encoding="utf-8") as f:
        found = examples(f.read())
    if not found:
        report("examples_found", False, f"no examples in {PAGE}")
        return 1
    node_ok = any(lang == "js" for _, lang, _, _ in found) and npm_ci()
    admin(f"DROP DATABASE IF EXISTS {DB}")
    admin(f"CREATE DATABASE {DB}")
    conn = psycopg2.connect(dbname=DB)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION mycc")
    conn.close()
    env = dict(os.environ, PGDATABASE=DB, NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, lang, code, expected in found:
            if lang == "js" and not node_ok:
                report(name, False, "node-postgres is not installed (npm ci failed)")
                failed += 1
                continue
            path = os.path.join(tmp, f"example_{name}.{'py' if lang == 'python' else 'js'}")
            with open(path, "w", encoding="utf-8") as f:
                f.write(code)
            run = subprocess.run(RUNNERS[lang] + [path], env=env, capture_output=True, text=True, timeout=120)
            ok = run.returncode == 0 and run.stdout == expected
            detail = (f"exit status {run.returncode}\n--- expected\n{expected}--- printed\n{run.stdout}"
                      f"--- stderr\n{run.stderr}")
            report(name, ok, detail)
            failed += not ok
    if "--keep-db" not in sys.argv:
        admin(f"DROP DATABASE IF EXISTS {DB}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
