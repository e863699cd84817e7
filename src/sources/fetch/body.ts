import { Readable, pipeline, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** Outcome of reading a body under a decoded-size cap. */
export type BodyRead =
  { kind: 'ok'; bytes: Uint8Array } | { kind: 'too-large'; bytes: number } | { kind: 'unsupported-encoding'; encoding: string };

/** Content-Encoding values we decode (we only ever ask for these). */
const DECODERS = ['gzip', 'x-gzip', 'deflate', 'br', 'identity'] as const;

/** Codings in the order they must be undone (last applied first). */
export function parseContentEncoding(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== 'identity')
    .reverse();
}

/**
 * HTTP "deflate" should be zlib-wrapped (RFC 9110), but some servers send raw
 * deflate. A zlib header is CMF=0x?8 with (CMF*256+FLG) divisible by 31.
 */
function looksLikeZlib(first: Uint8Array): boolean {
  const cmf = first[0];
  const flg = first[1];
  if (cmf === undefined || flg === undefined) return true;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

/** Inflates zlib or raw deflate, deciding from the first chunk. */
async function* inflateAuto(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const decoder = looksLikeZlib(first.value) ? createInflate() : createInflateRaw();
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield first.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  yield* decode(Readable.from(rest()), decoder);
}

/** Pipes through a zlib decoder; errors anywhere surface in the iteration. */
function decode(input: Readable, decoder: Transform): AsyncIterable<Uint8Array> {
  // pipeline destroys every stream when one fails or when we stop iterating early.
  return pipeline(input, decoder, () => {}) as AsyncIterable<Uint8Array>;
}

function decoderFor(encoding: string, input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> | undefined {
  const readable = input instanceof Readable ? input : Readable.from(input);
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return decode(readable, createGunzip());
    case 'br':
      return decode(readable, createBrotliDecompress());
    case 'deflate':
      return inflateAuto(readable);
    default:
      return undefined;
  }
}

/** Destroys a stream we stop reading; its abort error is expected, not news. */
function release(stream: Readable): void {
  stream.on('error', () => {});
  stream.destroy();
}

/**
 * Reads `body`, undoing `encodings` (from {@link parseContentEncoding}) with node:zlib
 * streams, and stops as soon as the *decoded* size passes `maxBytes`, so a small gzip
 * that inflates to gigabytes costs at most `maxBytes` of memory. Stream errors (abort,
 * corrupt data, reset) are thrown for the caller to classify.
 */
export async function readBodyCapped(body: Readable, encodings: readonly string[], maxBytes: number): Promise<BodyRead> {
  let stream: AsyncIterable<Uint8Array> = body;
  for (const encoding of encodings) {
    const next = (DECODERS as readonly string[]).includes(encoding) ? decoderFor(encoding, stream) : undefined;
    if (!next) {
      release(body);
      return { kind: 'unsupported-encoding', encoding };
    }
    stream = next;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      total += chunk.byteLength;
      if (total > maxBytes) return { kind: 'too-large', bytes: total };
      chunks.push(chunk);
    }
  } finally {
    // Leaving the loop early (cap, error) must release the socket and zlib buffers.
    release(body);
    if (stream instanceof Readable) release(stream);
  }
  return { kind: 'ok', bytes: Buffer.concat(chunks, total) };
}
