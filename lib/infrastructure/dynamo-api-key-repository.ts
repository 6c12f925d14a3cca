/**
 * API keys in DynamoDB (memory/reference/platform-contract.md): partition key `key_id`, GSI `by-owner`
 * (`owner`, `created_at`). The item is the ApiKeyRecord itself: hashes only, never a secret
 * (lib/domain/api-key.ts). Rotation and revocation are conditional updates, so a revoked key can never
 * be rotated back to life and two revocations cannot both win.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyListQuery, ApiKeyRecord, ApiKeyRepository } from '../domain/index.js';
import { decodeCursor, pageOf } from './cursor.js';
import { isConditionFailure, putNew } from './dynamo-conditions.js';
import { API_KEYS_OWNER_INDEX } from './key-table-names.js';

const OWNER_INDEX_KEY = { key_id: 'string', owner: 'string', created_at: 'string' } as const;
/** Position in the all-owners list (newest first, ties by key id): not a DynamoDB key, see listAll. */
const ALL_OWNERS_POSITION = { key_id: 'string', created_at: 'string' } as const;
/** The key exists and is not revoked (`revoked_at` is stored as null until revocation). */
const NOT_REVOKED =
  'attribute_exists(key_id) AND (attribute_not_exists(revoked_at) OR attribute_type(revoked_at, :null_type))';

type ListPage = { items: readonly ApiKeyRecord[]; next_cursor: string | null };

/** Newest first; equal times by key id, descending, so the order is total and a cursor is a position. */
function newestFirst(a: ApiKeyRecord, b: ApiKeyRecord): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.key_id < b.key_id ? 1 : a.key_id > b.key_id ? -1 : 0;
}

export class DynamoApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ApiKeyRecord): Promise<void> {
    await putNew(
      this.documents,
      this.tableName,
      record,
      'key_id',
      `API key ${record.key_id} already exists`,
      'API key',
    );
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { key_id: keyId }, ConsistentRead: true }),
    );
    return Item as ApiKeyRecord | undefined;
  }

  list(query: ApiKeyListQuery): Promise<ListPage> {
    return query.owner === undefined ? this.listAll(query) : this.listByOwner(query.owner, query);
  }

  private async listByOwner(owner: string, query: ApiKeyListQuery): Promise<ListPage> {
    const start = query.cursor ? decodeCursor(query.cursor, OWNER_INDEX_KEY, { owner }) : undefined;
    // One item more than asked tells whether another page exists, so the last page has no cursor.
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: API_KEYS_OWNER_INDEX,
        KeyConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: query.limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    return pageOf(Items as ApiKeyRecord[], query.limit, OWNER_INDEX_KEY, LastEvaluatedKey !== undefined);
  }

  /**
   * Every owner's keys: an admin operation. A Scan has no order, so each page reads the whole table
   * and sorts it; the cursor is the last key's position (created_at, key_id), not a DynamoDB key. The
   * keys table holds one small item per issued key (tens to hundreds per stage), so this stays a few
   * reads; a tenant's own list uses the owner index.
   */
  private async listAll(query: ApiKeyListQuery): Promise<ListPage> {
    const after = query.cursor ? decodeCursor(query.cursor, ALL_OWNERS_POSITION) : undefined;
    const all: ApiKeyRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      all.push(...((page.Items ?? []) as ApiKeyRecord[]));
      start = page.LastEvaluatedKey;
    } while (start);
    all.sort(newestFirst);
    const from = after
      ? all.findIndex((record) => newestFirst(record, after as unknown as ApiKeyRecord) > 0)
      : 0;
    return pageOf(from < 0 ? [] : all.slice(from), query.limit, ALL_OWNERS_POSITION);
  }

  async rotate(
    keyId: string,
    change: { secretHash: string; rotatedAt: string; previousValidUntil: string },
  ): Promise<ApiKeyRecord | undefined> {
    return this.updateIfLive(keyId, {
      UpdateExpression:
        'SET previous_secret_hash = secret_hash, secret_hash = :hash, rotated_at = :at, previous_secret_valid_until = :until',
      ExpressionAttributeValues: {
        ':hash': change.secretHash,
        ':at': change.rotatedAt,
        ':until': change.previousValidUntil,
      },
    });
  }

  async revoke(keyId: string, revokedAt: string): Promise<ApiKeyRecord | undefined> {
    return this.updateIfLive(keyId, {
      UpdateExpression: 'SET revoked_at = :at',
      ExpressionAttributeValues: { ':at': revokedAt },
    });
  }

  /** One conditional UpdateItem on a key that exists and is not revoked; undefined when it is not. */
  private async updateIfLive(
    keyId: string,
    update: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> },
  ): Promise<ApiKeyRecord | undefined> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { key_id: keyId },
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: NOT_REVOKED,
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':null_type': 'NULL' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as ApiKeyRecord | undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
