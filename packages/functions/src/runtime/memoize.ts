/** Keeps one value per key, created on first use: ECR clients per Region, limiters per upstream. */
const memoize = <T>(create: (key: string) => T): ((key: string) => T) => {
  const values = new Map<string, T>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = create(key);
      values.set(key, value);
    }
    return value;
  };
};

/**
 * Creates the value on first use and keeps it: a worker's adapters, so that importing a handler module needs
 * no environment. A creation that throws (a missing variable) is tried again on the next use.
 */
const lazy = <T>(create: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= create());
};

export { lazy, memoize };
