/**
 * Configuration templates (memory/reference/v1-compatibility.md) with server-managed immutable versions: the body is
 * the engine's scenario input (template + temporal fields), validated with field paths; every update
 * writes version n+1 and earlier versions stay readable.
 */
import * as z from 'zod';
import { ScenarioInputSchema } from '../generation/index.js';

/** A configuration body as clients send it (create, update, validate). */
export const ConfigurationInputSchema = ScenarioInputSchema;
export type ConfigurationInput = z.input<typeof ConfigurationInputSchema>;
/** The validated body with defaults applied: what is stored, so an old version never changes meaning. */
export type ConfigurationBody = z.output<typeof ConfigurationInputSchema>;

const meta = {
  id: z.string(),
  version: z.number().int().min(1),
  created_at: z.string(),
  updated_at: z.string(),
  /** Kept for v1 clients; versions are linear, so this is always null. */
  parent_config_id: z.string().nullable(),
};

/** What the API returns: the original's ConfigurationTemplateDB shape (body fields + id, timestamps) plus `version`. */
export const ConfigurationSchema = ScenarioInputSchema.extend(meta);
export type Configuration = ConfigurationBody & {
  id: string;
  version: number;
  created_at: string;
  updated_at: string;
  parent_config_id: string | null;
};

export const ConfigurationVersionSummarySchema = z.object({
  version: z.number().int().min(1),
  name: z.string(),
  created_at: z.string(),
});
export type ConfigurationVersionSummary = z.infer<typeof ConfigurationVersionSummarySchema>;

export const ValidationResultSchema = z.object({
  valid: z.boolean(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/** Version 0 of a configuration: the head, pointing at the latest version (platform contract). */
export interface ConfigurationHeadRecord {
  readonly config_id: string;
  readonly owner: string;
  readonly latest_version: number;
  readonly name: string;
  /** A copy of the latest version's body, so get and list need one read. */
  readonly configuration: ConfigurationBody;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Versions 1..n: immutable snapshots. */
export interface ConfigurationVersionRecord {
  readonly config_id: string;
  readonly version: number;
  readonly owner: string;
  readonly name: string;
  readonly configuration: ConfigurationBody;
  readonly created_at: string;
}

export function toConfiguration(head: ConfigurationHeadRecord): Configuration {
  return {
    ...head.configuration,
    id: head.config_id,
    version: head.latest_version,
    created_at: head.created_at,
    updated_at: head.updated_at,
    parent_config_id: null,
  };
}

export function versionToConfiguration(
  head: ConfigurationHeadRecord,
  version: ConfigurationVersionRecord,
): Configuration {
  return {
    ...version.configuration,
    id: version.config_id,
    version: version.version,
    created_at: head.created_at,
    updated_at: version.created_at,
    parent_config_id: null,
  };
}
