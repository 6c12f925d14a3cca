/**
 * A local jobs table kept in a --data-dir from before the by-active-status index
 * (infra/local/emulators.ts createTables): it gets the index, keeps every item, and its jobs that have
 * not ended become visible to the sweeper. The upgrade deletes and makes tables again, so it runs on a
 * dynalite of its own, away from the tables the other test files share.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTables,
  DEFAULT_NAMES,
  DEFAULT_REGION,
  type EmulatorNames,
  type Running,
  startDynalite,
  tableDefinitions,
  untilActive,
} from '../../infra/local/emulators.js';
import { DynamoJobRepository } from '../../lib/infrastructure/index.js';
import { uniqueOwner } from '../support/platform.js';
import { jobRecord } from '../support/repository-contract.js';

let own: Running;
let dynamodb: DynamoDBClient;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  own = await startDynalite(0, undefined);
  dynamodb = new DynamoDBClient({
    endpoint: own.endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  documents = DynamoDBDocumentClient.from(dynamodb);
});

afterAll(async () => {
  dynamodb?.destroy();
  await own?.stop();
});

describe('the local jobs table upgrade', () => {
  it('adds by-active-status to a jobs table from before it, keeping every item and indexing the jobs that have not ended', async () => {
    // Prepare
    const suffix = randomUUID().slice(0, 8);
    const names: EmulatorNames = {
      ...DEFAULT_NAMES,
      jobsTable: `upgrade-jobs-${suffix}`,
      configurationsTable: `upgrade-configurations-${suffix}`,
      apiKeysTable: `upgrade-keys-${suffix}`,
      usageTable: `upgrade-usage-${suffix}`,
    };
    const [current] = tableDefinitions(names);
    const before = {
      ...current,
      AttributeDefinitions: current.AttributeDefinitions?.filter(
        (a) => a.AttributeName !== 'active_status' && a.AttributeName !== 'updated_at',
      ),
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.filter((i) => i.IndexName === 'by-owner'),
    };
    await dynamodb.send(new CreateTableCommand(before));
    // dynalite answers ResourceNotFound while a new table is CREATING (memory/fixes/0076).
    await untilActive(dynamodb, names.jobsTable);
    const owner = uniqueOwner('upgrade');
    const queued = jobRecord(owner, { status: 'queued' });
    const completed = jobRecord(owner, { status: 'completed' });
    // Items written by the repository of that time: no active_status.
    for (const item of [queued, completed, { job_id: `idempotency#${suffix}`, item_type: 'idempotency' }]) {
      await documents.send(new PutCommand({ TableName: names.jobsTable, Item: item }));
    }
    const jobs = new DynamoJobRepository(documents, names.jobsTable);

    // Act
    await createTables(own.endpoint, DEFAULT_REGION, names);

    // Assert
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: names.jobsTable }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      'by-active-status',
      'by-owner',
    ]);
    expect(await jobs.get(queued.job_id)).toEqual(queued);
    expect(await jobs.get(completed.job_id)).toEqual(completed);
    const idle = await jobs.listIdle('queued', new Date().toISOString(), { limit: 10 });
    expect(idle.items.map((j) => j.job_id)).toEqual([queued.job_id]);
    const listed = await jobs.listByOwner(owner, { limit: 10 });
    expect(listed.items).toHaveLength(2);
  });
});
