#!/usr/bin/env python3
"""Draws the pictures of the docs from the demo's database.

Usage: python3 tools/pictures.py DATABASE OUTPUT_DIRECTORY

Run by tools/pictures.sh (make pictures) once tools/demo_show.sh has
loaded the sample and played its morning in DATABASE; connects with the
libpq environment (PGHOST, PGPORT, PGUSER).  Writes:

  nps_trend.png       the 7-day moving NPS with its 95 % confidence
                      interval (mycc.nps_merge over mycc.nps_daily,
                      mycc.nps_ci)
  tier_pyramid.png    customers and value by tier (mycc.tier_pyramid)
  service_level.png   the share answered within target, by queue and
                      hour of the demo's morning (mycc.contact, mycc.queue)

Needs Debian's python3-matplotlib and python3-psycopg2.
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import psycopg2  # noqa: E402

# Days and hours are the contact center's (the demo's sample is in China).
TIME_ZONE = "Asia/Shanghai"
MORNING = ("2026-11-02 08:00+08", "2026-11-02 13:00+08")
SIZE = (8, 4.2)
DPI = 100

# The 7-day moving NPS: each day's state merged with the 6 days before,
# its score and 95 % interval from mycc's own statistics.
NPS_TREND = """
SELECT m.day, mycc.nps(m.s), ci.low, ci.high, mycc.nps_count(m.s)
FROM (SELECT d.day, mycc.nps_merge(d.state) OVER (ORDER BY d.day ROWS 6 PRECEDING) AS s,
             row_number() OVER (ORDER BY d.day) AS n
      FROM (SELECT day, mycc.nps_merge(mycc.nps_state(promoters, passives, detractors)) AS state FROM mycc.nps_daily GROUP BY day) AS d) AS m,
     mycc.nps_ci(m.s, 0.95) AS ci
WHERE m.n >= 7
ORDER BY m.day
"""

TIER_PYRAMID = """
SELECT tier::text, customers, share_of_customers, share_of_value
FROM mycc.tier_pyramid
ORDER BY rank
"""

# Offered contacts of each queue by hour of the morning, and the share of
# them an agent took within the queue's target.
SERVICE_LEVEL = """
SELECT q.name, date_part('hour', k.enqueued_at AT TIME ZONE %(tz)s)::int AS hour, count(*) AS offered,
       (count(*) FILTER (WHERE k.assigned_at - k.enqueued_at <= q.target_answer))::float8 / count(*) AS within_target,
       q.service_level_goal
FROM mycc.contact AS k JOIN mycc.queue AS q ON q.id = k.queue_id
WHERE k.enqueued_at >= %(start)s AND k.enqueued_at < %(stop)s
GROUP BY q.id, q.name, hour, q.service_level_goal
ORDER BY q.id, hour
"""


def save(figure, directory, name):
    """Writes a PNG without the metadata that changes between runs."""
    path = os.path.join(directory, name)
    figure.tight_layout()
    figure.savefig(path, dpi=DPI, metadata={"Software": None})
    plt.close(figure)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def nps_trend(cursor, directory):
    cursor.execute(NPS_TREND)
    rows = cursor.fetchall()
    days = [r[0] for r in rows]
    figure, axes = plt.subplots(figsize=SIZE)
    axes.fill_between(days, [r[2] for r in rows], [r[3] for r in rows], color="tab:blue", alpha=0.2,
                      label="95 % confidence interval (mycc.nps_ci)")
    axes.plot(days, [r[1] for r in rows], color="tab:blue", label="NPS, 7 days to the day")
    axes.set_ylabel("NPS (points)")
    axes.set_title("NPS trend with its confidence band (mycc.nps_daily, 7-day merge)")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left")
    figure.autofmt_xdate()
    save(figure, directory, "nps_trend.png")


def tier_pyramid(cursor, directory):
    cursor.execute(TIER_PYRAMID)
    rows = cursor.fetchall()
    tiers = [r[0] for r in rows]
    customers = [-100 * float(r[2]) for r in rows]
    value = [100 * float(r[3]) for r in rows]
    figure, axes = plt.subplots(figsize=SIZE)
    axes.barh(tiers, customers, color="tab:gray", label="% of customers")
    axes.barh(tiers, value, color="tab:orange", label="% of value")
    for y, (c, v, r) in enumerate(zip(customers, value, rows)):
        axes.text(c - 1, y, f"{-c:.1f} % ({r[1]})", ha="right", va="center", fontsize=9)
        axes.text(v + 1, y, f"{v:.1f} %", ha="left", va="center", fontsize=9)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlim(-130, 130)
    axes.set_xticks([-100, -50, 0, 50, 100])
    axes.set_xticklabels(["100", "50", "0", "50", "100"])
    axes.set_xlabel("% of customers (left), % of lifetime value (right)")
    axes.set_title("The tier pyramid (mycc.tier_pyramid)")
    axes.legend(loc="lower right")
    save(figure, directory, "tier_pyramid.png")


def service_level(cursor, directory):
    cursor.execute(SERVICE_LEVEL, {"tz": TIME_ZONE, "start": MORNING[0], "stop": MORNING[1]})
    rows = cursor.fetchall()
    queues = list(dict.fromkeys(r[0] for r in rows))
    hours = sorted({r[1] for r in rows})
    width = 0.8 / len(queues)
    figure, axes = plt.subplots(figsize=SIZE)
    for i, queue in enumerate(queues):
        # An hour with no contact for the queue has no bar; each bar says
        # how many contacts it is the share of (0 % is a bar of height 0).
        cells = [(h + (i - (len(queues) - 1) / 2) * width, 100 * r[3], r[2])
                 for h in hours for r in rows if r[0] == queue and r[1] == h]
        axes.bar([c[0] for c in cells], [c[1] for c in cells], width=width, label=queue)
        for x, level, offered in cells:
            axes.text(x, level + 1, str(offered), ha="center", va="bottom", fontsize=7)
    goals = {r[4] for r in rows}
    for goal in goals:
        axes.axhline(100 * goal, color="black", linestyle="--", linewidth=0.8)
    axes.text(hours[-1] + 0.45, 100 * max(goals) - 5, "goal", ha="right", fontsize=9)
    axes.set_xticks(hours)
    axes.set_xticklabels([f"{h:02d}:00" for h in hours])
    axes.set_ylim(0, 125)
    axes.set_yticks([0, 20, 40, 60, 80, 100])
    axes.set_ylabel("% answered within the queue's target")
    axes.set_title("Service level by queue and hour of the demo's morning (over each bar: contacts)")
    axes.legend(loc="upper center", ncol=len(queues), fontsize=9)
    save(figure, directory, "service_level.png")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    database, directory = sys.argv[1:]
    with psycopg2.connect(dbname=database) as connection, connection.cursor() as cursor:
        cursor.execute("SET TimeZone = %s", (TIME_ZONE,))
        nps_trend(cursor, directory)
        tier_pyramid(cursor, directory)
        service_level(cursor, directory)


if __name__ == "__main__":
    main()
