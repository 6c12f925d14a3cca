/** Conditional writes shared by the DynamoDB repositories (dynalite has no transactions: conditions only). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../core/index.js';
import { assertItemFits } from './item-size.js';

export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Puts an item only if its partition key is new; otherwise a ConflictError with `conflict`. An item
 * above DynamoDB's size limit is a PayloadTooLargeError naming `what`, and nothing is written.
 */
export async function putNew<T extends object>(
  documents: DynamoDBDocumentClient,
  tableName: string,
  item: T,
  partitionKey: string,
  conflict: string,
  what = 'item',
): Promise<void> {
  assertItemFits(item, what);
  try {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: `attribute_not_exists(${partitionKey})`,
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new ConflictError(conflict);
    throw error;
  }
}
