/* Prints where the C compiler puts every field of struct ss_event, as JSON. */
#include <linux/types.h>
#include <stddef.h>
#include <stdio.h>
#include "sigscope.h"

#define F(name, expr) printf("%s\"%s\": %zu", first ? "" : ", ", name, expr), first = 0

int main(void)
{
	int first = 1;

	printf("{");
	F("size", sizeof(struct ss_event));
	F("ts", offsetof(struct ss_event, ts));
	F("kind", offsetof(struct ss_event, kind));
	F("flags", offsetof(struct ss_event, flags));
	F("uid", offsetof(struct ss_event, uid));
	F("sender", offsetof(struct ss_event, sender));
	F("target", offsetof(struct ss_event, target));
	F("task.tid", offsetof(struct ss_task, tid));
	F("task.tgid", offsetof(struct ss_task, tgid));
	F("task.start", offsetof(struct ss_task, start));
	F("task.comm", offsetof(struct ss_task, comm));
	F("u", offsetof(struct ss_event, u));
	F("signal.sig", offsetof(struct ss_event, u.signal.sig));
	F("signal.code", offsetof(struct ss_event, u.signal.code));
	F("signal.result", offsetof(struct ss_event, u.signal.result));
	F("signal.ret", offsetof(struct ss_event, u.signal.ret));
	F("signal.requested", offsetof(struct ss_event, u.signal.requested));
	F("signal.requestedTgid", offsetof(struct ss_event, u.signal.requested_tgid));
	F("signal.syscall", offsetof(struct ss_event, u.signal.syscall));
	F("signal.count", offsetof(struct ss_event, u.signal.count));
	F("signal.attempt", offsetof(struct ss_event, u.signal.attempt));
	F("signal.senderNsPid", offsetof(struct ss_event, u.signal.sender_nspid));
	F("signal.targetNsPid", offsetof(struct ss_event, u.signal.target_nspid));
	F("life.exitCode", offsetof(struct ss_event, u.life.exit_code));
	F("life.ppid", offsetof(struct ss_event, u.life.ppid));
	F("life.parentStart", offsetof(struct ss_event, u.life.parent_start));
	F("life.nsPid", offsetof(struct ss_event, u.life.nspid));
	F("filename", offsetof(struct ss_event, u.filename));
	F("COMM_LEN", (size_t)SS_COMM_LEN);
	F("FILENAME_LEN", (size_t)SS_FILENAME_LEN);
	F("RECORD_SIZE", (size_t)SS_RECORD_SIZE);
	printf("}\n");
	return 0;
}
