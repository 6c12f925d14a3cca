/**
 * Configuration templates: the default configuration and CRUD with immutable versions (presets:
 * preset-catalogue.ts).
 * Versions without transactions (memory/decisions/0101-immutable-configuration-versions.md): an
 * update first writes snapshot n+1 (conditional: it must not exist), then moves the head to it
 * (conditional: only forwards). A writer that finds snapshot n+1 already there (a concurrent update,
 * or one interrupted between its two writes) rolls the head forward and retries with n+2.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../core/index.js';
import {
  DEFAULT_SCENARIO,
  findPreset,
  issuesOf,
  presetScenario,
  type ScenarioIssue,
} from '../generation/index.js';
import {
  type Configuration,
  type ConfigurationBody,
  type ConfigurationHeadRecord,
  ConfigurationInputSchema,
  type ConfigurationVersionRecord,
  type ConfigurationVersionSummary,
  toConfiguration,
  type ValidationResult,
  versionToConfiguration,
} from './configuration.js';
import { DEFAULT_PAGE_SIZE } from './job-service.js';
import type { ConfigurationRepository } from './ports.js';

/** Server-managed fields v1 clients send back in bodies; they are ignored, never an error. */
const SERVER_FIELDS = ['id', 'version', 'parent_config_id', 'created_at', 'updated_at'] as const;
const MAX_UPDATE_ATTEMPTS = 5;
export const DEFAULT_CONFIGURATION_ID = 'default';

export interface ConfigurationServiceDeps {
  readonly configurations: ConfigurationRepository;
  readonly clock?: () => Date;
  readonly newId?: () => string;
}

export interface ConfigurationList {
  readonly configurations: readonly Configuration[];
  readonly next_cursor: string | null;
}

export interface ConfigurationVersionList {
  readonly config_id: string;
  readonly latest_version: number;
  readonly versions: readonly ConfigurationVersionSummary[];
  readonly next_cursor: string | null;
}

/** What a generation starts from: a scenario body and where it came from. */
export interface ResolvedConfiguration {
  readonly body: Record<string, unknown>;
  readonly configuration_id: string;
  readonly version: number | null;
}

export function notFound(configId: string): NotFoundError {
  return new NotFoundError(`Configuration ${configId} not found`);
}

/** The built-in default is read like a stored configuration but never written: say so, not "not found". */
function builtInDefault(action: 'changed' | 'deleted'): ConflictError {
  return new ConflictError(
    `The built-in default configuration cannot be ${action}; save your own with POST /api/v1/configurations`,
  );
}

function withoutServerFields(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const copy: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of SERVER_FIELDS) delete copy[key];
  return copy;
}

export class ConfigurationService {
  private readonly repo: ConfigurationRepository;
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(deps: ConfigurationServiceDeps) {
    this.repo = deps.configurations;
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** Validates a body: every problem with its field path; never throws for bad input. */
  validate(input: unknown): ValidationResult {
    const parsed = ConfigurationInputSchema.safeParse(withoutServerFields(input));
    if (parsed.success) return { valid: true, errors: [] };
    return {
      valid: false,
      errors: issuesOf(parsed.error).map((i) => ({ path: i.path, message: i.message })),
    };
  }

  /** The parsed body, or ValidationError (422) listing every issue. */
  parse(input: unknown, prefix?: string): ConfigurationBody {
    const parsed = ConfigurationInputSchema.safeParse(withoutServerFields(input));
    if (parsed.success) return parsed.data;
    const issues: ScenarioIssue[] = issuesOf(parsed.error).map((i) => ({
      path: prefix ? (i.path === '(root)' ? prefix : `${prefix}.${i.path}`) : i.path,
      message: i.message,
    }));
    throw ValidationError.fromIssues(issues);
  }

  /** The built-in default configuration (the original's defaults, memory/decisions/0003-presets.md), in the same shape as a stored one. */
  defaultConfiguration(): Configuration {
    const body = ConfigurationInputSchema.parse(DEFAULT_SCENARIO);
    const epoch = '2025-06-01T00:00:00.000Z';
    return {
      ...body,
      id: DEFAULT_CONFIGURATION_ID,
      version: 1,
      created_at: epoch,
      updated_at: epoch,
      parent_config_id: null,
    };
  }

  async create(owner: string, input: unknown): Promise<Configuration> {
    const body = this.parse(input);
    const now = this.clock().toISOString();
    const configId = this.newId();
    const first: ConfigurationVersionRecord = {
      config_id: configId,
      version: 1,
      owner,
      name: body.name,
      configuration: body,
      created_at: now,
    };
    const head: ConfigurationHeadRecord = {
      config_id: configId,
      owner,
      latest_version: 1,
      name: body.name,
      configuration: body,
      created_at: now,
      updated_at: now,
    };
    await this.repo.create(head, first);
    return toConfiguration(head);
  }

  private async head(owner: string, configId: string): Promise<ConfigurationHeadRecord> {
    const head = await this.repo.getHead(configId);
    if (!head || head.owner !== owner) throw notFound(configId);
    return head;
  }

  /** The latest version; "default" is the built-in default scenario, the one a job with that id generates. */
  async get(owner: string, configId: string): Promise<Configuration> {
    if (configId === DEFAULT_CONFIGURATION_ID) return this.defaultConfiguration();
    return toConfiguration(await this.head(owner, configId));
  }

  async list(
    owner: string,
    options: { limit?: number; cursor?: string | null } = {},
  ): Promise<ConfigurationList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.repo.listByOwner(owner, { limit, cursor: options.cursor ?? null });
    return { configurations: page.items.map(toConfiguration), next_cursor: page.next_cursor };
  }

