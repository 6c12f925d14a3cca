/**
 * Scenario presets (original scenario_presets.json), corrected: every field they carry is honoured
 * (duration, warfare type, triage override) and every nation they use has name data. See
 * memory/decisions/0003-presets.md for each correction.
 */
import { DEFAULT_FACILITY_RATES } from './facilities.js';

export type Difficulty = 'low' | 'medium' | 'high' | 'extreme';

export interface PresetFront {
  readonly name: string;
  readonly casualty_rate: number;
  readonly nations: Readonly<Record<string, number>>;
}

export interface Preset {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly category: string;
  readonly difficulty: Difficulty;
  readonly total_patients: number;
  readonly duration_days: number;
  readonly warfare_types: readonly string[];
  readonly injury_distribution: Readonly<Record<string, number>>;
  readonly fronts: readonly PresetFront[];
  readonly intensity: 'low' | 'medium' | 'high' | 'extreme';
  readonly tempo: 'sustained' | 'escalating' | 'surge' | 'declining' | 'intermittent';
  readonly special_events: Readonly<Record<string, boolean>>;
  readonly environmental_conditions: Readonly<Record<string, boolean>>;
  /**
   * Days in theatre a casualty may be held until fit for duty (the scenario's evacuation_policy_days,
   * memory/decisions/0935-presets-set-an-evacuation-policy.md): short where fighting fills the beds.
   */
  readonly evacuation_policy_days: number;
  /** The theatre's endemic diseases (endemic-diseases.ts); none when absent. */
  readonly endemic_diseases?: Readonly<Record<string, boolean>>;
  readonly triage_overrides?: Readonly<Record<string, { T1: number; T2: number; T3: number }>>;
}

export const PRESET_CATEGORIES: Readonly<Record<string, { name: string; icon: string }>> = {
  conventional_warfare: { name: 'Conventional Warfare', icon: 'tank' },
  urban_warfare: { name: 'Urban Warfare', icon: 'building' },
  peacekeeping: { name: 'Peacekeeping', icon: 'dove' },
  cbrn: { name: 'CBRN', icon: 'biohazard' },
  training: { name: 'Training', icon: 'graduation-cap' },
  mass_casualty: { name: 'Mass Casualty', icon: 'ambulance' },
  cold_weather: { name: 'Cold Weather', icon: 'snowflake' },
  maritime: { name: 'Maritime', icon: 'ship' },
};

export const DIFFICULTY_LEVELS: Readonly<Record<Difficulty, { name: string; color: string }>> = {
  low: { name: 'Low', color: 'green' },
  medium: { name: 'Medium', color: 'yellow' },
  high: { name: 'High', color: 'orange' },
  extreme: { name: 'Extreme', color: 'red' },
};

const NO_EVENTS = { mass_casualty: false, major_offensive: false, ambush: false };

