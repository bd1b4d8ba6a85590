import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyCompressSync, uncompressSync as snappyUncompressSync } from 'snappy';
import type { KafkaCompressionSetting } from '@mash/service-kit';

/**
 * Record batch compression. kafkajs implements only gzip itself; Snappy and LZ4 come as codecs, here the native
 * `snappy` and `lz4-napi` libraries, called synchronously on the event loop.
 *
 * Every deployable reads batches compressed with any of them (an agency's own producer may compress its topic with
 * LZ4 or Snappy: without the codec, kafkajs cannot decode the fetch and the partition stalls), and the platform's
 * producers compress with Snappy by default (`KAFKA_COMPRESSION`). Measured with 20,000 case events of 2.7 KB on the
 * development broker: the broker's CPU per record produced fell from 43–54 to 8–10 µs and per record fetched from
 * 11 to 2–3 µs, the producer's from 26–29 to 16–21 µs and the consumer's from 23–24 to 16 µs, because the broker
 * writes, and kafkajs copies and checksums, a fifth of the bytes.
 *
 * Snappy batches are raw Snappy blocks, which the Java clients and the broker read (xerial's `SnappyInputStream`
 * takes an unframed block as such); LZ4 batches are standard LZ4 frames, Kafka's format since message format v1.
 */
export type KafkaCompression = KafkaCompressionSetting;

/** What the platform's producers use unless told otherwise. */
export const DEFAULT_KAFKA_COMPRESSION: KafkaCompression = 'snappy';

const TYPES: Readonly<Record<KafkaCompression, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
};

/** kafkajs's compression type for a setting. */
export function compressionType(compression: KafkaCompression): CompressionTypes {
  return TYPES[compression];
}

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/*
 * Synchronously, and Snappy's output copied into a Buffer of Node's own. Both libraries allocate their output with
 * the mimalloc they are built with. Their asynchronous calls allocate it on a thread of libuv's pool, and it is freed
 * on the main thread when V8 collects the Buffer that wraps it: freed across threads, mimalloc keeps taking fresh
 * memory, and with transparent huge pages (`always` on this VM) every fresh 2 MiB is zeroed by the kernel on first
 * touch. Measured on this VM, 2,000 compressions and decompressions of a 150 KB record batch: 1.0–1.6 s of CPU
 * asynchronously (a third of it the kernel clearing pages, a fifth waking the pool's threads), 0.45–0.48 s
 * synchronously with the output copied; of a 20 KB batch, 0.55 s against 0.1 s. In `bench:ingest` (two
 * interleaved pairs) the cases process, which decompresses status changes and compresses case events, used 107–115
 * µs of CPU per event instead of 129–137. Compressing 250 KB takes about 0.1 ms, short enough for the event loop.
 * (`lz4-napi` has no copying option; its synchronous calls still avoid the pool.)
 */
const snappyCodec: Codec = {
  compress: async ({ buffer }) => snappyCompressSync(buffer, { copyOutputData: true }),
  decompress: async (buffer) => {
    const out = snappyUncompressSync(buffer, { asBuffer: true, copyOutputData: true });
    return Buffer.isBuffer(out) ? out : Buffer.from(out);
  },
};

const lz4Codec: Codec = {
  compress: async ({ buffer }) => compressFrameSync(buffer),
  decompress: async (buffer) => decompressFrameSync(buffer),
};

let registered = false;

/** Registers the Snappy and LZ4 codecs with kafkajs (process-wide, once); `createKafka` calls it. */
export function registerCompressionCodecs(): void {
  if (registered) return;
  registered = true;
  // kafkajs's codec registry is typed for its own codecs' shape; ours have the same two methods.
  const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;
  codecs[CompressionTypes.Snappy] = () => snappyCodec;
  codecs[CompressionTypes.LZ4] = () => lz4Codec;
}

registerCompressionCodecs();
