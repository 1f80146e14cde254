#!/usr/bin/python3
"""The agent desktop's loop of docs/routing.md#work-pushed-to-agents, run
with a real client (Debian's python3-psycopg2) against the server in the
environment (PGHOST, PGPORT, ... as pg_virtualenv sets them), in a
database of its own.

An agent session LISTENs on mycc_queue and calls mycc.next_contact when a
notification comes (or on a slow timer), then finishes what it got.  A
producer session enqueues contacts one transaction each.  Checked, for
every contact:
  - before the enqueuing transaction commits, nobody can take it: the
    agent was not notified, and a second agent poking next_contact gets
    nothing;
  - after the commit the notified agent takes it (within 5 seconds), and
    the notification's payload is the queue's id.
Prints one line "test push_loop ... ok|FAILED" with the median and the
90th percentile of the time from the producer's COMMIT to the agent's
claim returning (both measured on this process's monotonic clock).

	/usr/bin/python3 tools/push_loop.py [contacts] [--keep-db]

bench/push_latency.sh runs it with more contacts for docs/performance.md.
"""
import os
import select
import statistics
import sys
import threading
import time

import psycopg2

DB = "mycc_push_loop"
AGENT, POKER = 1, 2
SLOW_TIMER = 5.0  # seconds: the desktop's fallback poll


def connect(dbname):
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    return conn


def setup():
    admin = connect("postgres")
    cur = admin.cursor()
    cur.execute(f"DROP DATABASE IF EXISTS {DB}")
    cur.execute(f"CREATE DATABASE {DB}")
    admin.close()
    conn = connect(DB)
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION mycc")
    cur.execute("INSERT INTO mycc.queue (id, name, is_default) VALUES (7, 'general', true)")
    cur.execute("INSERT INTO mycc.agent (id, name, capacity, status) VALUES"
                " (%s, 'desktop', 1, 'available'), (%s, 'poker', 1, 'available')", (AGENT, POKER))
    cur.execute("INSERT INTO mycc.customer (id, name) VALUES (1, 'caller')")
    conn.close()


class Desktop(threading.Thread):
    """The agent desktop: LISTEN, then claim when notified or on the timer."""

    def __init__(self):
        super().__init__(daemon=True)
        self.claimed = {}  # contact id -> monotonic time the claim returned
        self.payloads = set()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.error = None

    def run(self):
        try:
            conn = connect(DB)
            cur = conn.cursor()
            cur.execute("LISTEN mycc_queue")
            self.ready.set()
            while not self.stop.is_set():
                if select.select([conn], [], [], SLOW_TIMER) != ([], [], []):
                    conn.poll()
                    self.payloads.update(n.payload for n in conn.notifies)
                    conn.notifies.clear()
                while True:
                    cur.execute("SELECT mycc.next_contact(%s)", (AGENT,))
                    contact = cur.fetchone()[0]
                    if contact is None:
                        break
                    self.claimed[contact] = time.monotonic()
                    cur.execute("SELECT mycc.finish(%s, 'done')", (contact,))
            conn.close()
        except Exception as e:  # reported by the main thread
            self.error = e
            self.ready.set()


def run(contacts):
    desktop = Desktop()
    desktop.start()
    desktop.ready.wait(10)
    producer = psycopg2.connect(dbname=DB)
    poker = connect(DB)
    problems, latencies = [], []
    pcur, kcur = producer.cursor(), poker.cursor()
    for _ in range(contacts):
        pcur.execute("INSERT INTO mycc.contact (customer_id, channel) VALUES (1, 'phone') RETURNING id")
        contact = pcur.fetchone()[0]
        pcur.execute("SELECT mycc.enqueue(%s)", (contact,))
        # Enqueued, not committed: no notification yet, nothing to take.
        time.sleep(0.01)
        kcur.execute("SELECT mycc.next_contact(%s)", (POKER,))
        poked = kcur.fetchone()[0]
        if poked is not None or contact in desktop.claimed:
            problems.append(f"contact {contact} taken before its enqueue committed")
        start = time.monotonic()
        producer.commit()
        deadline = start + 5
        while contact not in desktop.claimed and time.monotonic() < deadline and desktop.error is None:
            time.sleep(0.0002)
        if contact not in desktop.claimed:
            problems.append(f"contact {contact} not taken within 5 s of its commit")
            break
        latencies.append((desktop.claimed[contact] - start) * 1000)
    desktop.stop.set()
    kcur.execute("NOTIFY mycc_queue, 'stop'")  # wakes the desktop
    desktop.join(10)
    if desktop.error is not None:
        problems.append(f"the desktop failed: {desktop.error}")
    if not desktop.payloads >= {"7"} or desktop.payloads - {"7", "stop"}:
        problems.append(f"payloads {sorted(desktop.payloads)}, not the queue id 7")
    kcur.execute("SELECT count(*) FILTER (WHERE status <> 'finished'), count(*) FROM mycc.contact")
    open_left, total = kcur.fetchone()
    if open_left or total != len(latencies):
        problems.append(f"{open_left} of {total} contacts not finished")
    producer.close()
    poker.close()
    return problems, latencies


def main():
    contacts = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20
    setup()
    problems, latencies = run(contacts)
    if "--keep-db" not in sys.argv:
        admin = connect("postgres")
        admin.cursor().execute(f"DROP DATABASE {DB}")
        admin.close()
    if problems or not latencies:
        print(f"test {'push_loop':<28} ... FAILED")
        for p in problems or ["no contact measured"]:
            print(f"    {p}")
        return 1
    q = statistics.quantiles(latencies, n=10) if len(latencies) > 1 else latencies * 9
    print(f"test {'push_loop':<28} ... ok           {len(latencies)} contacts, none taken before its commit;"
          f" commit -> claim median {statistics.median(latencies):.2f} ms, p90 {q[8]:.2f} ms,"
          f" max {max(latencies):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