  /** Writes version n+1 with the new body; earlier versions stay readable. */
  async update(owner: string, configId: string, input: unknown): Promise<Configuration> {
    if (configId === DEFAULT_CONFIGURATION_ID) throw builtInDefault('changed');
    const body = this.parse(input);
    let head = await this.head(owner, configId);
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const now = this.clock().toISOString();
      const next: ConfigurationVersionRecord = {
        config_id: configId,
        version: head.latest_version + 1,
        owner,
        name: body.name,
        configuration: body,
        created_at: now,
      };
      try {
        await this.repo.putVersion(next);
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        // Version n+1 exists: someone else updated, or an update stopped before moving the head.
        const latest = await this.repo.getLatestVersion(configId);
        if (latest) await this.repo.advanceHead(latest, latest.created_at);
        head = await this.head(owner, configId);
        continue;
      }
      if (!(await this.repo.advanceHead(next, now))) await this.stillThere(owner, configId);
      return toConfiguration({
        ...head,
        latest_version: next.version,
        name: body.name,
        configuration: body,
        updated_at: now,
      });
    }
    throw new ConflictError(`Configuration ${configId} is being updated concurrently; retry the update`);
  }

  /**
   * After an update's head did not move: another update moved it further (the version written stays
   * in the history), or the configuration was deleted meanwhile. Then the delete wins: the version
   * this update wrote is removed with the rest, and the update is a 404 as it would be a moment later
   * (memory/fixes/0152-update-racing-delete-left-a-version.md).
   */
  private async stillThere(owner: string, configId: string): Promise<void> {
    const head = await this.repo.getHead(configId);
    if (head?.owner === owner) return;
    if (!head) await this.repo.delete(configId);
    throw notFound(configId);
  }

  async delete(owner: string, configId: string): Promise<void> {
    if (configId === DEFAULT_CONFIGURATION_ID) throw builtInDefault('deleted');
    await this.head(owner, configId);
    await this.repo.delete(configId);
  }

  async listVersions(
    owner: string,
    configId: string,
    options: { limit?: number; cursor?: string | null } = {},
  ): Promise<ConfigurationVersionList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    if (configId === DEFAULT_CONFIGURATION_ID) {
      // Its one version, as GET /configurations/default shows it (a cursor has nothing after it).
      const { version, name, created_at } = this.defaultConfiguration();
      const versions = options.cursor ? [] : [{ version, name, created_at }];
      return { config_id: configId, latest_version: version, versions, next_cursor: null };
    }
    const head = await this.head(owner, configId);
    const page = await this.repo.listVersions(configId, { limit, cursor: options.cursor ?? null });
    return {
      config_id: configId,
      latest_version: head.latest_version,
      versions: page.items
        .filter((v) => v.version <= head.latest_version)
        .map((v) => ({ version: v.version, name: v.name, created_at: v.created_at })),
      next_cursor: page.next_cursor,
    };
  }

  async getVersion(owner: string, configId: string, version: number): Promise<Configuration> {
    if (configId === DEFAULT_CONFIGURATION_ID) {
      const configuration = this.defaultConfiguration();
      if (version === configuration.version) return configuration;
      throw new NotFoundError(`Configuration ${configId} has no version ${version}`);
    }
    const head = await this.head(owner, configId);
    const snapshot =
      version <= head.latest_version ? await this.repo.getVersion(configId, version) : undefined;
    if (!snapshot) throw new NotFoundError(`Configuration ${configId} has no version ${version}`);
    return versionToConfiguration(head, snapshot);
  }

  /**
   * The body a generation starts from: a stored configuration of the owner (latest version), the
   * default configuration ("default"), or a preset by id.
   */
  async resolve(owner: string, configId: string): Promise<ResolvedConfiguration> {
    if (configId === DEFAULT_CONFIGURATION_ID) {
      return { body: { ...DEFAULT_SCENARIO }, configuration_id: configId, version: null };
    }
    const head = await this.repo.getHead(configId);
    if (head && head.owner === owner) {
      return { body: { ...head.configuration }, configuration_id: configId, version: head.latest_version };
    }
    const preset = findPreset(configId);
    if (preset)
      return {
        body: presetScenario(preset) as Record<string, unknown>,
        configuration_id: configId,
        version: null,
      };
    throw notFound(configId);
  }
}
