// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * SigScope's kernel side: every signal, who sent it, to whom, and what the
 * kernel made of it.
 *
 * An attempt is a signal syscall from entry to exit. Its entry is remembered
 * per thread; signal_generate, which fires inside it once per target, fills in
 * the target and the kernel's verdict; the exit adds the return value. The
 * common single-target attempt is held in the map and written once, complete,
 * at exit: one ring buffer record per kill(). An attempt reaching several
 * targets (kill(-pgid), kill(-1)) writes one record per target as it goes and
 * an ATTEMPT_END carrying the return value. An attempt that generated no
 * signal (EPERM, ESRCH, EINVAL, signal 0) writes one record at exit.
 *
 * Who sent a signal is told by its siginfo, not by who happened to be
 * running. A process's kill() always carries a real siginfo with SI_USER,
 * SI_TKILL or SI_QUEUE (or another non-positive code it chose). The kernel's
 * own signals carry SEND_SIG_PRIV (SI_KERNEL), SEND_SIG_NOINFO (SIGPIPE and
 * the like, which only look like SI_USER), a fault or child code, or a timer
 * code: for those the running task is context, never the sender. A user
 * signal with no attempt in flight (a 32-bit process's int 0x80 kill, which
 * the 64-bit syscall tracepoints do not see) still names its sender; only the
 * syscall and its return value are unknown.
 *
 * filter.active gates everything new while programs are being attached or
 * detached, so that no attempt is seen half.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "sigscope.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define SIGCHLD 17
#define SI_KERNEL 0x80
#define SI_USER 0
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_MESGQ -3
#define SI_ASYNCIO -4
#define SI_SIGIO -5
#define SI_TKILL -6
#define TS_COMPAT 0x0002 /* x86: thread_info.status during a 32-bit syscall */

/* Writable while capturing: userspace updates it through the mmapped .data. */
struct ss_filter filter = {
	.signals = ~0ULL,
	.lifecycle = 1,
	.active = 0,
};

/* When this much unread data has built up, wake the reader instead of waiting for its poll. */
const volatile __u64 wakeup_bytes = 1 << 20;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* see ProbeOptions::ring_bytes */
} events SEC(".maps");

/*
 * Records the kernel could not write because the ring buffer was full, per
 * CPU, one cache line each. A global, not a map: userspace reads it through
 * the mmapped .bss, which still works after the helper has dropped CAP_BPF.
 */
struct ss_drop_counter drops[SS_MAX_CPUS];

struct attempt {
	__u64 entered; /* this thread's attempt number; 0: no attempt in flight */
	__u64 attempts; /* attempts this thread has made */
	__s32 sig;
	__s32 requested;
	__s32 requested_tgid;
	__u32 syscall;
	__u32 count;
	__u32 pad;
	struct ss_event held;
};

/* The attempt in flight, per thread: task storage costs far less than a hash map. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct attempt);
} attempts SEC(".maps");

static __always_inline void count_drop(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	if (cpu < SS_MAX_CPUS)
		__sync_fetch_and_add(&drops[cpu].n, 1);
}

/*
 * The reader polls every few milliseconds; it is woken early only when
 * unread data crosses wakeup_bytes. Waking it on every record above the mark
 * would cost a wakeup per event just when events come fastest.
 */
static __always_inline __u64 wakeup_flag(void)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	return avail >= wakeup_bytes && avail < wakeup_bytes + sizeof(struct ss_event) ?
		BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void output(struct ss_event *e)
{
	if (bpf_ringbuf_output(&events, e, sizeof(*e), wakeup_flag()))
		count_drop();
}

static __always_inline struct ss_event *reserve(void)
{
	struct ss_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		count_drop();
	return e;
}

static __always_inline void submit(struct ss_event *e)
{
	bpf_ringbuf_submit(e, wakeup_flag());
}

