/**
 * The usage table of the emulators: USAGE_TABLE when the globalSetup provides it, otherwise created
 * here (pk `counter_id`, as infra/local/emulators.ts and the stateful stack declare it).
 */
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { usageTableName } from '../../lib/infrastructure/index.js';

export async function ensureUsageTable(env: Record<string, string>): Promise<string> {
  if (env.USAGE_TABLE) return env.USAGE_TABLE;
  const table = usageTableName('local');
  const client = new DynamoDBClient({});
  try {
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'counter_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'counter_id', KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
  return table;
}
