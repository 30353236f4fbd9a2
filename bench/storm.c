/*
 * storm: a signal storm generator for benchmarking signal tracers.
 *
 *   kill mode (default): fork a target child that ignores the signal, then
 *   send it N kill() calls as fast as possible. Every call generates a signal
 *   that the kernel marks "ignored": signal_generate fires, the syscall
 *   tracepoints fire, but the target is never woken and nothing queues up, so
 *   the cost measured is the sender's syscall plus whatever a tracer adds.
 *
 *   getpid mode: N syscall(SYS_getpid) calls, to measure what a tracer costs
 *   syscalls that have nothing to do with signals.
 *
 * Output (stdout): one JSON object per line.
 *   with --ready:  {"ready":true,"pid":P,"target":T}   before waiting for go
 *   always:        {"mode":"kill","calls":N,"errors":E,"seconds":S,"rate":R,
 *                   "pid":P,"target":T,"sig":10}
 *
 * Go signal (so a tracer can attach before the storm starts):
 *   --wait-stdin      read one byte from stdin (EOF aborts, exit code 3)
 *   --wait-file PATH  poll every 1 ms until PATH exists
 *
 * Build: cc -O2 -o storm storm.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: storm [options]\n"
		"  -n, --calls N        number of calls (default 1000000)\n"
		"  -m, --mode MODE      kill (default) or getpid\n"
		"  -s, --signal SIG     signal number sent in kill mode (default 10, SIGUSR1)\n"
		"      --handle         target installs an empty handler instead of SIG_IGN\n"
		"  -r, --ready          print {\"ready\":true,\"pid\":..,\"target\":..} before waiting\n"
		"      --wait-stdin     wait for one byte on stdin before starting\n"
		"      --wait-file PATH wait until PATH exists before starting\n"
		"  -c, --cpu N          pin the sender to CPU N\n"
		"  -h, --help           this help\n");
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* Target child: ignore (or handle) sig, tell the parent it is ready, then
 * block on the control pipe until the parent closes it or dies. */
static pid_t start_target(int sig, int handle)
{
	int ready[2], ctl[2];
	char c = 0;

	if (pipe(ready) || pipe(ctl)) {
		perror("storm: pipe");
		exit(1);
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("storm: fork");
		exit(1);
	}
	if (pid == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = handle ? on_signal : SIG_IGN;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		if (sigaction(sig, &sa, NULL)) {
			perror("storm: sigaction");
			_exit(1);
		}
		close(ready[0]);
		close(ctl[1]);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		close(ready[1]);
		for (;;) {
			ssize_t r = read(ctl[0], &c, 1);
			if (r == 0 || (r < 0 && errno != EINTR))
				_exit(0);
		}
	}
	close(ready[1]);
	close(ctl[0]);
	/* ctl[1] stays open in the parent: the child exits on its EOF. */
	if (read(ready[0], &c, 1) != 1) {
		fprintf(stderr, "storm: target did not start\n");
		exit(1);
	}
	close(ready[0]);
	return pid;
}

int main(int argc, char **argv)
{
	long calls = 1000000;
	int getpid_mode = 0, sig = SIGUSR1, handle = 0, ready = 0;
	int wait_stdin = 0, cpu = -1;
	const char *wait_file = NULL;

	static const struct option opts[] = {
		{"calls", required_argument, 0, 'n'},
		{"mode", required_argument, 0, 'm'},
		{"signal", required_argument, 0, 's'},
		{"handle", no_argument, 0, 'H'},
		{"ready", no_argument, 0, 'r'},
		{"wait-stdin", no_argument, 0, 'I'},
		{"wait-file", required_argument, 0, 'F'},
		{"cpu", required_argument, 0, 'c'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	int o;
	while ((o = getopt_long(argc, argv, "n:m:s:rc:h", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			calls = strtol(optarg, NULL, 10);
			if (calls <= 0) {
				fprintf(stderr, "storm: bad --calls %s\n", optarg);
				return 2;
			}
			break;
		case 'm':
			if (!strcmp(optarg, "getpid"))
				getpid_mode = 1;
			else if (strcmp(optarg, "kill")) {
				fprintf(stderr, "storm: unknown mode %s\n", optarg);
				return 2;
			}
			break;
		case 's':
			sig = atoi(optarg);
			if (sig <= 0 || sig >= 65 || sig == SIGKILL || sig == SIGSTOP) {
				fprintf(stderr, "storm: bad signal %s\n", optarg);
				return 2;
			}
			break;
		case 'H': handle = 1; break;
		case 'r': ready = 1; break;
		case 'I': wait_stdin = 1; break;
		case 'F': wait_file = optarg; break;
		case 'c': cpu = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}

	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("storm: sched_setaffinity");
	}

	pid_t self = getpid();
	pid_t target = getpid_mode ? 0 : start_target(sig, handle);

	if (ready) {
		printf("{\"ready\":true,\"pid\":%d,\"target\":%d}\n", self, target);
		fflush(stdout);
	}
	if (wait_stdin) {
		char c;
		ssize_t r;
		do
			r = read(0, &c, 1);
		while (r < 0 && errno == EINTR);
		if (r != 1) {
			fprintf(stderr, "storm: no go signal on stdin, aborting\n");
			if (target > 0) {
				kill(target, SIGKILL);
				waitpid(target, NULL, 0);
			}
			return 3;
		}
	}
	if (wait_file) {
		struct stat st;
		while (stat(wait_file, &st) != 0)
			usleep(1000);
	}

	long errors = 0;
	double t0 = now();
	if (getpid_mode) {
		for (long i = 0; i < calls; i++)
			syscall(SYS_getpid);
	} else {
		for (long i = 0; i < calls; i++)
			if (kill(target, sig))
				errors++;
	}
	double secs = now() - t0;

	if (target > 0) {
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
	}

	printf("{\"mode\":\"%s\",\"calls\":%ld,\"errors\":%ld,\"seconds\":%.6f,"
	       "\"rate\":%.1f,\"pid\":%d,\"target\":%d,\"sig\":%d}\n",
	       getpid_mode ? "getpid" : "kill", calls, errors, secs,
	       secs > 0 ? calls / secs : 0.0, self, target,
	       getpid_mode ? 0 : sig);
	fflush(stdout);
	return errors ? 1 : 0;
}
