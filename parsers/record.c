/* SPDX-License-Identifier: MIT */
/*
 * record.c -- level names and UTC time conversion shared by all stages.
 *
 * Civil dates are converted with Howard Hinnant's days_from_civil /
 * civil_from_days algorithms, so nothing here depends on timegm(), the
 * TZ variable or the locale.
 */
#include "parsers/record.h"

#include <stdio.h>

#define MS_PER_DAY 86400000LL

const char *
ml_level_name(enum ml_level level)
{
	switch (level) {
	case ML_LEVEL_VERBOSE: return "VERBOSE";
	case ML_LEVEL_INFO: return "INFO";
	case ML_LEVEL_NORMAL: return "NORMAL";
	case ML_LEVEL_WARNING: return "WARNING";
	case ML_LEVEL_ERROR: return "ERROR";
	case ML_LEVEL_CRITICAL: return "CRITICAL";
	case ML_LEVEL_FATAL: return "FATAL";
	case ML_LEVEL_NONE: break;
	}
	return "";
}

int64_t
ml_days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);		/* [0, 399] */
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */

	return era * 146097 + (int64_t)doe - 719468;
}

void
ml_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

int
ml_time_valid(int64_t ms)
{
	return ms >= ML_TIME_MIN && ms <= ML_TIME_MAX;
}

int64_t
ml_time_from_sec(int64_t sec, long nsec)
{
	/* compare in seconds first: sec * 1000 could overflow */
	if (sec < ML_TIME_MIN / 1000 || sec > ML_TIME_MAX / 1000 ||
	    nsec < 0 || nsec > 999999999)
		return ML_TIME_NONE;
	return sec * 1000 + nsec / 1000000;
}

int
ml_time_year(int64_t ms)
{
	int y;
	unsigned m, d;

	if (!ml_time_valid(ms))
		return 0;
	ml_civil_from_days(ms / MS_PER_DAY, &y, &m, &d);
	return y;
}

char *
ml_time_format(int64_t ms, char *buf, size_t len)
{
	int64_t days, rem;
	int y;
	unsigned m, d;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (!ml_time_valid(ms))
		return buf;
	days = ms / MS_PER_DAY;		/* ms >= 0 here */
	rem = ms % MS_PER_DAY;
	ml_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ",
	    y, m, d, (unsigned)(rem / 3600000),
	    (unsigned)(rem / 60000 % 60), (unsigned)(rem / 1000 % 60),
	    (unsigned)(rem % 1000));
	return buf;
}

/* Reads exactly n digits at *s; -1 if any is not a digit. */
static int
read_digits(const char **s, int n)
{
	int v = 0;

	for (; n > 0; n--, (*s)++) {
		if (**s < '0' || **s > '9')
			return -1;
		v = v * 10 + (**s - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const unsigned char dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
ml_time_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, scale = 100;

	if ((y = read_digits(&s, 4)) < 1970 || *s++ != '-' ||
	    (mo = read_digits(&s, 2)) < 1 || mo > 12 || *s++ != '-' ||
	    (d = read_digits(&s, 2)) < 1 || d > days_in_month(y, mo))
		return -1;
	if (*s == 'T') {
		s++;
		if ((h = read_digits(&s, 2)) < 0 || h > 23 || *s++ != ':' ||
		    (mi = read_digits(&s, 2)) < 0 || mi > 59 ||
		    *s++ != ':' ||
		    (sec = read_digits(&s, 2)) < 0 || sec > 60)
			return -1;
		if (*s == '.') {
			s++;
			if (*s < '0' || *s > '9')
				return -1;
			/* milliseconds; finer digits are read and dropped */
			for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
				frac += (*s - '0') * scale;
		}
		if (*s == 'Z')
			s++;
	}
	if (*s != '\0')
		return -1;
	*ms = ml_days_from_civil(y, (unsigned)mo, (unsigned)d) * MS_PER_DAY +
	    ((int64_t)h * 3600 + mi * 60 + sec) * 1000 + frac;
	/* 9999-12-31T23:59:60 is one second too late */
	return ml_time_valid(*ms) ? 0 : -1;
}
