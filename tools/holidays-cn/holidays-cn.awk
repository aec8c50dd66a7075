# The rows of data/holidays-cn.csv (date,name,before,after) from
# lunar-dates.tsv, in year order (generate.sh sorts them). before/after are the days around the date that
# belong to the holiday: the week before the Spring Festival eve (travel
# home), the official days off, the presale days of the shopping festivals.

# Days since 1970-01-01 of a proleptic Gregorian date, and back.
function days(y, m, d,    era, yoe, doy, doe) {
	y -= m <= 2
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function date(z,    era, doe, yoe, y, doy, mp, d, m) {
	z += 719468
	era = int((z >= 0 ? z : z - 146096) / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp + (mp < 10 ? 3 : -9)
	return sprintf("%04d-%02d-%02d", y + (m <= 2), m, d)
}
function iso(s,    p) {
	split(s, p, "-")
	return days(p[1] + 0, p[2] + 0, p[3] + 0)
}
function row(day, name, before, after) {
	printf "%s,%s,%d,%d\n", date(day), name, before, after
}
BEGIN { FS = "\t"; print "date,name,before,after" }
/^#/ { next }
{
	y = $1; sf = iso($2)
	row(sf - 1, "Spring Festival eve", 6, 0)
	row(sf, "Spring Festival", 0, 0)
	row(sf + 1, "Spring Festival week", 0, 5)
	row(iso($3), "Qingming", 1, 1)
	row(days(y, 5, 1), "Labour Day", 0, 4)
	row(iso($4), "Dragon Boat", 1, 1)
	row(iso($5), "Mid-Autumn", 1, 1)
	row(days(y, 10, 1), "National Day week", 0, 6)
	row(days(y, 6, 18), "618", 4, 0)
	row(days(y, 11, 11), "Double 11", 3, 1)
	row(days(y, 12, 12), "Double 12", 0, 0)
}
