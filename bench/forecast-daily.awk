# Writes N daily series of D days (series_id,date,value) for the forecast
# benchmark: level, trend, weekly and yearly seasonality and noise, from a
# Park-Miller generator so that every awk writes the same file.
# usage: awk -v n=1000 -v days=1095 -f forecast-daily.awk > daily.csv
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
function noise() { return rnd() + rnd() + rnd() + rnd() - 2 }
function civil(z,    era, doe, yoe, doy, mp, d, m, y) {
	z += 719468; era = int(z / 146097); doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
	return sprintf("%04d-%02d-%02d", y, m, d)
}
BEGIN {
	if (n == "") n = 1000
	if (days == "") days = 1095
	seed = 20240601
	for (t = 0; t < days; t++) date[t] = civil(19358 + t)	# from 2023-01-01
	print "series_id,date,value"
	for (s = 1; s <= n; s++) {
		level = 50 + 950 * rnd(); trend = (rnd() - 0.3) * 0.001
		wamp = 0.4 * rnd(); yamp = 0.3 * rnd(); sd = 0.02 + 0.1 * rnd()
		for (k = 0; k < 7; k++) week[k] = 1 + wamp * (rnd() - 0.5)
		for (t = 0; t < days; t++) {
			v = level * (1 + trend * t) * week[t % 7] * (1 + yamp * sin(6.283185307 * t / 365.25))
			v *= 1 + sd * noise()
			printf "S%04d,%s,%.2f\n", s, date[t], v < 1 ? 1 : v
		}
	}
}
