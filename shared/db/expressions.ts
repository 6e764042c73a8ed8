/** `SET #a = :a, …` for the given attributes, with names and values that never collide with keywords. */
export function setExpression(attributes: Record<string, unknown>, prefix = 's') {
  const entries = Object.entries(attributes).filter(([, value]) => value !== undefined);
  return {
    clauses: entries.map((_, i) => `#${prefix}${i} = :${prefix}${i}`),
    names: Object.fromEntries(entries.map(([name], i) => [`#${prefix}${i}`, name])),
    values: Object.fromEntries(entries.map(([, value], i) => [`:${prefix}${i}`, value])),
  };
}

/** Removes the table's key and index attributes from an item before it leaves the data layer. */
export function withoutKeys<T extends Record<string, unknown>>(item: T): Omit<T, 'PK' | 'SK' | 'GSI1PK' | 'GSI1SK'> {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, ...rest } = item;
  return rest;
}
