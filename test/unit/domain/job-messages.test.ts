/** The messages of the generation queue (lib/domain/job-messages.ts): four strict shapes, each with job_id. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/core/index.js';
import {
  chunkMessage,
  deadMessageJobId,
  finaliseMessage,
  parseGenerationMessage,
  sealMessage,
} from '../../../lib/domain/job-messages.js';

describe('generation messages', () => {
  it('reads the job message, a chunk task, a seal task and the finalise task by their task key', () => {
    // Act
    const job = parseGenerationMessage('{"job_id":"j-1"}');
    const chunk = parseGenerationMessage(JSON.stringify(chunkMessage('j-1', 'p-1', 3)));
    const seal = parseGenerationMessage(JSON.stringify(sealMessage('j-1', 'p-1', 0)));
    const finalise = parseGenerationMessage(JSON.stringify(finaliseMessage('j-1', 'p-1')));
    // Assert
    expect(job).toEqual({ kind: 'job', job_id: 'j-1' });
    expect(chunk).toEqual({ kind: 'chunk', job_id: 'j-1', plan_id: 'p-1', chunk: 3 });
    expect(seal).toEqual({ kind: 'seal', job_id: 'j-1', plan_id: 'p-1', seal: 0 });
    expect(finalise).toEqual({ kind: 'finalise', job_id: 'j-1', plan_id: 'p-1', finalise: true });
  });

  it('carries the objects a finaliser out of time stored when it hands the rest on, and only then', () => {
    // Act
    const handedOn = parseGenerationMessage(JSON.stringify(finaliseMessage('j-1', 'p-1', 2)));
    // Assert
    expect(handedOn).toEqual({
      kind: 'finalise',
      job_id: 'j-1',
      plan_id: 'p-1',
      finalise: true,
      assembled: 2,
    });
    expect(finaliseMessage('j-1', 'p-1', 0)).toEqual({ job_id: 'j-1', plan_id: 'p-1', finalise: true });
  });

  it.each([
    ['not JSON', 'job_id=1', /not JSON/],
    ['an array', '[1]', /expected object/],
    ['no job_id', '{"plan_id":"p"}', /job_id/],
    ['an empty job_id', '{"job_id":""}', /job_id: must not be empty/],
    ['a chunk without its plan', '{"job_id":"j","chunk":1}', /plan_id/],
    ['a fractional chunk', '{"job_id":"j","plan_id":"p","chunk":1.5}', /chunk: must be an integer/],
    ['a negative seal', '{"job_id":"j","plan_id":"p","seal":-1}', /seal: must be at least 0/],
    ['both task keys', '{"job_id":"j","plan_id":"p","chunk":1,"seal":1}', /Unrecognized key/i],
    [
      'a finalise and a chunk key',
      '{"job_id":"j","plan_id":"p","chunk":1,"finalise":true}',
      /Unrecognized key/i,
    ],
    ['a finalise without its plan', '{"job_id":"j","finalise":true}', /plan_id/],
    [
      'a finalise that is not true',
      '{"job_id":"j","plan_id":"p","finalise":"secret-value"}',
      /finalise: must be true/,
    ],
    ['a finalise with another key', '{"job_id":"j","plan_id":"p","finalise":true,"extra":1}', /extra/],
    [
      'a finalise after 0 objects',
      '{"job_id":"j","plan_id":"p","finalise":true,"assembled":0}',
      /assembled: must be at least 1/,
    ],
    [
      'a finalise after a fractional count',
      '{"job_id":"j","plan_id":"p","finalise":true,"assembled":1.5}',
      /assembled: must be an integer/,
    ],
    [
      'a finalise after too many objects',
      '{"job_id":"j","plan_id":"p","finalise":true,"assembled":100}',
      /assembled: must be at most 99/,
    ],
    [
      'a finalise after a count that is not a number',
      '{"job_id":"j","plan_id":"p","finalise":true,"assembled":"secret-value"}',
      /assembled: must be a number/,
    ],
    ['a job message with another key', '{"job_id":"j","extra":"secret-value"}', /extra/],
  ])('refuses %s as a poison message, naming the field and rule, never the value', (_name, body, rule) => {
    // Act
    const read = () => parseGenerationMessage(body);
    // Assert
    expect(read).toThrow(ValidationError);
    expect(read).toThrow(rule);
    expect(() => read()).not.toThrow(/secret-value/);
  });

  it('gives the DLQ consumer the job of any dead message that names one, and nothing for the rest', () => {
    // Act + Assert
    expect(deadMessageJobId('{"job_id":"j-1"}')).toBe('j-1');
    expect(deadMessageJobId('{"job_id":"j-1","plan_id":"p","chunk":4}')).toBe('j-1');
    expect(deadMessageJobId('{"job_id":"j-1","plan_id":"p","seal":0}')).toBe('j-1');
    expect(deadMessageJobId('{"job_id":"j-1","plan_id":"p","finalise":true}')).toBe('j-1');
    expect(deadMessageJobId('{"job_id":"j-1","plan_id":"p","chunk":"x"}')).toBe('j-1');
    expect(deadMessageJobId('not json')).toBeUndefined();
    expect(deadMessageJobId('{"job_id":7}')).toBeUndefined();
    expect(deadMessageJobId('null')).toBeUndefined();
  });
});
