/** ResultStore wrappers for tests that need a store failing in one way and otherwise real. */
import type { ResultStore } from '../../lib/domain/index.js';

/** Every method of `inner`, except those in `overrides`. */
export function storeWith(inner: ResultStore, overrides: Partial<ResultStore> = {}): ResultStore {
  return {
    upload: (key, body, options) => inner.upload(key, body, options),
    open: (key, from, signal) => inner.open(key, from, signal),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
    presignGet: (key, options) => inner.presignGet(key, options),
    exists: (key) => inner.exists(key),
    put: (key, bytes, options) => inner.put(key, bytes, options),
    readRange: (key, start, end, signal) => inner.readRange(key, start, end, signal),
    list: (prefix) => inner.list(prefix),
    copy: (sourceKey, targetKey) => inner.copy(sourceKey, targetKey),
    createMultipart: (key, options) => inner.createMultipart(key, options),
    uploadPart: (key, uploadId, partNumber, bytes, signal) =>
      inner.uploadPart(key, uploadId, partNumber, bytes, signal),
    copyPart: (key, uploadId, partNumber, source, signal) =>
      inner.copyPart(key, uploadId, partNumber, source, signal),
    completeMultipart: (key, uploadId, parts) => inner.completeMultipart(key, uploadId, parts),
    abortMultipart: (key, uploadId) => inner.abortMultipart(key, uploadId),
    ...overrides,
  };
}

/** A store whose every write (streamed upload, PUT, multipart) rejects with `message`; reads and deletes work. */
export function storeFailingWrites(inner: ResultStore, message: string): ResultStore {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return storeWith(inner, {
    upload: async (_key, body) => {
      body.resume();
      throw new Error(message);
    },
    put: fail,
    createMultipart: fail,
    uploadPart: fail,
    copyPart: fail,
    copy: fail,
    completeMultipart: fail,
  });
}
