// The recording codec: pure TypeScript, usable in every process. The
// compressor is passed in: node:zlib in Node (electron/node/recording), or
// CompressionStream / DecompressionStream ('deflate-raw') in a browser.
export { RecordingEncoder, type Deflate, type EncoderOptions, type HeaderFields } from './encoder';
export {
  openRecording, StoredRecording,
  type Inflate, type OpenOptions, type OpenProgress, type Recording, type RecordingNote, type BlockSource,
} from './reader';
export { RecordingError } from './errors';
export { FORMAT_NAME, FORMAT_VERSION, type BlockInfo, type RecordingHeader } from './container';
export { webInflate } from './webInflate';
