/* The store conformance suite: what every driver must do. */
#ifndef SB_TEST_CONFORMANCE_H
#define SB_TEST_CONFORMANCE_H

#include <switchboard.h>

/* Opens a fresh, empty store instance for one test. */
typedef int (*conformance_factory)(sb_store_driver *out, void *ctx);

/* Runs every conformance test against drivers made by `factory`; returns the
 * number of failed tests. */
int run_store_conformance(const char *name, conformance_factory factory, void *ctx);

/* Prepare, step to the end, finalize: the last step's code (SB_STORE_DONE
 * when it ran clean), or the prepare's error. */
int conformance_run(sb_store_driver *d, const char *sql);

#endif
