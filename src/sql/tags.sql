
-- ---------------------------------------------------------------------------
-- tags: tagset, tagquery, the GIN operator class, statistics and treatment
-- rules (design.md section 3; docs/tags.md)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.tagset;

CREATE FUNCTION @extschema@.tagset_in(cstring) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_out(@extschema@.tagset) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_tagset_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_recv(internal) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_send(@extschema@.tagset) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_tagset_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_typanalyze(internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_typanalyze' LANGUAGE C STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tagset (
	INPUT = @extschema@.tagset_in,
	OUTPUT = @extschema@.tagset_out,
	RECEIVE = @extschema@.tagset_recv,
	SEND = @extschema@.tagset_send,
	ANALYZE = @extschema@.tagset_typanalyze,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.tagset IS 'sorted, de-duplicated set of UTF-8 tags, e.g. ''{vip, "sale 2024", region:北京}''';
COMMENT ON FUNCTION @extschema@.tagset_in(cstring) IS 'text input of tagset';
COMMENT ON FUNCTION @extschema@.tagset_out(@extschema@.tagset) IS 'text output of tagset';
COMMENT ON FUNCTION @extschema@.tagset_recv(internal) IS 'binary input of tagset (canonical form only)';
COMMENT ON FUNCTION @extschema@.tagset_send(@extschema@.tagset) IS 'binary output of tagset';
COMMENT ON FUNCTION @extschema@.tagset_typanalyze(internal) IS 'ANALYZE support: collects tag frequencies for the row estimates of @>, && and @@';

CREATE TYPE @extschema@.tagquery;

CREATE FUNCTION @extschema@.tagquery_in(cstring) RETURNS @extschema@.tagquery
	AS 'MODULE_PATHNAME', 'mycc_tagquery_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_out(@extschema@.tagquery) RETURNS cstring
	AS 'MODULE_PATHNAME', 'mycc_tagquery_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_recv(internal) RETURNS @extschema@.tagquery
	AS 'MODULE_PATHNAME', 'mycc_tagquery_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_send(@extschema@.tagquery) RETURNS bytea
	AS 'MODULE_PATHNAME', 'mycc_tagquery_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.tagquery (
	INPUT = @extschema@.tagquery_in,
	OUTPUT = @extschema@.tagquery_out,
	RECEIVE = @extschema@.tagquery_recv,
	SEND = @extschema@.tagquery_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.tagquery IS 'Boolean rule over tags: & | ! ( ) and prefixes, e.g. ''vip & !complainer'', ''region:*''';
COMMENT ON FUNCTION @extschema@.tagquery_in(cstring) IS 'text input of tagquery';
COMMENT ON FUNCTION @extschema@.tagquery_out(@extschema@.tagquery) IS 'text output of tagquery, canonical';
COMMENT ON FUNCTION @extschema@.tagquery_recv(internal) IS 'binary input of tagquery';
COMMENT ON FUNCTION @extschema@.tagquery_send(@extschema@.tagquery) IS 'binary output of tagquery';

-- Constructors and accessors.
CREATE FUNCTION @extschema@.tagset(text[]) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset(text[]) IS 'tagset of the array''s elements, each one tag as written (no quoting)';
CREATE CAST (text[] AS @extschema@.tagset) WITH FUNCTION @extschema@.tagset(text[]);
COMMENT ON CAST (text[] AS @extschema@.tagset) IS 'each element one tag (mycc.tagset(text[]))';

CREATE FUNCTION @extschema@.tags(@extschema@.tagset) RETURNS SETOF text
	AS 'MODULE_PATHNAME', 'mycc_tagset_tags' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION @extschema@.tags(@extschema@.tagset) IS 'the tags of a set, one row each, in order';

-- Set operators.
CREATE FUNCTION @extschema@.tagset_contains(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_contained(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_overlap(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_overlap' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_has(@extschema@.tagset, text) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_has' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_union(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_union' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_add_tag(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_add_tag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_minus(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_minus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_minus_tag(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_minus_tag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_intersect(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_intersect' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_count(@extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_matches(@extschema@.tagset, @extschema@.tagquery) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_matches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagquery_matched(@extschema@.tagquery, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagquery_matched' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_sel(internal, oid, internal, integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_tagset_sel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_contains(@extschema@.tagset, @extschema@.tagset) IS 'implementation of @>: every tag of the right is in the left';
COMMENT ON FUNCTION @extschema@.tagset_contained(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <@: every tag of the left is in the right';
COMMENT ON FUNCTION @extschema@.tagset_overlap(@extschema@.tagset, @extschema@.tagset) IS 'implementation of &&: the sets share a tag';
COMMENT ON FUNCTION @extschema@.tagset_has(@extschema@.tagset, text) IS 'implementation of ?: the set has the tag';
COMMENT ON FUNCTION @extschema@.tagset_union(@extschema@.tagset, @extschema@.tagset) IS 'implementation of ||: union';
COMMENT ON FUNCTION @extschema@.tagset_add_tag(@extschema@.tagset, text) IS 'implementation of || text: the set with one more tag';
COMMENT ON FUNCTION @extschema@.tagset_minus(@extschema@.tagset, @extschema@.tagset) IS 'implementation of -: the tags of the left not in the right';
COMMENT ON FUNCTION @extschema@.tagset_minus_tag(@extschema@.tagset, text) IS 'implementation of - text: the set without one tag';
COMMENT ON FUNCTION @extschema@.tagset_intersect(@extschema@.tagset, @extschema@.tagset) IS 'implementation of &: intersection';
COMMENT ON FUNCTION @extschema@.tagset_count(@extschema@.tagset) IS 'implementation of #: number of tags';
COMMENT ON FUNCTION @extschema@.tagset_matches(@extschema@.tagset, @extschema@.tagquery) IS 'implementation of tagset @@ tagquery: the set satisfies the query';
COMMENT ON FUNCTION @extschema@.tagquery_matched(@extschema@.tagquery, @extschema@.tagset) IS 'implementation of tagquery @@ tagset (commuted)';
COMMENT ON FUNCTION @extschema@.tagset_sel(internal, oid, internal, integer) IS 'restriction estimator of @>, <@, && and @@ from tag frequencies';

CREATE OPERATOR @extschema@.@> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_contains, COMMUTATOR = OPERATOR(@extschema@.<@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.<@ (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_contained, COMMUTATOR = OPERATOR(@extschema@.@>),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.&& (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_overlap, COMMUTATOR = OPERATOR(@extschema@.&&),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.? (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_has,
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.|| (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_union, COMMUTATOR = OPERATOR(@extschema@.||)
);
CREATE OPERATOR @extschema@.|| (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_add_tag
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_minus
);
CREATE OPERATOR @extschema@.- (
	LEFTARG = @extschema@.tagset, RIGHTARG = text,
	FUNCTION = @extschema@.tagset_minus_tag
);
CREATE OPERATOR @extschema@.& (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagset_intersect, COMMUTATOR = OPERATOR(@extschema@.&)
);
CREATE OPERATOR @extschema@.# (
	RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_count
);
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagquery,
	FUNCTION = @extschema@.tagset_matches, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR @extschema@.@@ (
	LEFTARG = @extschema@.tagquery, RIGHTARG = @extschema@.tagset,
	FUNCTION = @extschema@.tagquery_matched, COMMUTATOR = OPERATOR(@extschema@.@@),
	RESTRICT = @extschema@.tagset_sel, JOIN = pg_catalog.contjoinsel
);
COMMENT ON OPERATOR @extschema@.@> (@extschema@.tagset, @extschema@.tagset) IS 'contains: every tag of the right is in the left';
COMMENT ON OPERATOR @extschema@.<@ (@extschema@.tagset, @extschema@.tagset) IS 'is contained by: every tag of the left is in the right';
COMMENT ON OPERATOR @extschema@.&& (@extschema@.tagset, @extschema@.tagset) IS 'overlaps: the sets share a tag';
COMMENT ON OPERATOR @extschema@.? (@extschema@.tagset, text) IS 'has tag';
COMMENT ON OPERATOR @extschema@.|| (@extschema@.tagset, @extschema@.tagset) IS 'union';
COMMENT ON OPERATOR @extschema@.|| (@extschema@.tagset, text) IS 'add a tag';
COMMENT ON OPERATOR @extschema@.- (@extschema@.tagset, @extschema@.tagset) IS 'difference';
COMMENT ON OPERATOR @extschema@.- (@extschema@.tagset, text) IS 'remove a tag';
COMMENT ON OPERATOR @extschema@.& (@extschema@.tagset, @extschema@.tagset) IS 'intersection';
COMMENT ON OPERATOR @extschema@.# (NONE, @extschema@.tagset) IS 'number of tags';
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tagset, @extschema@.tagquery) IS 'the set satisfies the query';
COMMENT ON OPERATOR @extschema@.@@ (@extschema@.tagquery, @extschema@.tagset) IS 'the query is satisfied by the set';

-- Comparison, btree and hash.
CREATE FUNCTION @extschema@.tagset_eq(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_ne(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_lt(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_le(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gt(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_ge(@extschema@.tagset, @extschema@.tagset) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_hash(@extschema@.tagset) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_hash_extended(@extschema@.tagset, bigint) RETURNS bigint
	AS 'MODULE_PATHNAME', 'mycc_tagset_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_eq(@extschema@.tagset, @extschema@.tagset) IS 'implementation of =';
COMMENT ON FUNCTION @extschema@.tagset_ne(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <>';
COMMENT ON FUNCTION @extschema@.tagset_lt(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <';
COMMENT ON FUNCTION @extschema@.tagset_le(@extschema@.tagset, @extschema@.tagset) IS 'implementation of <=';
COMMENT ON FUNCTION @extschema@.tagset_gt(@extschema@.tagset, @extschema@.tagset) IS 'implementation of >';
COMMENT ON FUNCTION @extschema@.tagset_ge(@extschema@.tagset, @extschema@.tagset) IS 'implementation of >=';
COMMENT ON FUNCTION @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset) IS 'btree support: tag by tag, bytewise';
COMMENT ON FUNCTION @extschema@.tagset_hash(@extschema@.tagset) IS 'hash support';
COMMENT ON FUNCTION @extschema@.tagset_hash_extended(@extschema@.tagset, bigint) IS 'hash support, seeded';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.tagset, RIGHTARG = @extschema@.tagset, FUNCTION = @extschema@.tagset_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.tagset, @extschema@.tagset) IS 'same tags';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.tagset, @extschema@.tagset) IS 'different tags';
COMMENT ON OPERATOR @extschema@.< (@extschema@.tagset, @extschema@.tagset) IS 'sorts before (tag by tag)';
COMMENT ON OPERATOR @extschema@.<= (@extschema@.tagset, @extschema@.tagset) IS 'sorts before or equal';
COMMENT ON OPERATOR @extschema@.> (@extschema@.tagset, @extschema@.tagset) IS 'sorts after (tag by tag)';
COMMENT ON OPERATOR @extschema@.>= (@extschema@.tagset, @extschema@.tagset) IS 'sorts after or equal';

CREATE OPERATOR CLASS @extschema@.tagset_btree_ops DEFAULT FOR TYPE @extschema@.tagset USING btree AS
	OPERATOR 1 @extschema@.<,
	OPERATOR 2 @extschema@.<=,
	OPERATOR 3 @extschema@.=,
	OPERATOR 4 @extschema@.>=,
	OPERATOR 5 @extschema@.>,
	FUNCTION 1 @extschema@.tagset_cmp(@extschema@.tagset, @extschema@.tagset);
CREATE OPERATOR CLASS @extschema@.tagset_hash_ops DEFAULT FOR TYPE @extschema@.tagset USING hash AS
	OPERATOR 1 @extschema@.=,
	FUNCTION 1 @extschema@.tagset_hash(@extschema@.tagset),
	FUNCTION 2 @extschema@.tagset_hash_extended(@extschema@.tagset, bigint);
COMMENT ON OPERATOR CLASS @extschema@.tagset_btree_ops USING btree IS 'btree order of tagsets (tag by tag, bytewise)';
COMMENT ON OPERATOR CLASS @extschema@.tagset_hash_ops USING hash IS 'hash of tagsets';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_btree_ops USING btree IS 'btree order of tagsets';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_hash_ops USING hash IS 'hash of tagsets';

-- GIN.
CREATE FUNCTION @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_extract_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_extract_query' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal) RETURNS boolean
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_compare_partial(text, text, smallint, internal) RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_compare_partial' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal) RETURNS "char"
	AS 'MODULE_PATHNAME', 'mycc_tagset_gin_tri_consistent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal) IS 'GIN support: the tags of a set';
COMMENT ON FUNCTION @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal) IS 'GIN support: keys and search mode of a query';
COMMENT ON FUNCTION @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal) IS 'GIN support: whether a row matches';
COMMENT ON FUNCTION @extschema@.tagset_gin_compare_partial(text, text, smallint, internal) IS 'GIN support: prefix terms (region:*)';
COMMENT ON FUNCTION @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal) IS 'GIN support: whether a row matches, with unknown keys';

CREATE OPERATOR CLASS @extschema@.tagset_ops DEFAULT FOR TYPE @extschema@.tagset USING gin AS
	OPERATOR 1 @extschema@.&& (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 2 @extschema@.@> (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 3 @extschema@.<@ (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 4 @extschema@.= (@extschema@.tagset, @extschema@.tagset),
	OPERATOR 5 @extschema@.@@ (@extschema@.tagset, @extschema@.tagquery),
	FUNCTION 1 pg_catalog.bttext_pattern_cmp(text, text),
	FUNCTION 2 @extschema@.tagset_gin_extract_value(@extschema@.tagset, internal, internal),
	FUNCTION 3 @extschema@.tagset_gin_extract_query(@extschema@.tagset, internal, smallint, internal, internal, internal, internal),
	FUNCTION 4 @extschema@.tagset_gin_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal, internal),
	FUNCTION 5 @extschema@.tagset_gin_compare_partial(text, text, smallint, internal),
	FUNCTION 6 @extschema@.tagset_gin_tri_consistent(internal, smallint, @extschema@.tagset, integer, internal, internal, internal),
	STORAGE text;
COMMENT ON OPERATOR CLASS @extschema@.tagset_ops USING gin IS 'GIN index of tagsets: && @> <@ = @@ (with prefixes)';
COMMENT ON OPERATOR FAMILY @extschema@.tagset_ops USING gin IS 'GIN index of tagsets';

-- Aggregates: the state is a tagset (real, mergeable, parallel safe).
CREATE FUNCTION @extschema@.tagset_agg_accum(@extschema@.tagset, text) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tagset_agg_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.tag_union_accum(@extschema@.tagset, @extschema@.tagset) RETURNS @extschema@.tagset
	AS 'MODULE_PATHNAME', 'mycc_tag_union_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tagset_agg_accum(@extschema@.tagset, text) IS 'transition of tagset_agg: adds a tag';
COMMENT ON FUNCTION @extschema@.tag_union_accum(@extschema@.tagset, @extschema@.tagset) IS 'transition and combine of tag_union and tagset_agg: union';

CREATE AGGREGATE @extschema@.tagset_agg(text) (
	SFUNC = @extschema@.tagset_agg_accum,
	STYPE = @extschema@.tagset,
	COMBINEFUNC = @extschema@.tag_union_accum,
	INITCOND = '{}',
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.tag_union(@extschema@.tagset) (
	SFUNC = @extschema@.tag_union_accum,
	STYPE = @extschema@.tagset,
	COMBINEFUNC = @extschema@.tag_union_accum,
	INITCOND = '{}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.tagset_agg(text) IS 'tagset of the tags (text, one tag a row) of a group; NULLs skipped';
COMMENT ON AGGREGATE @extschema@.tag_union(@extschema@.tagset) IS 'union of the tagsets of a group';

-- Treatment rules: "VIP -> kraft-paper packaging" (the reverse index is in
-- src/tag_rules.c; the cache follows changes through the trigger).
CREATE FUNCTION @extschema@.policy_invalidate() RETURNS trigger
	AS 'MODULE_PATHNAME', 'mycc_policy_invalidate' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.policy_invalidate() IS 'trigger: makes every backend reload its cache of a rule table';

CREATE SEQUENCE @extschema@.treatment_rule_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.treatment_rule_id_seq IS 'ids of mycc.treatment_rule';
CREATE TABLE @extschema@.treatment_rule (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.treatment_rule_id_seq'::pg_catalog.regclass),
	condition @extschema@.tagquery NOT NULL,
	treatment text NOT NULL,
	priority integer NOT NULL DEFAULT 0,
	enabled boolean NOT NULL DEFAULT true,
	CONSTRAINT treatment_rule_pkey PRIMARY KEY (id),
	CONSTRAINT treatment_rule_treatment_not_empty CHECK (treatment OPERATOR(pg_catalog.<>) '')
);
ALTER SEQUENCE @extschema@.treatment_rule_id_seq OWNED BY @extschema@.treatment_rule.id;
COMMENT ON TABLE @extschema@.treatment_rule IS 'treatment rules: customers whose tags satisfy condition get treatment';
COMMENT ON COLUMN @extschema@.treatment_rule.id IS 'rule id; also the tie-break between equal priorities (lower first)';
COMMENT ON COLUMN @extschema@.treatment_rule.condition IS 'tag query a customer''s tags must satisfy';
COMMENT ON COLUMN @extschema@.treatment_rule.treatment IS 'what to do, e.g. kraft-paper packaging';
COMMENT ON COLUMN @extschema@.treatment_rule.priority IS 'higher first in mycc.treatments()';
COMMENT ON COLUMN @extschema@.treatment_rule.enabled IS 'false: kept but not applied';
CREATE TRIGGER treatment_rule_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.treatment_rule
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.policy_invalidate();
SELECT pg_catalog.pg_extension_config_dump('@extschema@.treatment_rule', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.treatment_rule_id_seq', '');

CREATE FUNCTION @extschema@.treatments(tags @extschema@.tagset, OUT treatment text, OUT rule bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'mycc_treatments' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 3;
COMMENT ON FUNCTION @extschema@.treatments(@extschema@.tagset) IS 'the treatments whose rule the tags satisfy, highest priority first (then lowest rule id)';
CREATE FUNCTION @extschema@.treatment_candidates(tags @extschema@.tagset, OUT rules integer, OUT tested integer, OUT matched integer) RETURNS record
	AS 'MODULE_PATHNAME', 'mycc_treatment_candidates' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.treatment_candidates(@extschema@.tagset) IS 'how many enabled rules exist, how many treatments() tests for these tags, and how many match';
