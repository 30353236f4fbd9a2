// Names of signals, si_codes and errnos as Linux defines them (x86_64 and arm64 agree on these).

const SIGNAL_NAMES: readonly string[] = [
  '0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE',
  'SIGKILL', 'SIGUSR1', 'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT',
  'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU',
  'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

export const SIGRTMIN = 32;
export const SIGRTMAX = 64;
export const SIGCHLD = 17;

/** "SIGTERM" for 15, "SIGRTMIN+3" for 35, "0" for the signal-0 probe, "SIG99" when out of range. */
export function signalName(sig: number): string {
  if (sig >= 0 && sig < SIGNAL_NAMES.length) return SIGNAL_NAMES[sig];
  if (sig === SIGRTMAX) return 'SIGRTMAX';
  if (sig > SIGRTMIN && sig < SIGRTMAX) return `SIGRTMIN+${sig - SIGRTMIN}`;
  if (sig === SIGRTMIN) return 'SIGRTMIN';
  return `SIG${sig}`;
}

const ALIASES: Record<string, number> = { SIGIOT: 6, SIGPOLL: 29, SIGCLD: 17, SIGUNUSED: 31 };

/** Parses "TERM", "SIGTERM", "sigterm", "15" or "SIGRTMIN+2"; null when it is none of them. */
export function parseSignal(text: string): number | null {
  const t = text.trim().toUpperCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n <= SIGRTMAX ? n : null;
  }
  const name = t.startsWith('SIG') ? t : `SIG${t}`;
  const index = SIGNAL_NAMES.indexOf(name);
  if (index > 0) return index;
  if (name in ALIASES) return ALIASES[name];
  if (name === 'SIGRTMIN') return SIGRTMIN;
  if (name === 'SIGRTMAX') return SIGRTMAX;
  const rt = /^SIGRTMIN\+(\d+)$/.exec(name) ?? /^SIGRTMAX-(\d+)$/.exec(name);
  if (rt) {
    const n = name.startsWith('SIGRTMIN') ? SIGRTMIN + Number(rt[1]) : SIGRTMAX - Number(rt[1]);
    return n >= SIGRTMIN && n <= SIGRTMAX ? n : null;
  }
  return null;
}

const SI_CODES: Record<number, string> = {
  0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-2]: 'SI_TIMER', [-3]: 'SI_MESGQ',
  [-4]: 'SI_ASYNCIO', [-5]: 'SI_SIGIO', [-6]: 'SI_TKILL', [-7]: 'SI_DETHREAD', [-8]: 'SI_ASYNCNL',
};

const FAULT_CODES: Record<number, readonly string[]> = {
  4: ['', 'ILL_ILLOPC', 'ILL_ILLOPN', 'ILL_ILLADR', 'ILL_ILLTRP', 'ILL_PRVOPC', 'ILL_PRVREG', 'ILL_COPROC', 'ILL_BADSTK', 'ILL_BADIADDR'],
  5: ['', 'TRAP_BRKPT', 'TRAP_TRACE', 'TRAP_BRANCH', 'TRAP_HWBKPT', 'TRAP_UNK', 'TRAP_PERF'],
  7: ['', 'BUS_ADRALN', 'BUS_ADRERR', 'BUS_OBJERR', 'BUS_MCEERR_AR', 'BUS_MCEERR_AO'],
  8: ['', 'FPE_INTDIV', 'FPE_INTOVF', 'FPE_FLTDIV', 'FPE_FLTOVF', 'FPE_FLTUND', 'FPE_FLTRES', 'FPE_FLTINV', 'FPE_FLTSUB', 'FPE_FLTUNK', 'FPE_CONDTRAP'],
  11: ['', 'SEGV_MAPERR', 'SEGV_ACCERR', 'SEGV_BNDERR', 'SEGV_PKUERR', 'SEGV_ACCADI', 'SEGV_ADIDERR', 'SEGV_ADIPERR', 'SEGV_MTEAERR', 'SEGV_MTESERR', 'SEGV_CPERR'],
  17: ['', 'CLD_EXITED', 'CLD_KILLED', 'CLD_DUMPED', 'CLD_TRAPPED', 'CLD_STOPPED', 'CLD_CONTINUED'],
  29: ['', 'POLL_IN', 'POLL_OUT', 'POLL_MSG', 'POLL_ERR', 'POLL_PRI', 'POLL_HUP'],
  31: ['', 'SYS_SECCOMP', 'SYS_USER_DISPATCH'],
};

export function siCodeName(sig: number, code: number): string {
  if (code in SI_CODES) return SI_CODES[code];
  const names = FAULT_CODES[sig];
  if (code > 0 && names && code < names.length) return names[code];
  return String(code);
}

/**
 * Who sent it, by si_code: SI_USER, SI_TKILL and SI_QUEUE (and any other
 * non-positive code a process passed to rt_sigqueueinfo) come from a process;
 * SI_KERNEL and the positive fault and child codes come from the kernel.
 */
export function isUserCode(code: number): boolean {
  return code <= 0 && code !== -2 && code !== -4 && code !== -5;
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 5: 'EIO', 9: 'EBADF', 11: 'EAGAIN',
  12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 22: 'EINVAL', 38: 'ENOSYS',
};

export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `E${errno}`;
}
