/**
 * Objects of one shape in a patient record share one V8 hidden class. A diversion event built by
 * spreading an object that was itself spread took a new hidden class per event; hidden classes live
 * in the old generation, so a 1,000,000-patient job with short beds grew its heap by tens of MB
 * between full collections (memory/fixes/0241-a-hidden-class-per-diversion.md).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('../../support/record-hidden-classes.ts', import.meta.url));

/** A shape's map, and the ones V8 makes as a field's representation widens. */
const WIDENED_MAPS = 3;

interface ShapeReport {
  readonly shape: string;
  readonly objects: number;
  readonly maps: number;
}

describe('hidden classes of patient records', () => {
  it('gives the objects of one shape one hidden class (bar field widening), diversions with facility ids included', async () => {
    // Prepare: the probe generates 3,000 patients whose beds run short, under natives syntax.
    const run = promisify(execFile);

    // Act
    const { stdout } = await run(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', PROBE, '3000'],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout) as ShapeReport[];

    // Assert: the shape that churned is present in numbers, and no shape took more than the maps of a
    // field's representation widening (small integer, then number, then any value).
    const diversions = report.filter(
      (s) =>
        s.shape.startsWith('record.movement_timeline[] {event_type,') && s.shape.includes('to_facility_id'),
    );
    expect(diversions.reduce((n, s) => n + s.objects, 0)).toBeGreaterThan(50);
    expect(report.filter((s) => s.maps > WIDENED_MAPS)).toEqual([]);
  });
});
