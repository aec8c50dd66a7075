# Rolling-origin accuracy on AirPassengers: 3 origins 4 months apart, 12
# months ahead. Verified by 'Rscript tests/fixtures/forecast_cases_check.R': the hw-add
# and theta rows equal the mean MASE, sMAPE and RMSE of stats::HoltWinters
# and forecast::thetaf refitted at the same origins (to 1e-4 relative),
# and snaive's exactly.
load m fc_monthly.csv
backtest m column=passengers time=month horizon=12 origins=3
backtest m column=passengers time=month horizon=6 origins=2 models=hw-add,theta,snaive
backtest m column=change time=month horizon=6 origins=2 models=hw-mul,snaive
