export {
  ApiError,
  api,
  apiUrl,
  call,
  type ErrorEnvelope,
  type FieldIssue,
  type Job,
  type PatientRecord,
  type Schemas,
  setApiBaseUrl,
  toApiError,
} from './client';
export { session } from './session';
