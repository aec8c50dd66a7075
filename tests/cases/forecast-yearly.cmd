# Yearly series: years written YYYY (an int column) or dates a year apart,
# season 1. R: thetaf(ts(c(100,110,125,130,150,160,172,180), start=2010),
# h=3) gives means 185.922411, 191.845030, 197.767649 and 95% intervals
# [159.894116, 211.950707], [155.037303, 228.652758], [152.688325, 242.846973].
load fy fc_yearly.csv
forecast fy column=sales time=year horizon=3 model=theta
load fd fc_yearly_dates.csv
forecast fd column=sales horizon=2 model=theta
# Not years: values outside 1000..9999; a missing year.
forecast fy column=sales time=sales
load fg fc_yearly_gap.csv
forecast fg column=sales time=year