/* task pointers here are BTF pointers: plain loads, no probe-read calls */
static __always_inline __s32 ns_tgid(struct task_struct *task)
{
	struct pid *pid = task->group_leader->thread_pid;
	unsigned int level = pid->level;
	__s32 nr = task->tgid;

	if (level)
		bpf_probe_read_kernel(&nr, sizeof(nr), &pid->numbers[level & 31].nr);
	return nr;
}

static __always_inline void fill_task(struct ss_task *t, struct task_struct *task)
{
	t->tid = task->pid;
	t->tgid = task->tgid;
	t->start = task->group_leader->start_boottime;
	bpf_probe_read_kernel(&t->comm, sizeof(t->comm), &task->comm);
}

static __always_inline __u32 task_euid(struct task_struct *task)
{
	return task->cred->euid.val;
}

/* A zeroed record of this kind about task, reserved in the ring buffer. */
static __always_inline struct ss_event *begin(__u16 kind, struct task_struct *task)
{
	struct ss_event *e = reserve();

	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_boot_ns();
	e->kind = kind;
	e->uid = task_euid(task);
	fill_task(&e->target, task);
	return e;
}

static __always_inline bool signal_wanted(__s32 sig)
{
	if (sig < 0 || sig > 63)
		return filter.signals == ~0ULL;
	return filter.signals & (1ULL << sig);
}

static __always_inline bool pid_wanted(__u32 a, __u32 b)
{
	return filter.pid == 0 || (__u32)filter.pid == a || (__u32)filter.pid == b;
}

/* ---------------------------------------------------------------- attempts */

static __always_inline int on_enter(__u32 syscall, __s32 requested, __s32 requested_tgid, __s32 sig)
{
	struct attempt *a;

	if (!filter.active || !signal_wanted(sig))
		return 0;
	a = bpf_task_storage_get(&attempts, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!a)
		return 0;
	a->entered = ++a->attempts; /* numbers, not times: they only join records */
	a->sig = sig;
	a->requested = requested;
	a->requested_tgid = requested_tgid;
	a->syscall = syscall;
	a->count = 0;
	return 0;
}

static __always_inline void fill_attempt(struct ss_event *e, struct attempt *a,
					 struct task_struct *current)
{
	e->ts = bpf_ktime_get_boot_ns();
	e->kind = SS_KIND_SIGNAL;
	e->uid = task_euid(current);
	fill_task(&e->sender, current);
	e->u.signal.sig = a->sig;
	e->u.signal.requested = a->requested;
	e->u.signal.requested_tgid = a->requested_tgid;
	e->u.signal.syscall = a->syscall;
	e->u.signal.attempt = a->entered;
	e->u.signal.sender_nspid = ns_tgid(current);
}

static __always_inline void fill_generated(struct ss_event *e, struct attempt *a,
					   struct task_struct *current, struct task_struct *task,
					   __s32 code, int result, int group, __u16 extra_flags)
{
	__builtin_memset(e, 0, sizeof(*e));
	fill_attempt(e, a, current);
	fill_task(&e->target, task);
	e->flags = SS_F_SENDER_KNOWN | SS_F_TARGET_KNOWN | (group ? SS_F_GROUP : 0) | extra_flags;
	e->u.signal.code = code;
	e->u.signal.result = result;
	e->u.signal.target_nspid = ns_tgid(task);
}

/* An attempt that generated no signal, or the end of one that generated several. */
static __noinline void emit_attempt_end(struct attempt *a, struct task_struct *current, long ret)
{
	struct ss_event *e = reserve();

	if (!e)
		return;
	__builtin_memset(e, 0, sizeof(*e));
	fill_attempt(e, a, current);
	e->u.signal.ret = ret;
	e->u.signal.result = SS_RESULT_NONE;
	e->u.signal.count = a->count;
	if (a->count == 0) {
		e->flags = SS_F_NO_SIGNAL | SS_F_RET_KNOWN | SS_F_SENDER_KNOWN;
	} else {
		e->kind = SS_KIND_ATTEMPT_END;
		e->flags = SS_F_RET_KNOWN | SS_F_SENDER_KNOWN;
	}
	submit(e);
}

