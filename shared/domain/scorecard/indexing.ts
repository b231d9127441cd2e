/** Reads an index the caller knows is in range; under noUncheckedIndexedAccess this keeps the loops readable. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} out of range 0..${items.length - 1}`);
  return item;
}
