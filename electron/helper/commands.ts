// The helper's whole command set, validated before anything acts on it.
import type { HelperCommand } from '../common/protocol';
import { ArgumentError, checkOpenOptions, toNativeFilter } from '../node/probe';

export class CommandError extends Error {
  constructor(message: string, readonly id: number | null) {
    super(message);
  }
}

const COMMANDS = ['start', 'stop', 'set-filters', 'stats'];
const START_KEYS = new Set([
  'signals', 'pid', 'failedOnly', 'kernel', 'sigchld', 'lifecycle', 'snapshot', 'ringBytes',
  'syscallAttach', 'pollMs', 'wakeupBytes',
]);
const FILTER_KEYS = new Set(['signals', 'pid', 'failedOnly', 'kernel', 'sigchld']);

function checkKeys(what: string, value: Record<string, unknown>, allowed: Set<string>, id: number): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new CommandError(`${what}: unknown option '${key}'. Known: ${[...allowed].join(', ')}.`, id);
    }
  }
}

export function parseCommand(raw: unknown): HelperCommand {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CommandError('A command must be a JSON object such as {"id":1,"command":"stop"}.', null);
  }
  const message = raw as Record<string, unknown>;
  const id = message.id;
  if (!Number.isSafeInteger(id)) {
    throw new CommandError('A command needs an "id": a whole number the reply will carry.', null);
  }
  const commandId = id as number;
  if (typeof message.command !== 'string' || !COMMANDS.includes(message.command)) {
    throw new CommandError(
      `Unknown command ${JSON.stringify(message.command)}. The helper knows: ${COMMANDS.join(', ')}.`,
      commandId,
    );
  }
  try {
    switch (message.command) {
      case 'start': {
        const options = message.options ?? {};
        if (typeof options !== 'object' || options === null || Array.isArray(options)) {
          throw new CommandError('start: "options" must be an object.', commandId);
        }
        const o = options as Record<string, unknown>;
        checkKeys('start', o, START_KEYS, commandId);
        checkOpenOptions(o);
        toNativeFilter(o);
        if (o.snapshot !== undefined && typeof o.snapshot !== 'boolean') {
          throw new CommandError('start: snapshot must be true or false.', commandId);
        }
        return { id: commandId, command: 'start', options: o };
      }
      case 'set-filters': {
        const filters = message.filters;
        if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
          throw new CommandError('set-filters: "filters" must be an object.', commandId);
        }
        checkKeys('set-filters', filters as Record<string, unknown>, FILTER_KEYS, commandId);
        toNativeFilter(filters);
        return { id: commandId, command: 'set-filters', filters };
      }
      case 'stop':
        return { id: commandId, command: 'stop' };
      default:
        return { id: commandId, command: 'stats' };
    }
  } catch (error) {
    if (error instanceof ArgumentError) throw new CommandError(`${message.command}: ${error.message}`, commandId);
    throw error;
  }
}
