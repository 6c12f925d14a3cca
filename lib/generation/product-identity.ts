/**
 * Who made a file: the generator's name and version and the record schema's version, in manifests,
 * FHIR (Device, Provenance), XML and the API. Imports nothing, so `milmed --version` loads only this.
 */
export const SCHEMA_VERSION = '2.3.0';
export const GENERATOR_VERSION = '0.31.0';
/** The generator's name in manifests and FHIR (Device, Provenance): one definition. */
export const GENERATOR_NAME = 'milmed-patient-generator';
