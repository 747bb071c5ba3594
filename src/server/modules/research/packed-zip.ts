// The files of a research export's package, compressed as they are written (docs/decisions/0046). Each file is
// raw DEFLATE — what a zip entry holds — made by Node's zlib on libuv's thread pool while the export reads and
// writes its next batch; its CRC-32 and size are counted over the text on the way in. The zip is then put together
// from the compressed files by fflate's `Zip` without compressing anything a second time, with the output stream's
// backpressure respected. Nothing is held in memory beyond the streams' buffers.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import { createDeflateRaw, type DeflateRaw } from 'node:zlib';
import { Zip, type ZipInputFile } from 'fflate';

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (the zip format's, IEEE 802.3) of `bytes`, continuing from `crc`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** The deflate stream's buffer: a batch of rows goes in without waiting while zlib compresses the last one. */
const BUFFER = 1 << 20;

/** One file of the package, deflated into `path` as it is written. */
export class PackedFile {
  crc = 0;
  /** Bytes of text written (the entry's uncompressed size). */
  size = 0;
  private readonly deflate: DeflateRaw;
  private readonly done: Promise<void>;
  constructor(
    readonly name: string,
    readonly path: string,
  ) {
    this.deflate = createDeflateRaw({ level: 6, writableHighWaterMark: BUFFER } as Parameters<typeof createDeflateRaw>[0]);
    this.done = pipeline(this.deflate, createWriteStream(path));
    // A failure is reported by close(); until then it must not count as unhandled.
    this.done.catch(() => {});
  }

  async write(text: string): Promise<void> {
    if (text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    // `once` rejects on the stream's error (a failing file destroys the deflate stream with it).
    if (!this.deflate.write(bytes)) await once(this.deflate, 'drain');
  }

  async close(): Promise<void> {
    this.deflate.end();
    await this.done;
  }
}

/** Writes a zip of the packed files, in order, to `target`. */
export async function zipPacked(target: string, files: readonly PackedFile[]): Promise<void> {
  const out = createWriteStream(target);
  let failure: Error | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else out.write(chunk);
    if (final) out.end();
  });
  try {
    for (const f of files) {
      // An entry whose data is already deflated: fflate writes its headers and the data descriptor around it.
      const entry: ZipInputFile = { filename: f.name, size: f.size, crc: f.crc, compression: 8, flag: 0 };
      zip.add(entry);
      for await (const chunk of createReadStream(f.path, { highWaterMark: 256 * 1024 })) {
        entry.ondata!(null, chunk as Uint8Array<ArrayBuffer>, false);
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      entry.ondata!(null, new Uint8Array(0), true);
    }
    zip.end();
    await finished(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  if (failure) throw failure;
}
