// Exporters write text through a sink; the Node side backs it with a file.
export interface ExportSink {
  /** May return a promise when the writer wants the exporter to wait (backpressure). */
  write(text: string): void | Promise<void>;
}

export interface ExportResult {
  events: number;
}
