/**
 * @file switchboard.h
 * @brief switchboard: the communication core of a healthcare practice.
 *
 * Include this one header; it brings in every module's header. See README.md
 * for the way in and each module header for its reference.
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
