
-- ---------------------------------------------------------------------------
-- customer: one person, whatever the channel (design.md section 4; the
-- identity capability adds identities, tags, merges and account managers)
-- and the tier_pyramid BI view (design.md section 2)
-- ---------------------------------------------------------------------------

CREATE SEQUENCE @extschema@.customer_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.customer_id_seq IS 'ids of mycc.customer';

CREATE TABLE @extschema@.customer (
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.customer_id_seq'::pg_catalog.regclass),
	name text,
	tier @extschema@.customer_tier NOT NULL DEFAULT @extschema@.tier_for_value(0),
	tags @extschema@.tagset NOT NULL DEFAULT '{}',
	lifetime_value numeric NOT NULL DEFAULT 0,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(tier)) STORED,
	account_manager bigint,
	merged_into bigint,
	root_id bigint,
	merged_at timestamptz,
	CONSTRAINT customer_pkey PRIMARY KEY (id),
	CONSTRAINT customer_merged_consistent CHECK ((merged_into IS NULL) OPERATOR(pg_catalog.=) (root_id IS NULL)
		AND (merged_into IS NULL) OPERATOR(pg_catalog.=) (merged_at IS NULL))
);
ALTER SEQUENCE @extschema@.customer_id_seq OWNED BY @extschema@.customer.id;
CREATE INDEX customer_tier_idx ON @extschema@.customer (tier);
CREATE INDEX customer_tags_idx ON @extschema@.customer USING gin (tags);
-- Every customer of a merge tree, by its root (mycc.customer_root).
CREATE INDEX customer_root_idx ON @extschema@.customer ((COALESCE(root_id, id)));
CREATE INDEX customer_merged_into_idx ON @extschema@.customer (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX customer_account_manager_idx ON @extschema@.customer (account_manager) WHERE account_manager IS NOT NULL;

COMMENT ON TABLE @extschema@.customer IS 'customers: one row a person, whatever the channel';
COMMENT ON COLUMN @extschema@.customer.id IS 'customer id (the distribution column when scaled out)';
COMMENT ON COLUMN @extschema@.customer.name IS 'display name';
COMMENT ON COLUMN @extschema@.customer.tier IS 'value tier; defaults to the tier of a zero value';
COMMENT ON COLUMN @extschema@.customer.tags IS 'what we know about the customer: vip, literary, region:北京 (GIN indexed)';
COMMENT ON COLUMN @extschema@.customer.lifetime_value IS 'lifetime spend, in the shop''s currency';
COMMENT ON COLUMN @extschema@.customer.created_at IS 'when the customer was first seen';
COMMENT ON COLUMN @extschema@.customer.account_manager IS 'the dedicated account manager (an agent id), for tiers served 1:1';
COMMENT ON COLUMN @extschema@.customer.merged_into IS 'the customer this one was merged into by mycc.link (its parent in the merge forest); NULL for a customer of its own';
COMMENT ON COLUMN @extschema@.customer.root_id IS 'the surviving customer at the top of the merge forest; NULL when this customer is a root (use mycc.customer_root)';
COMMENT ON COLUMN @extschema@.customer.merged_at IS 'when this customer was merged into merged_into';
COMMENT ON COLUMN @extschema@.customer.tier_id IS 'the tier''s id, generated from tier';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.customer_id_seq', '');

CREATE VIEW @extschema@.tier_pyramid AS
SELECT t.name AS tier, t.rank, CAST(t.service_mode AS pg_catalog.text) AS service_mode,
	COALESCE(c.customers, 0) AS customers,
	COALESCE(c.customers, 0)::double precision
		OPERATOR(pg_catalog./) NULLIF(pg_catalog.sum(c.customers) OVER (), 0)::double precision AS share_of_customers,
	COALESCE(c.value, 0) AS value,
	COALESCE(c.value, 0) OPERATOR(pg_catalog./) NULLIF(pg_catalog.sum(c.value) OVER (), 0) AS share_of_value
FROM @extschema@.tier AS t
LEFT JOIN (
	SELECT @extschema@.tier_id(cu.tier) AS tier_id, pg_catalog.count(*) AS customers,
		pg_catalog.sum(cu.lifetime_value) AS value
	FROM @extschema@.customer AS cu
	WHERE cu.merged_into IS NULL
	GROUP BY 1
) AS c ON c.tier_id OPERATOR(pg_catalog.=) t.id;

COMMENT ON VIEW @extschema@.tier_pyramid IS 'the value pyramid: customers (merged ones counted once, as their survivor) and lifetime value per tier, with their shares';
COMMENT ON COLUMN @extschema@.tier_pyramid.tier IS 'tier name';
COMMENT ON COLUMN @extschema@.tier_pyramid.rank IS 'tier rank (order by it, descending, for the pyramid)';
COMMENT ON COLUMN @extschema@.tier_pyramid.service_mode IS 'how the tier is served (a mycc.service_mode label, as text)';
COMMENT ON COLUMN @extschema@.tier_pyramid.customers IS 'customers in the tier';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_customers IS 'customers in the tier / all customers (0 to 1)';
COMMENT ON COLUMN @extschema@.tier_pyramid.value IS 'their lifetime value';
COMMENT ON COLUMN @extschema@.tier_pyramid.share_of_value IS 'their lifetime value / all lifetime value (0 to 1)';
