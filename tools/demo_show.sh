#!/usr/bin/env bash
# The demo's story, run by tools/demo.sh inside a throw-away PostgreSQL
# (pg_virtualenv sets PGHOST, PGPORT, PGUSER ...).  Creates a database,
# installs mycc, loads the sample data (data/generate.sql, default size) and
# shows tiers, tags, NPS and CSAT analytics, identities and a morning of
# routed traffic with small queries, each printed before its result.  Exits
# non-zero if any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

db=mycc_demo
psql=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")

createdb "$db"
"${psql[@]}" -c 'CREATE EXTENSION mycc'
echo "== mycc $("${psql[@]}" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'mycc'") installed in database $db"

echo "== loading the sample: data/generate.sql (2000 customers, 90 days to 2026-11-01)"
"${psql[@]}" -f data/generate.sql

"${psql[@]}" <<'SQL'
-- Days are China days (the daily views cut days in mycc.time_zone, which a
-- real database sets with ALTER DATABASE), times shown in China time; no
-- row-count footers.
SET mycc.time_zone = 'Asia/Shanghai';
SET TimeZone = 'Asia/Shanghai';
-- mycc's operators (comparing tiers, merging states) are found through the
-- search_path (docs/operations.md).
SET search_path = public, mycc;
\pset footer off

\echo
\echo '== The tier pyramid.  Each customer has a mycc.customer_tier, stored as a'
\echo '   2-byte id, printed as its name, ordered by rank; here tier_for_value()'
\echo '   set it from lifetime value.  ~10% of customers (high + mid) bring ~90%'
\echo '   of the revenue.'
\echo
\set ECHO queries
SELECT tier, customers,
       round(100 * share_of_customers::numeric, 1) AS "% customers",
       round(value) AS "value (yuan)",
       round(100 * share_of_value, 1) AS "% value"
FROM mycc.tier_pyramid
ORDER BY rank DESC;
\set ECHO none

\echo
\echo '== How each tier is served: the policy in mycc.tier (aliases are accepted'
\echo '   on input, so ''高付费''::mycc.customer_tier is high).'
\echo
\set ECHO queries
SELECT name AS tier, aliases, service_mode, queue_priority, first_response_target,
       min_value, revenue_share
FROM mycc.tier
ORDER BY rank DESC;

SELECT t AS tier, mycc.service_mode(t), mycc.tier_priority(t)
FROM (VALUES ('高付费'::mycc.customer_tier), ('免费')) AS v(t);
\set ECHO none

\echo
\echo '== Tiering by the revenue curve instead of thresholds: pareto_tier() puts'
\echo '   the customers who bring the first 50% of revenue in high, up to 90% in'
\echo '   mid (revenue_share), everyone else who paid in low, the rest in free.'
\echo
\set ECHO queries
SELECT pareto, count(*) AS customers,
       round(100 * sum(lifetime_value) / sum(sum(lifetime_value)) OVER (), 1) AS "% value",
       count(*) FILTER (WHERE pareto = tier) AS "same as by thresholds"
FROM (SELECT tier, lifetime_value,
             mycc.pareto_tier(lifetime_value) OVER (ORDER BY lifetime_value DESC) AS pareto
      FROM mycc.customer) AS c
GROUP BY pareto
ORDER BY pareto DESC;
\set ECHO none

\echo
\echo '== Tags: what we know about each customer, a mycc.tagset (sorted, no'
\echo '   duplicates, any script).  The most common tags of the sample:'
\echo
\set ECHO queries
SELECT tag, count(*) AS customers
FROM mycc.customer, mycc.tags(tags) AS tag
GROUP BY tag
ORDER BY customers DESC, tag
LIMIT 8;
SELECT id, name, tier, tags FROM mycc.customer WHERE tags ? 'vip' ORDER BY id LIMIT 3;
\set ECHO none

\echo
\echo '== The bookseller''s rules, as rows of mycc.treatment_rule (a tagquery each).'
\echo '   mycc.treatments(tags) returns the treatments of every rule the tags'
\echo '   satisfy, highest priority first; a reverse index of the rules by the tags'
\echo '   they need means only candidate rules are tested.'
\echo
\set ECHO queries
INSERT INTO mycc.treatment_rule (condition, treatment, priority) VALUES
    ('vip', 'kraft-paper packaging', 30),
    ('vip', 'no-questions returns', 30),
    ('literary', 'lavender bookmark', 20),
    ('science_geek', 'pine bookmark', 20),
    ('complainer & !vip', 'call before shipping', 10),
    ('new & (region:北京 | region:上海)', 'same-day courier coupon', 5);
