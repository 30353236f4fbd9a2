// Inflate with the web platform's DecompressionStream: for the renderer and
// the browser mode, where node:zlib is not available. Node 20 has it too.
import { RecordingError } from './errors';

export async function webInflate(payload: Uint8Array, rawLength: number): Promise<Uint8Array> {
  const stream = new Blob([payload as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const out = new Uint8Array(rawLength);
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (length + value.length > rawLength) {
      // More than the block declared: stop before allocating for a hostile block.
      await reader.cancel();
      throw new RecordingError(`the block inflates to more than the ${rawLength} bytes it declares`, -1, `${rawLength} bytes`);
    }
    out.set(value, length);
    length += value.length;
  }
  return length === rawLength ? out : out.subarray(0, length);
}
