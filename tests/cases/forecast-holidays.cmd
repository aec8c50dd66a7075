# A daily series (tests/fixtures/ops/fc_promo.csv: weekly pattern, slow
# growth, a small deterministic wobble) sells 1.5 times as much on the
# promotion days of fc_promo_days.csv, the last of them 2024-06-10: with
# holidays= the forecast carries a Promo component of about a third of
# that day's mean (+50%), and none on other days; events= with the same
# days gives the same fit. Errors name the dataset and the column.
load s fc_promo.csv
load p fc_promo_days.csv
load e fc_promo_events.csv
load nd fc_hol_nodate.csv
load bad fc_hol_bad.csv
load m fc_monthly.csv
forecast s column=sales model=fourier holdout=14 holidays=p
forecast s column=sales model=fourier holdout=14 events=e
forecast s column=sales holdout=14 holidays=nd
forecast s column=sales holdout=14 holidays=bad
forecast s column=sales holdout=14 holidays=nosuch
forecast s column=sales holdout=14 holidays=p model=hw-add
forecast m column=passengers time=month holidays=p
# A window holding a promotion day and no campaign: a lift of 20 (1.0%)
# without the calendar, -3 (-0.2%) with it.
uplift s column=sales start=2024-06-03 end=2024-06-16 model=fourier
uplift s column=sales start=2024-06-03 end=2024-06-16 model=fourier holidays=p
