/**
 * A local jobs table kept in a --data-dir from before the by-active-status index
 * (infra/local/emulators.ts createTables): it gets the index, keeps every item, and its jobs that have
 * not ended become visible to the sweeper.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTables,
  DEFAULT_NAMES,
  type EmulatorNames,
  tableDefinitions,
} from '../../infra/local/emulators.js';
import { createAwsClients, DynamoJobRepository } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { uniqueOwner } from '../support/platform.js';
import { jobRecord } from '../support/repository-contract.js';

const env = useAwsEnv();
const clients = createAwsClients();
const dynamodb = new DynamoDBClient({});

afterAll(() => dynamodb.destroy());

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
    const owner = uniqueOwner('upgrade');
    const queued = jobRecord(owner, { status: 'queued' });
    const completed = jobRecord(owner, { status: 'completed' });
    // Items written by the repository of that time: no active_status.
    for (const item of [queued, completed, { job_id: `idempotency#${suffix}`, item_type: 'idempotency' }]) {
      await clients.documents.send(new PutCommand({ TableName: names.jobsTable, Item: item }));
    }
    const jobs = new DynamoJobRepository(clients.documents, names.jobsTable);

    // Act
    await createTables(env.AWS_ENDPOINT_URL_DYNAMODB, env.AWS_REGION, names);

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