SELECT c.name, c.tags, t.treatment
FROM (SELECT * FROM mycc.customer
      WHERE tags @@ 'vip & (literary | science_geek)' ORDER BY id LIMIT 2) AS c,
     mycc.treatments(c.tags) AS t;
SELECT * FROM mycc.treatment_candidates('{vip, literary, region:北京}');
\set ECHO none

\echo
\echo '== A campaign: customers who bought the 500-litre fridge or use an iPhone,'
\echo '   but never complained.  tags @@ tagquery, answered by the GIN index on'
\echo '   mycc.customer.tags when selective; the planner''s row estimate comes'
\echo '   from tag frequencies that ANALYZE collected.'
\echo
\set ECHO queries
SELECT count(*) AS reached
FROM mycc.customer
WHERE tags @@ '(bought:fridge_500l | device:iphone) & !complainer';
\set ECHO none
\echo '   A selective campaign (3% of customers) and how it is found.  On 2000'
\echo '   customers reading the whole table is cheaper, so the planner rightly'
\echo '   scans; to show the index path we forbid the scan for one query (at a'
\echo '   million customers the planner picks the index itself: bench/).'
\set ECHO queries
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT id FROM mycc.customer WHERE tags @@ 'bought:fridge_500l & !complainer';
RESET enable_seqscan;
\set ECHO none

\echo
\echo '== Contacts by channel: QQ and the in-game form dominate, phone is ~2.5%.'
\echo
\set ECHO queries
SELECT channel, count(*) AS contacts,
       round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "%"
FROM mycc_sample.contact
GROUP BY channel
ORDER BY contacts DESC;
\set ECHO none

\echo
\echo '== 1. NPS by tier.  mycc.nps_daily holds the counts per day, channel and'
\echo '   tier; mycc.nps_state() makes them a mergeable state, mycc.nps_merge adds'
\echo '   the days up.'
\echo '   moe = the margin of error at 95% confidence, in points.'
\echo
\set ECHO queries
SELECT tier,
       mycc.nps_count(s) AS n,
       mycc.nps_promoters(s) AS promoters,
       mycc.nps_passives(s) AS passives,
       mycc.nps_detractors(s) AS detractors,
       round(mycc.nps(s)::numeric, 1) AS nps,
       round(mycc.nps_moe(s)::numeric, 1) AS moe
FROM (SELECT tier, mycc.nps_merge(mycc.nps_state(promoters, passives, detractors)) AS s
      FROM mycc.nps_daily
      GROUP BY tier) AS t
ORDER BY nps DESC;
\set ECHO none

\echo
\echo '== 2. NPS by channel, straight from the answers in mycc.survey:'
\echo '   mycc.nps(score) is the score, mycc.nps_agg(score) the state for statistics.'
\echo
\set ECHO queries
SELECT channel,
       count(nps) AS n,
       round(mycc.nps(nps)::numeric, 1) AS nps,
       round(mycc.nps_moe(mycc.nps_agg(nps))::numeric, 1) AS moe
FROM mycc.survey
GROUP BY channel
ORDER BY nps DESC;
\set ECHO none

\echo
\echo '== 3. The whole company, with its 95% confidence interval.'
\echo
\set ECHO queries
SELECT round(mycc.nps(a.s)::numeric, 1) AS nps,
       round(ci.low::numeric, 1) AS low,
       round(ci.high::numeric, 1) AS high
FROM (SELECT mycc.nps_agg(nps) AS s FROM mycc.survey) AS a,
     mycc.nps_ci(a.s) AS ci;
\set ECHO none

\echo
\echo '== 4. Is phone really better than the in-game form, or is it chance?'
\echo '   mycc.nps_compare(a, b): difference in points, z, two-sided p-value.'
\echo
\set ECHO queries
SELECT round(c.difference::numeric, 1) AS difference,
       round(c.z::numeric, 2) AS z,
       c.p_value,
       CASE WHEN c.p_value < 0.05 THEN 'real (p < 0.05): phone customers are happier'
            ELSE 'could be chance' END AS verdict
