/**
 * Presets and the default scenario as scenario inputs the engine validates like any other, and the one
 * summary of a preset that the API and the CLI list.
 */
import { PRESET_FACILITIES, PRESETS, type Preset } from '../data/index.js';
import type { ScenarioInput } from './scenario.js';

export function presetScenario(preset: Preset): ScenarioInput {
  return {
    name: preset.name,
    description: preset.description,
    total_patients: preset.total_patients,
    injury_distribution: { ...preset.injury_distribution },
    front_configs: preset.fronts.map((f, i) => ({
      id: `front_${i + 1}`,
      name: f.name,
      casualty_rate: f.casualty_rate,
      nationality_distribution: Object.entries(f.nations).map(([code, pct]) => ({
        nationality_code: code,
        percentage: pct,
      })),
    })),
    facility_configs: PRESET_FACILITIES.map((f) => ({ ...f })),
    days_of_fighting: preset.duration_days,
    base_date: '2025-06-01',
    warfare_types: Object.fromEntries(preset.warfare_types.map((t) => [t, true])),
    intensity: preset.intensity,
    tempo: preset.tempo,
    special_events: { ...preset.special_events },
    environmental_conditions: { ...preset.environmental_conditions },
    endemic_diseases: { ...preset.endemic_diseases },
    evacuation_policy_days: preset.evacuation_policy_days,
    ...(preset.triage_overrides ? { triage_overrides: { ...preset.triage_overrides } } : {}),
  };
}

/** What a preset list shows (API and CLI). */
export interface PresetSummary {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly difficulty: string;
  readonly total_patients: number;
  readonly duration_days: number;
  readonly warfare_types: readonly string[];
}

export function presetSummary(p: Preset): PresetSummary {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    category: p.category,
    difficulty: p.difficulty,
    total_patients: p.total_patients,
    duration_days: p.duration_days,
    warfare_types: p.warfare_types,
  };
}

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The default scenario: the original service's built-in defaults (memory/decisions/0003-presets.md). */
export const DEFAULT_SCENARIO: ScenarioInput = {
  name: 'Default NATO exercise',
  description:
    'Three fronts on the eastern flank, eight days of sustained conventional, artillery and drone warfare.',
  total_patients: 1440,
  injury_distribution: { Disease: 0.52, 'Non-Battle Injury': 0.33, 'Battle Injury': 0.15 },
  front_configs: [
    {
      id: 'poland',
      name: 'Poland Front',
      casualty_rate: 0.6,
      nationality_distribution: [
        { nationality_code: 'POL', percentage: 50 },
        { nationality_code: 'LTU', percentage: 25 },
        { nationality_code: 'NLD', percentage: 20 },
        { nationality_code: 'ESP', percentage: 5 },
      ],
    },
    {
      id: 'estonia',
      name: 'Estonia Front',
      casualty_rate: 0.3,
      nationality_distribution: [
        { nationality_code: 'EST', percentage: 50 },
        { nationality_code: 'GBR', percentage: 50 },
      ],
    },
    {
      id: 'finland',
      name: 'Finland Front',
      casualty_rate: 0.1,
      nationality_distribution: [
        { nationality_code: 'FIN', percentage: 50 },
        { nationality_code: 'USA', percentage: 50 },
      ],
    },
  ],
  facility_configs: PRESET_FACILITIES.map((f) => ({ ...f })),
  days_of_fighting: 8,
  base_date: '2025-06-01',
  warfare_types: { conventional: true, artillery: true, drone: true },
  intensity: 'medium',
  tempo: 'sustained',
  special_events: { mass_casualty: true, ambush: true, major_offensive: false },
  environmental_conditions: { night_operations: true },
};
