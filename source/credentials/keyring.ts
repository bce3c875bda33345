/**
 * The OS keychain behind an interface, so tests use a fake and the CLI works where no
 * keychain exists. The real one is @napi-rs/keyring (service "arb-tui"): macOS Keychain,
 * Windows Credential Manager, and on Linux the Secret Service (GNOME Keyring, KWallet).
 *
 * On Linux we pin the Secret Service: @napi-rs/keyring would otherwise fall back to the
 * kernel keyring, which forgets everything at reboot or session end and usually answers
 * "Couldn't access platform storage: AccessDenied" on SSH hosts. Without a Secret
 * Service every call fails with `KeychainUnavailableError`, and the caller tells the user
 * to use environment variables instead.
 */
export const KEYCHAIN_SERVICE = 'arb-tui';

export interface Keyring {
  /** A short name for messages, e.g. "OS keychain". */
  readonly description: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain cannot be used on this host (no Secret Service, locked, access denied…). */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';
  /** The platform's own words, e.g. "Couldn't access platform storage: AccessDenied". */
  readonly reason: string;
  constructor(reason: string) {
    super(`the OS keychain is not available on this host (${reason})`);
    this.reason = reason;
  }
}

interface NativeEntry {
  getPassword(): string | null;
  setPassword(password: string): void;
  deletePassword(): boolean;
}

type EntryConstructor = new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => NativeEntry;

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}

/** The real keychain through @napi-rs/keyring, loaded on first use. */
export function osKeyring(service: string = KEYCHAIN_SERVICE): Keyring {
  let entryClass: Promise<EntryConstructor> | null = null;
  const load = (): Promise<EntryConstructor> => {
    entryClass ??= import('@napi-rs/keyring').then((m) => m.Entry as unknown as EntryConstructor);
    return entryClass;
  };
  const entry = async (account: string): Promise<NativeEntry> => {
    let Entry: EntryConstructor;
    try {
      Entry = await load();
    } catch (error) {
      throw new KeychainUnavailableError(`keyring module failed to load: ${reasonOf(error)}`);
    }
    try {
      return new Entry(service, account, { linux: { store: 'secret-service' } });
    } catch (error) {
      throw new KeychainUnavailableError(reasonOf(error));
    }
  };
  const guard = async <T>(fn: () => T): Promise<T> => {
    try {
      return fn();
    } catch (error) {
      throw new KeychainUnavailableError(reasonOf(error));
    }
  };
  return {
    description: 'OS keychain',
    get: async (account) => {
      const e = await entry(account);
      return guard(() => e.getPassword());
    },
    set: async (account, value) => {
      const e = await entry(account);
      await guard(() => e.setPassword(value));
    },
    delete: async (account) => {
      const e = await entry(account);
      return guard(() => e.deletePassword());
    },
  };
}

/** An in-memory keychain (tests, and `--no-keychain` style use). */
export function memoryKeyring(initial: Record<string, string> = {}): Keyring & { readonly entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    description: 'memory keychain',
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, value) => {
      entries.set(account, value);
    },
    delete: async (account) => entries.delete(account),
  };
}

/** A keychain that always fails like a host without a Secret Service. */
export function unavailableKeyring(reason = "Couldn't access platform storage: AccessDenied"): Keyring {
  const fail = async (): Promise<never> => {
    throw new KeychainUnavailableError(reason);
  };
  return { description: 'OS keychain', get: fail, set: fail, delete: fail };
}