FROM mycc.nps_compare(
       (SELECT mycc.nps_agg(nps) FROM mycc.survey WHERE channel = 'phone'),
       (SELECT mycc.nps_agg(nps) FROM mycc.survey WHERE channel = 'in_game')) AS c;
\set ECHO none

\echo
\echo '== 5. CSAT by channel: % of 4s and 5s on the 1-5 scale, with its margin.'
\echo
\set ECHO queries
SELECT channel,
       count(csat) AS n,
       round(mycc.csat(csat)::numeric, 1) AS csat,
       round(mycc.csat_moe(mycc.csat_agg(csat))::numeric, 1) AS moe
FROM mycc.survey
GROUP BY channel
ORDER BY csat DESC;
\set ECHO none

\echo
\echo '== 6. A weekly trend from a rollup table.  BI jobs keep the daily states'
\echo '   (small, mergeable) and never re-read the answers.'
\echo
\set ECHO queries
CREATE TABLE nps_rollup AS
SELECT day, channel, tier, mycc.nps_state(promoters, passives, detractors) AS state FROM mycc.nps_daily;
\echo
SELECT * FROM nps_rollup ORDER BY day, channel, tier LIMIT 3;
SELECT date_trunc('week', day)::date AS week,
       mycc.nps_count(mycc.nps_merge(state)) AS n,
       round(mycc.nps(mycc.nps_merge(state))::numeric, 1) AS nps,
       round(mycc.nps_moe(mycc.nps_merge(state))::numeric, 1) AS moe
FROM nps_rollup
GROUP BY week
ORDER BY week;
\set ECHO none
\echo '   The weeks of 2026-09-28 and 2026-10-05 dip: the National Day event update'
\echo '   broke payments.  And the last week against the week before: a real change?'
\echo
\set ECHO queries
SELECT round(c.difference::numeric, 1) AS difference,
       round(c.z::numeric, 2) AS z,
       round(c.p_value::numeric, 3) AS p_value,
       CASE WHEN c.p_value < 0.05 THEN 'real (p < 0.05)' ELSE 'could be chance: wait for more answers' END AS verdict
FROM mycc.nps_compare(
       (SELECT mycc.nps_merge(state) FROM nps_rollup WHERE day >= '2026-10-26'),
       (SELECT mycc.nps_merge(state) FROM nps_rollup WHERE day >= '2026-10-19' AND day < '2026-10-26')) AS c;
\set ECHO none

\echo
\echo '== 7. A 7-day moving NPS: nps_merge as a window aggregate (it slides in'
\echo '   O(n): each step adds one day and takes one away).  The last five weeks:'
\echo
\set ECHO queries
SELECT day, n, nps_that_day, nps_7_days
FROM (SELECT day,
             mycc.nps_count(state) AS n,
             round(mycc.nps(state)::numeric, 1) AS nps_that_day,
             round(mycc.nps(mycc.nps_merge(state) OVER (ORDER BY day ROWS 6 PRECEDING))::numeric, 1) AS nps_7_days
      FROM (SELECT day, mycc.nps_merge(state) AS state
            FROM nps_rollup GROUP BY day) AS daily) AS moving
WHERE day >= '2026-09-27'
ORDER BY day;
\set ECHO none

\echo
\echo '== 8. How many answers for a margin of ±5 points at 95%?  In the worst case'
\echo '   (half promoters, half detractors), and per channel for its own shares of'
\echo '   promoters and detractors, against what the channel brought in 90 days.'
\echo
\set ECHO queries
SELECT mycc.nps_sample_size(5) AS worst_case;
SELECT channel,
       mycc.nps_count(s) AS answers,
       mycc.nps_sample_size(5, 0.95,
           mycc.nps_promoters(s)::float8 / mycc.nps_count(s),
           mycc.nps_detractors(s)::float8 / mycc.nps_count(s)) AS needed
FROM (SELECT channel, mycc.nps_merge(state) AS s
      FROM nps_rollup
      GROUP BY channel) AS c
ORDER BY answers DESC;
\set ECHO none

