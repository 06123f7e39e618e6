/**
 * @file switchboard/clock.h
 * @brief The clock contract. All time the library uses comes from here, so a
 * host (or a test) can make every behaviour deterministic.
 *
 * Times are int64_t milliseconds since the Unix epoch, UTC. Without a host
 * clock the library reads the real time (CLOCK_REALTIME).
 */
#ifndef SWITCHBOARD_CLOCK_H
#define SWITCHBOARD_CLOCK_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SB_CLOCK_VERSION 1

/** A host clock. Copied at sb_practice_open(); called on the calling thread. */
typedef struct sb_clock {
	unsigned int version;  /**< SB_CLOCK_VERSION */
	void *userdata;
	/**
	 * Write the current time in epoch milliseconds to *out_ms and return 0.
	 * A negative return fails the library call that asked with SB_EUSER, and
	 * that call changes nothing (bindings carry exceptions and panics this way).
	 */
	int (*now_ms)(void *userdata, int64_t *out_ms);
} sb_clock;

#ifdef __cplusplus
}
#endif

#endif
