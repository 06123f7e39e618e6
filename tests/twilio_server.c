/* The tests' own Twilio REST API on 127.0.0.1 (twilio_server.h). */
#define _GNU_SOURCE
#include "twilio_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long msg_created[TS_MAX];

static int hexv(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode a form value in place. */
static void form_decode(char *s)
{
	char *w = s;
	for (; *s; s++) {
		if (*s == '+')
			*w++ = ' ';
		else if (*s == '%' && hexv(s[1]) >= 0 && hexv(s[2]) >= 0) {
			*w++ = (char)(hexv(s[1]) * 16 + hexv(s[2]));
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/* The decoded value of `name` in a form (a body or a query), 0 when there. */
static int form_value(const char *form, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = form; p && *p;) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > n && !strncmp(p, name, n) && p[n] == '=') {
			snprintf(out, cap, "%.*s", (int)(len - n - 1), p + n + 1);
			form_decode(out);
			return 0;
		}
		p = end ? end + 1 : NULL;
	}
	return -1;
}

static void json_escape(char *out, size_t cap, const char *s)
{
	size_t w = 0;
	for (; *s && w + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			w += (size_t)snprintf(out + w, cap - w, "\\%c", c);
		else if (c < 0x20)
			w += (size_t)snprintf(out + w, cap - w, "\\u%04x", c);
		else
			out[w++] = (char)c;
	}
	out[w] = '\0';
}

static void rfc2822(char *out, size_t cap, long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, cap, "%a, %d %b %Y %H:%M:%S +0000", &tm);
}

static int create_message(ts_server *s, const char *body, char *json, size_t cap)
{
	int i = s->messages < TS_MAX ? s->messages++ : TS_MAX - 1;
	form_value(body, "To", s->msg_to[i], sizeof s->msg_to[i]);
	form_value(body, "From", s->msg_from[i], sizeof s->msg_from[i]);
	form_value(body, "Body", s->msg_body[i], sizeof s->msg_body[i]);
	msg_created[i] = (long)time(NULL);
	return snprintf(json, cap, "{\"sid\": \"SM%032d\", \"status\": \"queued\"}", i + 1);
}

static void list_messages(ts_server *s, const char *query, char *json, size_t cap)
{
	char to[32] = "", from[32] = "";
	form_value(query, "To", to, sizeof to);
	form_value(query, "From", from, sizeof from);
	size_t w = (size_t)snprintf(json, cap, "{\"messages\": [");
	int first = 1;
	for (int i = s->messages - 1; i >= 0; i--) { /* newest first, as Twilio lists */
		if (strcmp(s->msg_to[i], to) || strcmp(s->msg_from[i], from))
			continue;
		char body[1100], date[64];
		json_escape(body, sizeof body, s->msg_body[i]);
		rfc2822(date, sizeof date, msg_created[i]);
		w += (size_t)snprintf(json + w, cap - w,
		                      "%s{\"sid\": \"SM%032d\", \"body\": \"%s\", \"date_created\": \"%s\", \"tags\": {\"a\": [1, 2.5e3, null, true]}}",
		                      first ? "" : ", ", i + 1, body, date);
		first = 0;
	}
	snprintf(json + w, cap - w, "], \"page\": 0}");
}

/* The answer to one request: scripted, else Twilio's. */
static int answer(ts_server *s, const ts_request *r, char *json, size_t cap)
{
	const char *q = strchr(r->path, '?');
	int post = !strcmp(r->method, "POST");
	int messages = strstr(r->path, "/Messages.json") != NULL;
	if (s->next < s->scripted) {
		const ts_answer *a = &s->script[s->next++];
		if (a->delay_ms) {
			pthread_mutex_unlock(&s->lock);
			usleep((useconds_t)a->delay_ms * 1000);
			pthread_mutex_lock(&s->lock);
		}
		if (a->create && post && messages)
			create_message(s, r->body, json, cap);
		snprintf(json, cap, "%s", a->body);
		return a->status;
	}
	if (messages && post) {
		create_message(s, r->body, json, cap);
		return 201;
	}
	if (messages) {
		list_messages(s, q ? q + 1 : "", json, cap);
		return 200;
	}
	if (strstr(r->path, "/Calls.json") && post) {
		snprintf(json, cap, "{\"sid\": \"CA%032d\", \"status\": \"queued\"}", ++s->calls);
		return 201;
	}
	const char *sid = strstr(r->path, "/Calls/");
	if (sid && post) {
		snprintf(json, cap, "{\"sid\": \"%.34s\", \"status\": \"in-progress\"}", sid + 7);
		return 200;
	}
	snprintf(json, cap, "{\"code\": 20404, \"message\": \"The requested resource was not found\", \"status\": 404}");
	return 404;
}