\echo
\echo '   Only the big channels reach ±5 points in a quarter; a weekly NPS of a small'
\echo '   channel is mostly noise: show it with its margin of error, or not at all.'
\echo
\echo '== 9. One customer across every channel.  The sample''s identifiers, written'
\echo '   eight ways on the channels, are one normalised identifier each in'
\echo '   mycc.identity: the raw forms against the normal forms.'
\echo
\set ECHO queries
SELECT (SELECT count(DISTINCT value) FROM mycc_sample.identity WHERE kind = 'phone') AS phone_spellings,
       (SELECT count(*) FROM mycc.identity WHERE kind = 'phone' AND source = 'sample') AS phone_numbers;
\set ECHO none

\echo
\echo '   The travel CEO''s customer: a user phones, then texts, then e-mails, then'
\echo '   writes on WeChat.  resolve() finds the caller by his number however it is'
\echo '   written; link() ties the e-mail and the WeChat account to him when the'
\echo '   agent verifies them.'
\echo
\set ECHO queries
SELECT mycc.resolve('phone', '147 1234 5678', 'ivr') AS customer \gset
SELECT mycc.resolve('phone', '+86-147-1234-5678') = :customer AS same_caller;
SELECT mycc.resolve('email', 'Zhang.Wei@163.com', 'mail gateway') AS mail_customer;
SELECT mycc.link('phone', '14712345678', 'email', 'zhang.wei@163.com', 'agent verified') = :customer AS merged;
SELECT mycc.link('phone', '14712345678', 'wechat', 'wxid_zhangwei88', 'wechat bind') = :customer AS linked;
INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, ended_at, topic, case_ref)
SELECT mycc.resolve(k, v), ch::mycc.channel, k, mycc.normalize_identity(k, v), s::timestamptz, e::timestamptz, t, r
FROM (VALUES
  ('phone', '147 1234 5678', 'phone', '2026-10-30 09:00+08', '2026-10-30 09:07+08', 'booking', 'TRIP-7'),
  ('phone', '14712345678', 'sms', '2026-10-30 09:15+08', NULL, 'booking', NULL),
  ('email', 'zhang.wei@163.com', 'email', '2026-10-30 10:02+08', '2026-10-30 10:20+08', 'booking', NULL),
  ('wechat', 'wxid_zhangwei88', 'wechat', '2026-10-30 11:30+08', '2026-10-30 11:41+08', 'booking', NULL),
  ('phone', '+86 147 1234 5678', 'phone', '2026-10-31 18:00+08', '2026-10-31 18:05+08', 'change date', 'TRIP-7')
) AS c(k, v, ch, s, e, t, r);
SELECT conversation, started, ended, channels, contacts
FROM mycc.conversation WHERE customer_id = :customer ORDER BY conversation;
SELECT conversation, started_at, channel, identity_value, topic, case_ref
FROM mycc.timeline(:customer);
\set ECHO none

\echo
\echo '   One conversation on four channels, and the date change by phone the next'
\echo '   day joins it through the booking reference: the agent sees it all.'
\echo
\echo '   A hotel front-desk phone typed in for every guest must not fuse the guests'
\echo '   into one customer: block it, and links through it are refused and logged.'
\echo
\set ECHO queries
INSERT INTO mycc.identity_block (kind, value, reason)
VALUES ('phone', mycc.normalize_identity('phone', '0755 8888 8888'), 'hotel front desk');
SELECT mycc.link('phone', '0755-8888-8888', 'email', 'guest.one@qq.com', 'check-in form') AS linked;
SELECT reason, kind_a, value_a, kind_b, value_b, detail FROM mycc.identity_conflict ORDER BY id;
\set ECHO none

\echo
\echo '   A wrong link the guards did not catch (a sync job paired the wrong WeChat'
\echo '   account) is undone from the merge log: the other person comes back with'
\echo '   everything that was his.'
\echo
\set ECHO queries
SELECT mycc.resolve('wechat', 'wxid_wangfang01', 'wechat') AS other \gset
SELECT mycc.link('wechat', 'wxid_wangfang01', 'email', 'zhang.wei@163.com', 'sync job') = :customer AS wrongly_merged;
SELECT id, survivor_id, absorbed_id, source, undone_at FROM mycc.customer_merge ORDER BY id;
SELECT mycc.unmerge(id) = :other AS back FROM mycc.customer_merge WHERE source = 'sync job';
SELECT mycc.lookup('wechat', 'wxid_wangfang01') = :other AS his_own_again;
\set ECHO none

