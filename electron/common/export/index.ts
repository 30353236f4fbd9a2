// Exporters from a Recording to the formats other tools read. Pure: they
// write text through a sink.
import type { Recording } from '../recording/reader';
import { exportCsv } from './csv';
import { exportNdjson } from './ndjson';
import { exportPerfetto } from './perfetto';
import type { ExportResult, ExportSink } from './sink';

export type ExportFormat = 'csv' | 'ndjson' | 'perfetto';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'ndjson', 'perfetto'];

export function exportRecording(recording: Recording, format: ExportFormat, sink: ExportSink): Promise<ExportResult> {
  switch (format) {
    case 'csv': return exportCsv(recording, sink);
    case 'ndjson': return exportNdjson(recording, sink);
    case 'perfetto': return exportPerfetto(recording, sink);
  }
}

export { exportCsv, exportNdjson, exportPerfetto, type ExportResult, type ExportSink };
export { CSV_COLUMNS, csvField, csvRow } from './csv';
