# A campaign adds 25 a day from 2024-02-26 to 2024-03-10. Verified by
# 'Rscript tests/fixtures/forecast_cases_check.R': the hw-add window forecast and 95%
# bounds equal predict.HoltWinters on the 56 days before the campaign, and
# the total's interval equals lift +- 1.96 sd with sd from the
# Holt-Winters error weights (a 20,000-path simulation agrees to 0.2%).
load k fc_campaign.csv
uplift k column=sales start=2024-02-26 end=2024-03-10 model=hw-add
uplift k column=sales start=2024-02-12 end=2024-02-25 model=hw-add
uplift k column=sales start=2024-02-26 end=2024-03-03
