/**
 * A secret value that refuses to be printed. `String(secret)`, template literals,
 * `JSON.stringify`, `util.inspect` / `console.log` and error messages built from it all
 * show "[redacted]"; only `reveal()` gives the value, and it should be called right
 * where the value is used (signing), never stored in another plain field.
 */
export const REDACTED = '[redacted]';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. Keep the result local; never log or persist it. */
  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  valueOf(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}

export function secret(value: string): Secret {
  return new Secret(value);
}
