/** Composition root of the configuration and preset routes. */
import { ConfigurationService } from '../../lib/domain/index.js';
import { DynamoConfigurationRepository } from '../../lib/infrastructure/index.js';
import { clients, env } from './api.js';

export const configurations = new ConfigurationService({
  configurations: new DynamoConfigurationRepository(clients.documents, env.CONFIGURATIONS_TABLE),
});
