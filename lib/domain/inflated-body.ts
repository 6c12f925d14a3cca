/**
 * A stored object's body read through an inflater, their lifetimes tied: an error of the body
 * destroys the inflater (the reader sees it), and the inflater's close (read to its end, or destroyed
 * by a reader that stopped early) destroys the body. A pipe's destination going away does not end its
 * source: the body would stay open and paused, holding its socket until the S3 client has none left
 * (memory/fixes/0219).
 */
import type { Readable, Transform } from 'node:stream';

export function inflatedBody(body: Readable, inflater: Transform): Readable {
  body.on('error', (error) => inflater.destroy(error));
  inflater.once('close', () => body.destroy());
  return body.pipe(inflater);
}