\echo
\echo '== 10. A morning of traffic: routing and assignment.  Queues (with the skills'
\echo '   an agent needs), rules over each contact''s facts (the customer''s tags,'
\echo '   tier:…, channel:…, topic:…), agents with skills and capacity.'
\echo
\set ECHO queries
INSERT INTO mycc.queue (name, required_skills, service_mode, target_answer, is_default) VALUES
    ('vip', '{vip}', 'dedicated', '1 min', false),
    ('refund', '{refund}', 'instant', '10 min', false),
    ('general', '{general}', 'instant', '5 min', true),
    ('self service', '{bot}', 'self_service', '1 hour', false);
INSERT INTO mycc.routing_rule (priority, condition, queue_id, note)
SELECT r.priority, r.condition::mycc.tagquery, q.id, r.note
FROM (VALUES (30, 'tier:high', 'vip', 'VIPs to their account managers'),
             (20, 'channel:wechat & topic:refund', 'refund', 'WeChat refunds to the refund desk'),
             (10, 'tier:free & !complainer', 'self service', 'free users to self service')) AS r(priority, condition, queue, note)
JOIN mycc.queue AS q ON q.name = r.queue;
INSERT INTO mycc.agent (name, skills, capacity, status) VALUES
    ('孙经理 Sun', '{account_manager, vip}', 2, 'available'),
    ('钱经理 Qian', '{account_manager, vip}', 2, 'available'),
    ('周 Zhou', '{refund, general}', 1, 'available'),
    ('吴 Wu', '{general}', 1, 'available'),
    ('郑 Zheng', '{general}', 1, 'available'),
    ('王 Wang', '{general}', 1, 'available'),
    ('小蜜 bot', '{bot}', 20, 'available');
SELECT mycc.assign_account_managers('high') AS vips_given_a_manager;
\set ECHO none

\echo
\echo '   The morning: the sample''s contacts of four mornings (08:00-12:00) arrive'
\echo '   on one, minute by minute; each is enqueued (routed and logged), agents'
\echo '   take work with next_contact and finish it after its handling time.'
\echo '   (mycc ages contacts by now(); to play a morning in a second the script'
\echo '   moves the morning''s timestamps back a minute at each tick instead of'
\echo '   waiting, and puts them back on the morning''s clock at the end.)'
\echo
-- The morning, played by a function of the demo (not part of mycc).
CREATE FUNCTION pg_temp.play_morning(day date) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    t timestamptz := (day + time '08:00') AT TIME ZONE 'Asia/Shanghai';
    stop timestamptz := (day + time '13:00') AT TIME ZONE 'Asia/Shanghai';
    shift interval := now() - t;     -- stored time = morning time + shift
    a record;
    k record;
    got bigint;
