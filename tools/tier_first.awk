# tier_first.awk: reorders a pg_restore list (pg_restore -l) so that the
# data of mycc.tier is restored before any other table's data.  Needed when
# tables with customer_tier columns live in a schema that sorts before
# "mycc" (pg_dump writes table data in schema-name order); see
# docs/operations.md.  Usage: awk -f tier_first.awk list list > new_list
NR == FNR {
	if ($0 ~ / TABLE DATA mycc tier /)
		tier = $0
	next
}
$0 ~ / TABLE DATA / && !placed {
	if (tier != "")
		print tier
	placed = 1
}
$0 != tier { print }
