// How to start the privileged helper on this machine: directly when we
// already may load eBPF programs, else through pkexec (a polkit prompt), else
// through `sudo -n` where sudoers allows it without a password.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canCaptureDirectly, type Launcher } from './helperClient';

export interface LauncherFacts {
  /** Root, or CAP_BPF + CAP_PERFMON. */
  privileged: boolean;
  hasPkexec: boolean;
  /** A graphical session that a polkit agent can prompt in. */
  hasDisplay: boolean;
  /** `sudo -n true` succeeded: sudo would run without asking. */
  sudoWithoutPassword: boolean;
}

export type LauncherChoice = { launcher: Launcher } | { launcher: null; code: string; message: string; hint: string };

export function chooseLauncher(f: LauncherFacts, preferred: Launcher | 'auto' = 'auto'): LauncherChoice {
  if (preferred !== 'auto') return { launcher: preferred };
  if (f.privileged) return { launcher: 'direct' };
  if (f.hasPkexec && f.hasDisplay) return { launcher: 'pkexec' };
  if (f.sudoWithoutPassword) return { launcher: 'sudo' };
  if (f.hasPkexec) return { launcher: 'pkexec' };
  return {
    launcher: null,
    code: 'no-pkexec',
    message: 'SigScope cannot get administrator rights here: pkexec is not installed and sudo needs a password.',
    hint: 'Install polkit (apt-get install pkexec), allow the helper in sudoers with NOPASSWD, or run SigScope as root.',
  };
}

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

/** Looks at this machine. Runs `sudo -n true` only when the cheaper answers don't decide. */
export function probeLauncherFacts(): LauncherFacts {
  const privileged = canCaptureDirectly();
  const hasPkexec = onPath('pkexec');
  const hasDisplay = !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  let sudoWithoutPassword = false;
  if (!privileged && !(hasPkexec && hasDisplay) && onPath('sudo')) {
    sudoWithoutPassword = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 3000 }).status === 0;
  }
  return { privileged, hasPkexec, hasDisplay, sudoWithoutPassword };
}
