/**
 * What every patient bundle of a job shares: the seed, the bundle type, the sites of care (an
 * Organization + Location per configured facility, and per echelon that some front reaches without
 * one) and the generator Device, written once per job in their own bundle.
 */
import { FACILITIES, FACILITY_NAMES, type Facility } from '../../data/index.js';
import {
  careNetwork,
  type EventPlan,
  GENERATOR_NAME,
  GENERATOR_VERSION,
  seedWords,
} from '../../generation/index.js';
import { deterministicUuid, JOB_SCOPE, type SeedWords } from './ids.js';
import {
  CONFIGURED_FACILITY_IDENTIFIER_SYSTEM,
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
  /** The site of each echelon that some front reaches without a configured facility. */
  readonly echelons: Readonly<Partial<Record<Facility, FacilityRefs>>>;
  /** The site of each configured facility, by its id (`facility_configs[].id`). */
  readonly configured: ReadonlyMap<string, FacilityRefs>;
  readonly generator: FhirReference;
  /** The job-wide resources (Organizations, Locations, Device) in bundle order. */
  readonly sharedResources: readonly FhirResource[];
  /** `seed` as it was given, typed: 42 and "42" are different seeds. */
  readonly seedText: string;
}

/**
 * Ordinals of the job-wide resources under JOB_SCOPE: two per echelon from `facility` (as before
 * configured facilities had their own), two per configured facility from `configured` (at most 50).
 */
const SHARED_ORDINAL = { bundle: 0, device: 1, facility: 10, configured: 100 } as const;

/**
 * Where an event of a record happened: its configured facility (`facility_id`), else its echelon.
 * Throws for a facility this job's scenario does not have: the record is not of this job.
 */
export function siteOf(
  ctx: FhirJobContext,
  facility: Facility,
  facilityId: string | undefined,
): FacilityRefs {
  const site = facilityId === undefined ? ctx.echelons[facility] : ctx.configured.get(facilityId);
  if (site === undefined) {
    throw new RangeError(
      facilityId === undefined
        ? `no site for an event at ${facility} without facility_id: every front has a configured ${facility}`
        : `facility_id "${facilityId}" is not a facility of this job's scenario`,
    );
  }
  return site;
}

/** The name of a place in free text: its configured facility's, else its echelon's. */
export function placeName(ctx: FhirJobContext, facility: Facility, facilityId: string | undefined): string {
  return facilityId === undefined ? FACILITY_NAMES[facility] : siteOf(ctx, facility, facilityId).name;
}

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

  // A configured facility is one place (mode instance, its echelon as alias); an echelon's generic
  // site stands for any facility of its kind.
  const site = (ordinal: number, facility: Facility, configuredFacility?: { id: string; name: string }) => {
    const orgId = deterministicUuid(seed, JOB_SCOPE, ordinal);
    const locId = deterministicUuid(seed, JOB_SCOPE, ordinal + 1);
    const name = configuredFacility?.name ?? FACILITY_NAMES[facility];
    const identifier = configuredFacility
      ? { system: CONFIGURED_FACILITY_IDENTIFIER_SYSTEM, value: configuredFacility.id }
      : { system: FACILITY_IDENTIFIER_SYSTEM, value: facility };
    const aliasField = configuredFacility ? { alias: [FACILITY_NAMES[facility]] } : {};
    sharedResources.push({
      resourceType: 'Organization',
      id: orgId,
      identifier: [identifier],
      active: true,
      type: ORGANIZATION_TYPE_PROVIDER,
      name,
      ...aliasField,
    });
    sharedResources.push({
      resourceType: 'Location',
      id: locId,
      identifier: [identifier],
      status: 'active',
      name,
      ...aliasField,
      mode: configuredFacility ? 'instance' : 'kind',
      physicalType: facility === 'POI' ? LOCATION_TYPE.area : LOCATION_TYPE.site,
      // Inside its own bundle, so urn:uuid in both bundle types.
      managingOrganization: { reference: `urn:uuid:${orgId}`, display: name },
    });
    return {
      location: ref('Location', locId, name),
      organization: ref('Organization', orgId, name),
      name,
    } satisfies FacilityRefs;
  };

  // By echelon: its generic site where needed, then its configured facilities in scenario order. Two
  // Role 2s of a scenario are two Locations, as they are two facility_ids in the JSON records.
  const echelons: Partial<Record<Facility, FacilityRefs>> = {};
  const configured = new Map<string, FacilityRefs>();
  // An echelon some front reaches without a configured facility serving it keeps its generic site.
  const { serving } = careNetwork(plan.scenario);
  FACILITIES.forEach((facility, role) => {
    if (serving[role].some((facilities) => facilities.length === 0)) {
      echelons[facility] = site(SHARED_ORDINAL.facility + 2 * role, facility);
    }
    plan.scenario.facilities.forEach((f, k) => {
      if (f.role !== role) return;
      configured.set(f.id, site(SHARED_ORDINAL.configured + 2 * k, facility, f));
    });
  });

  return {
    plan,
    seed,
    bundleType,
    requestMethod,
    echelons,
    configured,
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
