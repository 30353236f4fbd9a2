// Sender for the kill()→screen latency benchmark (bench/latency.ts).
//   latency-sender RATE SECONDS
// Forks a target that handles SIGUSR1 (its comm: lat-target), then sends it
// SIGUSR1 with kill() at RATE per second for SECONDS, paced on absolute
// CLOCK_MONOTONIC deadlines. Each kill()'s CLOCK_REALTIME time is taken just
// before the call and kept in memory (no I/O while sending); at the end it
// prints one line per kill: "kill SEQ REALTIME_NS RET".
// Before sending it prints "pids SENDER TARGET" and waits for a line on stdin,
// so the benchmark can get the page ready.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t received;
static void on_usr1(int sig) {
  (void)sig;
  received++;
}

static int64_t ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s RATE SECONDS\n", argv[0]);
    return 2;
  }
  double rate = atof(argv[1]);
  double seconds = atof(argv[2]);
  if (rate <= 0 || seconds <= 0) {
    fprintf(stderr, "RATE and SECONDS must be positive\n");
    return 2;
  }
  long n = (long)(rate * seconds);
  prctl(PR_SET_NAME, "lat-sender");

  // The target: handles SIGUSR1 and waits. Block it first so none is lost before the handler is set.
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  pid_t target = fork();
  if (target < 0) {
    perror("fork");
    return 1;
  }
  if (target == 0) {
    prctl(PR_SET_NAME, "lat-target");
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    for (;;) pause();
  }
  sigprocmask(SIG_UNBLOCK, &usr1, NULL);

  int64_t *sent = calloc((size_t)n, sizeof *sent);
  int *ret = calloc((size_t)n, sizeof *ret);
  if (!sent || !ret) {
    perror("calloc");
    return 1;
  }
  printf("pids %d %d\n", (int)getpid(), (int)target);
  fflush(stdout);
  char line[64];
  if (!fgets(line, sizeof line, stdin)) {
    kill(target, SIGKILL);
    return 1;
  }

  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  const long step = (long)(1e9 / rate);
  for (long i = 0; i < n; i++) {
    next.tv_nsec += step;
    while (next.tv_nsec >= 1000000000L) {
      next.tv_nsec -= 1000000000L;
      next.tv_sec++;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
    }
    sent[i] = ns(CLOCK_REALTIME);
    ret[i] = kill(target, SIGUSR1) == 0 ? 0 : -errno;
  }
  for (long i = 0; i < n; i++) printf("kill %ld %lld %d\n", i, (long long)sent[i], ret[i]);
  fflush(stdout);
  // Let the target's last handlers run, then end it quietly.
  usleep(200000);
  kill(target, SIGKILL);
  waitpid(target, NULL, 0);
  return 0;
}
