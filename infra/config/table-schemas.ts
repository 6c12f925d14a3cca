/**
 * The key schema, indexes and TTL attribute of every DynamoDB table (platform contract): the one
 * source the stateful stack deploys and the local emulators create, so the two cannot drift
 * (memory/decisions/0946-one-table-schema-for-cdk-and-the-emulators.md). Plain data, no aws-cdk-lib:
 * the local stack reads it (memory/decisions/0926-local-stack-loads-no-cdk.md).
 */
import {
  ACTIVE_STATUS_ATTRIBUTE,
  API_KEYS_OWNER_INDEX,
  JOBS_ACTIVE_INDEX,
} from '../../lib/infrastructure/index.js';

/** A key attribute: its name and DynamoDB scalar type (S string, N number). */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface IndexSchema {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** ALL copies every attribute; KEYS_ONLY the table's and the index's keys. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableSchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes: readonly IndexSchema[];
  /** Items expire at this epoch-seconds attribute (AWS only: the local emulators have no TTL). */
  readonly ttlAttribute?: string;
}

/** The tables by their role; the names come per stage from resource-names.ts. */
export type TableRole = 'jobs' | 'configurations' | 'apiKeys' | 'usage';

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

export const TABLE_SCHEMAS: Readonly<Record<TableRole, TableSchema>> = {
  jobs: {
    partitionKey: S('job_id'),
    indexes: [
      { indexName: 'by-owner', partitionKey: S('owner'), sortKey: S('created_at'), projection: 'ALL' },
      // Sparse: only jobs that have not ended carry active_status; the sweeper queries it by status and
      // last update (memory/decisions/0903-no-stuck-jobs.md). Keys only: it updates each job by key.
      {
        indexName: JOBS_ACTIVE_INDEX,
        partitionKey: S(ACTIVE_STATUS_ATTRIBUTE),
        sortKey: S('updated_at'),
        projection: 'KEYS_ONLY',
      },
    ],
    ttlAttribute: 'expires_at',
  },
  configurations: {
    partitionKey: S('config_id'),
    sortKey: { name: 'version', type: 'N' },
    // Sparse: only head items (version 0) carry list_owner.
    indexes: [
      { indexName: 'by-owner', partitionKey: S('list_owner'), sortKey: S('created_at'), projection: 'ALL' },
    ],
  },
  apiKeys: {
    partitionKey: S('key_id'),
    indexes: [
      {
        indexName: API_KEYS_OWNER_INDEX,
        partitionKey: S('owner'),
        sortKey: S('created_at'),
        projection: 'ALL',
      },
    ],
  },
  // Rate-limit and quota counters that live a minute or a day.
  usage: { partitionKey: S('counter_id'), indexes: [], ttlAttribute: 'expires_at' },
};