static __always_inline int on_exit(long ret)
{
	struct task_struct *current = bpf_get_current_task_btf();
	struct attempt *a;
	bool keep;

	a = bpf_task_storage_get(&attempts, current, 0, 0);
	if (!a || !a->entered)
		return 0;
	keep = !filter.failed_only || ret < 0;
	if (a->count == 1) {
		a->held.u.signal.ret = ret;
		a->held.flags |= SS_F_RET_KNOWN;
		if (keep && pid_wanted(a->held.sender.tgid, a->held.target.tgid))
			output(&a->held);
	} else if (keep) {
		/* count 0: no signal generated. count > 1: the end of a multi-target
		 * attempt, written whatever the pid filter so its records can be joined */
		if (a->count > 0 || pid_wanted(current->tgid, a->requested))
			emit_attempt_end(a, current, ret);
	}
	a->entered = 0;
	return 0;
}

/* Classic per-syscall tracepoints: they cost nothing on unrelated syscalls. */
#define SYSCALL_TP(name, ss, req, req_tgid, sigarg)					\
SEC("tracepoint/syscalls/sys_enter_" #name)						\
int tp_enter_##name(struct trace_event_raw_sys_enter *ctx)				\
{											\
	return on_enter(ss, (__s32)(req), (__s32)(req_tgid), (__s32)ctx->args[sigarg]);\
}											\
SEC("tracepoint/syscalls/sys_exit_" #name)						\
int tp_exit_##name(struct trace_event_raw_sys_exit *ctx)				\
{											\
	return on_exit(ctx->ret);							\
}

SYSCALL_TP(kill, SS_SYS_KILL, ctx->args[0], 0, 1)
SYSCALL_TP(tkill, SS_SYS_TKILL, ctx->args[0], 0, 1)
SYSCALL_TP(tgkill, SS_SYS_TGKILL, ctx->args[1], ctx->args[0], 2)
SYSCALL_TP(rt_sigqueueinfo, SS_SYS_RT_SIGQUEUEINFO, ctx->args[0], 0, 1)
SYSCALL_TP(rt_tgsigqueueinfo, SS_SYS_RT_TGSIGQUEUEINFO, ctx->args[1], ctx->args[0], 2)
SYSCALL_TP(pidfd_send_signal, SS_SYS_PIDFD_SEND_SIGNAL, 0, ctx->args[0], 1)

/*
 * Without tracefs the classic tracepoints cannot be attached; the raw
 * sys_enter/sys_exit tracepoints need none but run on every syscall. They
 * also see 32-bit processes' syscalls, which have numbers of their own.
 */
#if defined(__TARGET_ARCH_x86)
#define NR_KILL 62
#define NR_TKILL 200
#define NR_TGKILL 234
#define NR_RT_SIGQUEUEINFO 129
#define NR_RT_TGSIGQUEUEINFO 297
#define IA32_KILL 37
#define IA32_TKILL 238
#define IA32_TGKILL 270
#define IA32_RT_SIGQUEUEINFO 178
#define IA32_RT_TGSIGQUEUEINFO 335
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_KILL 129
#define NR_TKILL 130
#define NR_TGKILL 131
#define NR_RT_SIGQUEUEINFO 138
#define NR_RT_TGSIGQUEUEINFO 240
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
#endif
#define NR_PIDFD_SEND_SIGNAL 424 /* the same number everywhere */

static __always_inline bool in_compat_syscall(void)
{
#if defined(__TARGET_ARCH_x86)
	return bpf_get_current_task_btf()->thread_info.status & TS_COMPAT;
#else
	return false;
#endif
}

static __always_inline __u32 signal_syscall(long id, bool compat)
{
#if defined(__TARGET_ARCH_x86)
	if (compat) {
		switch (id) {
		case IA32_KILL: return SS_SYS_KILL;
		case IA32_TKILL: return SS_SYS_TKILL;
		case IA32_TGKILL: return SS_SYS_TGKILL;
		case IA32_RT_SIGQUEUEINFO: return SS_SYS_RT_SIGQUEUEINFO;
		case IA32_RT_TGSIGQUEUEINFO: return SS_SYS_RT_TGSIGQUEUEINFO;
		case NR_PIDFD_SEND_SIGNAL: return SS_SYS_PIDFD_SEND_SIGNAL;
		default: return SS_SYS_NONE;
		}
	}
#endif
	switch (id) {
	case NR_KILL: return SS_SYS_KILL;
	case NR_TKILL: return SS_SYS_TKILL;
	case NR_TGKILL: return SS_SYS_TGKILL;
	case NR_RT_SIGQUEUEINFO: return SS_SYS_RT_SIGQUEUEINFO;
	case NR_RT_TGSIGQUEUEINFO: return SS_SYS_RT_TGSIGQUEUEINFO;
	case NR_PIDFD_SEND_SIGNAL: return SS_SYS_PIDFD_SEND_SIGNAL;
	default: return SS_SYS_NONE;
	}
}

SEC("raw_tp/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	bool compat = in_compat_syscall();
	__u32 syscall = signal_syscall(ctx->args[1], compat);
	long a0, a1, a2;

	if (syscall == SS_SYS_NONE)
		return 0;
#if defined(__TARGET_ARCH_x86)
	if (compat) {
		/* the 32-bit ABI passes arguments in bx, cx, dx */
		a0 = (__s32)BPF_CORE_READ(regs, bx);
		a1 = (__s32)BPF_CORE_READ(regs, cx);
		a2 = (__s32)BPF_CORE_READ(regs, dx);
	} else
#endif
	{
		a0 = PT_REGS_PARM1_CORE_SYSCALL(regs);
		a1 = PT_REGS_PARM2_CORE_SYSCALL(regs);
		a2 = PT_REGS_PARM3_CORE_SYSCALL(regs);
	}
	switch (syscall) {
	case SS_SYS_TGKILL:
	case SS_SYS_RT_TGSIGQUEUEINFO:
		return on_enter(syscall, a1, a0, a2);
	case SS_SYS_PIDFD_SEND_SIGNAL:
		return on_enter(syscall, 0, a0, a1);
	default:
		return on_enter(syscall, a0, 0, a1);
	}
}

SEC("raw_tp/sys_exit")
int raw_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	if (signal_syscall(SYSCALL_NR(regs), in_compat_syscall()) == SS_SYS_NONE)
		return 0;
	return on_exit(ctx->args[1]);
}

/* ----------------------------------------------------------------- signals */

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	struct task_struct *current = bpf_get_current_task_btf();
	struct attempt *a;
	struct ss_event *e;
	__s32 code;

	bool from_process;

	/* info may be one of the markers SEND_SIG_NOINFO (0) or SEND_SIG_PRIV (1) */
	if ((unsigned long)info == 0) {
		code = SI_USER; /* what the target will see; the kernel sent it */
		from_process = false;
	} else if ((unsigned long)info <= 2) {
		code = SI_KERNEL;
		from_process = false;
	} else {
		code = BPF_CORE_READ(info, si_code);
		from_process = code <= 0 && code != SI_TIMER && code != SI_MESGQ &&
			       code != SI_ASYNCIO && code != SI_SIGIO;
	}

	a = bpf_task_storage_get(&attempts, current, 0, 0);
	if (a && a->entered && a->sig == sig && from_process) {
		a->count++;
		if (a->count == 1) {
			/* held until the syscall exits, so it leaves complete, as one record */
			fill_generated(&a->held, a, current, task, code, result, group, 0);
			return 0;
		}
		if (a->count == 2) {
			a->held.flags |= SS_F_MULTI;
			if (!filter.failed_only && pid_wanted(a->held.sender.tgid, a->held.target.tgid))
				output(&a->held);
		}
		if (filter.failed_only || !pid_wanted(current->tgid, task->tgid))
			return 0;
		e = reserve();
		if (!e)
			return 0;
		fill_generated(e, a, current, task, code, result, group, SS_F_MULTI);
		submit(e);
		return 0;
	}

	if (!filter.active || filter.failed_only || !signal_wanted(sig))
		return 0;
	if (!pid_wanted(task->tgid, current->tgid))
		return 0;
	if (from_process) {
		/* sent by a process through a path no syscall tracepoint saw */
		e = begin(SS_KIND_SIGNAL, task);
		if (!e)
			return 0;
		e->flags = SS_F_SENDER_KNOWN | SS_F_TARGET_KNOWN | (group ? SS_F_GROUP : 0);
		e->uid = task_euid(current);
		fill_task(&e->sender, current);
		e->u.signal.sender_nspid = ns_tgid(current);
	} else {
		if (filter.no_kernel || (sig == SIGCHLD && filter.no_sigchld))
			return 0;
		e = begin(SS_KIND_SIGNAL, task);
		if (!e)
			return 0;
		e->flags = SS_F_KERNEL | SS_F_TARGET_KNOWN | (group ? SS_F_GROUP : 0);
		fill_task(&e->sender, current); /* context only */
	}
	e->u.signal.sig = sig;
	e->u.signal.code = code;
	e->u.signal.result = result;
	e->u.signal.target_nspid = ns_tgid(task);
	submit(e);
	return 0;
}

