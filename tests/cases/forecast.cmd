# Forecasts of small series (tests/fixtures/forecast_cases.R writes them).
# Verified by 'Rscript tests/fixtures/forecast_cases_check.R' (R 4, forecast
# 8.20): stats::HoltWinters run with crossmkt's alpha, beta and gamma gives
# its hw-add and hw-mul means and hw-add 80%/95% bounds to 1e-9, with an SSE
# no worse than R's own optimum; theta means equal forecast::thetaf to 1e-6
# (bounds to 3%); linear equals forecast::tslm(y ~ trend + season) means,
# bounds and coefficients to 1e-9; ses and holt (season=1) equal
# forecast::ets "ANN" / "AAN" to 0.1% / 0.5%; snaive repeats the last week;
# the fills and the gap filled by interpolation are redone in R; MASE,
# sMAPE and RMSE recomputed in R; dates equal R's seq().
load m fc_monthly.csv
forecast m column=passengers time=month model=hw-add holdout=12
forecast m column=passengers time=month model=theta holdout=12
forecast m column=passengers time=month model=linear holdout=12
forecast m column=passengers time=month model=hw-mul holdout=12 seed=5
forecast m column=passengers time=month model=hw-mul holdout=12 seed=5
load q fc_quarterly.csv
forecast q column=gas time=quarter model=hw-add holdout=4
forecast q column=gas time=start model=hw-add holdout=4
load d fc_daily.csv
forecast d column=orders
load u fc_unsorted.csv
forecast u column=orders
forecast d column=orders model=ses season=1 horizon=3
forecast d column=orders model=holt season=1 horizon=3
forecast d column=orders model=hw-damped horizon=3
forecast d column=orders model=combo horizon=3
forecast d column=orders model=snaive horizon=8
forecast d column=visits fill=interpolate model=ses season=1 horizon=2
forecast d column=visits fill=zero model=ses season=1 horizon=2
load g fc_gap.csv
forecast g column=orders fill=interpolate model=linear horizon=2
load w fc_weekly.csv
forecast w column=visits horizon=3
load tiny fc_tiny.csv
forecast tiny column=v horizon=2
forecast tiny column=v horizon=2 history=no
forecast m column=flat time=month model=combo horizon=2
load e fc_edge.csv
forecast e column=u time=ts model=snaive season=2 horizon=2
