# Every bad series or argument of forecast, backtest and uplift gets an
# error naming the row, the date or the argument.
load d fc_daily.csv
load g fc_gap.csv
load dup fc_dup.csv
load irr fc_irregular.csv
load w fc_weekly.csv
load m fc_monthly.csv
load users users.csv
forecast g column=orders
forecast dup column=orders
forecast irr column=orders
forecast d column=visits
forecast d column=orders model=arima
forecast d
forecast d column=date
forecast d column=orders time=orders
forecast users column=spend
forecast d column=orders horizon=0
forecast d column=orders holdout=5 horizon=3
forecast d column=orders holdout=56
forecast d column=orders fill=mean
forecast d column=orders seed=x
forecast d column=orders colour=red
forecast d column=orders history=maybe
forecast w column=visits model=hw-add
forecast m column=change time=month model=hw-mul
forecast m column=flat time=month holdout=12
forecast m column=passengers time=month model=linear season=200
forecast d column=orders by=town
backtest d column=orders
backtest d column=orders horizon=7 origins=3 models=ses,bogus
backtest d column=orders horizon=50 origins=3 models=ses
uplift d column=orders start=2024-02-01
uplift d column=orders start=2024-02-20 end=2024-02-10
uplift d column=orders start=2023-12-31 end=2024-01-10
uplift d column=orders start=2024-02-20 end=2024-03-10
uplift m column=passengers time=month start=1960-01-15 end=1960-06
uplift m column=passengers time=month start=1960-13 end=1960-06
load q fc_quarterly.csv
forecast q column=gas time=gas
load e fc_edge.csv
load nt fc_notime.csv
load s3 fc_step3.csv
load tiny fc_tiny.csv
load c fc_cities.csv
forecast e column=v
forecast e column=v time=date fill=interpolate
forecast nt column=v
forecast s3 column=v
filter tiny where="v > 5" as=one
forecast one column=v
forecast c column=sales by=city holdout=48