/* --------------------------------------------------------------- lifecycle */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	struct ss_event *e;

	if (!filter.active || !filter.lifecycle || child->pid != child->tgid)
		return 0; /* a new thread, not a new process */
	e = begin(SS_KIND_FORK, child);
	if (!e)
		return 0;
	fill_task(&e->sender, parent);
	e->u.life.ppid = parent->tgid;
	e->u.life.parent_start = parent->group_leader->start_boottime;
	e->u.life.nspid = ns_tgid(child);
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ss_event *e;
	long n;

	if (!filter.active || !filter.lifecycle)
		return 0;
	e = begin(SS_KIND_EXEC, p);
	if (!e)
		return 0;
	n = bpf_probe_read_kernel_str(e->u.filename, sizeof(e->u.filename),
				      BPF_CORE_READ(bprm, filename));
	if (n == sizeof(e->u.filename))
		e->flags |= SS_F_TRUNCATED;
	submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	struct ss_event *e;
	int code;

	/* signal->live reaches 0 when the last thread exits: the process is gone */
	if (!filter.active || !filter.lifecycle || p->signal->live.counter != 0)
		return 0;
	e = begin(SS_KIND_EXIT, p);
	if (!e)
		return 0;
	code = p->exit_code;
	e->flags = (code & 0x80) ? SS_F_CORE : 0;
	e->u.life.exit_code = code;
	e->u.life.ppid = p->real_parent->tgid;
	submit(e);
	return 0;
}

/* ---------------------------------------------------------------- snapshot */

static __always_inline void snapshot_task(struct seq_file *seq, struct task_struct *task)
{
	struct ss_event e = {};

	e.ts = bpf_ktime_get_boot_ns();
	e.kind = SS_KIND_TASK;
	e.uid = task_euid(task);
	fill_task(&e.target, task);
	e.u.life.ppid = BPF_CORE_READ(task, real_parent, tgid);
	e.u.life.parent_start = BPF_CORE_READ(task, real_parent, group_leader, start_boottime);
	e.u.life.nspid = ns_tgid(task);
	bpf_seq_write(seq, &e, sizeof(e));
}

SEC("iter/task")
int snapshot(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (!task || task->pid != task->tgid)
		return 0;
	snapshot_task(ctx->meta->seq, task);
	return 0;
}
