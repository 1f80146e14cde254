-- mycc sample data: the contact center of a Chinese company that runs mobile
-- games and sells merchandise online (brief.md: the game company's tier
-- pyramid and channel mix, the retailers' phone numbers written five ways).
--
--   psql -v seed=42 -v customers=2000 -v days=90 -f data/generate.sql
--
-- Needs CREATE EXTENSION mycc in the database.  Creates schema mycc_sample
-- (customer, identity, contact, and parameters: how it was made) and adds
-- survey answers to mycc.survey.  Running it again replaces the sample: the
-- old schema is dropped and the surveys of its contacts are deleted.
--
-- Deterministic: every random-looking value is a hash of (seed, row key,
-- salt), never random(), and every id is computed, never taken from a
-- sequence; the same parameters give the same rows, also under parallel
-- query and whatever the session's time zone.  Time ends at a fixed instant,
-- 2026-11-01 00:00 China time, so the output does not move with the clock.
--
-- Scale: set-based (generate_series and joins, no loops).  The defaults make
-- ~20k contacts in a second or two; customers=1000000 makes ~10M contacts and
-- ~2M answers, the benchmark size.  Per customer and 90 days: ~10 contacts,
-- ~20% of contacts answered.
--
-- Layout: 0 parameters, 1 random helpers, 2 customers (value, tier, names),
-- 3 identities, 4 contacts, 5 surveys, 6 keys and statistics, 7 summary,
-- 8 identities and contacts in mycc (the identity capability).
-- Later capabilities (tier policy, tags, identity graph, routing) add their
-- own numbered sections; use new salts (section 1) for new decisions so
-- existing columns keep their values.

\set ON_ERROR_STOP on

-- ---------------------------------------------------------------------------
-- 0. Parameters
-- ---------------------------------------------------------------------------

\if :{?seed}
\else
\set seed 42
\endif
\if :{?customers}
\else
\set customers 2000
\endif
\if :{?days}
\else
\set days 90
\endif

-- Integers only (they are pasted into SQL), in a range that keeps the
-- arithmetic below exact.
SELECT :'seed' ~ '^[0-9]{1,12}$' AND :'customers' ~ '^[0-9]{1,8}$' AND :'days' ~ '^[0-9]{1,4}$'
	AS params_ok \gset
\if :params_ok
SELECT :customers >= 1 AND :days BETWEEN 1 AND 3650 AS params_ok \gset
\endif
\if :params_ok
\else
\warn 'generate.sql: seed must be 0..999999999999, customers 1..99999999, days 1..3650'
DO $$ BEGIN RAISE EXCEPTION 'bad parameters for data/generate.sql'; END $$;
\endif

-- Time is computed in epoch seconds and turned into timestamptz with
-- to_timestamp(), so no step depends on the session's TimeZone.
--   end_epoch       2026-11-01 00:00:00+08, the end of the sample
--   start_epoch     :days days (of 86400 s) earlier
--   incident_epoch  2026-10-01 00:00:00+08: on the National Day holiday the
--                   game ships an event update with a payment bug; for a
--                   week contacts jump and satisfaction drops (section 4/5)
\set end_epoch 1793462400
\set incident_epoch 1790784000
SELECT :end_epoch - :days * 86400 AS start_epoch \gset

SET client_min_messages = warning;
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';

BEGIN;

-- Replace an earlier sample.
SELECT pg_catalog.to_regclass('mycc_sample.contact') IS NOT NULL AS had_sample \gset
\if :had_sample
DELETE FROM mycc.contact AS k
USING mycc_sample.customer AS c
WHERE k.customer_id = c.id;
DELETE FROM mycc.identity AS i
USING mycc_sample.customer AS c
WHERE i.customer_id = c.id;
DELETE FROM mycc.survey AS s
USING mycc_sample.contact AS c
WHERE s.customer_id = c.customer_id AND s.contact_id = c.id;
DELETE FROM mycc.customer AS m
USING mycc_sample.customer AS c
WHERE m.id = c.id;
\endif
DROP SCHEMA IF EXISTS mycc_sample CASCADE;
CREATE SCHEMA mycc_sample;
COMMENT ON SCHEMA mycc_sample IS 'sample contact-center data made by data/generate.sql';

CREATE TABLE mycc_sample.parameters AS
SELECT :seed::bigint AS seed, :customers::integer AS customers, :days::integer AS days,
	pg_catalog.to_timestamp(:start_epoch) AS start_at,
	pg_catalog.to_timestamp(:end_epoch) AS end_at,
	pg_catalog.to_timestamp(:incident_epoch) AS incident_at;
COMMENT ON TABLE mycc_sample.parameters IS 'how the sample was made: psql variables of data/generate.sql';

-- ---------------------------------------------------------------------------
-- 1. Random helpers
--
-- uniform(key, salt) is a uniform number in [0, 1): the top 53 bits of
-- hashint8extended(key, seed * 100000 + salt).  The key is the row's id
-- (customer or contact); the salt makes the decisions of one row
-- independent: one salt per decision, section N using N00..N99 (1xx
-- customers, 2xx identities, 3xx contacts, 4xx surveys); normal() also uses
-- salt + 50000.
-- The seed is pasted into the function body, so these functions belong to
-- this sample.  They are inlined by the planner (plain SQL, IMMUTABLE), and
-- pick()'s weight arrays are folded to constants at plan time: millions of
-- rows cost little.
-- ---------------------------------------------------------------------------

CREATE FUNCTION mycc_sample.uniform(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((pg_catalog.hashint8extended(key, :seed::bigint * 100000 + salt) >> 11)
	& 9007199254740991)::double precision / 9007199254740992.0;
COMMENT ON FUNCTION mycc_sample.uniform(bigint, integer) IS 'uniform [0, 1) from a hash of (seed, key, salt)';

-- Standard normal (Box-Muller on two uniforms).
CREATE FUNCTION mycc_sample.normal(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.sqrt(-2.0 * pg_catalog.ln(1.0 - mycc_sample.uniform(key, salt)))
	* pg_catalog.cos(2.0 * pg_catalog.pi() * mycc_sample.uniform(key, salt + 50000));
COMMENT ON FUNCTION mycc_sample.normal(bigint, integer) IS 'standard normal from hashes of (seed, key, salt) and (seed, key, salt + 50000)';

-- Exponential with mean 1 (waiting times, counts).
CREATE FUNCTION mycc_sample.exponential(key bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN -pg_catalog.ln(1.0 - mycc_sample.uniform(key, salt));
COMMENT ON FUNCTION mycc_sample.exponential(bigint, integer) IS 'exponential with mean 1 from a hash of (seed, key, salt)';

-- weights → cumulative lower bounds in [0, 1), e.g. {3,1} → {0,0.75}.
CREATE FUNCTION mycc_sample.cutoffs(weights double precision[]) RETURNS double precision[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT pg_catalog.array_agg(b.below / b.total ORDER BY b.i)
	FROM (SELECT w.i,
			COALESCE(pg_catalog.sum(w.w) OVER (ORDER BY w.i ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS below,
			pg_catalog.sum(w.w) OVER () AS total
		FROM pg_catalog.unnest(weights) WITH ORDINALITY AS w(w, i)) AS b;
END;
COMMENT ON FUNCTION mycc_sample.cutoffs(double precision[]) IS 'cumulative shares of weights, for width_bucket()';

-- One of labels, chosen with the given relative weights by a uniform u.
CREATE FUNCTION mycc_sample.pick(u double precision, labels anyarray, weights double precision[]) RETURNS anyelement
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT labels[pg_catalog.width_bucket(u, mycc_sample.cutoffs(weights))] $$;
COMMENT ON FUNCTION mycc_sample.pick(double precision, anyarray, double precision[]) IS 'labels[i] with probability weights[i] / sum(weights), for u uniform in [0, 1)';

-- ---------------------------------------------------------------------------
-- 2. Customers
--
-- Value (lifetime spend, yuan).  Games live on few payers: 60% of players
-- never pay (value 0).  The other 40% spend a log-normal amount, median 68
-- yuan (a classic top-up pack) with sigma 2.0, at least 6 yuan (the smallest
-- top-up).  That is the brief's steep Pareto curve: the top 10% of customers
-- bring ~90% of revenue, the top 2% about 60%.  (A plain Pareto tail steep
-- enough for 10/90 would hand most of a small sample's revenue to one whale;
-- the log-normal keeps the shares stable from 2,000 to 1,000,000 customers.)
--
-- Tier follows value (the thresholds are the tier policy's min_value):
--   high >= 2000 yuan (~2% of customers), mid >= 250 (~8%),
--   low > 0 (~30%), free = 0 (~60%).
--
-- Tenure: created an exponential time before the end, mean 420 days, at
-- most 8 years (the first game's launch); ~19% join within the last 90 days.
--
-- Names: a surname drawn with its real frequency in China (王, 李, 张 lead;
-- a few two-character surnames), then one given character (30%) or two.
-- ---------------------------------------------------------------------------

CREATE FUNCTION mycc_sample.surnames() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{王,李,张,刘,陈,杨,黄,赵,吴,周,徐,孙,马,朱,胡,郭,何,高,林,罗,郑,梁,谢,宋,唐,许,韩,冯,邓,曹,彭,曾,肖,田,董,袁,潘,于,蒋,蔡,余,杜,叶,程,苏,魏,吕,丁,任,沈,欧阳,上官,司马}'::text[];
CREATE FUNCTION mycc_sample.surname_pinyin() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{wang,li,zhang,liu,chen,yang,huang,zhao,wu,zhou,xu,sun,ma,zhu,hu,guo,he,gao,lin,luo,zheng,liang,xie,song,tang,xu,han,feng,deng,cao,peng,zeng,xiao,tian,dong,yuan,pan,yu,jiang,cai,yu,du,ye,cheng,su,wei,lv,ding,ren,shen,ouyang,shangguan,sima}'::text[];
-- Share of the population in 1/10000, in the order of surnames().
CREATE FUNCTION mycc_sample.surname_weights() RETURNS double precision[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{710,700,670,540,460,310,220,200,200,190,130,120,110,110,100,100,90,90,90,80,70,70,60,50,50,50,50,40,40,40,40,40,40,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,30,20,5,2,2}'::double precision[];
CREATE FUNCTION mycc_sample.given_chars() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀,霞,平,刚,英,华,玉,萍,红,鹏,辉,建,文,斌,宇,浩,凯,欣,怡,梓,涵,子,轩,雨,晨,思,佳,嘉,博,一,诺,俊,宁,婷,雪,琳,晓,阳,峰,鑫,龙,飞,亮,波,颖,慧,倩,瑶,睿,泽,然,昊,天,梦,琪,悦,可,安,乐,心,铭,航,桐}'::text[];

-- Index into surnames() of customer id (salt 103, shared by name and email).
CREATE FUNCTION mycc_sample.surname_index(id bigint) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.width_bucket(mycc_sample.uniform(id, 103), mycc_sample.cutoffs(mycc_sample.surname_weights()));

CREATE TABLE mycc_sample.customer (
	id bigint NOT NULL,
	name text NOT NULL,
	tier text NOT NULL,
	lifetime_value numeric(12,2) NOT NULL,
	created_at timestamptz NOT NULL
);
COMMENT ON TABLE mycc_sample.customer IS 'sample customers: 60% free players, a log-normal spend for payers, tier by value';

INSERT INTO mycc_sample.customer (id, name, tier, lifetime_value, created_at)
SELECT v.id,
	(mycc_sample.surnames())[mycc_sample.surname_index(v.id)]
		|| (mycc_sample.given_chars())[1 + pg_catalog.floor(mycc_sample.uniform(v.id, 104) * 80)::integer]
		|| CASE WHEN mycc_sample.uniform(v.id, 105) < 0.7
			THEN (mycc_sample.given_chars())[1 + pg_catalog.floor(mycc_sample.uniform(v.id, 106) * 80)::integer]
			ELSE '' END,
	CASE WHEN v.value >= 2000 THEN 'high'
		WHEN v.value >= 250 THEN 'mid'
		WHEN v.value > 0 THEN 'low'
		ELSE 'free' END,
	v.value,
	pg_catalog.to_timestamp(:end_epoch - pg_catalog.floor(
		LEAST(8 * 365, 420 * mycc_sample.exponential(v.id, 107)) * 86400))
FROM (SELECT i AS id,
		CASE WHEN mycc_sample.uniform(i, 101) < 0.40
			THEN GREATEST(6, pg_catalog.round(68 * pg_catalog.exp(2.0 * mycc_sample.normal(i, 102)))::numeric)
			ELSE 0 END AS value
	FROM pg_catalog.generate_series(1, :customers::bigint) AS i) AS v;

-- Tags: what the shop knows about each customer (~9 tags), salts 150-159.
--   vip                 every high customer
--   new                 joined in the last 30 days
--   90后 / 00后 / 80后 / 70后   generation, 35/30/25/10%
--   region:北京 ...     one of ten cities
--   device:android / iphone / harmonyos   55/30/15%
--   literary 12%, science_geek 8%, complainer 5%, bought:fridge_500l 3%
--   interest:N ×3       N in 1..2999, log-uniform (P ~ 1/N, Zipf-like): a
--                       vocabulary of a few thousand tags, few very common
CREATE FUNCTION mycc_sample.customer_tags(id bigint, value numeric, created_at timestamptz)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN pg_catalog.array_remove(ARRAY[
	CASE WHEN value >= 2000 THEN 'vip' END,
	CASE WHEN created_at >= pg_catalog.to_timestamp(:end_epoch - 30 * 86400) THEN 'new' END,
	mycc_sample.pick(mycc_sample.uniform(id, 150), '{90后,00后,80后,70后}'::text[], '{35,30,25,10}'),
	'region:' || mycc_sample.pick(mycc_sample.uniform(id, 151),
		'{北京,上海,广州,深圳,成都,杭州,武汉,西安,南京,重庆}'::text[],
		'{16,16,12,12,9,9,7,7,6,6}'),
	'device:' || mycc_sample.pick(mycc_sample.uniform(id, 152), '{android,iphone,harmonyos}'::text[], '{55,30,15}'),
	CASE WHEN mycc_sample.uniform(id, 153) < 0.12 THEN 'literary' END,
	CASE WHEN mycc_sample.uniform(id, 154) < 0.08 THEN 'science_geek' END,
	CASE WHEN mycc_sample.uniform(id, 155) < 0.05 THEN 'complainer' END,
	CASE WHEN mycc_sample.uniform(id, 156) < 0.03 THEN 'bought:fridge_500l' END,
	'interest:' || pg_catalog.floor(pg_catalog.power(3000, mycc_sample.uniform(id, 157)))::integer,
	'interest:' || pg_catalog.floor(pg_catalog.power(3000, mycc_sample.uniform(id, 158)))::integer,
	'interest:' || pg_catalog.floor(pg_catalog.power(3000, mycc_sample.uniform(id, 159)))::integer
], NULL);
COMMENT ON FUNCTION mycc_sample.customer_tags(bigint, numeric, timestamptz) IS 'the sample tags of a customer (see data/generate.sql section 2)';

-- The same customers in mycc.customer, tiered by mycc's own policy: the
-- seeded tiers' min_value are the thresholds above, so tier_for_value()
-- agrees with the sample's tier column.
INSERT INTO mycc.customer (id, name, tier, tags, lifetime_value, created_at)
SELECT c.id, c.name, mycc.tier_for_value(c.lifetime_value),
	mycc.tagset(mycc_sample.customer_tags(c.id, c.lifetime_value, c.created_at)),
	c.lifetime_value, c.created_at
FROM mycc_sample.customer AS c;
SELECT pg_catalog.setval('mycc.customer_id_seq', GREATEST(
	(SELECT pg_catalog.max(id) FROM mycc.customer),
	(SELECT last_value FROM mycc.customer_id_seq))) AS customer_id_seq_at \gset

-- ---------------------------------------------------------------------------
-- 3. Identities: the identifiers each customer shows on its channels, raw,
-- as the channels report them (not normalised: that is mycc's job).
--
--   app     100%  the game account UID, 8 digits, unique (a bijection of id)
--   qq       70%  QQ number, up to 10 digits, unique (a bijection of id)
--   wechat   55%  WeChat id, wxid_ + 14 characters
--   phone    60%  (85% of mid, every high customer) an 11-digit mainland
--                 mobile number written in one of 8 styles, '13800138000',
--                 '138 0013 8000', '+86-138-0013-8000', '0086 ...'.  8% of
--                 owners have the same number again in another style (seen
--                 on a second channel), 5% a second number.  Numbers are
--                 hashed, so a few collide at a million customers: shared
--                 family phones, as in life.
--   email    35%  pinyin of the surname + digits at a Chinese mail host, or
--                 the QQ number @qq.com; 6% with capitals, 3% with stray
--                 spaces
-- ---------------------------------------------------------------------------

CREATE TABLE mycc_sample.identity (
	customer_id bigint NOT NULL,
	kind text NOT NULL,
	value text NOT NULL
);
COMMENT ON TABLE mycc_sample.identity IS 'sample identifiers of customers, raw as channels report them (phones in varied formats)';

-- Phone digits d (11) in one of 8 styles.
CREATE FUNCTION mycc_sample.phone_style(d text, style integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE style
	WHEN 1 THEN d
	WHEN 2 THEN substr(d, 1, 3) || ' ' || substr(d, 4, 4) || ' ' || substr(d, 8, 4)
	WHEN 3 THEN substr(d, 1, 3) || '-' || substr(d, 4, 4) || '-' || substr(d, 8, 4)
	WHEN 4 THEN '+86 ' || substr(d, 1, 3) || ' ' || substr(d, 4, 4) || ' ' || substr(d, 8, 4)
	WHEN 5 THEN '+86-' || substr(d, 1, 3) || '-' || substr(d, 4, 4) || '-' || substr(d, 8, 4)
	WHEN 6 THEN '+86' || d
	WHEN 7 THEN '0086 ' || d
	ELSE '(+86) ' || substr(d, 1, 3) || '-' || substr(d, 4, 4) || '-' || substr(d, 8, 4)
	END;

-- Style number, from a uniform: plain 30%, spaced 20%, dashed 10%, the
-- international forms 10/10/10/5/5%.
CREATE FUNCTION mycc_sample.phone_style_of(u double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN mycc_sample.pick(u, '{1,2,3,4,5,6,7,8}'::integer[], '{30,20,10,10,10,10,5,5}');

-- A mobile number: a real carrier prefix and 8 hashed digits.
CREATE FUNCTION mycc_sample.phone_digits(key bigint, salt integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN mycc_sample.pick(mycc_sample.uniform(key, salt),
		'{130,131,132,133,135,136,137,138,139,150,151,152,155,157,158,159,166,176,177,178,180,181,182,183,185,186,187,188,189,198,199}'::text[],
		'{4,4,4,3,3,4,4,5,6,3,3,3,3,2,3,3,2,2,2,2,2,2,2,2,2,4,3,3,3,2,2}')
	|| pg_catalog.lpad(pg_catalog.floor(mycc_sample.uniform(key, salt + 1) * 100000000)::bigint::text, 8, '0');

-- app: the game UID.  55623059 (~0.618 x 9e7) is coprime to 9e7, so
-- id -> id * 55623059 mod 9e7 is a bijection for ids below 9e7: unique and
-- scattered.
INSERT INTO mycc_sample.identity (customer_id, kind, value)
SELECT c.id, 'app', (10000000 + (c.id * 55623059 + :seed::bigint) % 90000000)::text
FROM mycc_sample.customer AS c;

-- qq: the same kind of bijection (2472129779 is coprime to 3999990000).
INSERT INTO mycc_sample.identity (customer_id, kind, value)
SELECT c.id, 'qq', (10000 + (c.id * 2472129779 + 7 * :seed::bigint) % 3999990000)::text
FROM mycc_sample.customer AS c
WHERE mycc_sample.uniform(c.id, 201) < 0.70;

-- wechat
INSERT INTO mycc_sample.identity (customer_id, kind, value)
SELECT c.id, 'wechat', 'wxid_' || substr(pg_catalog.md5(:seed || ':wechat:' || c.id), 1, 14)
FROM mycc_sample.customer AS c
WHERE mycc_sample.uniform(c.id, 202) < 0.55;

-- phone: the main number, the same number in a second style, a second number.
INSERT INTO mycc_sample.identity (customer_id, kind, value)
SELECT p.id, 'phone', mycc_sample.phone_style(p.digits, p.style)
FROM (SELECT c.id, mycc_sample.phone_digits(c.id, 210) AS digits,
		mycc_sample.phone_style_of(mycc_sample.uniform(c.id, 212)) AS style
	FROM mycc_sample.customer AS c
	WHERE mycc_sample.uniform(c.id, 203) < CASE c.tier WHEN 'high' THEN 1.0 WHEN 'mid' THEN 0.85 ELSE 0.60 END) AS p
UNION ALL
SELECT p.id, 'phone', mycc_sample.phone_style(p.digits, p.style)
FROM (SELECT c.id, mycc_sample.phone_digits(c.id, 210) AS digits,
		-- another style than the first: shift by 1..7 styles
		1 + (mycc_sample.phone_style_of(mycc_sample.uniform(c.id, 212)) - 1
			+ 1 + pg_catalog.floor(mycc_sample.uniform(c.id, 213) * 7)::integer) % 8 AS style
	FROM mycc_sample.customer AS c
	WHERE mycc_sample.uniform(c.id, 203) < CASE c.tier WHEN 'high' THEN 1.0 WHEN 'mid' THEN 0.85 ELSE 0.60 END
		AND mycc_sample.uniform(c.id, 204) < 0.08) AS p
UNION ALL
SELECT p.id, 'phone', mycc_sample.phone_style(p.digits, p.style)
FROM (SELECT c.id, mycc_sample.phone_digits(c.id, 214) AS digits,
		mycc_sample.phone_style_of(mycc_sample.uniform(c.id, 216)) AS style
	FROM mycc_sample.customer AS c
	WHERE mycc_sample.uniform(c.id, 203) < CASE c.tier WHEN 'high' THEN 1.0 WHEN 'mid' THEN 0.85 ELSE 0.60 END
		AND mycc_sample.uniform(c.id, 205) < 0.05) AS p;

-- email: half of the qq.com addresses are the QQ number itself.
INSERT INTO mycc_sample.identity (customer_id, kind, value)
SELECT e.id, 'email',
	CASE WHEN mycc_sample.uniform(e.id, 222) < 0.03 THEN ' ' || e.address || ' '
		WHEN mycc_sample.uniform(e.id, 222) < 0.09 THEN pg_catalog.initcap(e.address)
		ELSE e.address END
FROM (SELECT c.id,
		CASE WHEN e.host = 'qq.com' AND mycc_sample.uniform(c.id, 201) < 0.70
				AND mycc_sample.uniform(c.id, 221) < 0.5
			THEN (10000 + (c.id * 2472129779 + 7 * :seed::bigint) % 3999990000)::text
			ELSE (mycc_sample.surname_pinyin())[mycc_sample.surname_index(c.id)]
				|| mycc_sample.pick(mycc_sample.uniform(c.id, 223), '{"",.,_}'::text[], '{6,2,2}')
				|| pg_catalog.floor(mycc_sample.uniform(c.id, 224) * 10000)::integer::text
			END || '@' || e.host AS address
	FROM mycc_sample.customer AS c,
		LATERAL (SELECT mycc_sample.pick(mycc_sample.uniform(c.id, 225),
			'{qq.com,163.com,126.com,sina.com,foxmail.com,gmail.com,outlook.com}'::text[],
			'{50,20,8,5,5,7,5}') AS host) AS e
	WHERE mycc_sample.uniform(c.id, 206) < 0.35) AS e;

-- ---------------------------------------------------------------------------
-- 4. Contacts
--
-- How many: a customer contacts us a geometric number of times per 90 days
-- (many never, a few often), mean by tier: free 9, low 12, mid 20, high 44
-- (high-value players call their account manager), scaled by the days the
-- customer existed in the window.  Overall ~10 per customer per 90 days.
-- Ids are consecutive per customer (a running sum over customers), so they
-- do not depend on the plan.
--
-- When: a day uniform over the customer's days in the window, an hour from
-- a game company's day (quiet 2-7 am, peak 8-11 pm, China time).  6% of the
-- contacts of customers who existed then fall in the incident week
-- (2026-10-01..07, when the window covers it), about doubling its volume.
--
-- Channel, by tier (the brief: QQ and the in-game form bring ~90% of the
-- game's contacts, phone ~2.5%; high-value customers phone and WeChat their
-- account manager; free players are steered to deferred channels):
--   in %      phone wechat  qq  in_game app email web
--   high        15    28    22    20     8    4    3
--   mid          3     8    40    40     5    2    2
--   low          1.5   2.5  40    50     3    1.5  1.5
--   free         0.5   1    38    55.5   2    1.5  1.5
--
-- Topic, by channel: game channels (qq, in_game) are about payment
-- (top-ups not credited), account, bugs and gameplay; shop channels (app,
-- web, wechat, email, phone) about delivery and refunds of merchandise.
-- Half of the incident's extra contacts are about payment (the bug).
--
-- Duration: phone ~5 min, chat (qq, wechat, app) ~12 min; deferred forms
-- (in_game, email, web) end when a human answers, ~3 h later (~30 min for
-- high, mid tiers).
-- ---------------------------------------------------------------------------

CREATE TABLE mycc_sample.contact (
	id bigint NOT NULL,
	customer_id bigint NOT NULL,
	channel mycc.channel NOT NULL,
	started_at timestamptz NOT NULL,
	ended_at timestamptz NOT NULL,
	topic text NOT NULL
);
COMMENT ON TABLE mycc_sample.contact IS 'sample contacts: QQ and the in-game form dominate, phone ~2.5%; an incident in the week of 2026-10-01';

INSERT INTO mycc_sample.contact (id, customer_id, channel, started_at, ended_at, topic)
WITH plan AS (
	-- contacts per customer, and where its ids start
	SELECT n.id, n.tier, n.created, n.first_day, n.contacts,
		(pg_catalog.sum(n.contacts) OVER (ORDER BY n.id))::bigint - n.contacts AS ids_before
	FROM (SELECT c.id, c.tier, w.created, w.first_day,
			pg_catalog.floor(mycc_sample.exponential(c.id, 301)
				* CASE c.tier WHEN 'high' THEN 44 WHEN 'mid' THEN 20 WHEN 'low' THEN 12 ELSE 9 END
				* (:days - w.first_day) / 90.0)::bigint AS contacts
		FROM mycc_sample.customer AS c,
			LATERAL (SELECT pg_catalog.date_part('epoch', c.created_at) AS created,
				GREATEST(0, pg_catalog.floor((pg_catalog.date_part('epoch', c.created_at) - :start_epoch) / 86400))::integer AS first_day) AS w
		) AS n
),
timed AS (
	SELECT k.id, p.id AS customer_id, p.tier, k.incident,
		-- seconds since epoch; not before the customer existed
		GREATEST(p.created,
			CASE WHEN k.incident
				THEN :incident_epoch + pg_catalog.floor(mycc_sample.uniform(k.id, 311) * 7) * 86400
				ELSE :start_epoch + (p.first_day + pg_catalog.floor(mycc_sample.uniform(k.id, 311) * (:days - p.first_day))) * 86400
			END
			+ 3600 * mycc_sample.pick(mycc_sample.uniform(k.id, 312), '{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23}'::integer[],
				'{3,2,1,0.5,0.5,0.5,1,2,3,5,6,6,6,6,6,6,6,6,6,7,8,9,8,5}')
			+ pg_catalog.floor(mycc_sample.uniform(k.id, 313) * 3600)) AS started
	FROM plan AS p,
		LATERAL pg_catalog.generate_series(p.ids_before + 1, p.ids_before + p.contacts) AS j,
		LATERAL (SELECT j AS id,
			:incident_epoch >= :start_epoch AND p.created < :incident_epoch
				AND mycc_sample.uniform(j, 310) < 0.06 AS incident) AS k
),
routed AS (
	SELECT t.*,
		CASE t.tier
			WHEN 'high' THEN mycc_sample.pick(mycc_sample.uniform(t.id, 320), '{phone,wechat,qq,in_game,app,email,web}'::mycc.channel[], '{15,28,22,20,8,4,3}')
			WHEN 'mid' THEN mycc_sample.pick(mycc_sample.uniform(t.id, 320), '{phone,wechat,qq,in_game,app,email,web}'::mycc.channel[], '{3,8,40,40,5,2,2}')
			WHEN 'low' THEN mycc_sample.pick(mycc_sample.uniform(t.id, 320), '{phone,wechat,qq,in_game,app,email,web}'::mycc.channel[], '{1.5,2.5,40,50,3,1.5,1.5}')
			ELSE mycc_sample.pick(mycc_sample.uniform(t.id, 320), '{phone,wechat,qq,in_game,app,email,web}'::mycc.channel[], '{0.5,1,38,55.5,2,1.5,1.5}')
		END AS channel
	FROM timed AS t
)
SELECT r.id, r.customer_id, r.channel,
	pg_catalog.to_timestamp(r.started),
	pg_catalog.to_timestamp(r.started + pg_catalog.floor(
		CASE
			WHEN r.channel = 'phone' THEN 300 * pg_catalog.exp(0.5 * mycc_sample.normal(r.id, 331))
			WHEN r.channel IN ('qq', 'wechat', 'app') THEN 720 * pg_catalog.exp(0.7 * mycc_sample.normal(r.id, 331))
			WHEN r.tier IN ('high', 'mid') THEN 1800 * pg_catalog.exp(0.8 * mycc_sample.normal(r.id, 331))
			ELSE 10800 * pg_catalog.exp(1.0 * mycc_sample.normal(r.id, 331))
		END)),
	CASE
		WHEN r.incident AND mycc_sample.uniform(r.id, 340) < 0.5 THEN 'payment'
		WHEN r.channel IN ('qq', 'in_game') THEN mycc_sample.pick(mycc_sample.uniform(r.id, 341),
			'{payment,account,bug,gameplay,refund,delivery}'::text[], '{28,24,20,16,10,2}')
		ELSE mycc_sample.pick(mycc_sample.uniform(r.id, 341),
			'{delivery,refund,payment,account,bug,gameplay}'::text[], '{32,24,18,14,7,5}')
	END
FROM routed AS r;

-- ---------------------------------------------------------------------------
-- 5. Survey answers (into mycc.survey; id = the contact's id)
--
-- Who answers: after-call IVR and chat surveys are answered more than mail:
-- phone 32%, wechat 30%, app 24%, qq 22%, in_game 20%, web 12%, email 8%;
-- times 1.3 for high, 1.1 mid, 0.9 free.  ~20% of contacts overall.  Only
-- answers given before the end of the sample are kept.
--
-- What they answer: a latent satisfaction
--   s = 8.6 + tier + channel + topic + incident + trend + mood + 2.2 z
--   tier     high +1.5, mid +0.7, low 0, free -0.6
--   channel  phone +1.0, wechat +0.8, app +0.3, qq 0, web -0.3,
--            in_game -0.6, email -1.0 (a deferred form's wait)
--   topic    gameplay +0.3, account -0.2, delivery -0.3, payment -0.5,
--            bug -0.7, refund -0.8
--   incident -1.2 for contacts in the incident week
--   trend    +0.6 over the window (the team gets better)
--   mood     a customer's own temper, 0.8 z (the same in all answers)
-- NPS = s rounded into 0..10 (so answers pile up at 10 and 0, as they do).
-- CSAT = 3.4 + (s - 7) / 1.8 + 0.6 z' rounded into 1..5: tracks NPS.
-- 8% answer only the CSAT question, 5% only the NPS question.
-- ---------------------------------------------------------------------------

-- mycc.survey.tier may be text or mycc.customer_tier (the tier capability):
-- cast the tier name to whatever type the column has.
SELECT pg_catalog.format_type(a.atttypid, a.atttypmod) AS survey_tier_type
FROM pg_catalog.pg_attribute AS a
WHERE a.attrelid = 'mycc.survey'::pg_catalog.regclass AND a.attname = 'tier' \gset

INSERT INTO mycc.survey (customer_id, id, contact_id, channel, tier, nps, csat, answered_at)
SELECT a.customer_id, a.id, a.id, a.channel, CAST(a.tier AS :survey_tier_type),
	CASE WHEN a.asked >= 0.08 THEN LEAST(10, GREATEST(0, pg_catalog.round(a.s)))::integer END,
	CASE WHEN a.asked < 0.08 OR a.asked >= 0.13
		THEN LEAST(5, GREATEST(1, pg_catalog.round(3.4 + (a.s - 7) / 1.8 + 0.6 * mycc_sample.normal(a.id, 402))))::smallint END,
	pg_catalog.to_timestamp(a.answered)
FROM (
	SELECT k.id, k.customer_id, k.channel, c.tier,
		mycc_sample.uniform(k.id, 403) AS asked,
		pg_catalog.date_part('epoch', k.ended_at) + pg_catalog.floor(
			CASE WHEN k.channel = 'phone' THEN 20 + 60 * mycc_sample.uniform(k.id, 404)
				WHEN k.channel IN ('qq', 'wechat', 'app') THEN 180 * pg_catalog.exp(0.8 * mycc_sample.normal(k.id, 404))
				ELSE 7200 * pg_catalog.exp(1.2 * mycc_sample.normal(k.id, 404))
			END) AS answered,
		8.6
		+ CASE c.tier WHEN 'high' THEN 1.5 WHEN 'mid' THEN 0.7 WHEN 'low' THEN 0 ELSE -0.6 END
		+ CASE k.channel WHEN 'phone' THEN 1.0 WHEN 'wechat' THEN 0.8 WHEN 'app' THEN 0.3 WHEN 'qq' THEN 0
			WHEN 'web' THEN -0.3 WHEN 'in_game' THEN -0.6 WHEN 'email' THEN -1.0 ELSE 0 END
		+ CASE k.topic WHEN 'gameplay' THEN 0.3 WHEN 'account' THEN -0.2 WHEN 'delivery' THEN -0.3
			WHEN 'payment' THEN -0.5 WHEN 'bug' THEN -0.7 WHEN 'refund' THEN -0.8 ELSE 0 END
		+ CASE WHEN pg_catalog.date_part('epoch', k.started_at) >= :incident_epoch
			AND pg_catalog.date_part('epoch', k.started_at) < :incident_epoch + 7 * 86400 THEN -1.2 ELSE 0 END
		+ 0.6 * (pg_catalog.date_part('epoch', k.started_at) - :start_epoch) / (:days * 86400.0)
		+ 0.8 * mycc_sample.normal(k.customer_id, 401)
		+ 2.2 * mycc_sample.normal(k.id, 400) AS s
	FROM mycc_sample.contact AS k
	JOIN mycc_sample.customer AS c ON c.id = k.customer_id
	WHERE mycc_sample.uniform(k.id, 405) <
		CASE k.channel WHEN 'phone' THEN 0.32 WHEN 'wechat' THEN 0.30 WHEN 'app' THEN 0.24 WHEN 'qq' THEN 0.22
			WHEN 'in_game' THEN 0.20 WHEN 'web' THEN 0.12 WHEN 'email' THEN 0.08 ELSE 0.15 END
		* CASE c.tier WHEN 'high' THEN 1.3 WHEN 'mid' THEN 1.1 WHEN 'low' THEN 1.0 ELSE 0.9 END
) AS a
WHERE a.answered < :end_epoch;

-- Later inserts take ids from the sequence: start it past ours.
SELECT pg_catalog.setval('mycc.survey_id_seq', GREATEST(
	(SELECT pg_catalog.max(id) FROM mycc.survey),
	(SELECT last_value FROM mycc.survey_id_seq))) AS survey_id_seq_at \gset

-- ---------------------------------------------------------------------------
-- 6. Keys (after loading: faster than maintaining them row by row) and
-- statistics.  Customer-keyed tables have the customer in every key, as
-- mycc's own tables do (design.md section 8).
-- ---------------------------------------------------------------------------

ALTER TABLE mycc_sample.customer
	ADD PRIMARY KEY (id),
	ADD CONSTRAINT customer_tier_check CHECK (tier IN ('high', 'mid', 'low', 'free'));
ALTER TABLE mycc_sample.identity
	ADD PRIMARY KEY (customer_id, kind, value),
	ADD FOREIGN KEY (customer_id) REFERENCES mycc_sample.customer (id);
ALTER TABLE mycc_sample.contact
	ADD PRIMARY KEY (customer_id, id),
	ADD FOREIGN KEY (customer_id) REFERENCES mycc_sample.customer (id);

COMMIT;

ANALYZE mycc_sample.customer, mycc_sample.identity, mycc_sample.contact, mycc.customer, mycc.survey;

-- ---------------------------------------------------------------------------
-- 8. Identities and contacts in mycc.identity and mycc.contact, so that
-- lookups, conversations and timelines work on the sample.  Identifiers are
-- normalised (country code 86 whatever the session's setting): the eight
-- ways of writing a number become one.  A number two customers share (a
-- family phone) belongs to the one with the lower id, as mycc.resolve
-- would have given it to the first who called.  A contact carries the
-- identifier of its channel (phone and SMS the main phone, the app and the
-- in-game form the game UID).  Contacts are finished; none are merged.
-- ---------------------------------------------------------------------------

BEGIN;
INSERT INTO mycc.identity (kind, value, customer_id, source, created_at)
SELECT DISTINCT ON (n.kind, n.value) n.kind, n.value, n.customer_id, 'sample', c.created_at
FROM (SELECT i.customer_id, i.kind, mycc.normalize_identity(i.kind, i.value, '86') AS value
	FROM mycc_sample.identity AS i) AS n
JOIN mycc_sample.customer AS c ON c.id = n.customer_id
ORDER BY n.kind, n.value, n.customer_id;

INSERT INTO mycc.contact (customer_id, id, channel, identity_kind, identity_value, started_at, ended_at, topic, status)
WITH first_identity AS (
	SELECT DISTINCT ON (i.customer_id, i.kind) i.customer_id, i.kind, i.value
	FROM mycc.identity AS i
	WHERE i.source = 'sample'
	ORDER BY i.customer_id, i.kind, i.value
)
SELECT k.customer_id, k.id, k.channel, u.kind, u.value, k.started_at, k.ended_at, k.topic, 'finished'
FROM mycc_sample.contact AS k
LEFT JOIN first_identity AS u
	ON u.customer_id = k.customer_id
	AND u.kind = CASE k.channel WHEN 'sms' THEN 'phone' WHEN 'in_game' THEN 'app' ELSE k.channel::text END;
SELECT pg_catalog.setval('mycc.contact_id_seq', GREATEST(
	(SELECT pg_catalog.max(id) FROM mycc.contact),
	(SELECT last_value FROM mycc.contact_id_seq))) AS contact_id_seq_at \gset
COMMIT;
ANALYZE mycc.identity, mycc.contact;

-- ---------------------------------------------------------------------------
-- 7. Summary
-- ---------------------------------------------------------------------------

SELECT (SELECT pg_catalog.count(*) FROM mycc_sample.customer) AS customers,
	(SELECT pg_catalog.count(*) FROM mycc_sample.identity) AS identities,
	(SELECT pg_catalog.count(*) FROM mycc_sample.contact) AS contacts,
	(SELECT pg_catalog.count(*) FROM mycc.identity AS i
		WHERE EXISTS (SELECT FROM mycc_sample.customer AS c WHERE c.id = i.customer_id)) AS normalised_identities,
	(SELECT pg_catalog.count(*) FROM mycc.survey AS s
		WHERE s.contact_id IS NOT NULL
		AND EXISTS (SELECT FROM mycc_sample.contact AS k WHERE k.customer_id = s.customer_id AND k.id = s.contact_id)) AS surveys;

RESET client_min_messages;
RESET work_mem;
RESET maintenance_work_mem;
