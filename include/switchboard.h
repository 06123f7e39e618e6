/**
 * @file switchboard.h
 * @brief switchboard: the communication core of a healthcare practice.
 *
 * Include this one header; it brings in every module's header. See README.md
 * for the way in and each module header for its reference.
 *
 * Threads, in one place (each header says its part):
 * - A practice handle (sb_practice) is used by one thread at a time; use one
 *   handle per thread, or guard a shared one with a lock. Handles on the same
 *   store may be used at once from any number of threads and processes: each
 *   has its own store connection, and writers of one practice queue on the
 *   store (SQLite's write lock, PostgreSQL's row lock on the practice).
 * - The host's callbacks (carrier, clock, store driver, alerts) run on the
 *   thread that made the library call, during it, and must not call back
 *   into the same handle.
 * - Functions without a handle are safe from any thread at any time: the
 *   phone functions (phone.h), sb_strerror(), the version calls, the *_init()
 *   fillers and sb_sms_segments().
 * - The Twilio adapter's handle (twilio.h) is used by one thread at a time,
 *   like the practice it serves; separate adapters run in parallel.
 * ThreadSanitizer runs the threads test (tests/test_threads.c) in `make test`.
 */
#ifndef SWITCHBOARD_H
#define SWITCHBOARD_H

#include "switchboard/common.h"
#include "switchboard/errors.h"
#include "switchboard/version.h"
#include "switchboard/store.h"
#include "switchboard/carrier.h"
#include "switchboard/clock.h"
#include "switchboard/practice.h"
#include "switchboard/audit.h"
#include "switchboard/phone.h"
#include "switchboard/settings.h"
#include "switchboard/tag.h"
#include "switchboard/team.h"
#include "switchboard/teammate.h"
#include "switchboard/signin.h"
#include "switchboard/endpoint.h"
#include "switchboard/contact.h"
#include "switchboard/attachment.h"
#include "switchboard/timeline.h"
#include "switchboard/conversation.h"
#include "switchboard/message.h"
#include "switchboard/mailbox.h"
#include "switchboard/notify.h"
#include "switchboard/chat.h"
#include "switchboard/filter.h"
#include "switchboard/bulk.h"
#include "switchboard/hours.h"
#include "switchboard/afterhours.h"
#include "switchboard/schedule.h"
#include "switchboard/link.h"
#include "switchboard/invitation.h"
#include "switchboard/account.h"
#include "switchboard/secure.h"
#include "switchboard/voice.h"
#include "switchboard/tree.h"
#include "switchboard/call.h"

#endif
