import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ConfigurationHeadRecord,
  ConfigurationRepository,
  ConfigurationVersionRecord,
  Page,
  PageRequest,
} from '../domain/index.js';
import { decodeCursor, keyOf, pageOf } from './cursor.js';
import { isConditionFailure, putNew } from './dynamo-conditions.js';

export const CONFIGURATIONS_OWNER_INDEX = 'by-owner';
const HEAD_VERSION = 0;
const OWNER_INDEX_KEY = {
  config_id: 'string',
  version: 'number',
  list_owner: 'string',
  created_at: 'string',
} as const;
const TABLE_KEY = { config_id: 'string', version: 'number' } as const;
const BATCH_WRITE_LIMIT = 25;

interface HeadItem extends ConfigurationHeadRecord {
  readonly version: 0;
  readonly list_owner: string;
}

function toHead(item: Record<string, unknown>): ConfigurationHeadRecord {
  const { version: _v, list_owner: _l, ...head } = item as unknown as HeadItem;
  return head;
}

export class DynamoConfigurationRepository implements ConfigurationRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(head: ConfigurationHeadRecord, first: ConfigurationVersionRecord): Promise<void> {
    await this.putVersion(first);
    const item: HeadItem = { ...head, version: HEAD_VERSION, list_owner: head.owner };
    await putNew(
      this.documents,
      this.tableName,
      item,
      'config_id',
      `Configuration ${head.config_id} already exists`,
      'configuration',
    );
  }

  async getHead(configId: string): Promise<ConfigurationHeadRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { config_id: configId, version: HEAD_VERSION },
        ConsistentRead: true,
      }),
    );
    return Item ? toHead(Item) : undefined;
  }

  async getVersion(configId: string, version: number): Promise<ConfigurationVersionRecord | undefined> {
    if (version <= HEAD_VERSION) return undefined;
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { config_id: configId, version },
        ConsistentRead: true,
      }),
    );
    return Item as ConfigurationVersionRecord | undefined;
  }

  async getLatestVersion(configId: string): Promise<ConfigurationVersionRecord | undefined> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'config_id = :id AND #version > :head',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':id': configId, ':head': HEAD_VERSION },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items[0] as ConfigurationVersionRecord | undefined;
  }

  async putVersion(version: ConfigurationVersionRecord): Promise<void> {
    if (version.version <= HEAD_VERSION) throw new RangeError('snapshot versions start at 1');
    const conflict = `Configuration ${version.config_id} already has version ${version.version}`;
    await putNew(this.documents, this.tableName, version, 'config_id', conflict, 'configuration');
  }

  async advanceHead(version: ConfigurationVersionRecord, updatedAt: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { config_id: version.config_id, version: HEAD_VERSION },
          UpdateExpression: 'SET latest_version = :n, #name = :name, configuration = :body, updated_at = :at',
          ConditionExpression: 'attribute_exists(config_id) AND latest_version < :n',
          ExpressionAttributeNames: { '#name': 'name' },
          ExpressionAttributeValues: {
            ':n': version.version,
            ':name': version.name,
            ':body': version.configuration,
            ':at': updatedAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listVersions(configId: string, page: PageRequest): Promise<Page<ConfigurationVersionRecord>> {
    const start = page.cursor ? decodeCursor(page.cursor, TABLE_KEY, { config_id: configId }) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'config_id = :id AND #version > :head',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':id': configId, ':head': HEAD_VERSION },
        ScanIndexForward: true,
        Limit: page.limit + 1,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    return pageOf(
      Items as ConfigurationVersionRecord[],
      page.limit,
      TABLE_KEY,
      LastEvaluatedKey !== undefined,
    );
  }

  async listByOwner(owner: string, page: PageRequest): Promise<Page<ConfigurationHeadRecord>> {
    const start = page.cursor ? decodeCursor(page.cursor, OWNER_INDEX_KEY, { list_owner: owner }) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: CONFIGURATIONS_OWNER_INDEX,
        KeyConditionExpression: 'list_owner = :owner',
        ExpressionAttributeValues: { ':owner': owner },
        ScanIndexForward: false,
        Limit: page.limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    const { items, next_cursor } = pageOf(Items, page.limit, OWNER_INDEX_KEY, LastEvaluatedKey !== undefined);
    return { items: items.map(toHead), next_cursor };
  }

  async delete(configId: string): Promise<void> {
    // The head first: from then on the configuration is gone for every reader.
    await this.documents.send(
      new DeleteCommand({ TableName: this.tableName, Key: { config_id: configId, version: HEAD_VERSION } }),
    );
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'config_id = :id',
          ExpressionAttributeValues: { ':id': configId },
          ProjectionExpression: 'config_id, #version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExclusiveStartKey: start,
        }),
      );
      const keys = (page.Items ?? []).map((item) => keyOf(item, TABLE_KEY));
      for (let i = 0; i < keys.length; i += BATCH_WRITE_LIMIT) {
        await this.deleteKeys(keys.slice(i, i + BATCH_WRITE_LIMIT));
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }

  private async deleteKeys(keys: Record<string, unknown>[]): Promise<void> {
    let requests = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new Error('DynamoDB kept items unprocessed while deleting a configuration');
      const result = await this.documents.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }
}
