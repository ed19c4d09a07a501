/** Object keys from parsed JSON, set as JSON.parse sets them. */

/** Sets `obj[key]`; `__proto__` becomes an own key, as in JSON.parse, not the prototype. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}