/* Read one request: its head, then Content-Length bytes of body. */
static int read_request(int c, ts_request *r)
{
	char buf[16384];
	size_t len = 0;
	char *head_end = NULL;
	while (!head_end && len < sizeof buf - 1) {
		ssize_t n = read(c, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		head_end = strstr(buf, "\r\n\r\n");
	}
	if (!head_end)
		return -1;
	memset(r, 0, sizeof *r);
	sscanf(buf, "%7s %511s", r->method, r->path);
	const char *auth = strcasestr(buf, "\r\nAuthorization: ");
	if (auth && auth < head_end)
		sscanf(auth + 17, "%255[^\r]", r->auth);
	const char *cl = strcasestr(buf, "\r\nContent-Length: ");
	size_t want = cl && cl < head_end ? (size_t)atol(cl + 18) : 0;
	size_t have = len - (size_t)(head_end + 4 - buf);
	while (have < want && len < sizeof buf - 1) {
		ssize_t n = read(c, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			return -1;
		len += (size_t)n;
		have += (size_t)n;
	}
	buf[len] = '\0';
	snprintf(r->body, sizeof r->body, "%s", head_end + 4);
	return 0;
}

static void *serve(void *ud)
{
	ts_server *s = ud;
	for (;;) {
		int c = accept(s->fd, NULL, NULL);
		if (c < 0)
			return NULL;
		pthread_mutex_lock(&s->lock);
		int stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop) {
			close(c);
			return NULL;
		}
		ts_request r;
		if (read_request(c, &r) == 0) {
			char json[16384], head[256];
			pthread_mutex_lock(&s->lock);
			if (s->count < TS_MAX)
				s->req[s->count++] = r;
			int status = answer(s, &r, json, sizeof json);
			pthread_mutex_unlock(&s->lock);
			int n = snprintf(head, sizeof head,
			                 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
			                 "Connection: close\r\n\r\n",
			                 status, strlen(json));
			if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0 || send(c, json, strlen(json), MSG_NOSIGNAL) < 0) {
				/* the adapter gave up (a timeout): nothing to do */
			}
		}
		close(c);
	}
}

void ts_start(ts_server *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof a;
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) || listen(s->fd, 16) ||
	    getsockname(s->fd, (struct sockaddr *)&a, &al)) {
		perror("twilio test server");
		abort();
	}
	s->port = ntohs(a.sin_port);
	snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
	pthread_create(&s->thread, NULL, serve, s);
}

void ts_stop(ts_server *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_mutex_unlock(&s->lock);
	int c = socket(AF_INET, SOCK_STREAM, 0); /* wake accept() */
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)s->port);
	if (connect(c, (struct sockaddr *)&a, sizeof a) == 0)
		close(c);
	pthread_join(s->thread, NULL);
	close(s->fd);
	pthread_mutex_destroy(&s->lock);
}

void ts_push(ts_server *s, int status, const char *body, int delay_ms, int create)
{
	pthread_mutex_lock(&s->lock);
	s->script[s->scripted++] = (ts_answer){status, body, delay_ms, create};
	pthread_mutex_unlock(&s->lock);
}

int ts_count(ts_server *s, const char *method, const char *prefix)
{
	int n = 0;
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < s->count; i++)
		n += !strcmp(s->req[i].method, method) && strstr(s->req[i].path, prefix) != NULL;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int ts_field(ts_server *s, int i, const char *name, char *out, size_t cap)
{
	pthread_mutex_lock(&s->lock);
	int rc = i < s->count ? form_value(s->req[i].body, name, out, cap) : -1;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

const ts_request *ts_get(ts_server *s, int i)
{
	return i < s->count ? &s->req[i] : NULL;
}
