export {
  type DataStoreNames,
  dataStoreNames,
  functionName,
  JOBS_PREFIX,
  jobSecretsKeyParameterName,
  NAME_PREFIX,
  resultsBucketNagName,
} from './resource-names.js';
export {
  type AlarmThresholds,
  APP_NAME,
  APP_SLUG,
  DEPLOY_STAGES,
  type DeployStage,
  type GenerationQueueTiming,
  isDeployStage,
  LOCAL_STAGE,
  SERVICE_NAME,
  STAGE_CONFIGS,
  type StageConfig,
  type StageContext,
  stageConfigFromContext,
} from './stages.js';
