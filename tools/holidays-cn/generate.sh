#!/bin/sh
# Writes data/holidays-cn.csv from lunar-dates.tsv (the moving holidays'
# dates and their source) and holidays-cn.awk (which holidays, and the days
# around each): tools/holidays-cn/generate.sh > data/holidays-cn.csv
dir=$(dirname "$0")
awk -f "$dir/holidays-cn.awk" "$dir/lunar-dates.tsv" | {
	IFS= read -r header
	printf '%s\n' "$header"
	LC_ALL=C sort
}
