-- bench/growth/tags.sql: the tag match of bench/cases/tags.sql (query 1,
-- vip & !complainer) at :size customers, through the GIN indexes and by
-- sequential scan; included by bench/cases/growth.sql.
SELECT bench.make_tag_customers(:size);
CREATE INDEX tag_customers_tags ON tag_customers USING gin (tags);
CREATE INDEX tag_customers_arr ON tag_customers USING gin (tags_arr);
CREATE INDEX tag_customers_int ON tag_customers USING gin (tags_int gin__int_ops);
VACUUM (FREEZE, ANALYZE) tag_customers;
SELECT pg_prewarm('tag_customers'), pg_prewarm('tag_customers_tags'),
	   pg_prewarm('tag_customers_arr'), pg_prewarm('tag_customers_int');
SELECT bench.note_table('growth', 'tag_customers', :size);

\set mycc 'SELECT count(*) FROM tag_customers WHERE tags @@ ''vip & !complainer'''
\set arr 'SELECT count(*) FROM tag_customers WHERE tags_arr @> ''{vip}'' AND NOT tags_arr && ''{complainer}'''
\set int 'SELECT count(*) FROM tag_customers WHERE tags_int @@ ''1 & !2''::query_int'
\set floor 'SELECT count(*) FROM tag_customers'

-- Timed warm, as in bench/cases/tags.sql (each timed run after an untimed
-- run of the same query: no query gains from the one before it).
\set section 'tags GIN, ' :size ' customers'
SET enable_seqscan = off;
SELECT bench.measure('growth', :'section', ARRAY['mycc', 'arr', 'int', 'floor'],
	ARRAY[:'mycc', :'arr', :'int', :'floor'], :runs, :'method', 0, warm => true);
SELECT bench.report('growth', :'section', 'tags: vip & !complainer, GIN: tagset @@ vs text[] @>/&&', 'mycc', 'arr', 'floor', :size);
SELECT bench.report('growth', :'section', 'tags: vip & !complainer, GIN: tagset @@ vs intarray @@', 'mycc', 'int', 'floor', :size);
SELECT bench.note_growth('growth', :'section', 'tags @@, GIN, vs text[] @>/&& GIN', 'mycc', 'arr', :size, 'customers');
SELECT bench.note_growth('growth', :'section', 'tags @@, GIN, vs intarray @@ GIN', 'mycc', 'int', :size, 'customers');
RESET enable_seqscan;

\set section 'tags seq scan, ' :size ' customers'
SET enable_bitmapscan = off;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SELECT bench.measure('growth', :'section', ARRAY['mycc', 'arr', 'int', 'floor'],
	ARRAY[:'mycc', :'arr', :'int', :'floor'], :runs, :'method', 0);
SELECT bench.report('growth', :'section', 'tags: vip & !complainer, seq scan: tagset @@ vs text[] @>/&&', 'mycc', 'arr', 'floor', :size);
SELECT bench.report('growth', :'section', 'tags: vip & !complainer, seq scan: tagset @@ vs intarray @@', 'mycc', 'int', 'floor', :size);
SELECT bench.note_growth('growth', :'section', 'tags @@, seq scan, vs text[] @>/&&', 'mycc', 'arr', :size, 'customers');
SELECT bench.note_growth('growth', :'section', 'tags @@, seq scan, vs intarray @@', 'mycc', 'int', :size, 'customers');
RESET enable_bitmapscan;
RESET enable_indexscan;
RESET enable_indexonlyscan;

DROP TABLE tag_customers;
