# One series per city of a long-format dataset, the last week held out.
# Verified by 'Rscript tests/fixtures/forecast_cases_check.R': each city's
# hw-add forecast and bounds equal stats::HoltWinters on that city's first
# 42 days with crossmkt's parameters (to 1e-9, SSE no worse than R's own
# fit), and the overall MASE and sMAPE are the means of the groups' scores
# recomputed in R.
load c fc_cities.csv
forecast c column=sales by=city model=hw-add holdout=7
forecast c column=sales by=city horizon=2 model=theta
# history=yes: each city's own dates and values, in time order.
forecast c column=sales by=city horizon=2 model=theta history=yes