export const PRESETS: readonly Preset[] = [
  {
    id: 'nato_article_5',
    name: 'NATO Article 5 Defence',
    description:
      'Collective defence of the Baltic flank across three fronts over eight days of high-intensity fighting.',
    category: 'conventional_warfare',
    difficulty: 'high',
    total_patients: 2500,
    duration_days: 8,
    warfare_types: ['conventional'],
    injury_distribution: { 'Battle Injury': 0.55, 'Non-Battle Injury': 0.25, Disease: 0.2 },
    fronts: [
      { name: 'Northern Front', casualty_rate: 0.45, nations: { EST: 35, FIN: 30, SWE: 20, USA: 15 } },
      { name: 'Central Front', casualty_rate: 0.35, nations: { POL: 40, DEU: 25, USA: 20, GBR: 15 } },
      { name: 'Southern Front', casualty_rate: 0.2, nations: { LVA: 30, LTU: 30, POL: 25, CAN: 15 } },
    ],
    intensity: 'high',
    tempo: 'sustained',
    special_events: { mass_casualty: true, major_offensive: true, ambush: false },
    evacuation_policy_days: 7,
    environmental_conditions: { night_operations: true },
  },
  {
    id: 'peacekeeping',
    name: 'Peacekeeping Mission',
    description:
      'A month-long stabilisation mission in a hot theatre where malaria and dengue are endemic; disease and non-battle injuries dominate.',
    category: 'peacekeeping',
    difficulty: 'low',
    total_patients: 500,
    duration_days: 30,
    warfare_types: ['peacekeeping'],
    injury_distribution: { 'Battle Injury': 0.1, 'Non-Battle Injury': 0.35, Disease: 0.55 },
    fronts: [
      {
        name: 'Main Operating Base',
        casualty_rate: 0.6,
        nations: { USA: 20, GBR: 15, FRA: 15, ITA: 15, ESP: 10, DEU: 10, CAN: 15 },
      },
      { name: 'Forward Operating Base', casualty_rate: 0.4, nations: { NOR: 25, DNK: 25, NLD: 25, BEL: 25 } },
    ],
    intensity: 'low',
    tempo: 'sustained',
    special_events: { ...NO_EVENTS, ambush: true },
    evacuation_policy_days: 14,
    environmental_conditions: { extreme_heat: true },
    // A hot, malaria-endemic theatre, as the stabilisation missions of the Sahel.
    endemic_diseases: { malaria: true, dengue: true, leishmaniasis: true, typhoid_fever: true },
  },
  {
    id: 'urban_assault',
    name: 'Urban Assault',
    description:
      'Five days of house-to-house fighting through a city centre, an industrial zone and a harbour.',
    category: 'urban_warfare',
    difficulty: 'extreme',
    total_patients: 3000,
    duration_days: 5,
    warfare_types: ['urban'],
    injury_distribution: { 'Battle Injury': 0.7, 'Non-Battle Injury': 0.2, Disease: 0.1 },
    fronts: [
      { name: 'City Center', casualty_rate: 0.5, nations: { USA: 50, GBR: 30, AUS: 20 } },
      { name: 'Industrial Zone', casualty_rate: 0.3, nations: { FRA: 40, DEU: 35, ITA: 25 } },
      { name: 'Harbor District', casualty_rate: 0.2, nations: { NLD: 35, NOR: 35, DNK: 30 } },
    ],
    intensity: 'extreme',
    tempo: 'escalating',
    special_events: { mass_casualty: true, major_offensive: false, ambush: true },
    evacuation_policy_days: 7,
    environmental_conditions: { urban_debris: true },
  },
  {
    id: 'cbrn_incident',
    name: 'CBRN Incident',
    description: 'A chemical release over three days; most casualties are exposures, triaged by symptoms.',
    category: 'cbrn',
    difficulty: 'extreme',
    total_patients: 1500,
    duration_days: 3,
    warfare_types: ['cbrn'],
    injury_distribution: { 'Battle Injury': 0.05, 'Non-Battle Injury': 0.15, Disease: 0.8 },
    fronts: [
      { name: 'Primary Impact Zone', casualty_rate: 0.7, nations: { USA: 60, GBR: 25, CAN: 15 } },
      { name: 'Secondary Exposure Zone', casualty_rate: 0.3, nations: { DEU: 40, FRA: 35, NLD: 25 } },
    ],
    intensity: 'extreme',
    tempo: 'declining',
    special_events: { ...NO_EVENTS, mass_casualty: true },
    evacuation_policy_days: 7,
    environmental_conditions: {},
    triage_overrides: { Disease: { T1: 0.5, T2: 0.35, T3: 0.15 } },
  },
  {
    id: 'training_exercise',
    name: 'Training Exercise',
    description: 'A small two-day exercise for a single national contingent.',
    category: 'training',
    difficulty: 'low',
    total_patients: 100,
    duration_days: 2,
    warfare_types: ['conventional'],
    injury_distribution: { 'Battle Injury': 0.4, 'Non-Battle Injury': 0.35, Disease: 0.25 },
    fronts: [{ name: 'Training Area Alpha', casualty_rate: 1, nations: { USA: 100 } }],
    intensity: 'low',
    tempo: 'sustained',
    special_events: NO_EVENTS,
    evacuation_policy_days: 14,
    environmental_conditions: {},
  },
  {
    id: 'mass_casualty',
    name: 'Mass Casualty Event',
    description: 'One day, one incident site, a surge of casualties that overwhelms the first echelons.',
    category: 'mass_casualty',
    difficulty: 'extreme',
    total_patients: 800,
    duration_days: 1,
    warfare_types: ['conventional'],
    injury_distribution: { 'Battle Injury': 0.6, 'Non-Battle Injury': 0.3, Disease: 0.1 },
    fronts: [{ name: 'Incident Site', casualty_rate: 1, nations: { USA: 40, GBR: 30, DEU: 20, FRA: 10 } }],
    intensity: 'extreme',
    tempo: 'sustained',
    special_events: { ...NO_EVENTS, mass_casualty: true },
    evacuation_policy_days: 5,
    environmental_conditions: {},
    triage_overrides: { 'Battle Injury': { T1: 0.5, T2: 0.35, T3: 0.15 } },
  },
  {
    id: 'arctic_operation',
    name: 'Arctic Operation',
    description:
      'Two weeks of cold-weather operations in the High North; cold injuries and long evacuations.',
    category: 'cold_weather',
    difficulty: 'high',
    total_patients: 1200,
    duration_days: 14,
    warfare_types: ['conventional'],
    injury_distribution: { 'Battle Injury': 0.3, 'Non-Battle Injury': 0.45, Disease: 0.25 },
    fronts: [
      { name: 'Arctic Forward Base', casualty_rate: 0.55, nations: { NOR: 35, FIN: 30, SWE: 20, USA: 15 } },
      { name: 'Mountain Sector', casualty_rate: 0.45, nations: { CAN: 40, GBR: 30, USA: 30 } },
    ],
    intensity: 'medium',
    tempo: 'sustained',
    special_events: NO_EVENTS,
    evacuation_policy_days: 7,
    environmental_conditions: { extreme_cold: true, mountainous_terrain: true, night_operations: true },
  },
  {
    id: 'maritime_operation',
    name: 'Maritime Operation',
    description: 'An amphibious operation: a naval task force, a beach landing and an inland objective.',
    category: 'maritime',
    difficulty: 'high',
    total_patients: 1800,
    duration_days: 6,
    warfare_types: ['naval', 'conventional'],
    injury_distribution: { 'Battle Injury': 0.55, 'Non-Battle Injury': 0.3, Disease: 0.15 },
    fronts: [
      { name: 'Naval Task Force', casualty_rate: 0.35, nations: { USA: 45, GBR: 30, FRA: 25 } },
      { name: 'Beach Landing Zone', casualty_rate: 0.45, nations: { USA: 50, AUS: 25, NLD: 25 } },
      { name: 'Inland Objective', casualty_rate: 0.2, nations: { GBR: 40, CAN: 35, NZL: 25 } },
    ],
    intensity: 'high',
    tempo: 'surge',
    special_events: { ...NO_EVENTS, major_offensive: true },
    evacuation_policy_days: 7,
    environmental_conditions: {},
  },
];

/** The facility chain presets hand out (the original's generation_config). */
export const PRESET_FACILITIES = (['Role1', 'Role2', 'Role3', 'Role4'] as const).map((role) => ({
  id: role.toLowerCase(),
  name: role.replace('Role', 'Role '),
  role,
  kia_rate: DEFAULT_FACILITY_RATES[role].kia,
  rtd_rate: DEFAULT_FACILITY_RATES[role].rtd,
}));