BEGIN
    CREATE TEMP TABLE story (at timestamptz, seq serial, line text);
    CREATE TEMP TABLE morning (contact_id bigint PRIMARY KEY, customer_id bigint, channel mycc.channel, topic text,
                               arrives timestamptz, handle interval);
    -- The arrivals: the sample's contacts of the mornings of its last four
    -- days (2026-10-28 to 31), all on this day: a busy Monday.
    INSERT INTO morning
    SELECT nextval('mycc.contact_id_seq'), s.customer_id, s.channel, s.topic, (day + (s.started_at AT TIME ZONE 'Asia/Shanghai')::time) AT TIME ZONE 'Asia/Shanghai',
           least(greatest(s.ended_at - s.started_at, interval '2 min'), interval '12 min')
    FROM mycc_sample.contact AS s
    WHERE s.started_at >= '2026-10-28 00:00+08' AND s.started_at < '2026-11-01 00:00+08'
      AND (s.started_at AT TIME ZONE 'Asia/Shanghai')::time >= '08:00'
      AND (s.started_at AT TIME ZONE 'Asia/Shanghai')::time < '12:00'
    ORDER BY (s.started_at AT TIME ZONE 'Asia/Shanghai')::time, s.id;
    ANALYZE morning;
    WHILE t < stop LOOP
        -- Arrivals of this minute, enqueued.
        FOR k IN SELECT m.contact_id, m.customer_id, m.arrives, m.channel, m.topic
                 FROM morning AS m
                 WHERE m.arrives > t - interval '1 min' AND m.arrives <= t
                 ORDER BY m.arrives, m.contact_id LOOP
            INSERT INTO mycc.contact (customer_id, id, channel, topic, started_at, enqueued_at)
            VALUES (k.customer_id, k.contact_id, k.channel, k.topic, k.arrives + shift, k.arrives + shift);
            PERFORM mycc.enqueue(k.contact_id);
            INSERT INTO story (at, line)
            SELECT k.arrives, format('%s (%s, %s, %s) -> %s%s', c.name, c.tier, k.channel, k.topic, q.name,
                             coalesce(' by rule "' || r.note || '"', ' (default)'))
            FROM mycc.contact AS x
            JOIN mycc.customer AS c ON c.id = x.customer_id
            JOIN mycc.queue AS q ON q.id = x.queue_id
            LEFT JOIN mycc.routing_decision AS d ON d.contact_id = x.id AND d.customer_id = x.customer_id
            LEFT JOIN mycc.routing_rule AS r ON r.id = d.rule_id
            WHERE x.id = k.contact_id;
        END LOOP;
        -- Contacts whose handling is over are finished.
        FOR k IN SELECT x.id FROM mycc.contact AS x JOIN morning AS m ON m.contact_id = x.id
                 WHERE x.status = 'assigned' AND x.assigned_at - shift + m.handle <= t ORDER BY x.id LOOP
            PERFORM mycc.finish(k.id, 'resolved');
        END LOOP;
        -- Every available agent takes work until at capacity or nothing is left.
        FOR a IN SELECT id, name FROM mycc.agent ORDER BY id LOOP
            LOOP
                got := mycc.next_contact(a.id);
                EXIT WHEN got IS NULL;
                INSERT INTO story (at, line)
                SELECT t, format('    %s takes %s''s %s contact (%s, waited %s)', a.name, c.name, x.channel, q.name,
                                 to_char(x.assigned_at - x.enqueued_at, 'FMMI:SS'))
                FROM mycc.contact AS x JOIN mycc.customer AS c ON c.id = x.customer_id JOIN mycc.queue AS q ON q.id = x.queue_id
                WHERE x.id = got;
            END LOOP;
        END LOOP;
        -- The clock moves a minute: the morning's timestamps move a minute back.
        t := t + interval '1 min';
        shift := shift - interval '1 min';
        UPDATE mycc.contact AS x SET started_at = x.started_at - interval '1 min', enqueued_at = x.enqueued_at - interval '1 min',
               assigned_at = x.assigned_at - interval '1 min', ended_at = x.ended_at - interval '1 min'
        FROM morning AS m WHERE m.contact_id = x.id AND x.customer_id = m.customer_id AND m.arrives < t;
        UPDATE mycc.routing_decision AS d SET decided_at = d.decided_at - interval '1 min'
        FROM morning AS m WHERE m.contact_id = d.contact_id AND d.customer_id = m.customer_id AND m.arrives < t;
        UPDATE mycc.agent SET last_assigned_at = last_assigned_at - interval '1 min' WHERE last_assigned_at IS NOT NULL;
    END LOOP;
    -- Back on the morning's clock.
    UPDATE mycc.contact AS x SET started_at = x.started_at - shift, enqueued_at = x.enqueued_at - shift,
           assigned_at = x.assigned_at - shift, ended_at = x.ended_at - shift
    FROM morning AS m WHERE m.contact_id = x.id AND x.customer_id = m.customer_id;
    UPDATE mycc.routing_decision AS d SET decided_at = d.decided_at - shift
    FROM morning AS m WHERE m.contact_id = d.contact_id AND d.customer_id = m.customer_id;
    UPDATE mycc.agent SET last_assigned_at = last_assigned_at - shift WHERE last_assigned_at IS NOT NULL;
    RETURN (SELECT count(*) FROM morning);
END
$$;
SELECT pg_temp.play_morning('2026-11-02') AS contacts_of_the_morning;

