/**
 * The preset catalogue served by the API: the list (summaries from lib/generation/presets.ts, which the
 * CLI lists too), the detail with a ready-made generation configuration, and the categories. The presets themselves
 * are data (lib/data/presets.ts); the engine turns one into a scenario (lib/generation/presets.ts).
 * Static: no store is read, so the preset routes build no client.
 */
import { NotFoundError } from '../core/index.js';
import { DIFFICULTY_LEVELS, PRESET_CATEGORIES, PRESETS } from '../data/index.js';
import { findPreset, presetScenario, presetSummary } from '../generation/index.js';

export { type PresetSummary, presetSummary } from '../generation/index.js';

export function listPresets(filter: { category?: string | null; difficulty?: string | null } = {}) {
  const presets = PRESETS.filter(
    (p) =>
      (!filter.category || p.category === filter.category) &&
      (!filter.difficulty || p.difficulty === filter.difficulty),
  ).map(presetSummary);
  return {
    presets,
    categories: PRESET_CATEGORIES,
    difficulty_levels: DIFFICULTY_LEVELS,
    total_count: presets.length,
  };
}

/** A preset and a generation configuration that POST /generation accepts as `configuration`. */
export function getPreset(presetId: string) {
  const preset = findPreset(presetId);
  if (!preset) throw new NotFoundError(`Preset '${presetId}' not found`);
  return {
    preset: {
      ...presetSummary(preset),
      fronts: preset.fronts,
      injury_distribution: preset.injury_distribution,
      warfare_type: preset.warfare_types[0] ?? 'conventional',
      intensity: preset.intensity,
      tempo: preset.tempo,
      triage_override: preset.triage_overrides ?? null,
    },
    generation_config: presetScenario(preset),
  };
}

export function listPresetCategories() {
  const categories = Object.entries(PRESET_CATEGORIES).map(([id, c]) => ({
    id,
    name: c.name,
    icon: c.icon,
    preset_count: PRESETS.filter((p) => p.category === id).length,
  }));
  return { categories, total_categories: categories.length };
}
