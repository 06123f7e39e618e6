/* A loopback HTTP server that plays Twilio's REST API for the adapter's
 * tests: it records every request and answers from a script, else as Twilio
 * would (a created message or call, an updated call, a list of messages). */
#ifndef SB_TEST_TWILIO_SERVER_H
#define SB_TEST_TWILIO_SERVER_H

#include <pthread.h>
#include <stddef.h>

#define TS_MAX 64

typedef struct ts_request {
	char method[8];
	char path[512];     /* the path, query included */
	char auth[256];     /* the Authorization header */
	char body[8192];    /* the form body, as sent */
} ts_request;

/* One scripted answer, used by the next request. */
typedef struct ts_answer {
	int status;         /* HTTP status */
	const char *body;   /* JSON */
	int delay_ms;       /* wait this long before answering (a timeout) */
	int create;         /* a Messages POST is still created (answered 500: ambiguous) */
} ts_answer;

typedef struct ts_server {
	int fd, port;
	pthread_t thread;
	pthread_mutex_t lock;
	int stop;
	ts_request req[TS_MAX];
	int count;
	ts_answer script[TS_MAX];
	int scripted, next;
	/* messages the server "created": their To/From/Body and sid */
	char msg_to[TS_MAX][32], msg_from[TS_MAX][32], msg_body[TS_MAX][512];
	int messages;
	int calls;
	char base[64];      /* http://127.0.0.1:port */
} ts_server;

void ts_start(ts_server *s);
void ts_stop(ts_server *s);
/* Queue a scripted answer. */
void ts_push(ts_server *s, int status, const char *body, int delay_ms, int create);
/* How many requests came with this method and path prefix. */
int ts_count(ts_server *s, const char *method, const char *path_prefix);
/* The value of `name` in request i's form body (decoded), into out; 0 when there. */
int ts_field(ts_server *s, int i, const char *name, char *out, size_t cap);
/* Request i, or NULL. */
const ts_request *ts_get(ts_server *s, int i);

#endif
