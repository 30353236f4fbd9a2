// The one error type a damaged or hostile recording can produce.

export class RecordingError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file where the damage is (-1 when only the message knows). */
    public offset: number,
    /** What the reader expected to find there. */
    public readonly expected: string,
    /** For NDJSON recordings: the 1-based line. */
    public readonly line?: number,
  ) {
    super(message);
    this.name = 'RecordingError';
  }
}
