# RFM on rfm_events.csv as of 2025-01-31, checked against dplyr::ntile in R
# (tests/fixtures/rfm_reference.R): users in order of first appearance, ties
# broken by that order, e.g. monetary 15 for u09, u01, u12 gives m 1, 1, 2.
# The row without a user is skipped, u05's missing amount counts as 0 and
# u12's event of 2025-02-05 comes after as-of.
load ev rfm_events.csv
rfm ev time=day asof=2025-01-31
head ev_rfm n=12
aggregate ev_rfm by=tier users=count() spend=sum(monetary) as=bytier
head bytier
# Datetimes (events.csv): as-of defaults to the latest event,
# 2024-03-05 00:00 UTC; u1's last event 2024-03-01 15:30 UTC is 3.3541666...
# days before it, and its two events fall on one UTC day.
load dt events.csv
rfm dt as=scores
head scores
# asof=DATE counts events to the end of that day (UTC): three come later.
rfm dt asof=2024-03-03 as=early
head early
rfm dt asof="2024-03-04 10:00:00+08:00" as=later
head later
