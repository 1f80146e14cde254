/*
 * stats.c
 *		Standard normal distribution: CDF through erfc, quantile through
 *		Acklam's rational approximation refined by one Halley step, which
 *		brings it to full double precision.
 */
#include <math.h>

#include "stats.h"

#define SQRT2		1.41421356237309504880
#define SQRT2PI		2.50662827463100050242

/* Break-point between the central and the tail approximations. */
#define ACKLAM_P_LOW 0.02425

static const double acklam_a[] = {
	-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
	1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
};
static const double acklam_b[] = {
	-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
	6.680131188771972e+01, -1.328068155288572e+01
};
static const double acklam_c[] = {
	-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
	-2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
};
static const double acklam_d[] = {
	7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
	3.754408661907416e+00
};

/* P(Z <= x). */
static double
stats_normal_cdf(double x)
{
	return 0.5 * erfc(-x / SQRT2);
}

/* Acklam's approximation for a lower tail probability p < ACKLAM_P_LOW. */
static double
acklam_tail(double p)
{
	const double *c = acklam_c;
	const double *d = acklam_d;
	double		q = sqrt(-2.0 * log(p));

	return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
}

/* Acklam's approximation for the central region. */
static double
acklam_central(double p)
{
	const double *a = acklam_a;
	const double *b = acklam_b;
	double		q = p - 0.5;
	double		r = q * q;

	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

/* The x with P(Z <= x) = p; NaN outside (0, 1). */
static double
stats_normal_quantile(double p)
{
	double		x;
	double		e;
	double		u;

	if (!(p > 0.0 && p < 1.0))
		return NAN;
	if (p < ACKLAM_P_LOW)
		x = acklam_tail(p);
	else if (p <= 1.0 - ACKLAM_P_LOW)
		x = acklam_central(p);
	else
		x = -acklam_tail(1.0 - p);

	/* One step of Halley's method on cdf(x) - p. */
	e = stats_normal_cdf(x) - p;
	u = e * SQRT2PI * exp(x * x / 2.0);
	return x - u / (1.0 + x * u / 2.0);
}

/*
 * z with P(-z <= Z <= z) = confidence.  Within an ulp of 1, 0.5 +
 * confidence / 2 rounds to 1 (whose quantile is infinite), so such levels
 * take the lower tail, (1 - confidence) / 2, which stays exact there.
 */
double
stats_two_sided_z(double confidence)
{
	double		upper = 0.5 + confidence / 2.0;

	if (upper < 1.0)
		return stats_normal_quantile(upper);
	return -stats_normal_quantile((1.0 - confidence) / 2.0);
}

/* P(|Z| >= |z|). */
double
stats_two_sided_p(double z)
{
	return erfc(fabs(z) / SQRT2);
}
