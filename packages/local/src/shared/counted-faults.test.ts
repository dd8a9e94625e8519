import { describe, expect, it } from 'vitest';
import { CountedFaults } from './counted-faults.js';

interface TestFault {
  id: number;
  remaining: number;
  operation: string | undefined;
}

function fault(remaining: number, operation?: string): (id: number) => TestFault {
  return (id) => ({ id, remaining, operation });
}

describe('CountedFaults', () => {
  it('hands out the first matching fault until its count is used up, with fresh ids and copies as pending', () => {
    // Prepare
    const faults = new CountedFaults<TestFault>();
    const first = faults.add(fault(2, 'PutImage'));
    const second = faults.add(fault(1));
    first.remaining = 99; // a returned copy does not change the queue

    // Act
    const forPutImage = (candidate: TestFault): boolean => candidate.operation === undefined || candidate.operation === 'PutImage';
    const forListImages = (candidate: TestFault): boolean => candidate.operation === undefined || candidate.operation === 'ListImages';
    const listImages = faults.take(forListImages);
    const afterListImages = faults.pending();
    const putImages = [faults.take(forPutImage), faults.take(forPutImage), faults.take(forPutImage)];

    // Assess
    expect([first.id, second.id]).toEqual([1, 2]);
    expect(listImages).toMatchObject({ id: 2, remaining: 0 });
    expect(afterListImages).toEqual([{ id: 1, remaining: 2, operation: 'PutImage' }]);
    expect(putImages.map((taken) => taken?.id)).toEqual([1, 1, undefined]);
    expect(faults.pending()).toEqual([]);
  });

  it('takes in injection order without a matcher and clears what is pending', () => {
    // Prepare
    const faults = new CountedFaults<TestFault>();
    faults.add(fault(1, 'a'));
    faults.add(fault(1, 'b'));
    faults.add(fault(3, 'c'));

    // Act
    const taken = faults.take();
    const cleared = faults.clear();

    // Assess
    expect(taken?.operation).toBe('a');
    expect(cleared).toBe(2);
    expect(faults.pending()).toEqual([]);
    expect(faults.take()).toBeUndefined();
  });
});
