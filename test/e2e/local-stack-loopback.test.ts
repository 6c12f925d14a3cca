/**
 * Everything the local stack starts listens on 127.0.0.1 only: the emulators have no authentication,
 * so a socket on another interface would let anyone on the network read every tenant's files.
 * Checked in the kernel's socket tables, and by dialling this machine's other addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDbLocalRunnable, startIsolatedEmulators } from '../../infra/local/emulators.js';
import { type LocalStack, startLocalStack } from '../../infra/local/local-stack.js';
import {
  canConnect,
  descendants,
  externalAddresses,
  isLoopback,
  type ListeningSocket,
  listeningSockets,
} from '../support/listening-sockets.js';

const portOf = (url: string) => Number(new URL(url).port);

/** The sockets of this process and of the processes it started since `before`. */
function socketsStartedSince(before: ReadonlySet<number>): ListeningSocket[] {
  const started = descendants(process.pid).filter((pid) => !before.has(pid));
  return listeningSockets([process.pid, ...started]);
}

async function reachableFromOutside(ports: readonly number[]): Promise<string[]> {
  const reached: string[] = [];
  for (const address of externalAddresses()) {
    for (const port of ports) {
      if (await canConnect(address, port)) reached.push(`${address}:${port}`);
    }
  }
  return reached;
}

describe('the local stack (dynalite, fauxqs, gateway, generator)', () => {
  let stack: LocalStack;
  let sockets: ListeningSocket[];

  beforeAll(async () => {
    const before = new Set(descendants(process.pid));
    stack = await startLocalStack({ port: 0, logLevel: 'ERROR' });
    sockets = socketsStartedSince(before);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('listens on the gateway, DynamoDB and S3/SQS ports, each on 127.0.0.1 alone', () => {
    // Prepare
    const expected = [
      stack.port,
      portOf(stack.env.AWS_ENDPOINT_URL_DYNAMODB),
      portOf(stack.env.AWS_ENDPOINT_URL_S3),
      portOf(stack.env.AWS_ENDPOINT_URL_SQS),
    ];
    // Act
    const open = sockets.filter((s) => !isLoopback(s.address));
    const ports = new Set(sockets.map((s) => s.port));
    // Assert
    expect(open).toEqual([]);
    for (const port of expected) expect(ports).toContain(port);
  });

  it("cannot be reached through this machine's other addresses", async () => {
    // Prepare
    const ports = [...new Set(sockets.map((s) => s.port))];
    // Act
    const reached = await reachableFromOutside(ports);
    // Assert
    expect(ports.length).toBeGreaterThanOrEqual(3);
    expect(reached).toEqual([]);
  });
});

describe.runIf(dynamoDbLocalRunnable())('the emulators with DynamoDB Local', () => {
  it('bind DynamoDB Local (Java) to 127.0.0.1 alone as well', async () => {
    // Prepare
    const before = new Set(descendants(process.pid));
    const emulators = await startIsolatedEmulators({ dynamodb: 'dynamodb-local' });
    try {
      // Act
      const sockets = socketsStartedSince(before);
      const reached = await reachableFromOutside([...new Set(sockets.map((s) => s.port))]);
      // Assert
      expect(sockets.filter((s) => !isLoopback(s.address))).toEqual([]);
      expect(sockets.map((s) => s.port)).toContain(portOf(emulators.env.AWS_ENDPOINT_URL_DYNAMODB));
      expect(reached).toEqual([]);
    } finally {
      await emulators.stop();
    }
  }, 120_000);
});
