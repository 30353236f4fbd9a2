// Chrome JSON trace ("traceEvents"), which the Perfetto UI opens: one track
// per process, named "comm pid"; each signal as a complete ("X") slice on the
// sender's track and on the target's, joined by a flow arrow (flow_out and
// flow_in with a shared bind_id on the X slices themselves: Perfetto binds
// flows to slices, not to instants); each process's lifespan as a slice
// that the signal slices nest in.
//
// Times are microseconds from just before the first event, so they stay
// exact in a double; otherData.start gives the wall clock of time 0.
// A reused pid gets a track of its own under a made-up pid above pid_max
// (2^22), still named with the real pid.
import type { SigScopeEvent, TaskRef } from '../events';
import type { Recording } from '../recording/reader';
import type { ExportResult, ExportSink } from './sink';

const PID_MAX = 1 << 22;

interface Track {
  pid: number;
  start: number;
  jsonPid: number;
  comm: string;
  /** `"pid":N,"tid":N`, ready to paste. */
  where: string;
  /** JSON string "comm pid". */
  label: string;
  minTs: number;
  maxTs: number;
  exitTs: number | null;
  exit: string | null;
}

const q = JSON.stringify;

export async function exportPerfetto(recording: Recording, sink: ExportSink): Promise<ExportResult> {
  const origin = (Number.isFinite(recording.startTs) ? recording.startTs : 0) - 10;
  const clock = recording.header.clock;
  const bootToWallUs = clock ? (clock.realtimeNs - clock.bootNs) / 1000 : null;
  const tracks = new Map<number, Map<number, Track>>();
  const all: Track[] = [];
  let nextMadeUpPid = PID_MAX + 1;
  const usedPids = new Set<number>();

  const track = (pid: number, start: number, comm: string): Track => {
    let byStart = tracks.get(pid);
    if (!byStart) tracks.set(pid, (byStart = new Map()));
    let t = byStart.get(start);
    if (!t) {
      const jsonPid = pid === 0 || usedPids.has(pid) ? nextMadeUpPid++ : pid;
      usedPids.add(jsonPid);
      t = {
        pid, start, jsonPid, comm, where: `"pid":${jsonPid},"tid":${jsonPid}`, label: q(pid === 0 ? 'kernel' : `${comm} ${pid}`),
        minTs: Infinity, maxTs: -Infinity, exitTs: null, exit: null,
      };
      byStart.set(start, t);
      all.push(t);
    }
    return t;
  };
  const taskTrack = (ref: TaskRef) => track(ref.pid, ref.start, ref.comm);
  const touch = (t: Track, ts: number) => {
    if (ts < t.minTs) t.minTs = ts;
    if (ts > t.maxTs) t.maxTs = ts;
  };

  let first = true;
  let flow = 0;
  let events = 0;
  // A storm repeats all but the time: the JSON around ts and bind_id is made
  // once per (sender, target, signal, outcome) and reused while it holds.
  let key: unknown[] = [];
  let head = '';
  let outMid = '';
  let outTail = '';
  let inMid = '';
  let inTail = '';
  let lone = '';
  await sink.write(`{"displayTimeUnit":"ms","traceEvents":[\n`);
  for await (const batch of recording.batches()) {
    let text = '';
    for (const e of batch) {
      events++;
      if (e.type !== 'signal') {
        lifecycle(e, track, touch);
        continue;
      }
      const sender = taskTrack(e.sender);
      touch(sender, e.ts);
      const target = e.target ? taskTrack(e.target) : null;
      if (target) touch(target, e.ts);
      if (key[0] !== sender || key[1] !== target || key[2] !== e.signal || key[3] !== e.errno || key[4] !== e.result ||
        key[5] !== e.syscall || key[6] !== e.requested || key[7] !== sender.label || key[8] !== target?.label) {
        key = [sender, target, e.signal, e.errno, e.result, e.syscall, e.requested, sender.label, target?.label];
        const outcome = e.errno ? `"errno":${q(e.errno)}` : `"result":${e.result === null ? 'null' : q(e.result)}`;
        const syscall = e.syscall ? `,"syscall":${q(e.syscall)}` : '';
        head = `{"ph":"X","name":${q(e.signal)},"ts":`;
        outMid = `,"dur":0,${sender.where},"bind_id":`;
        outTail = `,"flow_out":true,"args":{"to":${target?.label},${outcome}${syscall}}}`;
        inMid = target ? `,"dur":0,${target.where},"bind_id":` : '';
        inTail = `,"flow_in":true,"args":{"from":${sender.label},${outcome}}}`;
        lone = `,"dur":0,${sender.where},"args":{"requested":${e.requested === null ? 'null' : e.requested},${outcome}${syscall}}}`;
      }
      const ts = e.ts - origin;
      if (first) first = false;
      else text += ',\n';
      if (target) {
        flow++;
        text += `${head}${ts}${outMid}${flow}${outTail},\n${head}${ts}${inMid}${flow}${inTail}`;
      } else {
        text += `${head}${ts}${lone}`;
      }
    }
    if (text) await sink.write(text);
  }

  const endTs = Number.isFinite(recording.endTs) ? recording.endTs : origin;
  let tail = '';
  for (const t of all) {
    const sep = first ? '' : ',\n';
    first = false;
    const label = t.pid === 0 ? 'kernel' : `${t.comm} ${t.pid}`;
    tail += `${sep}{"ph":"M","name":"process_name",${t.where},"args":{"name":${q(label)}}},\n` +
      `{"ph":"M","name":"thread_name",${t.where},"args":{"name":${q(label)}}}`;
    if (t.pid === 0) continue;
    // Strictly around every slice of the track, so that they nest in it.
    const startWall = bootToWallUs === null ? -Infinity : t.start + bootToWallUs;
    const seen = Number.isFinite(t.minTs) ? t.minTs : (t.exitTs ?? endTs);
    const begin = Math.max(origin, Math.min(startWall, seen - 1));
    const last = Math.max(t.exitTs ?? endTs, Number.isFinite(t.maxTs) ? t.maxTs : -Infinity);
    const end = last + 1;
    const args = `"pid":${t.pid},"start":${t.start}${t.exit ? `,"exit":${q(t.exit)}` : ''}`;
    tail += `,\n{"ph":"X","name":${q(label)},"cat":"process","ts":${begin - origin},"dur":${end - begin},${t.where},"args":{${args}}}`;
  }
  const start = Number.isFinite(recording.startTs) ? new Date((origin) / 1000).toISOString() : null;
  tail += `\n],"otherData":${q({ source: 'SigScope', start, host: recording.header.host, kernel: recording.header.kernel })}}\n`;
  await sink.write(tail);
  return { events };
}

function lifecycle(e: Exclude<SigScopeEvent, { type: 'signal' }>, track: (pid: number, start: number, comm: string) => Track, touch: (t: Track, ts: number) => void): void {
  const t = track(e.pid, e.start, e.comm);
  if (e.type === 'exec' || e.comm !== t.comm) {
    t.comm = e.comm;
    t.label = q(`${e.comm} ${e.pid}`);
  }
  if (e.type === 'exit') {
    t.exitTs = e.ts;
    t.exit = e.exitSignal ? `killed by ${e.exitSignal}${e.core ? ' (core dumped)' : ''}` : `exit ${e.exitCode}`;
  }
  touch(t, e.ts);
}
