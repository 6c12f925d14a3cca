/** The repository contract against dynalite (the globalSetup's emulator). */
import { createAwsClients } from '../../lib/infrastructure/index.js';
import { useAwsEnv } from '../support/aws-env.js';
import { describeRepositoryContract, type RepositoryBackend } from '../support/repository-contract.js';

const env = useAwsEnv();
const backend: RepositoryBackend = {
  documents: createAwsClients().documents,
  jobsTable: env.JOBS_TABLE,
  configurationsTable: env.CONFIGURATIONS_TABLE,
};

describeRepositoryContract(env.DDB_EMULATOR ?? 'dynalite', () => backend);
