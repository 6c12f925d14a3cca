/**
 * What every patient bundle of a job shares: the seed, the bundle type, and the facilities (one
 * Organization + Location per echelon) and generator Device, written once per job in their own bundle.
 */
import { FACILITIES, FACILITY_NAMES, type Facility } from '../../data/index.js';
import { type EventPlan, GENERATOR_NAME, GENERATOR_VERSION, seedWords } from '../../generation/index.js';
import { deterministicUuid, JOB_SCOPE, type SeedWords } from './ids.js';
import {
  FACILITY_IDENTIFIER_SYSTEM,
  GENERATOR_IDENTIFIER_SYSTEM,
  LOCATION_TYPE,
  ORGANIZATION_TYPE_PROVIDER,
  TEST_DATA_TAG,
} from './terminology.js';

export type FhirBundleType = 'collection' | 'transaction';
export type FhirRequestMethod = 'POST' | 'PUT';

export interface FhirFormatOptions {
  /** `collection` (default) or `transaction` (each entry carries a request, to load into a server). */
  readonly bundleType?: FhirBundleType;
  /**
   * Transaction method for the patient resources: POST (default; the server assigns ids) or PUT
   * (`Type/id`, so re-loading the same job replaces rather than duplicates). Facilities are always PUT.
   */
  readonly requestMethod?: FhirRequestMethod;
}

export interface FhirReference {
  readonly reference: string;
  readonly display?: string;
}

export interface FhirResource {
  readonly resourceType: string;
  readonly id: string;
  readonly [key: string]: unknown;
}

export interface FacilityRefs {
  readonly location: FhirReference;
  readonly organization: FhirReference;
  readonly name: string;
}

export interface FhirJobContext {
  readonly plan: EventPlan;
  readonly seed: SeedWords;
  readonly bundleType: FhirBundleType;
  readonly requestMethod: FhirRequestMethod;
  readonly facilities: Readonly<Record<Facility, FacilityRefs>>;
  readonly generator: FhirReference;
  /** The job-wide resources (Organizations, Locations, Device) in bundle order. */
  readonly sharedResources: readonly FhirResource[];
  /** `seed` as it was given, typed: 42 and "42" are different seeds. */
  readonly seedText: string;
}

/** Ordinals of the job-wide resources under JOB_SCOPE. */
const SHARED_ORDINAL = { bundle: 0, device: 1, facility: 10 } as const;

export function createJobContext(plan: EventPlan, options: FhirFormatOptions = {}): FhirJobContext {
  const bundleType = options.bundleType ?? 'collection';
  const requestMethod = options.requestMethod ?? 'POST';
  if (bundleType !== 'collection' && bundleType !== 'transaction') {
    throw new RangeError(`unknown FHIR bundle type "${String(bundleType)}"; valid: collection, transaction`);
  }
  if (requestMethod !== 'POST' && requestMethod !== 'PUT') {
    throw new RangeError(`unknown FHIR request method "${String(requestMethod)}"; valid: POST, PUT`);
  }
  const seed = seedWords(plan.seed);
  // A urn:uuid reference resolves only inside the bundle that holds it, so patient bundles (of either
  // type) refer to the facilities bundle's resources as relative `Type/id`: the ids a server holds
  // once line 1 is loaded (memory/fixes/0020-fhir-collection-references-dangled.md).
  const ref = (type: string, id: string, display?: string): FhirReference => ({
    reference: `${type}/${id}`,
    ...(display === undefined ? {} : { display }),
  });

  const sharedResources: FhirResource[] = [];
  const deviceId = deterministicUuid(seed, JOB_SCOPE, SHARED_ORDINAL.device);
  sharedResources.push({
    resourceType: 'Device',
    id: deviceId,
    identifier: [{ system: GENERATOR_IDENTIFIER_SYSTEM, value: `${GENERATOR_NAME}@${GENERATOR_VERSION}` }],
    status: 'active',
    deviceName: [{ name: GENERATOR_NAME, type: 'model-name' }],
    type: { text: 'Synthetic patient data generator' },
    version: [{ value: GENERATOR_VERSION }],
  });

  const facilities = {} as Record<Facility, FacilityRefs>;
  FACILITIES.forEach((facility, i) => {
    const orgId = deterministicUuid(seed, JOB_SCOPE, SHARED_ORDINAL.facility + 2 * i);
    const locId = deterministicUuid(seed, JOB_SCOPE, SHARED_ORDINAL.facility + 2 * i + 1);
    const name = FACILITY_NAMES[facility];
    const identifier = [{ system: FACILITY_IDENTIFIER_SYSTEM, value: facility }];
    sharedResources.push({
      resourceType: 'Organization',
      id: orgId,
      identifier,
      active: true,
      type: ORGANIZATION_TYPE_PROVIDER,
      name,
    });
    sharedResources.push({
      resourceType: 'Location',
      id: locId,
      identifier,
      status: 'active',
      name,
      mode: 'kind',
      physicalType: facility === 'POI' ? LOCATION_TYPE.area : LOCATION_TYPE.site,
      // Inside its own bundle, so urn:uuid in both bundle types.
      managingOrganization: { reference: `urn:uuid:${orgId}`, display: name },
    });
    facilities[facility] = {
      location: ref('Location', locId, name),
      organization: ref('Organization', orgId, name),
      name,
    };
  });

  return {
    plan,
    seed,
    bundleType,
    requestMethod,
    facilities,
    generator: ref('Device', deviceId, `${GENERATOR_NAME} ${GENERATOR_VERSION}`),
    sharedResources,
    seedText: JSON.stringify(plan.seed),
  };
}

/** The facilities bundle: line 1 of the NDJSON file, once per job. */
export function buildFacilitiesBundle(ctx: FhirJobContext): FhirResource {
  const transaction = ctx.bundleType === 'transaction';
  return {
    resourceType: 'Bundle',
    id: deterministicUuid(ctx.seed, JOB_SCOPE, SHARED_ORDINAL.bundle),
    meta: { tag: [TEST_DATA_TAG] },
    type: ctx.bundleType,
    entry: ctx.sharedResources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.id}`,
      resource,
      ...(transaction ? { request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } } : {}),
    })),
  };
}
