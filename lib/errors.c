#include "switchboard/errors.h"

const char *sb_strerror(int code)
{
	switch (code) {
	case SB_OK: return "no error";
	case SB_ERROR: return "error";
	case SB_ENOMEM: return "out of memory";
	case SB_EINVAL: return "invalid argument";
	case SB_ENOTFOUND: return "not found";
	case SB_ECONFLICT: return "conflicts with stored state";
	case SB_EDENIED: return "permission denied";
	case SB_EUTF8: return "text is not valid UTF-8";
	case SB_EPHONE: return "invalid phone number";
	case SB_ETOOBIG: return "too large";
	case SB_ESTORE: return "store failure";
	case SB_EBUSY: return "store is busy";
	case SB_ESCHEMA: return "store was written by a newer library";
	case SB_EKEY: return "master key missing, unexpected or wrong";
	case SB_ECRYPTO: return "sealed data failed authentication";
	case SB_ECORRUPT: return "stored data is corrupt";
	case SB_EVERSION: return "unsupported struct version";
	case SB_ESTATE: return "invalid in the current state";
	case SB_EUSER: return "host callback failed";
	case SB_ENOTSUP: return "not supported by the host";
	case SB_EROUTE: return "not addressed to a business number of the practice";
	case SB_ESECURE: return "secure conversations cannot be deleted";
	case SB_EEMAIL: return "an e-mail address is malformed";
	case SB_ECODE: return "the code or token is wrong";
	case SB_EEXPIRED: return "the code, invitation or access number has expired";
	case SB_ELIMIT: return "too many tries or sends";
	case SB_EEMERGENCY: return "use the device's own dialer for emergency and N11 numbers";
	case SB_ETRANSFER: return "outbound calls cannot be transferred";
	case SB_ETREE: return "the phone tree is invalid";
	case SB_ESIGNATURE: return "the webhook signature is missing or wrong";
	case SB_EWEBHOOK: return "the webhook is malformed";
	default: return "unknown error";
	}
}
