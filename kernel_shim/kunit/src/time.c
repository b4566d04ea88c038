// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: the timespec64 side of time
 * (kernel/time/time.c, kernel/time/timekeeping.c) that lib/kunit/test.c
 * uses to time each case (kunit_run_case_internal(), the "slow test"
 * check).  Not here: ktime_get() and the delays (../../src/sched.c).
 *
 * CUSTOMISED:
 *   ktime_get_ts64             simulated time (ktime_get()), as a timespec64
 *   ns_to_timespec64           seconds and nanoseconds in [0, 1 s), for
 *                              negative values too
 *   set_normalized_timespec64  carries nanoseconds into seconds
 */
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

struct timespec64 ns_to_timespec64(s64 nsec)
{
	struct timespec64 ts = { 0, 0 };
	s32 rem;

	if (!nsec)
		return ts;
	ts.tv_sec = div_s64_rem(nsec, NSEC_PER_SEC, &rem);
	if (rem < 0) {
		ts.tv_sec--;
		rem += NSEC_PER_SEC;
	}
	ts.tv_nsec = rem;
	return ts;
}

void set_normalized_timespec64(struct timespec64 *ts, time64_t sec, s64 nsec)
{
	while (nsec >= NSEC_PER_SEC) {
		nsec -= NSEC_PER_SEC;
		++sec;
	}
	while (nsec < 0) {
		nsec += NSEC_PER_SEC;
		--sec;
	}
	ts->tv_sec = sec;
	ts->tv_nsec = nsec;
}

void ktime_get_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get());
}