\echo '   08:00, a quiet start: the bot answers free players at once, the account'
\echo '   managers their VIPs, the refund desk WeChat refunds.'
SELECT to_char(at, 'HH24:MI:SS') AS "time", line AS "what happened" FROM story
WHERE at < '2026-11-02 08:20+08' ORDER BY at, seq;
\echo
\echo '   10:00, the general queue is busy.  Effective priority = the tier''s base'
\echo '   (mid 50, low 20) + 10 points per 5 minutes waited: a mid contact goes'
\echo '   before a low one that came up to 15 minutes earlier, and every low one'
\echo '   gets its turn (docs/routing.md, "Priority and aging").'
SELECT to_char(at, 'HH24:MI:SS') AS "time", line AS "what happened" FROM story
WHERE at >= '2026-11-02 10:00+08' AND at < '2026-11-02 10:22+08' AND line LIKE '%general%' ORDER BY at, seq;
\echo
\echo '   The whole morning: who took what.'
\set ECHO queries
SELECT a.name AS agent, count(*) AS contacts,
       round(avg(extract(epoch FROM k.assigned_at - k.enqueued_at)) / 60, 1) AS "avg wait (min)"
FROM mycc.contact AS k JOIN mycc.agent AS a ON a.id = k.agent_id
WHERE k.enqueued_at >= '2026-11-02' GROUP BY a.id, a.name ORDER BY a.id;
\set ECHO none
\echo
\echo '   The service level by queue for BI (mycc.queue_service_level): offered,'
\echo '   answered, the share answered within the queue''s target, the average wait.'
\echo
\set ECHO queries
SELECT queue, day, offered, answered, round(answer_rate::numeric, 2) AS answer_rate,
       round(within_target::numeric, 2) AS within_target, date_trunc('second', average_wait) AS average_wait
FROM mycc.queue_service_level WHERE day = '2026-11-02' ORDER BY queue_id;
\set ECHO none
\echo
\echo '   Explainable: every decision is in mycc.routing_decision.  Before a rule'
\echo '   goes live, replay the morning with it (in a transaction, rolled back):'
\echo '   complainers to the refund desk''s senior agents would move these contacts:'
\echo
\set ECHO queries
BEGIN;
INSERT INTO mycc.routing_rule (priority, condition, queue_id, note)
SELECT 25, 'complainer', id, 'complainers to the refund desk' FROM mycc.queue WHERE name = 'refund';
SELECT o.name AS from_queue, n.name AS to_queue, count(*) AS contacts
FROM mycc.route_replay('2026-11-02') AS r
JOIN mycc.queue AS o ON o.id = r.old_queue JOIN mycc.queue AS n ON n.id = r.new_queue
GROUP BY o.name, n.name ORDER BY contacts DESC, from_queue;
ROLLBACK;
\set ECHO none

\echo
\echo '== 11. Staffing from the live queues.  mycc.queue_staffing applies Erlang C to'
\echo '   each queue''s last hour: the contacts that arrived, their average handle'
\echo '   time, the queue''s target and its goal (80% within the target) give the'
\echo '   agents it needs.  The view looks at the hour before now(); the morning is'
\echo '   past, so here is the same for each hour of it (mycc.queue_staffing_at),'
\echo '   beside the agents who had the queue''s skills.'
\echo
\set ECHO queries
SELECT to_char(s.period_start, 'HH24:MI') || '-' || to_char(s.period_end, 'HH24:MI') AS hour,
       s.queue, s.arrivals, round(s.handle_seconds) AS "handle (s)",
       round(s.offered_load::numeric, 2) AS erlangs, s.agents_needed,
       round(s.service_level::numeric, 3) AS "service level then",
       (SELECT count(*) FROM mycc.agent AS a JOIN mycc.queue AS q ON q.required_skills <@ a.skills
        WHERE q.id = s.queue_id) AS "skilled agents"
FROM generate_series(timestamptz '2026-11-02 09:00+08', '2026-11-02 13:00+08', '1 hour') AS h,
     mycc.queue_staffing_at(h) AS s
WHERE s.arrivals > 0
ORDER BY h, s.queue_id;
\set ECHO none
\echo '   At its peak the general queue needs twice the four agents who have the'
\echo '   skill: that is where the morning''s long waits came from.  The bot counts'
\echo '   one server per chat it holds at once (capacity 20).  An empty row: contacts'
\echo '   arrived but none was finished in that hour, so the handle time is unknown.'

\echo
\echo '== Done.  The reference is docs/reference.md; NPS and CSAT are explained in docs/nps.md,'
\echo '   identities, merges and conversations in docs/identity.md, routing and staffing in'
\echo '   docs/routing.md.'
SQL
