/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The contract between the kernel program and userspace: one fixed-size
 * record for every event, and the filter block userspace may change while
 * capturing. electron/common/record.ts decodes this layout; test/layout
 * compares the two, so keep them in step.
 */
#ifndef SIGSCOPE_H
#define SIGSCOPE_H

#define SS_COMM_LEN 16
#define SS_FILENAME_LEN 48
#define SS_RECORD_SIZE 128
#define SS_MAX_CPUS 1024 /* drop counters kept per CPU */

enum ss_kind {
	SS_KIND_SIGNAL = 1,   /* a signal generated, or an attempt that generated none */
	SS_KIND_ATTEMPT_END = 2, /* closes an attempt that reached several targets */
	SS_KIND_FORK = 3,
	SS_KIND_EXEC = 4,
	SS_KIND_EXIT = 5,
	SS_KIND_TASK = 6,     /* a process alive when capture started (iter/task) */
};

enum ss_flags {
	SS_F_KERNEL = 1 << 0,       /* sent by the kernel, not by a syscall */
	SS_F_NO_SIGNAL = 1 << 1,    /* the attempt generated no signal (failed, or signal 0) */
	SS_F_MULTI = 1 << 2,        /* one of several targets of one attempt; ret comes with ATTEMPT_END */
	SS_F_RET_KNOWN = 1 << 3,    /* ret holds the syscall's return value */
	SS_F_TARGET_KNOWN = 1 << 4, /* target identity is filled in */
	SS_F_GROUP = 1 << 5,        /* sent to the whole thread group (not one thread) */
	SS_F_TRUNCATED = 1 << 6,    /* exec filename did not fit */
	SS_F_CORE = 1 << 7,         /* exit: core dumped */
	SS_F_SENDER_KNOWN = 1 << 8, /* sender identity is filled in */
};

/* The kernel's verdict on a generated signal (include/trace/events/signal.h). */
enum ss_result {
	SS_RESULT_DELIVERED = 0,
	SS_RESULT_IGNORED = 1,
	SS_RESULT_ALREADY_PENDING = 2,
	SS_RESULT_OVERFLOW_FAIL = 3,
	SS_RESULT_LOSE_INFO = 4,
	SS_RESULT_NONE = -1, /* no signal was generated */
};

enum ss_syscall {
	SS_SYS_NONE = 0,
	SS_SYS_KILL = 1,
	SS_SYS_TKILL = 2,
	SS_SYS_TGKILL = 3,
	SS_SYS_RT_SIGQUEUEINFO = 4,
	SS_SYS_RT_TGSIGQUEUEINFO = 5,
	SS_SYS_PIDFD_SEND_SIGNAL = 6,
};

/* A task as the kernel sees it; a process is identified by (tgid, start). */
struct ss_task {
	__u32 tid;
	__u32 tgid;
	__u64 start; /* group leader's start, ns since boot (CLOCK_BOOTTIME) */
	char comm[SS_COMM_LEN];
};

struct ss_signal {
	__s32 sig;
	__s32 code;      /* si_code */
	__s32 result;    /* enum ss_result */
	__s32 ret;       /* syscall return value, valid with SS_F_RET_KNOWN */
	__s32 requested; /* pid argument as passed: -pgid, 0, -1, or a pid in the sender's namespace */
	__s32 requested_tgid; /* tgkill/rt_tgsigqueueinfo tgid argument; pidfd for pidfd_send_signal */
	__u32 syscall;   /* enum ss_syscall */
	__u32 count;     /* ATTEMPT_END: how many signals the attempt generated */
	__u64 attempt;   /* the sender thread's attempt number: joins MULTI records with their ATTEMPT_END */
	__s32 sender_nspid; /* sender tgid in its own pid namespace */
	__s32 target_nspid; /* target tgid in its own pid namespace */
};

struct ss_lifecycle {
	__s32 exit_code;  /* EXIT: raw wait status (code << 8 | signal) */
	__u32 ppid;       /* FORK/TASK: parent tgid */
	__u64 parent_start;
	__s32 nspid;      /* tgid in the process's own pid namespace */
	__u32 pad;
};

struct ss_event {
	__u64 ts;    /* CLOCK_BOOTTIME ns */
	__u16 kind;  /* enum ss_kind */
	__u16 flags; /* enum ss_flags */
	__u32 uid;   /* sender's uid (signals), the process's uid (lifecycle) */
	struct ss_task sender; /* signals: the sender; FORK: the parent */
	struct ss_task target; /* signals: the target; lifecycle: the process */
	union {
		struct ss_signal signal;
		struct ss_lifecycle life;
		char filename[SS_FILENAME_LEN]; /* EXEC */
	} u;
};

/* Records lost on one CPU because the ring buffer was full; a cache line each. */
struct ss_drop_counter {
	__u64 n;
	__u64 pad[7];
};

/* Filters the kernel program applies; userspace writes them while capturing. */
struct ss_filter {
	__u64 signals;     /* bit n set: signal n is captured; bit 0 is the signal-0 probe */
	__s32 pid;         /* 0: any; else only events whose sender or target tgid is this */
	__u32 failed_only; /* only attempts that failed */
	__u32 no_kernel;   /* drop kernel-originated signals */
	__u32 no_sigchld;  /* drop SIGCHLD */
	__u32 lifecycle;   /* emit fork/exec/exit */
	__u32 active;      /* 0 while attaching and detaching: no new attempts, no new records */
};

#endif /* SIGSCOPE_H */
