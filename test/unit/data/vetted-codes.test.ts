import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ABO_RH_GROUP,
  ALLERGENS,
  ATC,
  BLOOD_GROUP_CODES,
  BLOOD_PRESSURE_PANEL,
  BODY_HEIGHT,
  BODY_SITE_CODES,
  BODY_WEIGHT,
  CONDITIONS,
  type Coding,
  DRUGS,
  MECHANISMS,
  PROCEDURES,
  PULSE_OXIMETRY,
  SEVERITY_GRADES,
  SNOMED,
  VITAL_SIGNS,
} from '../../../lib/data/index.js';
import { loadVettedCodes, normaliseDisplay } from '../../support/vetted-codes.js';

const vetted = loadVettedCodes();
/** SHA-256 of the vetted code table as delivered to the project (its copy in test/fixtures). */
const DELIVERED_CODES_SHA256 = '856322a0fd348edccbc4ebd037a9a540527111effb53149ab7613a9ae47860dc';

const drugs = Object.values(DRUGS);
const allergens = Object.values(ALLERGENS);
const tables: Record<string, { system: string; codings: readonly Coding[] }> = {
  'medications (ATC)': { system: 'ATC', codings: drugs.filter((d) => d.system === ATC) },
  'medications (SNOMED CT)': { system: 'SNOMED CT', codings: drugs.filter((d) => d.system === SNOMED) },
  'allergens (ATC)': { system: 'ATC', codings: allergens.filter((a) => a.system === ATC) },
  'allergens (SNOMED CT)': { system: 'SNOMED CT', codings: allergens.filter((a) => a.system === SNOMED) },
  conditions: { system: 'SNOMED CT', codings: CONDITIONS },
  procedures: { system: 'SNOMED CT', codings: Object.values(PROCEDURES) },
  'body sites': { system: 'SNOMED CT', codings: Object.values(BODY_SITE_CODES) },
  'severity grades': { system: 'SNOMED CT', codings: Object.values(SEVERITY_GRADES) },
  mechanisms: { system: 'SNOMED CT', codings: Object.values(MECHANISMS) },
  'blood groups': { system: 'SNOMED CT', codings: Object.values(BLOOD_GROUP_CODES) },
  observations: {
    system: 'LOINC',
    codings: [
      ...Object.values(VITAL_SIGNS),
      BLOOD_PRESSURE_PANEL,
      PULSE_OXIMETRY,
      BODY_WEIGHT,
      BODY_HEIGHT,
      ABO_RH_GROUP,
    ],
  },
};

describe('clinical code tables', () => {
  it('reads the vetted set from codes.md (all eight verified tables)', () => {
    // Act / Assert: the summary table of codes.md counts 283 verified rows.
    expect(vetted.size).toBe(283);
  });

  it('keeps the committed copy of codes.md as delivered: no row added to let a code through', () => {
    // Prepare: test/fixtures/vetted-codes.md is the delivered table byte for byte; a code missing
    // from it is left out of the product, not added here (memory/fixes/0144).
    const copy = readFileSync(resolve(import.meta.dirname, '../../fixtures/vetted-codes.md'));
    // Act
    const digest = createHash('sha256').update(copy).digest('hex');
    // Assert
    expect(digest).toBe(DELIVERED_CODES_SHA256);
  });

  for (const [name, { system, codings }] of Object.entries(tables)) {
    it(`emits only vetted ${name} codes, each with the vetted display`, () => {
      // Prepare
      const problems: string[] = [];
      // Act
      for (const c of codings) {
        const entry = vetted.get(`${system}|${c.code}`);
        if (!entry) problems.push(`${c.code} ${c.name}: not in codes.md`);
        else if (normaliseDisplay(entry.display) !== normaliseDisplay(c.name)) {
          problems.push(`${c.code}: "${c.name}" but codes.md says "${entry.display}"`);
        }
      }
      // Assert
      expect(problems).toEqual([]);
    });
  }

  it('gives each condition code exactly one display', () => {
    const codes = CONDITIONS.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('flags every condition its display names a fracture or a concussion, and no other (fixes 0328, 0331)', () => {
    // Prepare: the display is the vetted name, read independently of the flags
    const named = (word: RegExp) => CONDITIONS.filter((c) => word.test(c.name)).map((c) => c.code);
    // Act
    const fractures = CONDITIONS.filter((c) => c.fracture).map((c) => c.code);
    const concussions = CONDITIONS.filter((c) => c.concussion).map((c) => c.code);
    // Assert
    expect(fractures).toEqual(named(/fracture/i));
    expect(fractures.length).toBe(11);
    expect(concussions).toEqual(named(/concussion/i));
    expect(concussions.length).toBe(3);
  });

  it('keeps a contagious condition to illnesses and a concussion to injuries, so one bit packs either rest before duty (fix 0355)', () => {
    // Prepare: the injury types a condition is drawn for, by its own weights or as a related condition
    const typesOf = (code: string): Set<string> => {
      const types = new Set<string>();
      for (const c of CONDITIONS) {
        const linked = c.code === code || c.related?.some((r) => r.code === code) === true;
        if (linked) for (const [type, w] of Object.entries(c.weights)) if ((w ?? 0) > 0) types.add(type);
      }
      return types;
    };
    // Act
    const contagious = CONDITIONS.filter((c) => c.contagious);
    const concussions = CONDITIONS.filter((c) => c.concussion);
    // Assert
    expect(contagious.map((c) => c.name)).toEqual([
      'Influenza',
      'COVID-19',
      'Gastroenteritis',
      'Diarrhea',
      'Dysentery',
    ]);
    for (const c of contagious) expect([...typesOf(c.code)], c.name).toEqual(['DISEASE']);
    for (const c of concussions) expect(typesOf(c.code).has('DISEASE'), c.name).toBe(false);
  });

  it('uses exactly the FHIR condition-severity value set for severity grades', () => {
    expect(
      Object.values(SEVERITY_GRADES)
        .map((g) => g.code)
        .sort(),
    ).toEqual(['24484000', '255604002', '6736007']);
  });

  it('never uses a code that codes.md lists as wrong in the earlier implementation', () => {
    // Prepare: codes the reference marks wrong or unsourced (as a diagnosis or with the old meaning).
    const wrong = [
      '19130008',
      '7200002',
      '125689001',
      '2055003',
      '372963008',
      '428794004',
      '409711008',
      '45170000',
      '73249009',
      '125596004',
      '284551006',
      '361220002',
      '37782003',
      '302914006',
      '55566008',
      '275272006',
      '87991007',
      '371925005',
      '20376005',
    ];
    const emitted = new Set(Object.values(tables).flatMap((t) => t.codings.map((c) => c.code)));
    // Assert
    expect(wrong.filter((code) => emitted.has(code))).toEqual([]);
  });
});
