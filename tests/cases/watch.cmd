# watch in batch mode reads to the file's current end once: a file that has
# not grown adds no rows. Derived datasets have no file to follow.
load ev campaign_events.csv
watch ev
filter ev where="amount > 0" as=buyers
watch buyers
watch nosuch
watch ev delim=ab
