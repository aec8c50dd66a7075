# Quarters written as months (YYYY-MM three months apart) are a quarterly
# series: the same fit as the same data written YYYY-Qn in forecast.cmd.
load q fc_qmonths.csv
forecast q column=gas time=month model=hw-add holdout=4
