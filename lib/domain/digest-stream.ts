/** A pass-through that counts bytes and computes SHA-256 of everything flowing to a stored object. */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class DigestStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Hex digest; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
