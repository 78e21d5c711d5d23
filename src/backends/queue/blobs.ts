import { RESP_TYPES, type RedisClientType } from "@redis/client";
import { sha256 } from "../../files/content.js";
import { blobKey } from "./protocol.js";

/**
 * File contents in the queue's Redis, keyed by SHA-256: the scanning side uploads only what Redis lacks, workers fetch
 * only what their own cache lacks. A blob lives a week after it was last asked for, so an active project's blobs stay
 * and a dead branch's go.
 */
const BLOB_TTL_MS = 7 * 24 * 3600_000;

/**
 * Which of `hashes` Redis does not have, in one round trip: PEXPIRE answers 0 for a missing key, and renews a present
 * one's life.
 */
export async function missingBlobs(client: RedisClientType, hashes: readonly string[]): Promise<string[]> {
  if (hashes.length === 0) return [];
  const pipeline = client.multi();
  for (const hash of hashes) pipeline.pExpire(blobKey(hash), BLOB_TTL_MS);
  const answers = await pipeline.execAsPipeline();
  return hashes.filter((_, index) => Number(answers[index]) === 0);
}

/** Stores contents by their hashes, in one round trip. */
export async function uploadBlobs(client: RedisClientType, blobs: ReadonlyMap<string, Uint8Array>): Promise<void> {
  if (blobs.size === 0) return;
  const pipeline = client.multi();
  for (const [hash, bytes] of blobs) pipeline.set(blobKey(hash), Buffer.from(bytes), { expiration: { type: "PX", value: BLOB_TTL_MS } });
  await pipeline.execAsPipeline();
}

/**
 * The contents of `hashes`, in one round trip; each checked against its hash, so a worker never runs a tool on bytes
 * other than the ones the scanning side hashed. Throws naming a blob that is missing or wrong.
 */
export async function fetchBlobs(client: RedisClientType, hashes: readonly string[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (hashes.length === 0) return found;
  const pipeline = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).multi();
  for (const hash of hashes) pipeline.get(blobKey(hash));
  const answers = (await pipeline.execAsPipeline()) as unknown as (Buffer | null)[];
  hashes.forEach((hash, index) => {
    const bytes = answers[index];
    if (!Buffer.isBuffer(bytes)) throw new Error(`the queue's Redis has no blob ${hash}`);
    if (sha256(bytes) !== hash) throw new Error(`the queue's Redis holds other bytes under blob ${hash}`);
    found.set(hash, bytes);
  });
  return found;
}
