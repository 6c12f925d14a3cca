/** FHIR R4 output: one Bundle per patient as NDJSON, after one facilities bundle per job. */
export {
  createFhirFormat,
  createFhirLineWriter,
  FhirNdjsonTransform,
  type FhirStreamOptions,
  fhirFacilitiesLine,
  fhirFormat,
} from './fhir-format.js';
export { deterministicUuid } from './ids.js';
export {
  buildFacilitiesBundle,
  createJobContext,
  type FhirBundleType,
  type FhirFormatOptions,
  type FhirJobContext,
  type FhirRequestMethod,
  type FhirResource,
} from './job-context.js';
export { compilePatientBundleSerializer, compilePatientBundleWriter } from './patient-bundle-json.js';
